# Running it on a fleet (README.md): make install/uninstall (install.mk),
# the container image (`make image`), and what their tests need.
#   make image IMAGE=localhost/lnwatch:0.1
include deploy/install.mk

# promtool (test_audit_textfile), systemd-analyze (test_install), buildah,
# podman and runc (test_image), node and npm for the Kubernetes schema
# check (test_kubernetes; its npm packages: deploy/kubernetes/validate)
EXTRA_DEB_PKGS += prometheus systemd man-db buildah podman runc nodejs

IMAGE ?= localhost/lnwatch:$(shell $(OUT)/lnwatch --version 2>/dev/null | awk '{print $$2}')

.PHONY: image
image: $(OUT)/lnwatch
	$(call msg,IMAGE,$(IMAGE))
	$(Q)deploy/image/build.sh $(OUT)/lnwatch $(IMAGE)

# Running it on a fleet (README.md): make install/uninstall (install.mk),
# the container image (`make image`), and what their tests need.
#   make image IMAGE=localhost/lnwatch:0.1
include deploy/install.mk

# promtool (test_audit_textfile), systemd-analyze and man (test_install),
# buildah, podman, runc and a static busybox (the image, test_image),
# debootstrap and capsh (test_systemd_boot: a Debian root booting systemd),
# node and npm, python3-yaml (test_kubernetes; its npm packages:
# deploy/kubernetes/validate)
EXTRA_DEB_PKGS += prometheus systemd man-db buildah podman runc nodejs \
		  busybox-static python3-yaml debootstrap libcap2-bin

IMAGE ?= localhost/lnwatch:$(shell $(OUT)/lnwatch --version 2>/dev/null | awk '{print $$2}')

.PHONY: image
image: $(OUT)/lnwatch
	$(call msg,IMAGE,$(IMAGE))
	$(Q)deploy/image/build.sh $(OUT)/lnwatch $(IMAGE)

# The Kubernetes schema check's npm packages (exact versions, lockfile),
# installed under $(OUT) by `make check` (after deps: node from Debian;
# Debian's nodejs brings no npm, its npm package does).
K8S_VALIDATE := $(OUT)/k8s-validate
K8S_VALIDATE_SRC := deploy/kubernetes/validate/package.json \
		    deploy/kubernetes/validate/package-lock.json
$(K8S_VALIDATE)/node_modules/.package-lock.json: $(K8S_VALIDATE_SRC) | deps
	$(call msg,NPM,$(K8S_VALIDATE))
	$(Q)command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends npm >/dev/null
	$(Q)mkdir -p $(K8S_VALIDATE) && cp $(K8S_VALIDATE_SRC) $(K8S_VALIDATE)/ && \
		cd $(K8S_VALIDATE) && npm ci --no-audit --no-fund --silent
.PHONY: k8s-validate-deps
k8s-validate-deps: $(K8S_VALIDATE)/node_modules/.package-lock.json
check: k8s-validate-deps

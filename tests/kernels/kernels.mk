# Kernel matrix under qemu (issue 6): tests/kernels/run.sh boots each kernel
# of tests/kernels/kernels.list (fetched from Debian's archive, cached in
# $(OUT)/kernels/cache) with software emulation and runs kernel-test.sh in
# it; the running kernel runs the same test natively. The guests run the
# tree's own binaries, built here by the top Makefile's rules, with their
# shared libraries copied into the initramfs (see docs/kernels.md).
#
#   sudo make check-kernels                  # every kernel in the list
#   sudo make check-kernels KERNELS_ONLY=bookworm # suite or release has it
EXTRA_DEB_PKGS += qemu-system-x86 busybox-static debian-archive-keyring \
		  xz-utils zstd

KERNELS_OUT := $(OUT)/kernels

$(KERNELS_OUT):
	$(Q)mkdir -p $@

# fentry/kprobe probe: reported per kernel, not part of lnwatch
$(KERNELS_OUT)/probe.bpf.o: tests/kernels/probe.bpf.c | $(KERNELS_OUT)
	$(BPF_RECIPE)

$(KERNELS_OUT)/probe: tests/kernels/probe.c | $(KERNELS_OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) $(shell pkg-config --cflags libbpf 2>/dev/null) $< \
		$(shell pkg-config --libs libbpf 2>/dev/null || echo -lbpf -lelf -lz) -o $@

.PHONY: kernels-build
kernels-build: $(OUT)/lnwatch-san $(OUT)/test_tc_run $(OUT)/pktgen \
	       $(KERNELS_OUT)/probe $(KERNELS_OUT)/probe.bpf.o

check-kernels: deps
	$(Q)$(MAKE) --no-print-directory kernels-build
	$(Q)KERNELS_ONLY='$(KERNELS_ONLY)' tests/kernels/run.sh $(OUT)

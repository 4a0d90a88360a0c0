# Benchmarks: tests/bench (issue 5). An empty tc program is the floor.
EXTRA_DEB_PKGS += procps

$(OUT)/bench_empty.bpf.o: tests/bench/empty.bpf.c vmlinux/$(ARCH)/vmlinux.h | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) $(WARN) \
		-Wno-unused-parameter -Ivmlinux/$(ARCH) -Ibpf -c $< -o $@

$(OUT)/bench_empty.skel.h: $(OUT)/bench_empty.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name bench_empty > $@

$(OUT)/tc_cost: tests/bench/tc_cost.c bpf/lnwatch.h $(SKEL) $(OUT)/bench_empty.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $< $(LDLIBS) -o $@

bench-build: $(OUT)/tc_cost $(OUT)/lnwatch $(OUT)/pktgen

# `sudo make bench`: tc cost by BPF_PROG_TEST_RUN, then all on live traffic.
.PHONY: bench
bench: bench-build
	$(Q)$(OUT)/tc_cost -o $(OUT)/bench-tc.json
	$(Q)OUT=$(OUT) tests/bench/tp_cost.sh

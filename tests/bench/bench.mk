# Benchmarks: tests/bench (issue 5). Empty programs on the same hooks are
# the floor. `bench-build` builds everything `make bench` runs (CI builds
# it; running it needs root and 6 to 8 minutes).
EXTRA_DEB_PKGS += procps iperf3 bpftrace

$(OUT)/bench_empty.bpf.o: tests/bench/empty.bpf.c | $(OUT)
	$(BPF_RECIPE)

$(OUT)/bench_empty.skel.h: $(OUT)/bench_empty.bpf.o
	$(call SKEL_RECIPE,bench_empty)

$(OUT)/tc_cost: tests/bench/tc_cost.c bpf/lnwatch.h $(SKEL) $(OUT)/bench_empty.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $< $(LDLIBS) -o $@

$(OUT)/bench_floor: tests/bench/floor.c $(OUT)/bench_empty.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $< $(LDLIBS) -o $@

$(OUT)/blast: tests/bench/blast.c tests/testutil.h | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(WARN) -Itests $< -o $@

bench-build: $(OUT)/tc_cost $(OUT)/bench_floor $(OUT)/blast $(OUT)/lnwatch $(OUT)/pktgen

# `sudo make bench`: installs what is missing, builds, runs every section
# (tests/bench/bench.sh); prints one table, writes $(OUT)/bench.json.
# BENCH_ARGS: e.g. '-r 3 -q' for a quick pass (see bench.sh -h).
.PHONY: bench bench-scale bench-soak
bench: deps
	$(Q)$(MAKE) --no-print-directory bench-build
	$(Q)OUT=$(OUT) tests/bench/bench.sh $(BENCH_ARGS)
	$(Q)OUT=$(OUT) tests/bench/metrics_cost.sh
	$(Q)OUT=$(OUT) tests/bench/scale.sh $(SCALE_ARGS)
	$(Q)OUT=$(OUT) tests/bench/soak.sh -t $(SOAK_SECONDS)

# The loader's CPU per --metrics scrape with 300 interfaces, beside the
# same time unscraped (tests/bench/metrics_cost.sh; $(OUT)/bench_metrics.json).
.PHONY: bench-metrics
bench-metrics: deps
	$(Q)$(MAKE) --no-print-directory bench-build
	$(Q)OUT=$(OUT) tests/bench/metrics_cost.sh

# Thousands of interfaces (issue 13): start-up, stop, RSS, fds; rows in
# $(OUT)/bench_scale.json. SCALE_ARGS: e.g. '-n 1000 -r 1' (scale.sh -h).
bench-scale: deps
	$(Q)$(MAKE) --no-print-directory bench-build
	$(Q)OUT=$(OUT) tests/bench/scale.sh $(SCALE_ARGS)

# The soak (issue 13), 30 minutes unless SOAK_SECONDS says; samples in
# $(OUT)/soak.csv. `sudo make bench-soak SOAK_SECONDS=300`.
SOAK_SECONDS ?= 1800
bench-soak: deps
	$(Q)$(MAKE) --no-print-directory bench-build
	$(Q)OUT=$(OUT) tests/bench/soak.sh -t $(SOAK_SECONDS)

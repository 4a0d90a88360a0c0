// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tc_cost: what lnw_tc_ingress costs per packet, next to an empty tc
 * program (the floor: BPF_PROG_TEST_RUN's own loop). Crafted frames go
 * through BPF_PROG_TEST_RUN with a large repeat count; the programs are
 * loaded, never attached. Programs alternate within each round so that a
 * slow spell of the machine hits all of them alike. Each run is timed by
 * the wall clock around the syscall (the kernel's opts.duration is a whole
 * number of ns: too coarse for a 15 ns program); the ratio to the floor
 * is taken per round, then its min and median over the rounds.
 *
 * lnwatch is loaded with rate_per_flow = 1, as a flood would find it. The
 * tc program never reads it: it counts `seen` and fills the per-CPU slot,
 * and never emits an event (the verdict programs do, on the tracepoints;
 * tests/bench/bench.sh times those on live traffic). So there is no
 * "matching, event emitted" case here: it would be the matching case.
 *
 * usage: tc_cost [-n REPEAT] [-r ROUNDS] [-o JSON]
 * Prints a table; writes the same numbers as JSON (default
 * build/bench-tc.json). Exit status 0, or 1 on any error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lnwatch.h"
#include "lnwatch.skel.h"
#include "bench_empty.skel.h"
#include "testutil.h"

#define TC_PASS ((__u32)-1) /* TC_ACT_UNSPEC: what every program returns */
#define MAX_ROUNDS 1000
#define MAX_CPUS 4096
#define FRAME_MAX 64

struct bench_case {
	const char *name;
	const char *saddr, *daddr;
	bool vlan;    /* one 802.1Q tag before the IPv4 header */
	bool counted; /* lnw_tc_ingress counts it in the "counters" map */
};

static const struct bench_case cases[] = {
	{ "non-matching", "10.0.0.2", "10.0.0.1", false, false },
	{ "matching", "10.0.0.2", "127.0.0.1", false, true },
	{ "matching-vlan", "10.0.0.2", "127.0.0.1", true, true },
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

enum { P_EMPTY, P_LNW, P_COMPAT, N_PROGS };
static const char *const prog_names[N_PROGS] = {
	"empty", "lnw_tc_ingress", "lnw_tc_ingress_compat",
};

struct result {
	double ns[MAX_ROUNDS];    /* wall-clock ns per run, each round */
	double ratio[MAX_ROUNDS]; /* ns / the floor's ns, same round */
	double min, median;       /* of ns */
	double rmin, rmedian;     /* of ratio */
};

static struct result results[N_CASES][N_PROGS];
/* The empty program again, with the kernel's run-time statistics on: what
 * `lnwatch --overhead` (and tests/bench/floor) add to every run they time. */
static struct result stats_on, stats_off;

/* Ethernet [+ 802.1Q] + IPv4 + UDP + 8 bytes, as tests/e2e/pktgen sends. */
static int build_frame(const struct bench_case *c, __u8 *f, __u32 *len)
{
	static const __u8 macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	__u32 off = 12, sa, da;
	__u8 *ip, *udp;

	if (inet_pton(AF_INET, c->saddr, &sa) != 1 ||
	    inet_pton(AF_INET, c->daddr, &da) != 1)
		return -EINVAL;
	memset(f, 0, FRAME_MAX);
	memcpy(f, macs, sizeof(macs));
	if (c->vlan) {
		f[off] = 0x81; f[off + 1] = 0x00;     /* TPID 802.1Q */
		f[off + 2] = 0x00; f[off + 3] = 100;  /* VLAN id 100 */
		off += 4;
	}
	f[off] = 0x08; f[off + 1] = 0x00;             /* IPv4 */
	ip = f + off + 2;
	udp = ip + 20;
	ip[0] = 0x45;
	ip[3] = 20 + 8 + 8;                           /* tot_len */
	ip[8] = 64;                                   /* ttl */
	ip[9] = 17;                                   /* UDP */
	memcpy(ip + 12, &sa, 4);
	memcpy(ip + 16, &da, 4);
	udp[0] = 40000 >> 8; udp[1] = 40000 & 0xff;   /* sport */
	udp[2] = 5001 >> 8; udp[3] = 5001 & 0xff;     /* dport */
	udp[5] = 8 + 8;                               /* len; checksum 0 */
	memcpy(udp + 8, "lnwatch!", 8);
	*len = (__u32)(udp + 16 - f);
	return 0;
}

static double mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

#define SLICES 10 /* a round's runs, in slices: the fastest slice counts */

/* REPEAT runs in SLICES test runs; *ns: wall-clock ns per run of the
 * fastest slice (a slice that another task or an interrupt stretched
 * says nothing about the program). */
static int time_prog(struct bpf_program *prog, const __u8 *frame, __u32 len,
		     __u32 repeat, double *ns)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame,
		.data_size_in = len,
		.repeat = repeat / SLICES ? repeat / SLICES : 1,
	);
	double t0, best = 0;
	int i;

	for (i = 0; i < SLICES; i++) {
		t0 = mono_ns();
		if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts))
			return -errno;
		t0 = (mono_ns() - t0) / opts.repeat;
		if (!i || t0 < best)
			best = t0;
		if (opts.retval != TC_PASS)
			return -EPROTO; /* not the program we meant to measure */
	}
	*ns = best;
	return 0;
}

/* Packets in the "counters" map and the "counters_hot" array, summed over
 * keys and CPUs. */
static __u64 counted_packets(struct lnwatch_bpf *skel, int ncpus)
{
	static struct lnw_counter_val percpu[MAX_CPUS];
	static struct lnw_hot_counter hot[MAX_CPUS];
	int fd = bpf_map__fd(skel->maps.counters), c;
	struct lnw_counter_key k, prev, *p = NULL;
	__u64 sum = 0;
	__u32 idx;

	while (!bpf_map_get_next_key(fd, p, &k)) {
		if (!bpf_map_lookup_elem(fd, &k, percpu))
			for (c = 0; c < ncpus; c++)
				sum += percpu[c].packets;
		prev = k;
		p = &prev;
	}
	fd = bpf_map__fd(skel->maps.counters_hot);
	for (idx = 0; idx < LNW_HOT_SLOTS; idx++)
		if (!bpf_map_lookup_elem(fd, &idx, hot))
			for (c = 0; c < ncpus; c++)
				sum += hot[c].used ? hot[c].val.packets : 0;
	return sum;
}

static void clear_counters(struct lnwatch_bpf *skel)
{
	static struct lnw_hot_counter zero[MAX_CPUS];
	int fd = bpf_map__fd(skel->maps.counters);
	struct lnw_counter_key k;
	__u32 idx;

	while (!bpf_map_get_next_key(fd, NULL, &k) && !bpf_map_delete_elem(fd, &k))
		;
	fd = bpf_map__fd(skel->maps.counters_hot);
	for (idx = 0; idx < LNW_HOT_SLOTS; idx++)
		bpf_map_update_elem(fd, &idx, zero, BPF_ANY);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void min_median(const double *v, int n, double *min, double *median)
{
	double sorted[MAX_ROUNDS];

	memcpy(sorted, v, n * sizeof(sorted[0]));
	qsort(sorted, n, sizeof(sorted[0]), cmp_double);
	*min = sorted[0];
	*median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static void summarize(struct result *r, const struct result *floor, int rounds)
{
	int i;

	for (i = 0; i < rounds; i++)
		r->ratio[i] = floor->ns[i] > 0 ? r->ns[i] / floor->ns[i] : 0;
	min_median(r->ns, rounds, &r->min, &r->median);
	min_median(r->ratio, rounds, &r->rmin, &r->rmedian);
}

/* Every round runs each program once; the first one rotates per round. */
static int run_case(size_t ci, struct bpf_program *progs[N_PROGS],
		    struct lnwatch_bpf *skel, int ncpus, __u32 repeat, int rounds)
{
	const struct bench_case *c = &cases[ci];
	__u64 per = repeat / SLICES ? repeat / SLICES : 1;
	__u64 want = c->counted ? 2ULL * rounds * SLICES * per : 0, got;
	__u8 frame[FRAME_MAX];
	__u32 len;
	int r, k, p, err;

	err = build_frame(c, frame, &len);
	if (err)
		return err;
	clear_counters(skel);
	for (r = 0; r < rounds; r++)
		for (k = 0; k < N_PROGS; k++) {
			p = (r + k) % N_PROGS;
			err = time_prog(progs[p], frame, len, repeat,
					&results[ci][p].ns[r]);
			if (err) {
				fprintf(stderr, "%s, %s: test run: %s\n", c->name,
					prog_names[p], strerror(-err));
				return err;
			}
		}
	/* The case must take the path it is named after. */
	got = counted_packets(skel, ncpus);
	if (got != want) {
		fprintf(stderr, "%s: %llu packets counted, want %llu\n", c->name,
			(unsigned long long)got, (unsigned long long)want);
		return -EPROTO;
	}
	for (p = 0; p < N_PROGS; p++)
		summarize(&results[ci][p], &results[ci][P_EMPTY], rounds);
	return 0;
}

static void print_table(void)
{
	size_t ci;
	int p;

	printf("%-14s %-22s %7s %7s %9s %9s\n", "case", "program", "min ns",
	       "med ns", "min x", "median x");
	for (ci = 0; ci < N_CASES; ci++)
		for (p = 0; p < N_PROGS; p++)
			printf("%-14s %-22s %7.1f %7.1f %9.2f %9.2f\n", cases[ci].name,
			       prog_names[p], results[ci][p].min,
			       results[ci][p].median, results[ci][p].rmin,
			       results[ci][p].rmedian);
	printf("(udp 10.0.0.2 > 10.0.0.1 | > 127.0.0.1 | 802.1Q > 127.0.0.1; x: ns "
	       "per run / the empty program's in the same round; lnwatch loaded "
	       "with rate 1: the tc program never emits events)\n");
}

/* Names are the constants above: nothing in them needs JSON escaping. */
static int write_json(const char *path, __u32 repeat, int rounds, int cpu,
		      int stats_enabled)
{
	struct utsname u;
	size_t ci;
	int p, r;
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	uname(&u);
	fprintf(f, "{\"bench\":\"tc_cost\",\"kernel\":\"%s\",\"repeat\":%u,"
		"\"rounds\":%d,\"cpu\":%d,\"bpf_stats_enabled\":%d,"
		"\"rate_per_flow\":1,\"tc_emits_events\":false,"
		"\"unit\":\"ns per run (wall clock)\",\"cases\":[", u.release,
		repeat, rounds, cpu, stats_enabled);
	for (ci = 0; ci < N_CASES; ci++) {
		fprintf(f, "%s{\"case\":\"%s\",\"programs\":[", ci ? "," : "",
			cases[ci].name);
		for (p = 0; p < N_PROGS; p++) {
			const struct result *res = &results[ci][p];

			fprintf(f, "%s{\"program\":\"%s\",\"min\":%.2f,"
				"\"median\":%.2f,\"ratio_min\":%.3f,"
				"\"ratio_median\":%.3f,\"runs\":[",
				p ? "," : "", prog_names[p], res->min,
				res->median, res->rmin, res->rmedian);
			for (r = 0; r < rounds; r++)
				fprintf(f, "%s%.2f", r ? "," : "", res->ns[r]);
			fprintf(f, "],\"ratios\":[");
			for (r = 0; r < rounds; r++)
				fprintf(f, "%s%.3f", r ? "," : "", res->ratio[r]);
			fprintf(f, "]}");
		}
		fprintf(f, "]}");
	}
	fprintf(f, "],\"stats_overhead\":{\"program\":\"empty\",\"off_median\":%.2f,"
		"\"on_median\":%.2f,\"ns_per_run\":%.2f}}\n", stats_off.median,
		stats_on.median, stats_on.median - stats_off.median);
	return fclose(f) ? -errno : 0;
}

/* The floor with BPF_ENABLE_STATS held (an fd: off again when closed,
 * kernel.bpf_stats_enabled untouched) and without, alternating. */
static int measure_stats_overhead(struct bpf_program *floor, __u32 repeat,
				  int rounds)
{
	__u8 frame[FRAME_MAX];
	__u32 len;
	int r, fd, err;

	err = build_frame(&cases[0], frame, &len);
	for (r = 0; !err && r < rounds; r++) {
		err = time_prog(floor, frame, len, repeat, &stats_off.ns[r]);
		fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (fd < 0)
			return fd;
		if (!err)
			err = time_prog(floor, frame, len, repeat, &stats_on.ns[r]);
		close(fd);
	}
	if (err)
		return err;
	summarize(&stats_off, &stats_off, rounds);
	summarize(&stats_on, &stats_off, rounds);
	return 0;
}

/* Stats add two clock reads to every run: the numbers are not comparable. */
static int read_stats_enabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static int parse_u32(const char *s, unsigned long min, unsigned long max,
		     __u32 *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || !*s || *end || *s == '-' || v < min || v > max)
		return -1;
	*out = (__u32)v;
	return 0;
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [-n REPEAT] [-r ROUNDS (>= 5)] [-o JSON]\n",
		argv0);
	exit(1);
}

int main(int argc, char **argv)
{
	const char *json = "build/bench-tc.json";
	struct bpf_program *progs[N_PROGS];
	struct lnwatch_bpf *skel = NULL;
	struct bench_empty *empty = NULL;
	__u32 repeat = 1000000, rounds = 15;
	struct stat st;
	int opt, cpu, ncpus, stats, err = -EINVAL;
	size_t ci;

	while ((opt = getopt(argc, argv, "n:r:o:")) != -1) {
		switch (opt) {
		case 'n':
			if (parse_u32(optarg, 1, UINT32_MAX, &repeat))
				usage(argv[0]);
			break;
		case 'r':
			if (parse_u32(optarg, 5, MAX_ROUNDS, &rounds))
				usage(argv[0]);
			break;
		case 'o':
			json = optarg;
			break;
		default:
			usage(argv[0]);
		}
	}
	if (optind != argc)
		usage(argv[0]);
	libbpf_set_print(libbpf_quiet);
	ncpus = libbpf_num_possible_cpus();
	cpu = pin_cpu(); /* per-CPU maps and caches: stay on one CPU */
	if (ncpus <= 0 || ncpus > MAX_CPUS || cpu < 0 ||
	    stat("/proc/self/ns/net", &st)) {
		fprintf(stderr, "setup: cpus %d, cpu %d: %s\n", ncpus, cpu,
			strerror(errno));
		return 1;
	}
	stats = read_stats_enabled();
	if (stats > 0)
		fprintf(stderr, "warning: kernel.bpf_stats_enabled=%d inflates every "
			"number below\n", stats);

	skel = lnwatch_bpf__open();
	empty = bench_empty__open();
	if (empty) {
		/* only the tc floor runs here: the tracepoint ones need not load */
		bpf_program__set_autoload(empty->progs.floor_kfree, false);
		bpf_program__set_autoload(empty->progs.floor_fib, false);
		bpf_program__set_autoload(empty->progs.floor_sk, false);
		if (bench_empty__load(empty)) {
			bench_empty__destroy(empty);
			empty = NULL;
		}
	}
	if (!skel || !empty) {
		fprintf(stderr, "open: %s\n", strerror(errno));
		goto out;
	}
	skel->rodata->own_netns = (__u32)st.st_ino;
	skel->rodata->rl_devconf_idx = 25;
	skel->rodata->rate_per_flow = 1; /* a flood's setting; tc ignores it */
	/* its type is set by the loader (libbpf 1.1 cannot tell it): not here */
	bpf_program__set_autoload(skel->progs.lnw_nf, false);
	err = lnwatch_bpf__load(skel);
	if (err) {
		fprintf(stderr, "load lnwatch: %s\n", strerror(-err));
		goto out;
	}
	progs[P_EMPTY] = empty->progs.floor_tc;
	progs[P_LNW] = skel->progs.lnw_tc_ingress;
	progs[P_COMPAT] = skel->progs.lnw_tc_ingress_compat;

	for (ci = 0; ci < N_CASES; ci++) {
		err = run_case(ci, progs, skel, ncpus, repeat, (int)rounds);
		if (err)
			goto out;
	}
	if (stats <= 0) {
		err = measure_stats_overhead(progs[P_EMPTY], repeat, (int)rounds);
		if (err) {
			fprintf(stderr, "stats overhead: %s\n", strerror(-err));
			goto out;
		}
	}
	printf("tc test_run, %u runs x %u rounds per program, cpu %d\n",
	       repeat, rounds, cpu);
	print_table();
	printf("kernel BPF run-time stats (lnwatch --overhead) add %.1f ns to every "
	       "run (the empty program: %.1f -> %.1f ns)\n",
	       stats_on.median - stats_off.median, stats_off.median, stats_on.median);
	err = write_json(json, repeat, (int)rounds, cpu, stats);
	if (err)
		fprintf(stderr, "%s: %s\n", json, strerror(-err));
out:
	bench_empty__destroy(empty);
	lnwatch_bpf__destroy(skel);
	return err ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * floor: the do-nothing programs of empty.bpf.c, attached where lnwatch
 * attaches (tcx ingress of IFACE; tp_btf kfree_skb, fib_table_lookup,
 * sk_data_ready). With -s, the kernel's run-time statistics are on while
 * it runs (BPF_ENABLE_STATS: an fd, so off again when the last holder
 * exits; the sysctl kernel.bpf_stats_enabled is not touched): beside
 * `lnwatch --overhead`, both sets are timed on the same packets, and
 * lnwatch's ns per run over the floor's is its cost over the hook's own.
 * Without -s, alone, it is what merely having a program on those hooks
 * costs the packet path (-H picks the hooks: which hook costs what).
 *
 * usage: floor [-s] [-H tc,kfree_skb,fib_table_lookup,sk_data_ready]
 *              IFACE READY_FILE
 * Creates READY_FILE once attached; on SIGINT/SIGTERM prints one JSON
 * line {"floor":[{"prog":..,"run_cnt":..,"run_time_ns":..},...]}, detaches
 * and exits 0 (1 on an error, 2 on bad arguments).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bench_empty.skel.h"

#define BPF_TCX_INGRESS_ 46 /* UAPI value (Linux 6.6); Debian 12's headers predate it */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static bool has_hook(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ',') && (p[len] == ',' || !p[len]))
			return true;
		p += len;
	}
	return false;
}

int main(int argc, char **argv)
{
	static const char *const tps[3] = { "kfree_skb", "fib_table_lookup", "sk_data_ready" };
	struct bench_empty *skel;
	struct bpf_program *prog, *tp_progs[3];
	struct bpf_link *links[3] = {};
	const char *hooks = "tc,kfree_skb,fib_table_lookup,sk_data_ready";
	int ifindex, tcx_fd = -1, stats_fd = -1, fd, ret = 1, n = 0, opt;
	bool stats = false;
	const char *sep = "";

	while ((opt = getopt(argc, argv, "sH:")) != -1) {
		if (opt == 's')
			stats = true;
		else if (opt == 'H')
			hooks = optarg;
		else
			goto usage;
	}
	if (argc - optind != 2) {
usage:
		fprintf(stderr, "usage: %s [-s] [-H tc,kfree_skb,fib_table_lookup,"
			"sk_data_ready] IFACE READY_FILE\n", argv[0]);
		return 2;
	}
	argv += optind - 1;
	libbpf_set_print(libbpf_quiet);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	ifindex = (int)if_nametoindex(argv[1]);
	if (!ifindex) {
		fprintf(stderr, "floor: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	skel = bench_empty__open_and_load();
	if (!skel) {
		fprintf(stderr, "floor: load: %s\n", strerror(errno));
		return 1;
	}
	if (stats) {
		stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (stats_fd < 0) {
			fprintf(stderr, "floor: BPF_ENABLE_STATS: %s\n", strerror(-stats_fd));
			goto out;
		}
	}
	if (has_hook(hooks, "tc")) {
		tcx_fd = bpf_link_create(bpf_program__fd(skel->progs.floor_tc),
					 ifindex, BPF_TCX_INGRESS_, NULL);
		if (tcx_fd < 0) {
			fprintf(stderr, "floor: tcx attach %s: %s\n", argv[1],
				strerror(-tcx_fd));
			goto out;
		}
	}
	tp_progs[0] = skel->progs.floor_kfree;
	tp_progs[1] = skel->progs.floor_fib;
	tp_progs[2] = skel->progs.floor_sk;
	for (n = 0; n < 3; n++) {
		if (!has_hook(hooks, tps[n]))
			continue;
		links[n] = bpf_program__attach(tp_progs[n]);
		if (!links[n]) {
			fprintf(stderr, "floor: attach %s: %s\n", tps[n], strerror(errno));
			goto out;
		}
	}
	n = 0;
	fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "floor: %s: %s\n", argv[2], strerror(errno));
		goto out;
	}
	close(fd);
	while (!stop)
		pause();
	/* detach first: the numbers are final once nothing runs them */
	if (tcx_fd >= 0)
		close(tcx_fd);
	tcx_fd = -1;
	printf("{\"floor\":[");
	bpf_object__for_each_program(prog, skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			continue;
		printf("%s{\"prog\":\"%s\",\"run_cnt\":%llu,\"run_time_ns\":%llu}", sep,
		       bpf_program__name(prog), (unsigned long long)info.run_cnt,
		       (unsigned long long)info.run_time_ns);
		sep = ",";
		n++;
	}
	printf("]}\n");
	ret = n == 4 ? 0 : 1;
out:
	for (n = 0; n < 3; n++)
		bpf_link__destroy(links[n]);
	if (tcx_fd >= 0)
		close(tcx_fd);
	if (stats_fd >= 0)
		close(stats_fd);
	bench_empty__destroy(skel);
	return ret;
}

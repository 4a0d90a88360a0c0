// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * One scrape's body: every family from the same sums the summary prints
 * (counters.c), the loop's published state (metrics.h) and the flags as
 * they are now. Runs on the exporter's thread: reads the BPF maps and
 * /proc/sys, never the loop's own structures.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lib/prom.h"
#include "lib/sysctl.h"
#include "lib/text.h"
#include "lib/util.h"
#include "counters.h"
#include "summary.h"
#include "verdict.h"
#include "app.h"
#include "metrics.h"
#include "lnwatch.skel.h"

#define FOLDED LNW_METRICS_FOLDED /* metrics.h */

/* What the cap folded, per family, for lnwatch_metrics_series_folded. */
struct folded {
	unsigned long long counters, route_localnet;
};

static int series_cmp(const void *a, const void *b)
{
	const struct lnw_counter_series *x = a, *y = b;
	int c;

	if ((c = strcmp(x->netns, y->netns)) || (c = strcmp(x->ifname, y->ifname)))
		return c;
	if (x->verdict != y->verdict)
		return x->verdict < y->verdict ? -1 : 1;
	return strcmp(x->reason, y->reason);
}

/* Rows as the summary names them, as series: sorted, and rows whose
 * labels are the same (a device deleted is if<index>, as one named so
 * may be) summed into one, since a series may appear once. */
static int counter_series(const struct lnw_app *app, struct lnw_counter_series **out,
			  size_t *n_out)
{
	struct lnw_counter_row *rows;
	struct lnw_counter_series *s;
	size_t n, i;
	int ret;

	*out = NULL;
	*n_out = 0;
	ret = lnw_app_counter_rows(app, &rows, &n);
	if (ret || !n)
		return ret;
	s = calloc(n, sizeof(*s));
	if (!s) {
		free(rows);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		snprintf(s[i].netns, sizeof(s[i].netns), "%u", rows[i].key.netns);
		snprintf(s[i].ifname, sizeof(s[i].ifname), "%s", rows[i].ifname);
		s[i].verdict = rows[i].key.verdict;
		if (rows[i].reason)
			snprintf(s[i].reason, sizeof(s[i].reason), "%s", rows[i].reason);
		else if (rows[i].key.reason) /* one the kernel has no name for */
			snprintf(s[i].reason, sizeof(s[i].reason), "%u", rows[i].key.reason);
		s[i].packets = rows[i].val.packets;
		s[i].bytes = rows[i].val.bytes;
	}
	free(rows);
	*out = s;
	*n_out = lnw_metrics_merge_series(s, n);
	return 0;
}

size_t lnw_metrics_merge_series(struct lnw_counter_series *s, size_t n)
{
	size_t i, k = 0;

	if (n)
		qsort(s, n, sizeof(*s), series_cmp);
	for (i = 0; i < n; i++) {
		if (k && !series_cmp(&s[k - 1], &s[i])) {
			s[k - 1].packets += s[i].packets;
			s[k - 1].bytes += s[i].bytes;
		} else {
			s[k++] = s[i];
		}
	}
	return k;
}

size_t lnw_metrics_counter_family(FILE *f, const char *name, const char *help,
				  const struct lnw_counter_series *s, size_t n,
				  bool bytes, size_t cap)
{
	unsigned long long folded[LNW_VERDICT_MAX] = {};
	bool any[LNW_VERDICT_MAX] = {};
	struct lnw_prom_label l[4] = {
		{ "netns", NULL }, { "ifname", NULL }, { "verdict", NULL }, { "reason", NULL },
	};
	size_t i;

	lnw_prom_family(f, name, "counter", help);
	for (i = 0; i < n; i++) {
		unsigned long long v = bytes ? s[i].bytes : s[i].packets;

		if (i >= cap && s[i].verdict < LNW_VERDICT_MAX) {
			folded[s[i].verdict] += v;
			any[s[i].verdict] = true;
			continue;
		}
		l[0].value = s[i].netns;
		l[1].value = s[i].ifname;
		l[2].value = lnw_verdict_name(s[i].verdict);
		l[3].value = s[i].reason;
		lnw_prom_sample_u64(f, name, l, 4, v);
	}
	for (i = 0; i < LNW_VERDICT_MAX; i++) {
		if (!any[i])
			continue;
		l[0].value = l[1].value = l[3].value = FOLDED;
		l[2].value = lnw_verdict_name((unsigned int)i);
		lnw_prom_sample_u64(f, name, l, 4, folded[i]);
	}
	return n > cap ? n - cap : 0;
}

static int render_counters(FILE *f, const struct lnw_app *app, struct folded *fo)
{
	struct lnw_counter_series *s;
	size_t n;
	int ret = counter_series(app, &s, &n);

	if (ret)
		return ret;
	fo->counters = lnw_metrics_counter_family(f, "lnwatch_packets_total", "Packets "
		"to or from 127.0.0.0/8 on a non-loopback interface, by verdict (exact "
		"per-CPU sums, as the summary)", s, n, false, LNW_METRICS_MAX_SERIES);
	lnw_metrics_counter_family(f, "lnwatch_bytes_total", "Their bytes (IP length), "
		"as lnwatch_packets_total", s, n, true, LNW_METRICS_MAX_SERIES);
	free(s);
	return 0;
}

static void counter1(FILE *f, const char *name, const char *help, unsigned long long v)
{
	lnw_prom_family(f, name, "counter", help);
	lnw_prom_sample_u64(f, name, NULL, 0, v);
}

static void render_stats(FILE *f, const struct lnw_app *app)
{
	int fd = bpf_map__fd(app->skel->maps.stats);

	counter1(f, "lnwatch_events_lost_total", "Events the ring buffer had no room "
		 "for (counters stay exact)", lnw_stat_read(fd, LNW_STAT_RB_LOST));
	counter1(f, "lnwatch_events_rate_limited_total", "Events held back by the "
		 "per-flow rate limit (-r; counters stay exact)",
		 lnw_app_rate_limited(app));
	/* the summary's counter_overflow; promtool's lint refuses "_counter_"
	 * in a counter's name */
	counter1(f, "lnwatch_packets_uncounted_total", "Packets not counted: the "
		 "counter map was full (the summary's counter_overflow)",
		 lnw_stat_read(fd, LNW_STAT_CNT_FULL));
	/* with -i, a martian on another device is expected to be unseen */
	if (!app->opts.n_ifaces)
		counter1(f, "lnwatch_tc_missed_total", "Packets to or from 127/8 "
			 "or ::1 dropped here that never crossed lnwatch's tc program (another program ahead "
			 "hides packets)", lnw_stat_read(fd, LNW_STAT_TC_MISSED));
}

/* route_localnet now, read afresh: 1, 0, or NaN when it cannot be read. */
static void flag_sample(FILE *f, const char *netns, const char *dir,
			const char *ifname, const char *scope)
{
	const struct lnw_prom_label l[] = {
		{ "netns", netns }, { "ifname", ifname }, { "scope", scope },
	};
	int v;

	lnw_prom_sample_double(f, "lnwatch_route_localnet", l, 3,
			       lnw_conf_read(dir, LNW_CONF_ROUTE_LOCALNET, &v) ? NAN :
			       v ? 1 : 0);
}

static void render_flags(FILE *f, const struct lnw_app *app,
			 const struct lnw_metrics_view *v, struct folded *fo)
{
	char netns[24];
	size_t i, n = v->n_devs < LNW_METRICS_MAX_SERIES ? v->n_devs : LNW_METRICS_MAX_SERIES;

	snprintf(netns, sizeof(netns), "%u", app->netns_ino);
	lnw_prom_family(f, "lnwatch_route_localnet", "gauge", "net.ipv4.conf.*."
			"route_localnet now in the watched namespace: scope all and "
			"default, and each watched device's own (the kernel acts on "
			"all OR device); NaN: unreadable");
	flag_sample(f, netns, "all", "all", "all");
	flag_sample(f, netns, "default", "default", "default");
	for (i = 0; i < n; i++)
		flag_sample(f, netns, v->devs[i].ifname, v->devs[i].ifname, "device");
	fo->route_localnet = v->n_devs - n;
	counter1(f, "lnwatch_flag_changes_total", "route_localnet changes seen "
		 "(written through /proc/sys, or found by the periodic read)",
		 v->flag_changes);
	lnw_prom_family(f, "lnwatch_route_hooks_attached", "gauge", "1 while the "
			"route hooks that see accepted packets are attached (route_"
			"localnet on somewhere, or --route-hooks-always)");
	lnw_prom_sample_u64(f, "lnwatch_route_hooks_attached", NULL, 0, v->hooks_attached);
}

/* One series of lnwatch_exposures_observed_total: the summary's entries
 * without their source address, so sources of one service add up. */
struct exposure_series {
	char netns[24], ifname[LNW_IFNAMSIZ], proto[8], service[32], comm[16];
	unsigned long long packets;
};

static int exposure_cmp(const void *a, const void *b)
{
	const struct exposure_series *x = a, *y = b;
	int c;

	if ((c = strcmp(x->netns, y->netns)) || (c = strcmp(x->ifname, y->ifname)) ||
	    (c = strcmp(x->proto, y->proto)) || (c = strcmp(x->service, y->service)))
		return c;
	return strcmp(x->comm, y->comm);
}

static void render_exposures(FILE *f, const struct lnw_app *app,
			     const struct lnw_metrics_view *v)
{
	struct exposure_series s[LNW_MAX_EXPOSURES];
	char pbuf[8];
	int fd = bpf_map__fd(app->skel->maps.exposure_pkts);
	struct lnw_prom_label l[5] = {
		{ "netns", NULL }, { "ifname", NULL }, { "proto", NULL },
		{ "service", NULL }, { "comm", NULL },
	};
	size_t i, k = 0;

	for (i = 0; i < v->n_exposures; i++) {
		const struct lnw_exposure *x = &v->exposures[i];
		/* exact from BPF, as the summary's; else what its events said */
		unsigned long long n = lnw_percpu_read(fd, &x->key);

		memset(&s[i], 0, sizeof(s[i]));
		snprintf(s[i].netns, sizeof(s[i].netns), "%u", x->key.netns);
		snprintf(s[i].ifname, sizeof(s[i].ifname), "%s", x->ifname);
		snprintf(s[i].proto, sizeof(s[i].proto), "%s",
			 lnw_proto_name(x->key.proto, pbuf, sizeof(pbuf)));
		lnw_format_addr(s[i].service, sizeof(s[i].service), x->key.sock_addr,
				x->key.sock_port, x->key.proto);
		snprintf(s[i].comm, sizeof(s[i].comm), "%s", x->pid > 0 ? x->comm : "?");
		s[i].packets = n ? n : x->packets;
	}
	if (v->n_exposures)
		qsort(s, v->n_exposures, sizeof(s[0]), exposure_cmp);
	for (i = 0; i < v->n_exposures; i++) {
		if (k && !exposure_cmp(&s[k - 1], &s[i]))
			s[k - 1].packets += s[i].packets;
		else
			s[k++] = s[i];
	}
	lnw_prom_family(f, "lnwatch_exposures_observed_total", "counter", "Packets from "
			"a real interface delivered to a service bound to 127.0.0.0/8 "
			"(route_localnet) or reached through a DNAT of the host's 127/8 "
			"(dnat-exposed): loopback-only services reached from outside");
	for (i = 0; i < k; i++) {
		l[0].value = s[i].netns;
		l[1].value = s[i].ifname;
		l[2].value = s[i].proto;
		l[3].value = s[i].service;
		l[4].value = s[i].comm;
		lnw_prom_sample_u64(f, "lnwatch_exposures_observed_total", l, 5, s[i].packets);
	}
}

static void render_overhead(FILE *f, const struct lnw_app *app)
{
	struct lnw_prog_cost costs[8];
	struct lnw_prom_label l = { "program", NULL };
	size_t i, n = lnw_app_prog_costs(app, costs, LNW_ARRAY_SIZE(costs));

	lnw_prom_family(f, "lnwatch_bpf_runs_total", "counter", "Runs of each BPF "
			"program (kernel BPF stats, --overhead)");
	for (i = 0; i < n; i++) {
		l.value = costs[i].name;
		lnw_prom_sample_u64(f, "lnwatch_bpf_runs_total", &l, 1, costs[i].run_cnt);
	}
	lnw_prom_family(f, "lnwatch_bpf_run_seconds_total", "counter", "Time spent "
			"in each BPF program (kernel BPF stats, --overhead)");
	for (i = 0; i < n; i++) {
		l.value = costs[i].name;
		lnw_prom_sample_double(f, "lnwatch_bpf_run_seconds_total", &l, 1,
				       (double)costs[i].run_time_ns / 1e9);
	}
}

static void render_build_info(FILE *f, const struct lnw_metrics_view *v)
{
	const struct lnw_prom_label l[] = {
		{ "version", v->version }, { "kernel", v->kernel }, { "attach", v->attach },
		{ "join", v->join }, { "reason", v->reason },
	};

	lnw_prom_family(f, "lnwatch_build_info", "gauge", "Always 1: lnwatch's "
			"version, the kernel, and the paths taken (tc attach, how "
			"ingress is joined to its verdict, where martian reasons come from)");
	lnw_prom_sample_u64(f, "lnwatch_build_info", l, LNW_ARRAY_SIZE(l), 1);
}

static void render_folded(FILE *f, const struct folded *fo)
{
	struct lnw_prom_label l = { "family", NULL };
	char help[160];

	snprintf(help, sizeof(help), "Series over the cap of %d a family: counters "
		 "summed per verdict into netns=\"" FOLDED "\", flags left out",
		 LNW_METRICS_MAX_SERIES);
	lnw_prom_family(f, "lnwatch_metrics_series_folded", "gauge", help);
	l.value = "lnwatch_packets_total";
	lnw_prom_sample_u64(f, "lnwatch_metrics_series_folded", &l, 1, fo->counters);
	l.value = "lnwatch_bytes_total";
	lnw_prom_sample_u64(f, "lnwatch_metrics_series_folded", &l, 1, fo->counters);
	l.value = "lnwatch_route_localnet";
	lnw_prom_sample_u64(f, "lnwatch_metrics_series_folded", &l, 1, fo->route_localnet);
}

int lnw_metrics_render(FILE *f, const struct lnw_app *app,
		       const struct lnw_metrics_view *v)
{
	struct folded fo = {};
	int ret;

	render_build_info(f, v);
	ret = render_counters(f, app, &fo);
	if (ret)
		return ret;
	render_stats(f, app);
	render_flags(f, app, v, &fo);
	render_exposures(f, app, v);
	if (app->stats_fd >= 0)
		render_overhead(f, app);
	render_folded(f, &fo);
	return ferror(f) ? -EIO : 0;
}

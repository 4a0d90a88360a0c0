// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* What the watch says about itself: paths, switches, flag changes, counters. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lib/json.h"
#include "lib/links.h"
#include "lib/links_all.h"
#include "lib/netns.h"
#include "lib/sysctl.h"
#include "lib/util.h"
#include "attach.h"
#include "counters.h"
#include "event_line.h"
#include "flag_events.h"
#include "events.h"
#include "iface_state.h"
#include "kernel.h"
#include "link_monitor.h"
#include "nf_hooks.h"
#include "options.h"
#include "ready_file.h"
#include "route_hooks.h"
#include "runtime.h"
#include "summary.h"
#include "watch.h"
#include "lnwatch.skel.h"
#include "app.h"

/* Say when tracing of accepted packets starts or stops, and why; at the
 * start, in JSON always, for a person only when it waits for the flag. */
void lnw_app_report_route_hooks(const struct lnw_app *app, bool initial)
{
	const struct lnw_route_hooks *h = &app->hooks;

	if (app->opts.json)
		lnw_json_emit(stdout, lnw_hooks_json(h->attached, h->why));
	else if (h->attached && !initial)
		fprintf(stderr, "lnwatch: route_localnet is on (%s): tracing "
			"accepted packets\n", h->why);
	else if (!h->attached && h->mode == LNW_HOOKS_AUTO)
		fprintf(stderr, "lnwatch: route_localnet off on every watched "
			"device: only martians for now\n");
}

/* Where route_localnet is already on at the start, in this namespace. */
void lnw_app_report_route_localnet_on(const struct lnw_app *app)
{
	const char **on = calloc((size_t)app->tc.n + 2, sizeof(*on));
	size_t n = 0;
	int i, v;

	if (!on)
		return;
	if (lnw_route_hooks_flag(&app->hooks, 0, "all") == 1)
		on[n++] = "all";
	if (!lnw_conf_read("default", LNW_CONF_ROUTE_LOCALNET, &v) && v == 1)
		on[n++] = "default";
	for (i = 0; i < app->tc.n; i++)
		if (lnw_route_hooks_flag(&app->hooks, app->tc.atts[i].ifindex,
					 app->tc.atts[i].ifname) == 1)
			on[n++] = app->tc.atts[i].ifname;
	lnw_route_localnet_report(stdout, stderr, app->opts.json, on, n);
	free(on);
}

const char *lnw_app_join_path(const struct lnw_app *app)
{
	return lnw_app_tc_program(app, false) == app->skel->progs.lnw_tc_ingress ? "skb" : "addr";
}

const char *lnw_app_reason_path(const struct lnw_app *app)
{
	return app->kernel.has_localnet_reason &&
	       !(app->opts.fallbacks & LNW_FB_INFER) ? "kernel" : "inferred";
}

/* How drop locations are named: by the kernel (%pS), or from kallsyms. */
const char *lnw_app_location_path(const struct lnw_app *app)
{
	return bpf_program__autoload(app->skel->progs.lnw_ksym) ? "kernel" : "kallsyms";
}

size_t lnw_app_prog_costs(const struct lnw_app *app, struct lnw_prog_cost *out,
			  size_t max)
{
	struct bpf_program *prog;
	size_t n = 0;

	bpf_object__for_each_program(prog, app->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		/* lnw_ksym runs only when asked to name an address */
		if (n == max || !bpf_program__autoload(prog) ||
		    prog == app->skel->progs.lnw_ksym ||
		    bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			continue;
		out[n].name = bpf_program__name(prog);
		out[n].run_cnt = info.run_cnt;
		out[n].run_time_ns = info.run_time_ns;
		n++;
	}
	return n;
}

void lnw_app_name_rows(const struct lnw_app *app, struct lnw_counter_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct lnw_counter_row *r = &rows[i];

		r->reason = r->key.reason ? lnw_drop_reason_name(&app->kernel, r->key.reason) : NULL;
		/* names from another namespace are not ours to look up */
		if (!r->key.ifindex) /* local-refused: no receiving device */
			snprintf(r->ifname, sizeof(r->ifname), "local");
		else if (i && r[-1].key.netns == r->key.netns && r[-1].key.ifindex == r->key.ifindex)
			memcpy(r->ifname, r[-1].ifname, sizeof(r->ifname)); /* sorted: one lookup a device */
		else if (r->key.netns != app->netns_ino ||
			 !if_indextoname(r->key.ifindex, r->ifname))
			snprintf(r->ifname, sizeof(r->ifname), "if%u", r->key.ifindex);
	}
}

int lnw_app_counter_rows(const struct lnw_app *app, struct lnw_counter_row **rows, size_t *n)
{
	int ret = lnw_counters_read(bpf_map__fd(app->skel->maps.counters),
				    bpf_map__fd(app->skel->maps.counters_hot), rows, n);

	if (!ret)
		lnw_app_name_rows(app, *rows, *n);
	return ret;
}

unsigned long long lnw_app_rate_limited(const struct lnw_app *app)
{
	return lnw_rate_limited_read(bpf_map__fd(app->skel->maps.stats),
				     bpf_map__fd(app->skel->maps.counters_hot));
}

/* Each observed exposure's packets, exactly as BPF counted them (its
 * events are rate-limited; the count is not). */
static void count_exposures(struct lnw_app *app)
{
	int fd = bpf_map__fd(app->skel->maps.exposure_pkts);
	size_t i;

	for (i = 0; i < app->events.exposures.n; i++) {
		struct lnw_exposure *x = &app->events.exposures.v[i];
		unsigned long long n = lnw_percpu_read(fd, &x->key);

		if (n)
			x->packets = n;
	}
}

/* The counters table: at the end ("summary"), and every -I ("interval"). */
void lnw_app_print_counters(struct lnw_app *app, const char *type)
{
	static unsigned long long latency[LNW_VERDICT_MAX][LNW_LAT_SLOTS];
	struct lnw_prog_cost costs[8];
	struct lnw_counter_row *rows = NULL;
	struct lnw_summary s = {
		.type = type,
		.elapsed_s = (double)(lnw_mono_ns() - app->start_ns) / 1e9,
		.attach = lnw_tc_set_kind_name(&app->tc),
		.join = lnw_app_join_path(app),
		.reason_path = lnw_app_reason_path(app),
		.delivery = bpf_program__autoload(app->skel->progs.lnw_sk_data_ready) ?
			    "sk_data_ready" : "none",
		.location = lnw_app_location_path(app),
		.route_hooks = lnw_route_hooks_mode_name(app->hooks.mode),
		.route_hooks_attached = app->hooks.attached,
		.route_hooks_switches = app->hooks.switches,
		.flag_changes = app->flags.changes,
		.flag_writes = app->flags.link ? "cgroup/sysctl" : "periodic-read",
		.exposures = app->events.exposures.v,
		.n_exposures = app->events.exposures.n,
		.filtered = app->opts.port || app->opts.src_mask || app->opts.verdict_mask,
	};
	int stats_fd = bpf_map__fd(app->skel->maps.stats);

	if (lnw_app_counter_rows(app, &rows, &s.n_rows))
		lnw_error(app->opts.json, "cannot read counters");
	s.rows = rows;
	count_exposures(app);
	s.lost_events = lnw_stat_read(stats_fd, LNW_STAT_RB_LOST);
	s.counter_overflow = lnw_stat_read(stats_fd, LNW_STAT_CNT_FULL);
	s.rate_limited = lnw_app_rate_limited(app);
	/* with -i, a martian on another device is expected to be unseen */
	if (!app->opts.n_ifaces)
		s.tc_missed = lnw_stat_read(stats_fd, LNW_STAT_TC_MISSED);
	if (app->opts.latency &&
	    !lnw_latency_read(bpf_map__fd(app->skel->maps.latency), latency))
		s.latency = latency;
	if (app->stats_fd >= 0) {
		s.progs = costs;
		s.n_progs = lnw_app_prog_costs(app, costs, LNW_ARRAY_SIZE(costs));
	}
	if (app->opts.json)
		lnw_json_emit(stdout, lnw_summary_json(&s));
	else
		lnw_summary_print(stdout, &s, app->opts.wide);
	fflush(stdout);
	free(rows);
}

void lnw_app_say_tc_missed(struct lnw_app *app)
{
	unsigned long long n;

	/* with -i, a packet on another device is expected to be unseen */
	if (app->tc_missed_said || app->opts.n_ifaces)
		return;
	n = lnw_stat_read(bpf_map__fd(app->skel->maps.stats), LNW_STAT_TC_MISSED);
	if (!n)
		return;
	app->tc_missed_said = true;
	fprintf(stderr, "lnwatch: WARNING: packets %s: %s\n", LNW_TC_MISSED_WHAT,
		LNW_TC_MISSED_WHY);
}

/* What the last read of the flags found changed, writer unknown (a write
 * through /proc/sys was said when it happened). */
void lnw_app_say_flag_changes(struct lnw_app *app)
{
	const struct lnw_route_hooks *h = &app->hooks;
	char name[IF_NAMESIZE];
	int i;

	for (i = 0; i < h->n_changes; i++) {
		const struct lnw_flag_change *c = &h->changes[i];

		if (!c->ifindex)
			snprintf(name, sizeof(name), "all");
		else if (!if_indextoname((unsigned int)c->ifindex, name))
			continue; /* gone meanwhile */
		lnw_flag_events_seen(&app->flags, app->netns_ino, name, !c->on, c->on);
	}
}

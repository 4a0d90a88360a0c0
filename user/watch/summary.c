// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The counters table, paths taken, exposures, latency and cost: at the end
 * of a run and every -I, for a person or as JSON. */
#include <stdio.h>
#include <string.h>

#include "lib/json.h"
#include "lib/text.h"
#include "summary.h"
#include "verdict.h"

#define NARROW_IFNAME 7
#define NARROW_REASON 18 /* the narrow table: 73 columns */
#define WIDE_REASON_MIN 12

/* {"accept":[{"from_ns":1024,"to_ns":2047,"count":3},...],...} */
static json_object *latency_json(const unsigned long long (*lat)[LNW_LAT_SLOTS])
{
	json_object *o = json_object_new_object();
	unsigned int v, b;

	for (v = 0; v < LNW_VERDICT_MAX; v++) {
		json_object *arr = NULL;

		for (b = 0; b < LNW_LAT_SLOTS; b++) {
			json_object *bucket;

			if (!lat[v][b])
				continue;
			if (!arr)
				arr = json_object_new_array();
			bucket = json_object_new_object();
			json_object_object_add(bucket, "from_ns", json_object_new_uint64(b ? 1ULL << b : 0));
			json_object_object_add(bucket, "to_ns", json_object_new_uint64((2ULL << b) - 1));
			json_object_object_add(bucket, "count", json_object_new_uint64(lat[v][b]));
			json_object_array_add(arr, bucket);
		}
		if (arr)
			json_object_object_add(o, lnw_verdict_name(v), arr);
	}
	return o;
}

static double ns_per_run(const struct lnw_prog_cost *p)
{
	return p->run_cnt ? (double)p->run_time_ns / (double)p->run_cnt : 0;
}

static json_object *overhead_json(const struct lnw_summary *s)
{
	json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < s->n_progs; i++) {
		json_object *p = json_object_new_object();

		json_object_object_add(p, "prog", json_object_new_string(s->progs[i].name));
		json_object_object_add(p, "run_cnt", json_object_new_uint64(s->progs[i].run_cnt));
		json_object_object_add(p, "run_time_ns", json_object_new_uint64(s->progs[i].run_time_ns));
		json_object_object_add(p, "ns_per_run", lnw_json_double(ns_per_run(&s->progs[i]), 1));
		json_object_array_add(arr, p);
	}
	return arr;
}

static void latency_print(FILE *f, const unsigned long long (*lat)[LNW_LAT_SLOTS])
{
	unsigned long long max;
	unsigned int v, b, lo, hi;

	for (v = 0; v < LNW_VERDICT_MAX; v++) {
		for (max = 0, lo = LNW_LAT_SLOTS, hi = 0, b = 0; b < LNW_LAT_SLOTS; b++) {
			if (!lat[v][b])
				continue;
			max = lat[v][b] > max ? lat[v][b] : max;
			lo = b < lo ? b : lo;
			hi = b;
		}
		if (!max)
			continue;
		fprintf(f, "\nlatency, tc ingress -> %s:\n%24s : %-10s %s\n",
			lnw_verdict_name(v), "ns", "count", "distribution");
		for (b = lo; b <= hi; b++)
			fprintf(f, "%11llu -> %-10llu : %-10llu |%-30.*s|\n",
				b ? 1ULL << b : 0, (2ULL << b) - 1, lat[v][b],
				(int)((lat[v][b] * 30 + max - 1) / max),
				"******************************");
	}
}

static json_object *exposures_json(const struct lnw_summary *s)
{
	json_object *arr = json_object_new_array();
	char pbuf[8];
	size_t i;

	for (i = 0; i < s->n_exposures; i++) {
		const struct lnw_exposure *x = &s->exposures[i];
		json_object *o = json_object_new_object(), *rl;

		json_object_object_add(o, "saddr", lnw_json_addr(x->key.saddr));
		json_object_object_add(o, "ifname", lnw_json_name(x->ifname));
		json_object_object_add(o, "service_addr", lnw_json_addr(x->key.sock_addr));
		json_object_object_add(o, "service_port", json_object_new_int(x->key.sock_port));
		json_object_object_add(o, "proto", json_object_new_string(lnw_proto_name(x->key.proto, pbuf, sizeof(pbuf))));
		json_object_object_add(o, "pid", x->pid > 0 ? json_object_new_int(x->pid) : NULL);
		json_object_object_add(o, "comm", x->pid > 0 ? lnw_json_name(x->comm) : NULL);
		json_object_object_add(o, "packets", json_object_new_uint64(x->packets));
		rl = json_object_new_array();
		if (!x->via_dnat && (x->rl_all || !x->rl_dev))
			json_object_array_add(rl, json_object_new_string("all"));
		if (!x->via_dnat && (x->rl_dev || !x->rl_all))
			json_object_array_add(rl, lnw_json_name(x->ifname));
		json_object_object_add(o, "route_localnet_on", rl);
		json_object_object_add(o, "kind", json_object_new_string(x->via_dnat ?
				       "dnat" : "route_localnet"));
		json_object_object_add(o, "via", x->via_dnat ? lnw_json_addr(x->orig_daddr) : NULL);
		json_object_object_add(o, "via_port", x->via_dnat && x->orig_dport ?
				       json_object_new_int(x->orig_dport) : NULL);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* The knobs that were on when it was reached: "{eth0,all}", "all" or
 * "eth0" (a VLAN's "eth0.100" is "eth0/100" to sysctl). */
static void fix_knobs(const struct lnw_exposure *x, const char *name, char *buf,
		      size_t len)
{
	char dev[LNW_PRINTABLE_LEN(LNW_IFNAMSIZ)], *dot;

	snprintf(dev, sizeof(dev), "%s", name);
	while ((dot = strchr(dev, '.')))
		*dot = '/';
	if (x->rl_all == x->rl_dev) /* both, or neither known: both */
		snprintf(buf, len, "{%s,all}", dev);
	else
		snprintf(buf, len, "%s", x->rl_all ? "all" : dev);
}

static void exposures_print(FILE *f, const struct lnw_summary *s)
{
	char knobs[LNW_PRINTABLE_LEN(LNW_IFNAMSIZ) + 8];
	char src[16], svc[32], orig[32], pbuf[8], name[LNW_PRINTABLE_LEN(LNW_IFNAMSIZ)];
	char comm[LNW_PRINTABLE_LEN(sizeof(s->exposures->comm))];
	size_t i;

	if (!s->n_exposures)
		return;
	fprintf(f, "\nOBSERVED EXPOSURE: loopback-only services reached from a real interface\n");
	for (i = 0; i < s->n_exposures; i++) {
		const struct lnw_exposure *x = &s->exposures[i];

		lnw_format_addr(src, sizeof(src), x->key.saddr, 0, 0);
		lnw_format_addr(svc, sizeof(svc), x->key.sock_addr, x->key.sock_port, x->key.proto);
		lnw_name_printable(x->ifname, name, sizeof(name));
		lnw_name_printable(x->pid > 0 ? x->comm : "?", comm, sizeof(comm));
		if (x->via_dnat) {
			lnw_format_addr(orig, sizeof(orig), x->orig_daddr, x->orig_dport, x->key.proto);
			fprintf(f, "  %s via %s -> %s DNAT> %s/%s: %llu packet(s)\n"
				"    fix: a raw PREROUTING drop of 127.0.0.0/8 from non-loopback "
				"devices, or a DNAT bound to one address\n",
				src, name, orig, svc, lnw_proto_name(x->key.proto, pbuf, sizeof(pbuf)),
				x->packets);
			continue;
		}
		fix_knobs(x, name, knobs, sizeof(knobs));
		fprintf(f, "  %s via %s -> %s/%s (pid %d %s): %llu packet(s)\n"
			"    fix: net.ipv4.conf.%s.route_localnet=0, or a guard rule\n",
			src, name, svc, lnw_proto_name(x->key.proto, pbuf, sizeof(pbuf)), x->pid,
			comm, x->packets, knobs);
	}
}

struct json_object *lnw_summary_json(const struct lnw_summary *s)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	json_object *paths = json_object_new_object(), *hooks;
	size_t i;

	for (i = 0; i < s->n_rows; i++) {
		const struct lnw_counter_row *r = &s->rows[i];
		json_object *c = json_object_new_object();

		json_object_object_add(c, "netns", json_object_new_uint64(r->key.netns));
		json_object_object_add(c, "ifindex", json_object_new_int((int)r->key.ifindex));
		json_object_object_add(c, "ifname", lnw_json_name(r->ifname));
		json_object_object_add(c, "verdict", json_object_new_string(lnw_verdict_name(r->key.verdict)));
		json_object_object_add(c, "reason", lnw_json_str(r->reason));
		json_object_object_add(c, "packets", json_object_new_uint64(r->val.packets));
		json_object_object_add(c, "bytes", json_object_new_uint64(r->val.bytes));
		json_object_array_add(arr, c);
	}
	json_object_object_add(o, "type", json_object_new_string(s->type ? s->type : "summary"));
	json_object_object_add(o, "elapsed_s", lnw_json_double(s->elapsed_s, 3));
	/* an "interval" record counts from the start too, as the summary */
	json_object_object_add(o, "cumulative", json_object_new_boolean(true));
	json_object_object_add(o, "counters", arr);
	json_object_object_add(o, "lost_events", json_object_new_uint64(s->lost_events));
	json_object_object_add(o, "counter_overflow", json_object_new_uint64(s->counter_overflow));
	json_object_object_add(o, "rate_limited", json_object_new_uint64(s->rate_limited));
	if (s->latency)
		json_object_object_add(o, "latency", latency_json(s->latency));
	if (s->n_progs)
		json_object_object_add(o, "overhead", overhead_json(s));
	json_object_object_add(paths, "attach", lnw_json_str(s->attach));
	json_object_object_add(paths, "join", lnw_json_str(s->join));
	json_object_object_add(paths, "reason", lnw_json_str(s->reason_path));
	json_object_object_add(paths, "delivery", lnw_json_str(s->delivery));
	json_object_object_add(paths, "location", lnw_json_str(s->location));
	hooks = json_object_new_object();
	json_object_object_add(hooks, "mode", lnw_json_str(s->route_hooks));
	json_object_object_add(hooks, "attached", json_object_new_boolean(s->route_hooks_attached));
	json_object_object_add(hooks, "switches", json_object_new_uint64(s->route_hooks_switches));
	json_object_object_add(paths, "route_hooks", hooks);
	json_object_object_add(paths, "flag_writes", lnw_json_str(s->flag_writes));
	json_object_object_add(o, "flag_changes", json_object_new_uint64(s->flag_changes));
	json_object_object_add(o, "tc_missed", json_object_new_uint64(s->tc_missed));
	json_object_object_add(o, "exposures", exposures_json(s));
	json_object_object_add(o, "paths", paths);
	return o;
}

/* The REASON column: whole with -w (as wide as the longest), else cut at
 * NARROW_REASON with a '~', as interface names are. */
static int reason_width(const struct lnw_summary *s, bool wide)
{
	char reason[LNW_PRINTABLE_LEN(64)];
	size_t i, w = WIDE_REASON_MIN;

	if (!wide)
		return NARROW_REASON;
	for (i = 0; i < s->n_rows; i++) {
		lnw_name_printable(s->rows[i].reason ? s->rows[i].reason : "-", reason,
				   sizeof(reason));
		w = strlen(reason) > w ? strlen(reason) : w;
	}
	return (int)w;
}

void lnw_summary_print(FILE *f, const struct lnw_summary *s, bool wide)
{
	char name[LNW_PRINTABLE_LEN(LNW_IFNAMSIZ)], reason[LNW_PRINTABLE_LEN(64)];
	int rw = reason_width(s, wide);
	bool interval = s->type && !strcmp(s->type, "interval");
	size_t i;

	/* an interval's table counts from the start, as the summary's */
	fprintf(f, "\n-- %s %.1f s: %s, %s join, %s reason, delivery %s --\n",
		interval ? "totals at" : s->type ? s->type : "summary", s->elapsed_s,
		s->attach, s->join, s->reason_path, s->delivery ? s->delivery : "none");
	fprintf(f, "route hooks: %s, %s now, %u switch(es); route_localnet changes: %llu\n",
		s->route_hooks, s->route_hooks_attached ? "attached" : "detached",
		s->route_hooks_switches, s->flag_changes);
	fprintf(f, "%-10s %-*s %-13s %-*s %9s %11s\n", "NETNS",
		wide ? 15 : 7, "IFACE", "VERDICT", rw, "REASON", "PACKETS", "BYTES");
	for (i = 0; i < s->n_rows; i++) {
		const struct lnw_counter_row *r = &s->rows[i];

		lnw_name_printable(r->ifname, name, sizeof(name));
		lnw_name_printable(r->reason ? r->reason : "-", reason, sizeof(reason));
		if (!wide) {
			lnw_name_shorten(name, NARROW_IFNAME);
			lnw_name_shorten(reason, NARROW_REASON);
		}
		fprintf(f, "%-10u %-*s %-13s %-*s %9llu %11llu\n", r->key.netns,
			wide ? 15 : 7, name, lnw_verdict_name(r->key.verdict), rw, reason,
			(unsigned long long)r->val.packets,
			(unsigned long long)r->val.bytes);
	}
	for (i = 0; i < s->n_rows; i++)
		if (s->rows[i].key.verdict == LNW_LO6_DST ||
		    s->rows[i].key.verdict == LNW_LO6_SRC) {
			fprintf(f, "lo6-*: %s\n", LNW_LO6_NOTE);
			break;
		}
	if (!s->n_rows)
		fputs(s->filtered ? "(no packet to or from 127.0.0.0/8 matched the "
			"filters: -p, -s, --verdict)\n" :
			"(no packet to or from 127.0.0.0/8 seen)\n", f);
	fprintf(f, "lost events: %llu   counter map overflow: %llu   held back by -r: %llu\n",
		s->lost_events, s->counter_overflow, s->rate_limited);
	if (s->tc_missed)
		fprintf(f, "WARNING: %llu packet(s) %s:\n  %s\n", s->tc_missed,
			LNW_TC_MISSED_WHAT, LNW_TC_MISSED_WHY);
	exposures_print(f, s);
	if (s->latency)
		latency_print(f, s->latency);
	if (s->n_progs) {
		fprintf(f, "\n%-24s %12s %14s %10s\n", "BPF PROGRAM", "RUNS", "TIME (ns)", "NS/RUN");
		for (i = 0; i < s->n_progs; i++)
			fprintf(f, "%-24s %12llu %14llu %10.1f\n", s->progs[i].name,
				s->progs[i].run_cnt, s->progs[i].run_time_ns,
				ns_per_run(&s->progs[i]));
	}
}

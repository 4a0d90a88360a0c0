/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_SUMMARY_H
#define LNW_WATCH_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>
#include "lnwatch.h"
#include "counters.h"
#include "exposures.h"

/* Packets our namespace dropped that our tc program never saw (tc_missed):
 * the summary's warning and the first one's, on stderr. */
#define LNW_TC_MISSED_WHAT "to or from 127/8 or ::1, dropped here, never " \
	"crossed lnwatch's tc program"
#define LNW_TC_MISSED_WHY "another tc program ahead of it hides packets " \
	"(see: tc filter show; bpftool net)"

struct lnw_prog_cost {
	const char *name;
	unsigned long long run_cnt;
	unsigned long long run_time_ns;
};

struct lnw_summary {
	const char *type;        /* "summary" at the end, "interval" on -I;
				  * both count from the start */
	const struct lnw_counter_row *rows;
	size_t n_rows;
	unsigned long long lost_events;
	unsigned long long counter_overflow;
	double elapsed_s;
	const char *attach;      /* "tcx" | "clsact" */
	const char *join;        /* "skb" | "addr" */
	const char *reason_path; /* "kernel" | "inferred" */
	unsigned long long rate_limited; /* events held back by -r */
	/* --latency: [verdict][log2 slot] counts, or NULL */
	const unsigned long long (*latency)[LNW_LAT_SLOTS];
	/* --overhead: per program, or n_progs 0 */
	const struct lnw_prog_cost *progs;
	size_t n_progs;
	const struct lnw_exposure *exposures;
	size_t n_exposures;
	const char *delivery;    /* "sk_data_ready" | "none" */
	const char *location;    /* drop locations named by "kernel" | "kallsyms" */
	const char *route_hooks; /* "auto" | "always" | "never" */
	bool route_hooks_attached;
	unsigned int route_hooks_switches;
	unsigned long long flag_changes; /* route_localnet changes said */
	const char *flag_writes; /* seen by "cgroup/sysctl" | "periodic-read" */
	bool filtered;           /* -p, -s or --verdict: only matches counted */
	/* martians dropped here that the tc program never saw, when it is on
	 * every device: something ahead of it hides packets (else 0) */
	unsigned long long tc_missed;
};

json_object *lnw_summary_json(const struct lnw_summary *s);
void lnw_summary_print(FILE *f, const struct lnw_summary *s, bool wide);

#endif

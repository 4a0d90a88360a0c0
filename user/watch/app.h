/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_APP_H
#define LNW_WATCH_APP_H

/* The live watch's state, and the parts of it that live beside watch.c:
 * the interfaces (app_ifaces.c) and what is said about the run
 * (app_report.c). Only the watch's own files include this. */
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "lib/links.h"
#include "attach.h"
#include "events.h"
#include "flag_events.h"
#include "kernel.h"
#include "link_monitor.h"
#include "nf_hooks.h"
#include "options.h"
#include "ready_file.h"
#include "route_hooks.h"

#define MAX_UNWATCHED 64   /* devices refused, remembered to say it once */

struct bpf_program;
struct lnwatch_bpf;
struct lnw_counter_row;
struct lnw_metrics;
struct lnw_prog_cost;

struct lnw_app {
	struct lnw_options opts;
	struct lnw_kernel kernel;
	struct lnwatch_bpf *skel;
	struct lnw_events events;
	struct lnw_tc_set tc;
	struct lnw_link_monitor *links; /* watching all: new interfaces */
	struct lnw_route_hooks hooks;   /* fib lookup + sk_data_ready, on demand */
	struct lnw_flag_events flags;   /* route_localnet writes, as events */
	struct lnw_nf_hooks nf;         /* DNAT'd away from 127/8 */
	int stats_fd;                   /* --overhead: BPF stats while open */
	int epoll_fd;
	__u32 netns_ino;
	long long start_ns;
	struct lnw_ready_file ready;
	int unwatched[MAX_UNWATCHED]; /* ifindexes of devices not parsed */
	int n_unwatched;
	struct lnw_metrics *metrics;  /* --metrics: the exporter, or NULL */
	bool tc_missed_said;          /* the first packet hidden from tc, said */
};

/* app_ifaces.c: -i names exactly, or every non-loopback interface, now
 * and later (the link monitor's callback, and a full relisting). */
struct bpf_program *lnw_app_tc_program(const struct lnw_app *app, bool l3);
int lnw_app_attach_ifaces(struct lnw_app *app, char *err, size_t len);
void lnw_app_on_link(void *ctx, const struct lnw_iface *it, bool added);
int lnw_app_sync_ifaces(struct lnw_app *app, char *err, size_t len);

/* app_report.c: the paths taken, route hook switches, flag changes the
 * periodic read found, and the counters table (summary and -I). */
const char *lnw_app_join_path(const struct lnw_app *app);
const char *lnw_app_reason_path(const struct lnw_app *app);
const char *lnw_app_location_path(const struct lnw_app *app);
void lnw_app_report_route_hooks(const struct lnw_app *app, bool initial);
void lnw_app_report_route_localnet_on(const struct lnw_app *app);
void lnw_app_say_flag_changes(struct lnw_app *app);
/* The first packet our namespace dropped that our tc program never saw,
 * said on stderr when it happens (the summary gives the total). */
void lnw_app_say_tc_missed(struct lnw_app *app);
void lnw_app_print_counters(struct lnw_app *app, const char *type);
/* What the summary and the metrics share; both read only what is fixed
 * once the watch runs (the kernel's names, the netns, the programs), so
 * the exporter's thread may call them: counter rows' interface and reason
 * names, and each program's cost so far (--overhead), at most max. */
void lnw_app_name_rows(const struct lnw_app *app, struct lnw_counter_row *rows, size_t n);
/* Every counter row (both counter maps summed), named: 0 or -errno. */
int lnw_app_counter_rows(const struct lnw_app *app, struct lnw_counter_row **rows, size_t *n);
/* Events held back by the rate limit, from wherever BPF keeps them. */
unsigned long long lnw_app_rate_limited(const struct lnw_app *app);
size_t lnw_app_prog_costs(const struct lnw_app *app, struct lnw_prog_cost *out,
			  size_t max);

#endif

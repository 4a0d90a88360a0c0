/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_METRICS_H
#define LNW_WATCH_METRICS_H

/* --metrics: Prometheus' text format at GET /metrics while lnwatch
 * watches, served by libmicrohttpd from a thread of its own.
 *
 * Why a thread: a scrape reads every counter (one bpf() call per row and
 * per flag file: milliseconds with hundreds of interfaces) and formats
 * them; on the main loop that would be milliseconds the event drain does
 * not run. So the scrape runs beside it and touches nothing the loop
 * changes: what only the BPF maps hold (counters, stats, exposure packets,
 * program costs) it reads itself, exact at that moment, through the
 * summary's own functions; what only the loop knows (the watched devices,
 * the exposures table, the route hooks, flag changes) the loop publishes
 * once a tick into a mutex-held copy (a few hundred bytes, more only when
 * the set of devices changed), and the scrape copies it out under the same
 * mutex. The drain never waits for a scrape longer than that copy. */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

#include "exposures.h"

struct lnw_app;
struct lnw_metrics;

/* At most this many series in each labelled family; what is over it is
 * folded (metrics_render.c) and counted in lnwatch_metrics_series_folded. */
#define LNW_METRICS_MAX_SERIES 4096

/* A watched device, as the loop last published it. */
struct lnw_metrics_dev {
	int ifindex;
	char ifname[16];
};

/* What a scrape renders beside the maps: the loop's published state and
 * what is fixed from the start. */
struct lnw_metrics_view {
	bool hooks_attached;
	unsigned long long flag_changes;
	const char *attach;   /* "tcx" | "clsact" | "none" (none attached yet) */
	const char *join;
	const char *reason;
	const char *version;
	const char *kernel;   /* uname -r */
	struct lnw_metrics_dev *devs;
	size_t n_devs;
	struct lnw_exposure exposures[LNW_MAX_EXPOSURES];
	size_t n_exposures;
};

/* Bind and listen on addr now, in the namespace lnwatch was started in
 * (before --netns enters another: the exporter is reached where lnwatch
 * was started, and adds no socket to the namespace it watches). spec is
 * the option as given, for messages. 0, or -errno with err set. */
int lnw_metrics_listen(struct lnw_metrics **out, const struct sockaddr *addr,
		       socklen_t len, const char *spec, char *err, size_t errlen);
/* Start serving; app must outlive lnw_metrics_stop(). Publishes once. */
int lnw_metrics_start(struct lnw_metrics *m, const struct lnw_app *app,
		      char *err, size_t errlen);
/* The main loop, once a tick: copy out what only it may touch. */
void lnw_metrics_publish(struct lnw_metrics *m, const struct lnw_app *app);
/* Stop serving (waits for a scrape under way), close, free; NULL is fine. */
void lnw_metrics_stop(struct lnw_metrics *m);

/* metrics_render.c: the whole body of a scrape into f. 0 or -errno. */
int lnw_metrics_render(FILE *f, const struct lnw_app *app,
		       const struct lnw_metrics_view *v);

#endif

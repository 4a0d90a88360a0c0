/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_EVENT_LINE_H
#define LNW_WATCH_EVENT_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>
#include "lnwatch.h"

#define LNW_NARROW_COLS 79 /* default output stays under 80 columns */

/* What an event line needs beyond the raw record. */
struct lnw_event_view {
	const struct lnw_event *ev;
	const struct lnw_event6 *ev6; /* IPv6: its addresses (ev: the rest) */
	const char *ifname;      /* resolved, never NULL */
	const char *reason;      /* kernel drop-reason name, or NULL */
	const char *location;    /* drops: "function+0xoff" that freed it, or NULL */
	long long wall_ns;       /* event time, CLOCK_REALTIME */
	int pid;                 /* delivered/reply-refused: owner, or -1 */
	const char *comm;        /* its command name, or NULL */
	bool latency;            /* --latency: latency_ns is meaningful */
	bool exposure;           /* lnw_is_exposure(ev), decided by the reader */
	bool maybe_reply;        /* local-refused, but the peers table overflowed */
};

/* Events from a namespace other than own (--all-netns) name it after
 * the device, "eth0@4026532177"; all: -w gives IFACE room for that. */
void lnw_event_line_netns(__u32 own, bool all);
/* One line, no newline; under 80 columns unless wide. */
void lnw_format_event_line(const struct lnw_event_view *v, bool wide,
			   char *buf, size_t len);
const char *lnw_event_header(bool wide);
/* At the start, where route_localnet is already on (on[]: "all",
 * "default", devices): a line on err when anywhere; in JSON always a
 * record on out, {"type":"route-localnet","ts":...,"on":[...]}. */
void lnw_route_localnet_report(FILE *out, FILE *err, bool json,
			       const char *const *on, size_t n);
/* The event as one line of JSON (no newline) in buf, which must hold
 * LNW_EVENT_JSON_MAX; returns its length (0 when buf is shorter). Keys in
 * a fixed order, every string escaped (lnw_json_put_str); the json-c model
 * it must equal is in tests/unit/test_event_json.c. */
#define LNW_EVENT_JSON_MAX 8192
size_t lnw_event_json_line(const struct lnw_event_view *v, char *buf, size_t len);
/* The same line as an object for lnw_json_emit (lnw_json_raw). */
json_object *lnw_event_json(const struct lnw_event_view *v);
/* {"type":"route-hooks",...}: accept tracing started or stopped, and the
 * device (or "all") whose route_localnet started it. */
json_object *lnw_hooks_json(bool attached, const char *why);

#endif

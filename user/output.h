/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_OUTPUT_H
#define LNW_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include "lnwatch.h"

struct json_object;

#define LNW_NARROW_COLS 79 /* default output stays under 80 columns */

/* What an event line needs beyond the raw record. */
struct lnw_event_view {
	const struct lnw_event *ev;
	const char *ifname;      /* resolved, never NULL */
	const char *reason;      /* kernel drop-reason name, or NULL */
	const char *location;    /* drops: "function+0xoff" that freed it, or NULL */
	long long wall_ns;       /* event time, CLOCK_REALTIME */
	int pid;                 /* delivered/reply-refused: owner, or -1 */
	const char *comm;        /* its command name, or NULL */
	bool latency;            /* --latency: latency_ns is meaningful */
};

struct lnw_counter_row {
	struct lnw_counter_key key;
	struct lnw_counter_val val;
	char ifname[LNW_IFNAMSIZ];
	const char *reason;      /* name, or NULL */
};

struct lnw_prog_cost;

/* A loopback-only service reached from a real interface without NAT, seen
 * live: what `lnwatch audit` calls EXPOSED, confirmed by a packet. */
struct lnw_exposure {
	__u32 saddr;              /* who reached it */
	__u32 sock_addr;          /* the service */
	__u16 sock_port;
	__u8 proto;
	char ifname[LNW_IFNAMSIZ];
	int pid;
	char comm[16];
	unsigned long long packets;
};
#define LNW_MAX_EXPOSURES 64

struct lnw_summary {
	const char *type;        /* "summary" at the end, "interval" on -I */
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
};

struct lnw_prog_cost {
	const char *name;
	unsigned long long run_cnt;
	unsigned long long run_time_ns;
};

const char *lnw_verdict_name(unsigned int verdict);
/* Delivered, without NAT, to a socket bound to 127.0.0.0/8. */
bool lnw_is_exposure(const struct lnw_event *e);
/* Interface names may hold any byte but '/', ':' and spaces: make them
 * printable for a terminal (\xNN) ... */
void lnw_name_printable(const char *in, char *out, size_t outlen);
/* ... and valid UTF-8 for JSON (invalid bytes become U+FFFD). */
void lnw_name_utf8(const char *in, char *out, size_t outlen);

void lnw_format_addr(char *buf, size_t len, __u32 be_addr, __u16 port,
		     __u8 proto);
/* One line, no newline; under 80 columns unless wide. */
void lnw_format_event_line(const struct lnw_event_view *v, bool wide,
			   char *buf, size_t len);
const char *lnw_event_header(bool wide);
struct json_object *lnw_event_json(const struct lnw_event_view *v);
struct json_object *lnw_summary_json(const struct lnw_summary *s);
/* {"type":"route-hooks",...}: accept tracing started or stopped, and the
 * device (or "all") whose route_localnet started it. */
struct json_object *lnw_hooks_json(bool attached, const char *why);
void lnw_summary_print(FILE *f, const struct lnw_summary *s, bool wide);

/* Print obj as one line of JSON and release it. */
void lnw_json_emit(FILE *f, struct json_object *obj);
/* An error, as {"error": ...} on stdout in JSON mode, else on stderr. */
void lnw_error(bool json, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif

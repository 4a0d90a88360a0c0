// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* One event as a line for a person, or as a JSON object (json-c escapes
 * control characters). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/json.h"
#include "lib/text.h"
#include "event_line.h"
#include "verdict.h"

#define NARROW_IFNAME 7
#define NARROW_ADDRS 40 /* "source destination" share this many columns */
#define NARROW_VERDICT 13 /* "reply-refused" */

static bool nat_changed(const struct lnw_event *e)
{
	return e->orig_src != LNW_ORIG_NONE;
}

static bool dport_unknown(const struct lnw_event *e)
{
	return e->flags & LNW_EVF_PORTS_UNKNOWN;
}

static void format_time(long long wall_ns, bool wide, char *buf, size_t len)
{
	/* a flood's events share their second: localtime_r once per second */
	static time_t cached_secs = -1;
	static char cached[16];
	time_t secs = (time_t)(wall_ns / 1000000000LL);

	if (secs != cached_secs) {
		struct tm tm;

		localtime_r(&secs, &tm);
		snprintf(cached, sizeof(cached), "%02d:%02d:%02d", tm.tm_hour,
			 tm.tm_min, tm.tm_sec);
		cached_secs = secs;
	}
	if (wide)
		snprintf(buf, len, "%s.%06lld", cached, (wall_ns % 1000000000LL) / 1000);
	else
		snprintf(buf, len, "%s", cached);
}

static char flag_char(__u8 v)
{
	return v == LNW_FLAG_UNKNOWN ? '?' : (char)('0' + (v != 0));
}

#define NARROW_FMT "%-8s %-7s %-4s %-40s " /* the header; lines: put_col */
#define NARROW_TIME 8
#define NARROW_PROTO 4
#define NARROW_SRC 21
#define WIDE_FMT "%-15s %-15s %-5s %-21s %-43s "

/* Wide mode: " (REASON at function+0xoff)", " (pid 42 comm)", " +3 held", ...
 * each piece appended only while it fits. */
static void verdict_detail(const struct lnw_event_view *v, char *buf, size_t len)
{
	const struct lnw_event *e = v->ev;
	size_t o = 0;
	int n = 0;

#define APPEND(...) do { \
		if (o < len && (n = snprintf(buf + o, len - o, __VA_ARGS__)) > 0) \
			o = o + (size_t)n < len ? o + (size_t)n : len; \
	} while (0)
	buf[0] = '\0';
	if (v->exposure)
		APPEND(" EXPOSED");
	if (v->reason && v->location)
		APPEND(" (%s at %s)", v->reason, v->location);
	else if (v->reason)
		APPEND(" (%s)", v->reason);
	else if (v->pid > 0) {
		char comm[LNW_PRINTABLE_LEN(16)];

		lnw_name_printable(v->comm ? v->comm : "?", comm, sizeof(comm));
		APPEND(" (pid %d %s)", v->pid, comm);
	}
	if (v->latency && e->latency_ns)
		APPEND(" %lluus", (unsigned long long)e->latency_ns / 1000);
	if (e->suppressed)
		APPEND(" +%u held", e->suppressed);
#undef APPEND
}

const char *lnw_event_header(bool wide)
{
	static char hdr[2][160];

	if (!hdr[wide][0]) {
		if (wide)
			snprintf(hdr[1], sizeof(hdr[1]), WIDE_FMT "%-3s %-3s %-3s %s",
				 "TIME", "IFACE", "L4", "SOURCE",
				 "DESTINATION (ORIGINAL>ROUTED)", "ALL", "DEV",
				 "EFF", "VERDICT");
		else
			snprintf(hdr[0], sizeof(hdr[0]), NARROW_FMT "%-2s %s",
				 "TIME", "IFACE", "L4",
				 "SOURCE                DESTINATION", "RL", "VERDICT");
	}
	return hdr[wide];
}

/* A line assembled by copying: snprintf's padding costs a flood's drain
 * more than everything else it does per event. */
struct lnw_line {
	char *p, *end; /* end: the last byte, kept for the '\0' */
};

static void put(struct lnw_line *l, const char *s, size_t n)
{
	if (n > (size_t)(l->end - l->p))
		n = (size_t)(l->end - l->p);
	memcpy(l->p, s, n);
	l->p += n;
}

/* s, then spaces up to width, then one more: a column and its gap.
 * Returns the columns used. */
static size_t put_col(struct lnw_line *l, const char *s, size_t width)
{
	size_t n = strlen(s);

	put(l, s, n);
	for (; n < width && l->p < l->end; n++)
		*l->p++ = ' ';
	if (l->p < l->end)
		*l->p++ = ' ';
	return n + 1;
}

void lnw_format_event_line(const struct lnw_event_view *v, bool wide,
			   char *buf, size_t len)
{
	const struct lnw_event *e = v->ev;
	char tbuf[32], pbuf[8], src[32], dst[32], orig[32], dcol[72];
	char detail[256], name[LNW_PRINTABLE_LEN(LNW_IFNAMSIZ)];
	const char *proto = lnw_proto_name(e->proto, pbuf, sizeof(pbuf)), *verdict;
	struct lnw_line l = { buf, buf + len - 1 };
	size_t used;
	bool aligned;
	char flag;

	if (!len)
		return;
	format_time(v->wall_ns, wide, tbuf, sizeof(tbuf));
	lnw_name_printable(v->ifname, name, sizeof(name));
	lnw_format_addr(src, sizeof(src), e->saddr, e->sport, e->proto);
	lnw_format_addr(dst, sizeof(dst), e->daddr, e->dport, e->proto);
	if (dport_unknown(e) && lnw_proto_has_ports(e->proto)) /* "127.0.0.1:?" */
		strcpy(strrchr(dst, ':') + 1, "?");
	if (nat_changed(e)) {
		lnw_format_addr(orig, sizeof(orig), e->orig_daddr, e->orig_dport,
				e->proto);
		snprintf(dcol, sizeof(dcol), "%s>%s", orig, dst);
	} else {
		strcpy(dcol, dst);
	}

	if (wide) {
		verdict_detail(v, detail, sizeof(detail));
		snprintf(buf, len, WIDE_FMT " %c   %c   %c  %s%s", tbuf, name,
			 proto, src, dcol, flag_char(e->rl_all),
			 flag_char(e->rl_dev), flag_char(e->rl_eff),
			 lnw_verdict_name(e->verdict), detail);
		return;
	}
	lnw_name_shorten(name, NARROW_IFNAME); /* -w shows it whole */
	/* Narrow: give up the source port (ephemeral, mostly) before the
	 * NAT original; "*" marks a NAT shown only by -w. */
	if (strlen(src) + 1 + strlen(dcol) > NARROW_ADDRS)
		lnw_format_addr(src, sizeof(src), e->saddr, 0, 0);
	if (strlen(src) + 1 + strlen(dcol) > NARROW_ADDRS)
		snprintf(dcol, sizeof(dcol), "%s*", dst);
	/* a drop's reason says more than "drop" in a narrow column */
	verdict = v->exposure ? "EXPOSED" :
		  e->verdict == LNW_DROP && v->reason ? v->reason :
		  lnw_verdict_name(e->verdict);
	flag = flag_char(e->rl_eff);

	put_col(&l, tbuf, NARROW_TIME);
	put_col(&l, name, NARROW_IFNAME);
	put_col(&l, proto, NARROW_PROTO);
	/* source and destination aligned, unless that would not fit */
	aligned = (strlen(src) > NARROW_SRC ? strlen(src) : NARROW_SRC) + 1 +
		  strlen(dcol) <= NARROW_ADDRS;
	used = put_col(&l, src, aligned ? NARROW_SRC : 0);
	put_col(&l, dcol, used < NARROW_ADDRS ? NARROW_ADDRS - used : 0);
	put(&l, &flag, 1);
	put(&l, "  ", 2);
	if (strlen(verdict) > NARROW_VERDICT) {
		put(&l, verdict, NARROW_VERDICT - 1);
		put(&l, "~", 1);
	} else {
		put(&l, verdict, strlen(verdict));
	}
	*l.p = '\0';
}

static json_object *json_flag(__u8 v)
{
	return v == LNW_FLAG_UNKNOWN ? NULL : json_object_new_int(v);
}

/* ISO 8601 in UTC, microseconds; the date and time are formatted once per
 * second (a flood's events share it), the microseconds every time. */
static json_object *json_ts(long long wall_ns)
{
	static time_t cached_secs = -1;
	static char ts[32];      /* "2026-11-26T01:46:03.495933Z" */
	static size_t prefix;    /* up to and with the '.' */
	time_t secs = (time_t)(wall_ns / 1000000000LL);
	unsigned int us = (unsigned int)((wall_ns % 1000000000LL) / 1000);
	int i;

	if (secs != cached_secs) {
		struct tm tm;

		gmtime_r(&secs, &tm);
		prefix = (size_t)snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.",
					  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
					  tm.tm_hour, tm.tm_min, tm.tm_sec);
		if (prefix > sizeof(ts) - 8)
			prefix = sizeof(ts) - 8; /* a year past 9999: cut, not overrun */
		cached_secs = secs;
	}
	for (i = 5; i >= 0; i--, us /= 10)
		ts[prefix + (size_t)i] = (char)('0' + us % 10);
	ts[prefix + 6] = 'Z';
	ts[prefix + 7] = '\0';
	return json_object_new_string(ts);
}

struct json_object *lnw_hooks_json(bool attached, const char *why)
{
	json_object *o = json_object_new_object();
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	json_object_object_add(o, "type", json_object_new_string("route-hooks"));
	json_object_object_add(o, "ts", json_ts(now.tv_sec * 1000000000LL + now.tv_nsec));
	json_object_object_add(o, "attached", json_object_new_boolean(attached));
	json_object_object_add(o, "route_localnet_on", lnw_json_str(why && *why ? why : NULL));
	return o;
}

/* An event's keys are string constants, each added once: json-c need
 * neither copy them nor look for an earlier value (a flood's -j drain). */
static void add(json_object *o, const char *key, json_object *val)
{
	json_object_object_add_ex(o, key, val, JSON_C_OBJECT_ADD_KEY_IS_NEW |
				  JSON_C_OBJECT_KEY_IS_CONSTANT);
}

struct json_object *lnw_event_json(const struct lnw_event_view *v)
{
	static const char *const orig_src[] = { NULL, "ingress", "conntrack" };
	static const char *const reason_src[] = { NULL, "kernel", "inferred" };
	const struct lnw_event *e = v->ev;
	json_object *o = json_object_new_object(), *rl = json_object_new_object();
	char pbuf[8];

	add(o, "type", json_object_new_string("event"));
	add(o, "ts", json_ts(v->wall_ns));
	add(o, "ktime_ns", json_object_new_uint64(e->ts_ns));
	add(o, "netns", json_object_new_uint64(e->netns));
	add(o, "ifindex", json_object_new_int((int)e->ifindex));
	add(o, "ifname", lnw_json_name(v->ifname));
	add(o, "proto",
			       json_object_new_string(lnw_proto_name(e->proto, pbuf, sizeof(pbuf))));
	add(o, "saddr", lnw_json_addr(e->saddr));
	add(o, "sport", lnw_proto_has_ports(e->proto) ? json_object_new_int(e->sport) : NULL);
	add(o, "daddr", lnw_json_addr(e->daddr));
	add(o, "dport", lnw_proto_has_ports(e->proto) && !dport_unknown(e) ?
			       json_object_new_int(e->dport) : NULL);
	add(o, "orig_daddr", lnw_json_addr(nat_changed(e) ? e->orig_daddr : e->daddr));
	add(o, "orig_dport", lnw_proto_has_ports(e->proto) ?
			       json_object_new_int(nat_changed(e) ? e->orig_dport : e->dport) : NULL);
	add(o, "nat", json_object_new_boolean(nat_changed(e)));
	add(o, "orig_source", lnw_json_str(e->orig_src < 3 ? orig_src[e->orig_src] : NULL));
	add(rl, "all", json_flag(e->rl_all));
	add(rl, "dev", json_flag(e->rl_dev));
	add(rl, "effective", json_flag(e->rl_eff));
	add(o, "route_localnet", rl);
	add(o, "verdict", json_object_new_string(lnw_verdict_name(e->verdict)));
	add(o, "reason", lnw_json_str(v->reason));
	add(o, "location", lnw_json_str(v->location));
	add(o, "reason_source",
			       lnw_json_str(e->reason_src < 3 ? reason_src[e->reason_src] : NULL));
	add(o, "len", json_object_new_int((int)e->len));
	if (e->verdict == LNW_ACCEPT) {
		json_object *fib = json_object_new_object();

		add(fib, "table", json_object_new_int((int)e->fib_table));
		add(fib, "oif", json_object_new_int((int)e->fib_oif));
		add(o, "fib", fib);
	}
	add(o, "suppressed", json_object_new_int64(e->suppressed));
	add(o, "latency_ns", v->latency && e->latency_ns ?
			       json_object_new_uint64(e->latency_ns) : NULL);
	if (e->verdict == LNW_DELIVERED) {
		json_object *sock = json_object_new_object();

		add(sock, "addr", lnw_json_addr(e->sock_addr));
		add(sock, "port", json_object_new_int(e->sock_port));
		add(sock, "inode", json_object_new_uint64(e->sock_ino));
		add(o, "socket", sock);
		add(o, "exposure", json_object_new_boolean(v->exposure));
	}
	if (e->verdict == LNW_DELIVERED || e->verdict == LNW_REPLY_REFUSED ||
	    e->verdict == LNW_LOCAL_REFUSED) {
		add(o, "pid", v->pid > 0 ? json_object_new_int(v->pid) : NULL);
		add(o, "comm", v->comm ? lnw_json_name(v->comm) : NULL);
	}
	add(o, "join", !(e->flags & LNW_EVF_JOINED) ? NULL :
			       json_object_new_string(e->flags & LNW_EVF_JOIN_SKB ? "skb" : "addr"));
	return o;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* One event as a line for a person, or as a line of JSON (written by hand:
 * json-c would cost a flood's -j drain 4x the rest). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/json.h"
#include "lib/text.h"
#include "event_line.h"
#include "verdict.h"

#define NARROW_IFNAME 7
#define NARROW_ADDRS 40 /* "source destination" share this many columns */
#define WIDE_IFNAME 15
#define WIDE_IFNAME_NETNS 26 /* "abcdefghijklmno@4026532177" */
#define NETNS_TAG_LEN 12     /* "@4026532177" */
#define NARROW_VERDICT 13 /* "reply-refused" */

static __u32 own_netns; /* events from others are marked "eth0@4026532177" */
static bool all_netns;  /* -w: the IFACE column has room for the mark */

void lnw_event_line_netns(__u32 own, bool all)
{
	own_netns = own;
	all_netns = all;
}

/* "@4026532177" for an event from another namespace, else "". */
static void netns_tag(const struct lnw_event *e, char *tag)
{
	char *p = tag;

	if (own_netns && e->netns && e->netns != own_netns) {
		*p++ = '@';
		p = lnw_put_uint(p, e->netns);
	}
	*p = '\0';
}

/* A printable name and its namespace tag in at most width columns
 * (width >= 3): the name is cut first ("et~@4026532177", "~@4026532177"),
 * then the namespace's leading digits ("@~6532177"). */
static void iface_fit(char *name, const char *tag, size_t width)
{
	size_t t = strlen(tag);

	if (strlen(name) + t <= width) {
	} else if (width >= t + 5) {
		lnw_name_shorten(name, width - t);
	} else if (width >= t + 1) {
		strcpy(name, "~");
	} else {
		strcpy(name, "@~");
		strcat(name, tag + t - (width - 2));
		return;
	}
	strcat(name, tag);
}

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

/* A route_localnet column: IPv6 has no such knob ('-'). */
static char rl_char(const struct lnw_event_view *v, __u8 flag)
{
	return v->ev6 ? '-' : flag_char(flag);
}

/* The source or destination, with its port where the protocol has them
 * and port is asked: IPv4's, or the IPv6 record's. */
static void addr_text(const struct lnw_event_view *v, bool src, bool port,
		      char *buf, size_t len)
{
	const struct lnw_event *e = v->ev;
	__u16 p = src ? e->sport : e->dport;
	__u8 proto = port ? e->proto : 0;

	if (v->ev6)
		lnw_format_addr6(buf, len, src ? v->ev6->saddr : v->ev6->daddr, p,
				 proto);
	else
		lnw_format_addr(buf, len, src ? e->saddr : e->daddr, p, proto);
}

#define NARROW_FMT "%-8s %-7s %-4s %-40s " /* the header; lines: put_col */
#define NARROW_TIME 8
#define NARROW_PROTO 4
#define NARROW_SRC 21
#define WIDE_FMT "%-15s %-*s %-5s %-21s %-43s "

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
	if (v->maybe_reply)
		APPEND(" or a reply (more peers than lnwatch keeps)");
	if (v->latency && e->latency_ns)
		APPEND(" %lluus", (unsigned long long)e->latency_ns / 1000);
	if (e->suppressed)
		APPEND(" +%u held", e->suppressed);
#undef APPEND
}

const char *lnw_event_header(bool wide)
{
	static char hdrs[2][160];
	char *hdr = hdrs[wide];

	if (wide)
		snprintf(hdr, sizeof(hdrs[1]), WIDE_FMT "%-3s %-3s %-3s %s", "TIME",
			 all_netns ? WIDE_IFNAME_NETNS : WIDE_IFNAME,
			 all_netns ? "IFACE[@NETNS]" : "IFACE", "L4", "SOURCE",
			 "DESTINATION (ORIGINAL>ROUTED)", "ALL", "DEV", "EFF", "VERDICT");
	else
		snprintf(hdr, sizeof(hdrs[0]), NARROW_FMT "%-2s %s", "TIME", "IFACE", "L4",
			 "SOURCE                DESTINATION", "RL", "VERDICT");
	return hdr;
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

/* Narrow: source and destination in room columns. Gives up the source
 * port (ephemeral, mostly) first, then the DNAT's original: "DNAT>" marks
 * a DNAT shown whole only by -w (">" alone where even that has no room).
 * Returns the columns they take. */
static size_t narrow_addrs(const struct lnw_event_view *v, const char *dst,
			   char *src, size_t src_len, char *dcol, size_t dcol_len,
			   size_t room)
{
	const struct lnw_event *e = v->ev;

	if (strlen(src) + 1 + strlen(dcol) > room)
		addr_text(v, true, false, src, src_len);
	/* IPv6 addresses may not fit even so: cut (the source first), whole
	 * with -w */
	if (v->ev6 && strlen(src) + 1 + strlen(dcol) > room && room > strlen(dcol) + 6)
		lnw_name_shorten(src, room - 1 - strlen(dcol));
	if (v->ev6 && strlen(src) + 1 + strlen(dcol) > room && room > strlen(src) + 6)
		lnw_name_shorten(dcol, room - 1 - strlen(src));
	if (strlen(src) + 1 + strlen(dcol) > room && nat_changed(e))
		snprintf(dcol, dcol_len, "DNAT>%s", dst);
	if (strlen(src) + 1 + strlen(dcol) > room && nat_changed(e))
		snprintf(dcol, dcol_len, ">%s", dst);
	return strlen(src) + 1 + strlen(dcol);
}

void lnw_format_event_line(const struct lnw_event_view *v, bool wide,
			   char *buf, size_t len)
{
	const struct lnw_event *e = v->ev;
	char tbuf[32], pbuf[8], src[48], dst[48], orig[32], dcol[88];
	char detail[256], name[LNW_PRINTABLE_LEN(LNW_IFNAMSIZ) + NETNS_TAG_LEN];
	char tag[NETNS_TAG_LEN];
	const char *proto = lnw_proto_name(e->proto, pbuf, sizeof(pbuf)), *verdict;
	struct lnw_line l = { buf, buf + len - 1 };
	size_t used, room, over, addrs;
	bool aligned;
	char flag;

	if (!len)
		return;
	format_time(v->wall_ns, wide, tbuf, sizeof(tbuf));
	lnw_name_printable(v->ifname, name, LNW_PRINTABLE_LEN(LNW_IFNAMSIZ));
	netns_tag(e, tag);
	addr_text(v, true, true, src, sizeof(src));
	addr_text(v, false, true, dst, sizeof(dst));
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
		strcat(name, tag);
		verdict_detail(v, detail, sizeof(detail));
		snprintf(buf, len, WIDE_FMT " %c   %c   %c  %s%s", tbuf,
			 all_netns ? WIDE_IFNAME_NETNS : WIDE_IFNAME, name,
			 proto, src, dcol, rl_char(v, e->rl_all),
			 rl_char(v, e->rl_dev), rl_char(v, e->rl_eff),
			 lnw_verdict_name(e->verdict), detail);
		return;
	}
	/* -w shows the name whole; another namespace's mark takes room from
	 * the addresses, and is cut itself when they have none to give */
	if (!tag[0])
		lnw_name_shorten(name, NARROW_IFNAME);
	else /* any real name whole: addresses keep >= 21 columns */
		iface_fit(name, tag, WIDE_IFNAME_NETNS);
	over = strlen(name) > NARROW_IFNAME ? strlen(name) - NARROW_IFNAME : 0;
	addrs = narrow_addrs(v, dst, src, sizeof(src), dcol, sizeof(dcol),
			     NARROW_ADDRS - over);
	if (addrs > NARROW_ADDRS - over) {
		name[strlen(name) - strlen(tag)] = '\0';
		iface_fit(name, tag, NARROW_IFNAME + NARROW_ADDRS - addrs);
		over = strlen(name) > NARROW_IFNAME ? strlen(name) - NARROW_IFNAME : 0;
	}
	room = NARROW_ADDRS - over;
	/* a drop's reason says more than "drop" in a narrow column */
	verdict = v->exposure ? "EXPOSED" :
		  v->maybe_reply ? "own/reply?" :
		  e->verdict == LNW_DROP && v->reason ? v->reason :
		  lnw_verdict_name(e->verdict);
	flag = rl_char(v, e->rl_eff);

	put_col(&l, tbuf, NARROW_TIME);
	put_col(&l, name, NARROW_IFNAME);
	put_col(&l, proto, NARROW_PROTO);
	/* source and destination aligned, unless that would not fit */
	aligned = (strlen(src) > NARROW_SRC ? strlen(src) : NARROW_SRC) + 1 +
		  strlen(dcol) <= room;
	used = put_col(&l, src, aligned ? NARROW_SRC : 0);
	put_col(&l, dcol, used < room ? room - used : 0);
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

/* ISO 8601 in UTC, microseconds; the date and time are formatted once per
 * second (a flood's events share it), the microseconds every time. */
static const char *ts_text(long long wall_ns)
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
	return ts;
}

static json_object *json_ts_now(void)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	return json_object_new_string(ts_text(now.tv_sec * 1000000000LL + now.tv_nsec));
}

struct json_object *lnw_hooks_json(bool attached, const char *why)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "type", json_object_new_string("route-hooks"));
	json_object_object_add(o, "ts", json_ts_now());
	json_object_object_add(o, "attached", json_object_new_boolean(attached));
	json_object_object_add(o, "route_localnet_on", lnw_json_str(why && *why ? why : NULL));
	return o;
}

void lnw_route_localnet_report(FILE *out, FILE *err, bool json,
			       const char *const *on, size_t n)
{
	char line[LNW_NARROW_COLS + 1], name[LNW_PRINTABLE_LEN(LNW_IFNAMSIZ)];
	const char *sep = " ";
	size_t i, o;

	if (json) {
		json_object *o = json_object_new_object(), *arr = json_object_new_array();

		for (i = 0; i < n; i++)
			json_object_array_add(arr, lnw_json_name(on[i]));
		json_object_object_add(o, "type", json_object_new_string("route-localnet"));
		json_object_object_add(o, "ts", json_ts_now());
		json_object_object_add(o, "on", arr);
		lnw_json_emit(out, o);
		return;
	}
	if (!n)
		return;
	o = (size_t)snprintf(line, sizeof(line), "lnwatch: route_localnet already on at start:");
	for (i = 0; i < n; i++, sep = ", ") {
		lnw_name_printable(on[i], name, sizeof(name));
		/* under 80 columns: what does not fit is counted */
		if (o + strlen(sep) + strlen(name) + (i + 1 < n ? sizeof(", +4096 more") : 0) >
		    LNW_NARROW_COLS) {
			snprintf(line + o, sizeof(line) - o, ", +%zu more", n - i);
			break;
		}
		o += (size_t)snprintf(line + o, sizeof(line) - o, "%s%s", sep, name);
	}
	fprintf(err, "%s\n", line);
}

/* ---- the event as JSON, written by hand ---------------------------------- */

/* Raw bytes of each string field written at most (the room below). */
#define NAME_MAX_RAW 64  /* ifname, comm: 16 from the kernel */
#define TEXT_MAX_RAW 512 /* reason, location: a kernel symbol, KSYM_NAME_LEN */

/* Everything but the strings fits in 1024 (keys ~460, numbers ~200). */
_Static_assert(LNW_EVENT_JSON_MAX >= 1024 + 2 * LNW_JSON_STR_LEN(NAME_MAX_RAW) +
	       2 * LNW_JSON_STR_LEN(TEXT_MAX_RAW), "LNW_EVENT_JSON_MAX too small");

/* A literal, without its '\0'. */
#define LIT(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + sizeof(s) - 1)

static char *put_int(char *p, long long v)
{
	if (v < 0) {
		*p++ = '-';
		return lnw_put_uint(p, 0ULL - (unsigned long long)v);
	}
	return lnw_put_uint(p, (unsigned long long)v);
}

/* A string we made (names of verdicts, protocols, addresses): no escapes. */
static char *put_plain(char *p, const char *s)
{
	size_t n = strlen(s);

	*p++ = '"';
	memcpy(p, s, n);
	p += n;
	*p++ = '"';
	return p;
}

static char *put_addr(char *p, __u32 be_addr)
{
	char a[16];

	lnw_format_addr(a, sizeof(a), be_addr, 0, 0);
	return put_plain(p, a);
}

/* The source, destination (or original destination: IPv6 has no NAT
 * before its drop), IPv4's or the IPv6 record's. */
static char *put_addr_of(char *p, const struct lnw_event_view *v, bool src,
			 __u32 be_addr)
{
	char a[INET6_ADDRSTRLEN];

	if (!v->ev6)
		return put_addr(p, be_addr);
	lnw_format_addr6(a, sizeof(a), src ? v->ev6->saddr : v->ev6->daddr, 0, 0);
	return put_plain(p, a);
}

static char *put_str_or_null(char *p, const char *s, size_t max_raw)
{
	return s ? lnw_json_put_str(p, s, max_raw) : LIT(p, "null");
}

static char *put_flag(char *p, __u8 v)
{
	return v == LNW_FLAG_UNKNOWN ? LIT(p, "null") : lnw_put_uint(p, v);
}

static char *put_bool(char *p, bool v)
{
	return v ? LIT(p, "true") : LIT(p, "false");
}

/* A port where the protocol has them, else null. */
static char *put_port(char *p, const struct lnw_event *e, bool known, __u16 port)
{
	return lnw_proto_has_ports(e->proto) && known ? lnw_put_uint(p, port) :
	       LIT(p, "null");
}

size_t lnw_event_json_line(const struct lnw_event_view *v, char *buf, size_t len)
{
	static const char *const orig_src[] = { NULL, "ingress", "conntrack" };
	static const char *const reason_src[] = { NULL, "kernel", "inferred" };
	const struct lnw_event *e = v->ev;
	bool nat = nat_changed(e);
	char pbuf[8], *p = buf;

	if (len < LNW_EVENT_JSON_MAX)
		return 0;
	p = LIT(p, "{\"type\":\"event\",\"ts\":");
	p = put_plain(p, ts_text(v->wall_ns));
	p = LIT(p, ",\"ktime_ns\":");
	p = lnw_put_uint(p, e->ts_ns);
	p = LIT(p, ",\"netns\":");
	p = lnw_put_uint(p, e->netns);
	p = LIT(p, ",\"ifindex\":");
	p = put_int(p, (int)e->ifindex);
	p = LIT(p, ",\"ifname\":");
	p = lnw_json_put_str(p, v->ifname, NAME_MAX_RAW);
	p = v->ev6 ? LIT(p, ",\"family\":6") : LIT(p, ",\"family\":4");
	p = LIT(p, ",\"proto\":");
	p = put_plain(p, lnw_proto_name(e->proto, pbuf, sizeof(pbuf)));
	p = LIT(p, ",\"saddr\":");
	p = put_addr_of(p, v, true, e->saddr);
	p = LIT(p, ",\"sport\":");
	p = put_port(p, e, true, e->sport);
	p = LIT(p, ",\"daddr\":");
	p = put_addr_of(p, v, false, e->daddr);
	p = LIT(p, ",\"dport\":");
	p = put_port(p, e, !dport_unknown(e), e->dport);
	p = LIT(p, ",\"orig_daddr\":");
	p = put_addr_of(p, v, false, nat ? e->orig_daddr : e->daddr);
	p = LIT(p, ",\"orig_dport\":");
	p = put_port(p, e, true, nat ? e->orig_dport : e->dport);
	p = LIT(p, ",\"nat\":");
	p = put_bool(p, nat);
	p = LIT(p, ",\"orig_source\":");
	p = put_str_or_null(p, e->orig_src < 3 ? orig_src[e->orig_src] : NULL, TEXT_MAX_RAW);
	if (v->ev6) { /* no such knob */
		p = LIT(p, ",\"route_localnet\":null");
	} else {
		p = LIT(p, ",\"route_localnet\":{\"all\":");
		p = put_flag(p, e->rl_all);
		p = LIT(p, ",\"dev\":");
		p = put_flag(p, e->rl_dev);
		p = LIT(p, ",\"effective\":");
		p = put_flag(p, e->rl_eff);
		*p++ = '}';
	}
	p = LIT(p, ",\"verdict\":");
	p = put_plain(p, lnw_verdict_name(e->verdict));
	p = LIT(p, ",\"reason\":");
	p = put_str_or_null(p, v->reason, TEXT_MAX_RAW);
	p = LIT(p, ",\"location\":");
	p = put_str_or_null(p, v->location, TEXT_MAX_RAW);
	p = LIT(p, ",\"reason_source\":");
	p = put_str_or_null(p, e->reason_src < 3 ? reason_src[e->reason_src] : NULL,
			    TEXT_MAX_RAW);
	p = LIT(p, ",\"len\":");
	p = put_int(p, (int)e->len);
	if (e->verdict == LNW_ACCEPT) {
		p = LIT(p, ",\"fib\":{\"table\":");
		p = put_int(p, (int)e->fib_table);
		p = LIT(p, ",\"oif\":");
		p = put_int(p, (int)e->fib_oif);
		*p++ = '}';
	}
	p = LIT(p, ",\"suppressed\":");
	p = lnw_put_uint(p, e->suppressed);
	p = LIT(p, ",\"latency_ns\":");
	p = v->latency && e->latency_ns ? lnw_put_uint(p, e->latency_ns) : LIT(p, "null");
	if (e->verdict == LNW_DELIVERED) {
		p = LIT(p, ",\"socket\":{\"addr\":");
		p = put_addr(p, e->sock_addr);
		p = LIT(p, ",\"port\":");
		p = lnw_put_uint(p, e->sock_port);
		p = LIT(p, ",\"inode\":");
		p = lnw_put_uint(p, e->sock_ino);
		p = LIT(p, "},\"exposure\":");
		p = put_bool(p, v->exposure);
	}
	if (e->verdict == LNW_DNAT_EXPOSED) {
		p = LIT(p, ",\"reached\":");
		p = e->flags & LNW_EVF_FORWARDED ? LIT(p, "\"forwarded\"") : LIT(p, "\"local\"");
		p = LIT(p, ",\"oif\":");
		p = put_int(p, (int)e->fib_oif);
		p = LIT(p, ",\"exposure\":true");
	}
	if (e->verdict == LNW_DELIVERED || e->verdict == LNW_REPLY_REFUSED ||
	    e->verdict == LNW_LOCAL_REFUSED) {
		p = LIT(p, ",\"pid\":");
		p = v->pid > 0 ? put_int(p, v->pid) : LIT(p, "null");
		p = LIT(p, ",\"comm\":");
		p = put_str_or_null(p, v->comm, NAME_MAX_RAW);
	}
	if (v->maybe_reply)
		p = LIT(p, ",\"maybe_reply\":true");
	p = LIT(p, ",\"join\":");
	p = !(e->flags & LNW_EVF_JOINED) ? LIT(p, "null") :
	    e->flags & LNW_EVF_JOIN_SKB ? LIT(p, "\"skb\"") : LIT(p, "\"addr\"");
	*p++ = '}';
	*p = '\0';
	return (size_t)(p - buf);
}

struct json_object *lnw_event_json(const struct lnw_event_view *v)
{
	char buf[LNW_EVENT_JSON_MAX];

	return lnw_json_raw(buf, lnw_event_json_line(v, buf, sizeof(buf)));
}

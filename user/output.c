// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Human lines and JSON (json-c: it escapes control characters). */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>

#include "output.h"

#define NARROW_IFNAME 7
#define NARROW_ADDRS 40 /* "source destination" share this many columns */
#define NARROW_VERDICT 13 /* "reply-refused" */

const char *lnw_verdict_name(unsigned int verdict)
{
	static const char *const names[LNW_VERDICT_MAX] = {
		[LNW_SEEN] = "seen",
		[LNW_MARTIAN_DST] = "martian-dst",
		[LNW_MARTIAN_SRC] = "martian-src",
		[LNW_ACCEPT] = "accept",
		[LNW_DROP] = "drop",
		[LNW_DELIVERED] = "delivered",
		[LNW_REPLY_REFUSED] = "reply-refused",
	};

	return verdict < LNW_VERDICT_MAX ? names[verdict] : "unknown";
}

bool lnw_is_exposure(const struct lnw_event *e)
{
	return e->verdict == LNW_DELIVERED && e->orig_src == LNW_ORIG_NONE &&
	       (ntohl(e->sock_addr) >> 24) == 127;
}

static const char *proto_name(__u8 proto, char *buf, size_t len)
{
	switch (proto) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	default:
		snprintf(buf, len, "%u", proto);
		return buf;
	}
}

static bool has_ports(__u8 proto)
{
	return proto == 6 || proto == 17;
}

void lnw_name_printable(const char *in, char *out, size_t outlen)
{
	size_t o = 0;

	for (; *in && o + 5 < outlen; in++) {
		unsigned char c = (unsigned char)*in;

		if (c > 0x20 && c < 0x7f && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
	}
	out[o] = '\0';
}

/* Length of the valid UTF-8 sequence at s, or 0 (RFC 3629 table 2:
 * no overlong forms, no surrogates, nothing above U+10FFFF). */
static size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf; /* allowed range of 2nd byte */
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

void lnw_name_utf8(const char *in, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0;

	while (*s && o + 4 < outlen) {
		size_t n = utf8_seq_len(s);

		if (n) {
			memcpy(out + o, s, n);
			o += n;
			s += n;
		} else {
			memcpy(out + o, "\xef\xbf\xbd", 3); /* U+FFFD */
			o += 3;
			s++;
		}
	}
	out[o] = '\0';
}

/* Decimal digits of v at p; returns the end. Formatting is most of a
 * drain's cost under a flood: this is ~10x cheaper than snprintf. */
static char *put_uint(char *p, unsigned int v)
{
	char tmp[10];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

void lnw_format_addr(char *buf, size_t len, __u32 be_addr, __u16 port,
		     __u8 proto)
{
	const unsigned char *b = (const unsigned char *)&be_addr;
	char tmp[sizeof("255.255.255.255:65535")], *p = tmp;
	size_t n;
	int i;

	for (i = 0; i < 4; i++) {
		p = put_uint(p, b[i]);
		*p++ = i < 3 ? '.' : '\0';
	}
	if (has_ports(proto)) {
		p[-1] = ':';
		p = put_uint(p, port);
		*p++ = '\0';
	}
	if (!len)
		return;
	n = (size_t)(p - tmp) < len ? (size_t)(p - tmp) : len;
	memcpy(buf, tmp, n);
	buf[n - 1] = '\0';
}

/* Narrow columns: cut a printable name to NARROW_IFNAME with a '~', never
 * inside a \xNN escape. */
static void shorten_name(char *name)
{
	size_t cut = NARROW_IFNAME - 1, k;

	if (strlen(name) <= NARROW_IFNAME)
		return;
	for (k = 1; k <= 3; k++)
		if (name[cut - k] == '\\') {
			cut -= k;
			break;
		}
	strcpy(name + cut, "~");
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
	if (lnw_is_exposure(e))
		APPEND(" EXPOSED");
	if (v->reason && v->location)
		APPEND(" (%s at %s)", v->reason, v->location);
	else if (v->reason)
		APPEND(" (%s)", v->reason);
	else if (v->pid > 0)
		APPEND(" (pid %d %s)", v->pid, v->comm ? v->comm : "?");
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
	char detail[256], name[4 * LNW_IFNAMSIZ + 1];
	const char *proto = proto_name(e->proto, pbuf, sizeof(pbuf)), *verdict;
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
	if (dport_unknown(e) && has_ports(e->proto)) /* "127.0.0.1:?" */
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
	shorten_name(name); /* -w shows it whole */
	/* Narrow: give up the source port (ephemeral, mostly) before the
	 * NAT original; "*" marks a NAT shown only by -w. */
	if (strlen(src) + 1 + strlen(dcol) > NARROW_ADDRS)
		lnw_format_addr(src, sizeof(src), e->saddr, 0, 0);
	if (strlen(src) + 1 + strlen(dcol) > NARROW_ADDRS)
		snprintf(dcol, sizeof(dcol), "%s*", dst);
	/* a drop's reason says more than "drop" in a narrow column */
	verdict = lnw_is_exposure(e) ? "EXPOSED" :
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

static json_object *json_str(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *json_flag(__u8 v)
{
	return v == LNW_FLAG_UNKNOWN ? NULL : json_object_new_int(v);
}

static json_object *json_ifname(const char *raw)
{
	char name[4 * LNW_IFNAMSIZ + 1];

	lnw_name_utf8(raw, name, sizeof(name));
	return json_object_new_string(name);
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
	json_object_object_add(o, "route_localnet_on", json_str(why && *why ? why : NULL));
	return o;
}

/* An event's keys are string constants, each added once: json-c need
 * neither copy them nor look for an earlier value (a flood's -j drain). */
static void add(json_object *o, const char *key, json_object *val)
{
	json_object_object_add_ex(o, key, val, JSON_C_OBJECT_ADD_KEY_IS_NEW |
				  JSON_C_OBJECT_KEY_IS_CONSTANT);
}

static json_object *json_addr(__u32 be_addr, char *buf, size_t len)
{
	lnw_format_addr(buf, len, be_addr, 0, 0);
	return json_object_new_string(buf);
}

struct json_object *lnw_event_json(const struct lnw_event_view *v)
{
	static const char *const orig_src[] = { NULL, "ingress", "conntrack" };
	static const char *const reason_src[] = { NULL, "kernel", "inferred" };
	const struct lnw_event *e = v->ev;
	json_object *o = json_object_new_object(), *rl = json_object_new_object();
	char buf[32], pbuf[8];

	add(o, "type", json_object_new_string("event"));
	add(o, "ts", json_ts(v->wall_ns));
	add(o, "ktime_ns", json_object_new_uint64(e->ts_ns));
	add(o, "netns", json_object_new_uint64(e->netns));
	add(o, "ifindex", json_object_new_int((int)e->ifindex));
	add(o, "ifname", json_ifname(v->ifname));
	add(o, "proto",
			       json_object_new_string(proto_name(e->proto, pbuf, sizeof(pbuf))));
	add(o, "saddr", json_addr(e->saddr, buf, sizeof(buf)));
	add(o, "sport", has_ports(e->proto) ? json_object_new_int(e->sport) : NULL);
	add(o, "daddr", json_addr(e->daddr, buf, sizeof(buf)));
	add(o, "dport", has_ports(e->proto) && !dport_unknown(e) ?
			       json_object_new_int(e->dport) : NULL);
	add(o, "orig_daddr", json_addr(nat_changed(e) ? e->orig_daddr : e->daddr,
				       buf, sizeof(buf)));
	add(o, "orig_dport", has_ports(e->proto) ?
			       json_object_new_int(nat_changed(e) ? e->orig_dport : e->dport) : NULL);
	add(o, "nat", json_object_new_boolean(nat_changed(e)));
	add(o, "orig_source", json_str(e->orig_src < 3 ? orig_src[e->orig_src] : NULL));
	add(rl, "all", json_flag(e->rl_all));
	add(rl, "dev", json_flag(e->rl_dev));
	add(rl, "effective", json_flag(e->rl_eff));
	add(o, "route_localnet", rl);
	add(o, "verdict", json_object_new_string(lnw_verdict_name(e->verdict)));
	add(o, "reason", json_str(v->reason));
	add(o, "location", json_str(v->location));
	add(o, "reason_source",
			       json_str(e->reason_src < 3 ? reason_src[e->reason_src] : NULL));
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

		add(sock, "addr", json_addr(e->sock_addr, buf, sizeof(buf)));
		add(sock, "port", json_object_new_int(e->sock_port));
		add(sock, "inode", json_object_new_uint64(e->sock_ino));
		add(o, "socket", sock);
		add(o, "exposure", json_object_new_boolean(lnw_is_exposure(e)));
	}
	if (e->verdict == LNW_DELIVERED || e->verdict == LNW_REPLY_REFUSED) {
		add(o, "pid", v->pid > 0 ? json_object_new_int(v->pid) : NULL);
		add(o, "comm", json_str(v->comm));
	}
	add(o, "join", !(e->flags & LNW_EVF_JOINED) ? NULL :
			       json_object_new_string(e->flags & LNW_EVF_JOIN_SKB ? "skb" : "addr"));
	return o;
}

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
		json_object_object_add(p, "ns_per_run", json_object_new_double(ns_per_run(&s->progs[i])));
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
	char buf[INET_ADDRSTRLEN], pbuf[8];
	struct in_addr a;
	size_t i;

	for (i = 0; i < s->n_exposures; i++) {
		const struct lnw_exposure *x = &s->exposures[i];
		json_object *o = json_object_new_object();

		a.s_addr = x->saddr;
		json_object_object_add(o, "saddr", json_object_new_string(inet_ntop(AF_INET, &a, buf, sizeof(buf))));
		json_object_object_add(o, "ifname", json_ifname(x->ifname));
		a.s_addr = x->sock_addr;
		json_object_object_add(o, "service_addr", json_object_new_string(inet_ntop(AF_INET, &a, buf, sizeof(buf))));
		json_object_object_add(o, "service_port", json_object_new_int(x->sock_port));
		json_object_object_add(o, "proto", json_object_new_string(proto_name(x->proto, pbuf, sizeof(pbuf))));
		json_object_object_add(o, "pid", x->pid > 0 ? json_object_new_int(x->pid) : NULL);
		json_object_object_add(o, "comm", x->pid > 0 ? json_object_new_string(x->comm) : NULL);
		json_object_object_add(o, "packets", json_object_new_uint64(x->packets));
		json_object_array_add(arr, o);
	}
	return arr;
}

static void exposures_print(FILE *f, const struct lnw_summary *s)
{
	char src[INET_ADDRSTRLEN], svc[32], pbuf[8], name[4 * LNW_IFNAMSIZ + 1];
	struct in_addr a;
	size_t i;

	if (!s->n_exposures)
		return;
	fprintf(f, "\nOBSERVED EXPOSURE: loopback-only services reached from a real interface\n");
	for (i = 0; i < s->n_exposures; i++) {
		const struct lnw_exposure *x = &s->exposures[i];

		a.s_addr = x->saddr;
		inet_ntop(AF_INET, &a, src, sizeof(src));
		lnw_format_addr(svc, sizeof(svc), x->sock_addr, x->sock_port, x->proto);
		lnw_name_printable(x->ifname, name, sizeof(name));
		fprintf(f, "  %s via %s -> %s/%s (pid %d %s): %llu packet(s)\n"
			"    fix: net.ipv4.conf.{%s,all}.route_localnet=0, or a guard rule\n",
			src, name, svc, proto_name(x->proto, pbuf, sizeof(pbuf)), x->pid,
			x->pid > 0 ? x->comm : "?", x->packets, name);
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
		json_object_object_add(c, "ifname", json_ifname(r->ifname));
		json_object_object_add(c, "verdict", json_object_new_string(lnw_verdict_name(r->key.verdict)));
		json_object_object_add(c, "reason", json_str(r->reason));
		json_object_object_add(c, "packets", json_object_new_uint64(r->val.packets));
		json_object_object_add(c, "bytes", json_object_new_uint64(r->val.bytes));
		json_object_array_add(arr, c);
	}
	json_object_object_add(o, "type", json_object_new_string(s->type ? s->type : "summary"));
	json_object_object_add(o, "elapsed_s", json_object_new_double(s->elapsed_s));
	json_object_object_add(o, "counters", arr);
	json_object_object_add(o, "lost_events", json_object_new_uint64(s->lost_events));
	json_object_object_add(o, "counter_overflow", json_object_new_uint64(s->counter_overflow));
	json_object_object_add(o, "rate_limited", json_object_new_uint64(s->rate_limited));
	if (s->latency)
		json_object_object_add(o, "latency", latency_json(s->latency));
	if (s->n_progs)
		json_object_object_add(o, "overhead", overhead_json(s));
	json_object_object_add(paths, "attach", json_str(s->attach));
	json_object_object_add(paths, "join", json_str(s->join));
	json_object_object_add(paths, "reason", json_str(s->reason_path));
	json_object_object_add(paths, "delivery", json_str(s->delivery));
	json_object_object_add(paths, "location", json_str(s->location));
	hooks = json_object_new_object();
	json_object_object_add(hooks, "mode", json_str(s->route_hooks));
	json_object_object_add(hooks, "attached", json_object_new_boolean(s->route_hooks_attached));
	json_object_object_add(hooks, "switches", json_object_new_uint64(s->route_hooks_switches));
	json_object_object_add(paths, "route_hooks", hooks);
	json_object_object_add(o, "exposures", exposures_json(s));
	json_object_object_add(o, "paths", paths);
	return o;
}

void lnw_summary_print(FILE *f, const struct lnw_summary *s, bool wide)
{
	char name[4 * LNW_IFNAMSIZ + 1];
	size_t i;

	fprintf(f, "\n-- %s %.1f s: %s, %s join, %s reason, delivery %s --\n",
		s->type, s->elapsed_s, s->attach, s->join, s->reason_path,
		s->delivery ? s->delivery : "none");
	fprintf(f, "route hooks: %s, %s now, %u switch(es)\n", s->route_hooks,
		s->route_hooks_attached ? "attached" : "detached", s->route_hooks_switches);
	fprintf(f, "%-10s %-*s %-13s %-12s %9s %11s\n", "NETNS",
		wide ? 15 : 7, "IFACE", "VERDICT", "REASON", "PACKETS", "BYTES");
	for (i = 0; i < s->n_rows; i++) {
		const struct lnw_counter_row *r = &s->rows[i];

		lnw_name_printable(r->ifname, name, sizeof(name));
		if (!wide)
			shorten_name(name);
		fprintf(f, "%-10u %-*s %-13s %-12.12s %9llu %11llu\n", r->key.netns,
			wide ? 15 : 7, name, lnw_verdict_name(r->key.verdict),
			r->reason ? r->reason : "-",
			(unsigned long long)r->val.packets,
			(unsigned long long)r->val.bytes);
	}
	if (!s->n_rows)
		fprintf(f, "(no packet to or from 127.0.0.0/8 seen)\n");
	fprintf(f, "lost events: %llu   counter map overflow: %llu   held back by -r: %llu\n",
		s->lost_events, s->counter_overflow, s->rate_limited);
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

void lnw_json_emit(FILE *f, struct json_object *obj)
{
	fputs(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE), f);
	putc('\n', f);
	json_object_put(obj);
}

void lnw_error(bool json, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "error", json_object_new_string(msg));
		lnw_json_emit(stdout, o);
		fflush(stdout);
	} else {
		fprintf(stderr, "lnwatch: %s\n", msg);
	}
}

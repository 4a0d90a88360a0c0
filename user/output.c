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
#define NARROW_ADDRS 42 /* "source destination" share this many columns */

const char *lnw_verdict_name(unsigned int verdict)
{
	static const char *const names[LNW_VERDICT_MAX] = {
		[LNW_SEEN] = "seen",
		[LNW_MARTIAN_DST] = "martian-dst",
		[LNW_MARTIAN_SRC] = "martian-src",
		[LNW_ACCEPT] = "accept",
	};

	return verdict < LNW_VERDICT_MAX ? names[verdict] : "unknown";
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

void lnw_format_addr(char *buf, size_t len, __u32 be_addr, __u16 port,
		     __u8 proto)
{
	char ip[INET_ADDRSTRLEN];
	struct in_addr a = { .s_addr = be_addr };

	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	if (has_ports(proto))
		snprintf(buf, len, "%s:%u", ip, port);
	else
		snprintf(buf, len, "%s", ip);
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
	time_t secs = (time_t)(wall_ns / 1000000000LL);
	struct tm tm;

	localtime_r(&secs, &tm);
	if (wide)
		snprintf(buf, len, "%02d:%02d:%02d.%06lld", tm.tm_hour, tm.tm_min,
			 tm.tm_sec, (wall_ns % 1000000000LL) / 1000);
	else
		snprintf(buf, len, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
			 tm.tm_sec);
}

static char flag_char(__u8 v)
{
	return v == LNW_FLAG_UNKNOWN ? '?' : (char)('0' + (v != 0));
}

#define NARROW_FMT "%-8s %-7s %-4s %-42s "
#define WIDE_FMT "%-15s %-15s %-5s %-21s %-43s "

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

void lnw_format_event_line(const struct lnw_event_view *v, bool wide,
			   char *buf, size_t len)
{
	const struct lnw_event *e = v->ev;
	char tbuf[32], pbuf[8], src[32], dst[32], orig[32], dcol[72], addrs[128];
	char name[4 * LNW_IFNAMSIZ + 1];
	const char *proto = proto_name(e->proto, pbuf, sizeof(pbuf));

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
		snprintf(dcol, sizeof(dcol), "%s", dst);
	}

	if (wide) {
		snprintf(buf, len, WIDE_FMT " %c   %c   %c  %s%s%s%s",
			 tbuf, name, proto, src, dcol, flag_char(e->rl_all),
			 flag_char(e->rl_dev), flag_char(e->rl_eff),
			 lnw_verdict_name(e->verdict), v->reason ? " (" : "",
			 v->reason ? v->reason : "", v->reason ? ")" : "");
		return;
	}
	shorten_name(name); /* -w shows it whole */
	/* Narrow: give up the source port (ephemeral, mostly) before the
	 * NAT original; "*" marks a NAT shown only by -w. */
	if (21 + 1 + strlen(dcol) <= NARROW_ADDRS)
		snprintf(addrs, sizeof(addrs), "%-21s %s", src, dcol);
	else if (strlen(src) + 1 + strlen(dcol) <= NARROW_ADDRS)
		snprintf(addrs, sizeof(addrs), "%s %s", src, dcol);
	else if (lnw_format_addr(src, sizeof(src), e->saddr, 0, 0),
		 strlen(src) + 1 + strlen(dcol) <= NARROW_ADDRS)
		snprintf(addrs, sizeof(addrs), "%s %s", src, dcol);
	else
		snprintf(addrs, sizeof(addrs), "%s %s*", src, dst);
	snprintf(buf, len, NARROW_FMT "%c  %s", tbuf, name, proto, addrs,
		 flag_char(e->rl_eff), lnw_verdict_name(e->verdict));
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

struct json_object *lnw_event_json(const struct lnw_event_view *v)
{
	static const char *const orig_src[] = { NULL, "ingress", "conntrack" };
	static const char *const reason_src[] = { NULL, "kernel", "inferred" };
	const struct lnw_event *e = v->ev;
	json_object *o = json_object_new_object(), *rl = json_object_new_object();
	char ts[48], buf[32], pbuf[8];
	time_t secs = (time_t)(v->wall_ns / 1000000000LL);
	struct tm tm;
	struct in_addr a;

	gmtime_r(&secs, &tm);
	snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, (v->wall_ns % 1000000000LL) / 1000);
	json_object_object_add(o, "type", json_object_new_string("event"));
	json_object_object_add(o, "ts", json_object_new_string(ts));
	json_object_object_add(o, "ktime_ns", json_object_new_uint64(e->ts_ns));
	json_object_object_add(o, "netns", json_object_new_uint64(e->netns));
	json_object_object_add(o, "ifindex", json_object_new_int((int)e->ifindex));
	json_object_object_add(o, "ifname", json_ifname(v->ifname));
	json_object_object_add(o, "proto",
			       json_object_new_string(proto_name(e->proto, pbuf, sizeof(pbuf))));
	a.s_addr = e->saddr;
	json_object_object_add(o, "saddr", json_object_new_string(inet_ntop(AF_INET, &a, buf, sizeof(buf))));
	json_object_object_add(o, "sport", has_ports(e->proto) ? json_object_new_int(e->sport) : NULL);
	a.s_addr = e->daddr;
	json_object_object_add(o, "daddr", json_object_new_string(inet_ntop(AF_INET, &a, buf, sizeof(buf))));
	json_object_object_add(o, "dport", has_ports(e->proto) && !dport_unknown(e) ?
			       json_object_new_int(e->dport) : NULL);
	a.s_addr = nat_changed(e) ? e->orig_daddr : e->daddr;
	json_object_object_add(o, "orig_daddr", json_object_new_string(inet_ntop(AF_INET, &a, buf, sizeof(buf))));
	json_object_object_add(o, "orig_dport", has_ports(e->proto) ?
			       json_object_new_int(nat_changed(e) ? e->orig_dport : e->dport) : NULL);
	json_object_object_add(o, "nat", json_object_new_boolean(nat_changed(e)));
	json_object_object_add(o, "orig_source", json_str(e->orig_src < 3 ? orig_src[e->orig_src] : NULL));
	json_object_object_add(rl, "all", json_flag(e->rl_all));
	json_object_object_add(rl, "dev", json_flag(e->rl_dev));
	json_object_object_add(rl, "effective", json_flag(e->rl_eff));
	json_object_object_add(o, "route_localnet", rl);
	json_object_object_add(o, "verdict", json_object_new_string(lnw_verdict_name(e->verdict)));
	json_object_object_add(o, "reason", json_str(v->reason));
	json_object_object_add(o, "reason_source",
			       json_str(e->reason_src < 3 ? reason_src[e->reason_src] : NULL));
	json_object_object_add(o, "len", json_object_new_int((int)e->len));
	if (e->verdict == LNW_ACCEPT) {
		json_object *fib = json_object_new_object();

		json_object_object_add(fib, "table", json_object_new_int((int)e->fib_table));
		json_object_object_add(fib, "oif", json_object_new_int((int)e->fib_oif));
		json_object_object_add(o, "fib", fib);
	}
	json_object_object_add(o, "join", !(e->flags & LNW_EVF_JOINED) ? NULL :
			       json_object_new_string(e->flags & LNW_EVF_JOIN_SKB ? "skb" : "addr"));
	return o;
}

struct json_object *lnw_summary_json(const struct lnw_summary *s)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	json_object *paths = json_object_new_object();
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
	json_object_object_add(o, "type", json_object_new_string("summary"));
	json_object_object_add(o, "elapsed_s", json_object_new_double(s->elapsed_s));
	json_object_object_add(o, "counters", arr);
	json_object_object_add(o, "lost_events", json_object_new_uint64(s->lost_events));
	json_object_object_add(o, "counter_overflow", json_object_new_uint64(s->counter_overflow));
	json_object_object_add(paths, "attach", json_str(s->attach));
	json_object_object_add(paths, "join", json_str(s->join));
	json_object_object_add(paths, "reason", json_str(s->reason_path));
	json_object_object_add(o, "paths", paths);
	return o;
}

void lnw_summary_print(FILE *f, const struct lnw_summary *s, bool wide)
{
	char name[4 * LNW_IFNAMSIZ + 1];
	size_t i;

	fprintf(f, "\n-- lnwatch summary: %.1f s, %s, join by %s, reason %s --\n",
		s->elapsed_s, s->attach, s->join, s->reason_path);
	fprintf(f, "%-10s %-*s %-11s %-14s %10s %12s\n", "NETNS",
		wide ? 15 : 7, "IFACE", "VERDICT", "REASON", "PACKETS", "BYTES");
	for (i = 0; i < s->n_rows; i++) {
		const struct lnw_counter_row *r = &s->rows[i];

		lnw_name_printable(r->ifname, name, sizeof(name));
		if (!wide)
			shorten_name(name);
		fprintf(f, "%-10u %-*s %-11s %-14.14s %10llu %12llu\n", r->key.netns,
			wide ? 15 : 7, name, lnw_verdict_name(r->key.verdict),
			r->reason ? r->reason : "-",
			(unsigned long long)r->val.packets,
			(unsigned long long)r->val.bytes);
	}
	if (!s->n_rows)
		fprintf(f, "(no packet to or from 127.0.0.0/8 seen)\n");
	fprintf(f, "lost events: %llu   counter map overflow: %llu\n",
		s->lost_events, s->counter_overflow);
}

void lnw_json_emit(FILE *f, struct json_object *obj)
{
	fprintf(f, "%s\n", json_object_to_json_string_ext(obj,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
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

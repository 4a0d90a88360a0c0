// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of the event JSON (user/watch/event_line.h): interface names
 * as valid UTF-8, every field, ports unknown after DNAT. No kernel, no BPF.
 */
#include <arpa/inet.h>
#include "unit.h"
#include "lib/json.h"
#include "lib/text.h"
#include "watch/verdict.h"

/* ---- JSON ---------------------------------------------------------------- */

/* ifname -> what "ifname" must parse back to (NULL: only U+FFFD). */
static void check_json_ifname(const char *raw, const char *want)
{
	struct lnw_event e = mk_event("10.0.0.1", 1, "127.0.0.1", 2, 17, 1);
	json_object *o = event_json(&e, raw, NULL);
	bool present;
	json_object *v = jget(o, "ifname", &present);
	const char *got = json_object_is_type(v, json_type_string) ?
			  json_object_get_string(v) : NULL;

	CHECK(got, "ifname missing for '%s'", esc(raw));
	if (got && want)
		CHECK(!strcmp(got, want), "ifname '%s' -> '%s', want '%s'",
		      esc(raw), esc(got), esc(want));
	if (got && !want) {
		const char *p = got;

		while (!strncmp(p, "\xef\xbf\xbd", 3))
			p += 3;
		CHECK(p != got && !*p, "ifname '%s' -> '%s', want only U+FFFD",
		      esc(raw), esc(got));
	}
	want_str(o, "type", "event");
	json_object_put(o);
}

#define JSON_IFNAME_TEST(fn, raw, want) \
	static void fn(void) { check_json_ifname(raw, want); }

JSON_IFNAME_TEST(t_json_if_quote, "a\"b\\c", "a\"b\\c")
JSON_IFNAME_TEST(t_json_if_ctrl, "x\x01y", "x\x01y")
JSON_IFNAME_TEST(t_json_if_tab, "tab\there", "tab\there")
JSON_IFNAME_TEST(t_json_if_del, "\x1f\x7f", "\x1f\x7f")
JSON_IFNAME_TEST(t_json_if_fffe, "\xff\xfe", "\xef\xbf\xbd\xef\xbf\xbd")
JSON_IFNAME_TEST(t_json_if_umlaut, "\xc3\xbc-eth", "\xc3\xbc-eth")
JSON_IFNAME_TEST(t_json_if_slash_like, "</script>", "</script>")
JSON_IFNAME_TEST(t_json_if_15ff,
		 "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
		 NULL)
JSON_IFNAME_TEST(t_json_if_overlong3, "\xe0\x80\xaf", NULL)
JSON_IFNAME_TEST(t_json_if_surrogate, "\xed\xa0\x80", NULL)

static void t_json_event_nat(void)
{
	struct lnw_event e = mk_event("192.168.1.10", 40000, "127.0.0.1", 8080,
				      17, LNW_MARTIAN_DST);
	json_object *o;

	set_nat(&e, "10.0.0.1", 80, LNW_ORIG_CONNTRACK);
	set_flags(&e, 0, 1, 1);
	e.reason = 77;
	e.reason_src = LNW_REASON_KERNEL;
	e.flags = LNW_EVF_JOINED | LNW_EVF_JOIN_SKB;
	o = event_json(&e, "eth0", "IP_LOCALNET");
	want_str(o, "type", "event");
	want_str(o, "ts", "2023-11-14T22:13:20.123456Z");
	want_uint(o, "ktime_ns", 123456789);
	want_uint(o, "netns", 4026531840u);
	want_uint(o, "ifindex", 3);
	want_str(o, "ifname", "eth0");
	want_str(o, "proto", "udp");
	want_str(o, "saddr", "192.168.1.10");
	want_uint(o, "sport", 40000);
	want_str(o, "daddr", "127.0.0.1");
	want_uint(o, "dport", 8080);
	want_str(o, "orig_daddr", "10.0.0.1");
	want_uint(o, "orig_dport", 80);
	want_bool(o, "nat", true);
	want_str(o, "orig_source", "conntrack");
	want_uint(o, "route_localnet.all", 0);
	want_uint(o, "route_localnet.dev", 1);
	want_uint(o, "route_localnet.effective", 1);
	want_str(o, "verdict", "martian-dst");
	want_str(o, "reason", "IP_LOCALNET");
	want_str(o, "reason_source", "kernel");
	want_uint(o, "len", 42);
	want_str(o, "join", "skb");
	want_absent(o, "fib");
	json_object_put(o);
}

static void t_json_event_plain_unknown(void)
{
	struct lnw_event e = mk_event("127.0.0.5", 5001, "10.0.0.1", 22, 6,
				      LNW_SEEN);
	json_object *o;

	set_flags(&e, LNW_FLAG_UNKNOWN, LNW_FLAG_UNKNOWN, LNW_FLAG_UNKNOWN);
	o = event_json(&e, "eth1", NULL);
	want_str(o, "proto", "tcp");
	want_str(o, "saddr", "127.0.0.5");
	want_uint(o, "sport", 5001);
	want_str(o, "daddr", "10.0.0.1");
	want_uint(o, "dport", 22);
	want_str(o, "orig_daddr", "10.0.0.1");
	want_uint(o, "orig_dport", 22);
	want_bool(o, "nat", false);
	want_null(o, "orig_source");
	want_null(o, "route_localnet.all");
	want_null(o, "route_localnet.dev");
	want_null(o, "route_localnet.effective");
	want_str(o, "verdict", "seen");
	want_null(o, "reason");
	want_null(o, "reason_source");
	want_null(o, "join"); /* not joined to tc ingress */
	json_object_put(o);
}

static void t_json_event_accept_icmp(void)
{
	struct lnw_event e = mk_event("10.0.0.2", 0, "127.0.0.1", 0, 1,
				      LNW_ACCEPT);
	json_object *o;

	set_flags(&e, 1, 0, 1);
	set_nat(&e, "10.0.0.9", 0, LNW_ORIG_INGRESS);
	e.fib_table = 255;
	e.fib_oif = 1;
	e.flags = LNW_EVF_JOINED; /* by address: no JOIN_SKB */
	o = event_json(&e, "eth0", NULL);
	want_str(o, "proto", "icmp");
	want_null(o, "sport");
	want_null(o, "dport");
	want_null(o, "orig_dport");
	want_str(o, "orig_daddr", "10.0.0.9");
	want_str(o, "orig_source", "ingress");
	want_uint(o, "route_localnet.all", 1);
	want_uint(o, "route_localnet.dev", 0);
	want_uint(o, "route_localnet.effective", 1);
	want_str(o, "verdict", "accept");
	want_uint(o, "fib.table", 255);
	want_uint(o, "fib.oif", 1);
	want_str(o, "join", "addr");
	json_object_put(o);
}

/* Address join after DNAT: the routed port is not known. */
static void t_ports_unknown(void)
{
	struct lnw_event e = mk_event("10.0.0.2", 40000, "127.0.0.1", 5001, 17,
				      LNW_ACCEPT);
	char line[LINE_LEN];
	json_object *o;

	set_nat(&e, "10.0.0.1", 5001, LNW_ORIG_INGRESS);
	e.flags = LNW_EVF_JOINED | LNW_EVF_PORTS_UNKNOWN;
	o = event_json(&e, "eth0", NULL);
	want_null(o, "dport");
	want_uint(o, "sport", 40000);
	want_uint(o, "orig_dport", 5001);
	want_str(o, "orig_daddr", "10.0.0.1");
	want_str(o, "join", "addr");
	json_object_put(o);
	fmt_line(&e, "eth0", NULL, false, line);
	CHECK(strstr(line, " 10.0.0.1:5001>127.0.0.1:? "), "narrow: '%s'", line);
	fmt_line(&e, "eth0", NULL, true, line);
	CHECK(strstr(line, " 10.0.0.1:5001>127.0.0.1:? "), "wide: '%s'", line);
	/* no ports to hide without TCP/UDP */
	e.proto = 1;
	fmt_line(&e, "eth0", NULL, false, line);
	CHECK(strstr(line, " 10.0.0.1>127.0.0.1 ") && !strchr(line, '?'),
	      "icmp: '%s'", line);
}

/* ---- the fast writer against json-c ---------------------------------------- */

/* json-c's model of an event: lnw_event_json as it was built with json-c
 * objects (keys, order, nulls). The hand-written line must parse to the
 * same object. */
static json_object *model_flag(__u8 v)
{
	return v == LNW_FLAG_UNKNOWN ? NULL : json_object_new_int(v);
}

static json_object *model_ts(long long wall_ns)
{
	time_t secs = (time_t)(wall_ns / 1000000000LL);
	char ts[64];
	struct tm tm;

	gmtime_r(&secs, &tm);
	snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		 tm.tm_sec, (wall_ns % 1000000000LL) / 1000);
	return json_object_new_string(ts);
}

static json_object *model_addr6(const __u8 *a)
{
	char s[INET6_ADDRSTRLEN];

	return json_object_new_string(inet_ntop(AF_INET6, a, s, sizeof(s)));
}

static json_object *model_event_json(const struct lnw_event_view *v)
{
	static const char *const orig_src[] = { NULL, "ingress", "conntrack" };
	static const char *const reason_src[] = { NULL, "kernel", "inferred" };
	const struct lnw_event *e = v->ev;
	json_object *o = json_object_new_object(), *rl = json_object_new_object();
	bool nat = e->orig_src != LNW_ORIG_NONE, ports = lnw_proto_has_ports(e->proto);
	char pbuf[8];

#define ADD(obj, key, val) json_object_object_add(obj, key, val)
	ADD(o, "type", json_object_new_string("event"));
	ADD(o, "ts", model_ts(v->wall_ns));
	ADD(o, "ktime_ns", json_object_new_uint64(e->ts_ns));
	ADD(o, "netns", json_object_new_uint64(e->netns));
	ADD(o, "ifindex", json_object_new_int((int)e->ifindex));
	ADD(o, "ifname", lnw_json_name(v->ifname));
	ADD(o, "family", json_object_new_int(v->ev6 ? 6 : 4));
	ADD(o, "proto", json_object_new_string(lnw_proto_name(e->proto, pbuf, sizeof(pbuf))));
	ADD(o, "saddr", v->ev6 ? model_addr6(v->ev6->saddr) : lnw_json_addr(e->saddr));
	ADD(o, "sport", ports ? json_object_new_int(e->sport) : NULL);
	ADD(o, "daddr", v->ev6 ? model_addr6(v->ev6->daddr) : lnw_json_addr(e->daddr));
	ADD(o, "dport", ports && !(e->flags & LNW_EVF_PORTS_UNKNOWN) ?
		       json_object_new_int(e->dport) : NULL);
	ADD(o, "orig_daddr", v->ev6 ? model_addr6(v->ev6->daddr) :
		       lnw_json_addr(nat ? e->orig_daddr : e->daddr));
	ADD(o, "orig_dport", ports ? json_object_new_int(nat ? e->orig_dport : e->dport) : NULL);
	ADD(o, "nat", json_object_new_boolean(nat));
	ADD(o, "orig_source", lnw_json_str(e->orig_src < 3 ? orig_src[e->orig_src] : NULL));
	ADD(rl, "all", model_flag(e->rl_all));
	ADD(rl, "dev", model_flag(e->rl_dev));
	ADD(rl, "effective", model_flag(e->rl_eff));
	if (v->ev6) /* IPv6 has no such knob */
		json_object_put(rl);
	ADD(o, "route_localnet", v->ev6 ? NULL : rl);
	ADD(o, "verdict", json_object_new_string(lnw_verdict_name(e->verdict)));
	ADD(o, "reason", lnw_json_str(v->reason));
	ADD(o, "location", lnw_json_str(v->location));
	ADD(o, "reason_source", lnw_json_str(e->reason_src < 3 ? reason_src[e->reason_src] : NULL));
	ADD(o, "len", json_object_new_int((int)e->len));
	if (e->verdict == LNW_ACCEPT) {
		json_object *fib = json_object_new_object();

		ADD(fib, "table", json_object_new_int((int)e->fib_table));
		ADD(fib, "oif", json_object_new_int((int)e->fib_oif));
		ADD(o, "fib", fib);
	}
	ADD(o, "suppressed", json_object_new_int64(e->suppressed));
	ADD(o, "latency_ns", v->latency && e->latency_ns ?
		       json_object_new_uint64(e->latency_ns) : NULL);
	if (e->verdict == LNW_DELIVERED) {
		json_object *sock = json_object_new_object();

		ADD(sock, "addr", lnw_json_addr(e->sock_addr));
		ADD(sock, "port", json_object_new_int(e->sock_port));
		ADD(sock, "inode", json_object_new_uint64(e->sock_ino));
		ADD(o, "socket", sock);
		ADD(o, "exposure", json_object_new_boolean(v->exposure));
	}
	if (e->verdict == LNW_DNAT_EXPOSED) {
		ADD(o, "reached", json_object_new_string(e->flags & LNW_EVF_FORWARDED ?
							  "forwarded" : "local"));
		ADD(o, "oif", json_object_new_int((int)e->fib_oif));
		ADD(o, "exposure", json_object_new_boolean(1));
	}
	if (e->verdict == LNW_DELIVERED || e->verdict == LNW_REPLY_REFUSED ||
	    e->verdict == LNW_LOCAL_REFUSED) {
		ADD(o, "pid", v->pid > 0 ? json_object_new_int(v->pid) : NULL);
		ADD(o, "comm", v->comm ? lnw_json_name(v->comm) : NULL);
	}
	if (v->maybe_reply)
		ADD(o, "maybe_reply", json_object_new_boolean(1));
	ADD(o, "join", !(e->flags & LNW_EVF_JOINED) ? NULL :
		       json_object_new_string(e->flags & LNW_EVF_JOIN_SKB ? "skb" : "addr"));
#undef ADD
	return o;
}

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void) /* xorshift64*: the same events every run */
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return rnd_state * 0x2545f4914f6cdd1dULL;
}

/* Pieces of hostile names: controls, ESC sequences, C1 (CSI), quotes,
 * backslashes, invalid and valid UTF-8. */
static const char *const bits[] = {
	"a", "eth0", "\"", "\\", "/", "\x01", "\x1b[31m", "\x1b]0;x\x07", "\n", "\t",
	"\x7f", "\xc2\x9b", "\xc2\x85", "\xc2\xa0", "\xc3\xbc", "\xe2\x82\xac",
	"\xf0\x9f\x98\x80", "\xff", "\xfe", "\x80", "\xc0\xaf", "\xe0\x80\xaf",
	"\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\xf0\x9f\x98", "\\u0000",
};

/* Up to max bytes of random pieces; valid: only valid UTF-8 pieces. */
static void rnd_name(char *out, size_t max, bool valid)
{
	size_t o = 0, n = rnd() % 8;

	while (n--) {
		const char *b = bits[rnd() % N(bits)];
		size_t l = strlen(b);

		if ((valid && !utf8_valid(b)) || o + l > max)
			continue;
		memcpy(out + o, b, l);
		o += l;
	}
	out[o] = '\0';
}

/* An IPv6 record's addresses: ::1, zeros or random bytes, each. */
static void rnd_addrs6(struct lnw_event6 *e6)
{
	__u8 *a[2] = { e6->saddr, e6->daddr };
	int i, k;

	memset(e6, 0, sizeof(*e6));
	for (k = 0; k < 2; k++) {
		switch (rnd() % 3) {
		case 0:
			a[k][15] = 1;
			break;
		case 1:
			for (i = 0; i < 16; i++)
				a[k][i] = (__u8)rnd();
			break;
		}
	}
}

static void rnd_event(struct lnw_event *e, struct lnw_event_view *v, char *ifname,
		      char *comm, char *reason, char *location, struct lnw_event6 *e6)
{
	static const __u8 protos[] = { 1, 6, 17, 0, 255, 47 };
	static const __u8 flags[] = { 0, 1, LNW_FLAG_UNKNOWN, 7 };

	memset(e, 0, sizeof(*e));
	e->ts_ns = rnd();
	e->netns = (__u32)rnd();
	e->ifindex = (__u32)rnd() >> (rnd() % 32);
	e->saddr = (__u32)rnd();
	e->daddr = (__u32)rnd();
	e->orig_daddr = (__u32)rnd();
	e->sport = (__u16)rnd();
	e->dport = (__u16)rnd();
	e->orig_dport = (__u16)rnd();
	e->len = (__u32)rnd() >> (rnd() % 32);
	e->fib_table = (__u32)rnd() >> (rnd() % 32);
	e->fib_oif = (__u32)rnd() >> (rnd() % 32);
	e->latency_ns = rnd() % 3 ? rnd() : 0;
	e->sock_ino = rnd();
	e->suppressed = (__u32)rnd();
	e->sock_addr = (__u32)rnd();
	e->sock_port = (__u16)rnd();
	e->proto = protos[rnd() % N(protos)];
	e->verdict = (__u8)(rnd() % (LNW_VERDICT_MAX + 2));
	e->reason_src = (__u8)(rnd() % 4);
	e->orig_src = (__u8)(rnd() % 4);
	e->rl_all = flags[rnd() % N(flags)];
	e->rl_dev = flags[rnd() % N(flags)];
	e->rl_eff = flags[rnd() % N(flags)];
	e->flags = (__u8)rnd();
	rnd_name(ifname, 15, false);
	rnd_name(comm, 15, false);
	rnd_name(reason, 40, true);
	rnd_name(location, 60, true);
	*v = (struct lnw_event_view){
		.ev = e, .ifname = ifname, .wall_ns = (long long)(rnd() % 4000000000000000000ULL),
		.pid = rnd() % 3 ? (int)(rnd() % 4194304) - 1 : -1,
		.comm = rnd() % 4 ? comm : NULL, .reason = rnd() % 3 ? reason : NULL,
		.location = rnd() % 3 ? location : NULL, .latency = rnd() % 2,
		.exposure = rnd() % 2,
		.maybe_reply = rnd() % 7 == 0,
	};
	if (rnd() % 4 == 0) {
		rnd_addrs6(e6);
		v->ev6 = e6;
	}
}

static const char *plain(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* 20000 random events with hostile names: the hand-written line parses
 * (strictly, valid UTF-8, no raw control byte) to json-c's model, keys in
 * the same order. */
static void t_json_line_equals_model(void)
{
	char ifname[32], comm[32], reason[64], location[64];
	struct lnw_event_view v;
	struct lnw_event6 e6;
	struct lnw_event e;
	int i;

	for (i = 0; i < 20000 && !cur_failed; i++) {
		json_object *fast, *model;

		rnd_event(&e, &v, ifname, comm, reason, location, &e6);
		fast = roundtrip(lnw_event_json(&v));
		model = roundtrip(model_event_json(&v));
		CHECK(fast && model && json_object_equal(fast, model) &&
		      !strcmp(plain(fast), plain(model)),
		      "event %d differs:\n  fast  %s\n  model %s", i,
		      esc(fast ? plain(fast) : "null"), esc(model ? plain(model) : "null"));
		json_object_put(fast);
		json_object_put(model);
	}
}

/* Nothing a terminal acts on: no C0 byte, no DEL, no C1 (U+0080..U+009F),
 * whatever bytes the four strings hold. */
static void check_no_escape(const char *line, size_t len, const char *what)
{
	size_t i;

	CHECK(strlen(line) == len, "%s: length %zu, strlen %zu", what, len, strlen(line));
	CHECK(utf8_valid(line), "%s: not UTF-8: %s", what, esc(line));
	for (i = 0; i < len && !cur_failed; i++) {
		unsigned char c = (unsigned char)line[i];

		CHECK(c >= 0x20 && c != 0x7f, "%s: byte %#x at %zu: %s", what, c, i, esc(line));
		CHECK(!(c == 0xc2 && (unsigned char)line[i + 1] >= 0x80 &&
			(unsigned char)line[i + 1] < 0xa0),
		      "%s: C1 at %zu: %s", what, i, esc(line));
	}
}

static void t_json_line_no_terminal_escape(void)
{
	struct lnw_event e = mk_event("10.0.0.1", 1, "127.0.0.1", 2, 17, LNW_DELIVERED);
	char s[8], line[LNW_EVENT_JSON_MAX], what[32];
	struct lnw_event_view v = { .ev = &e, .ifname = s, .comm = s, .reason = s,
				    .location = s, .pid = 1, .wall_ns = WALL_NS };
	unsigned int b;
	size_t n;

	for (b = 1; b < 0x100 && !cur_failed; b++) {
		snprintf(s, sizeof(s), "%c", (char)b);
		n = lnw_event_json_line(&v, line, sizeof(line));
		snprintf(what, sizeof(what), "byte %#x", b);
		check_no_escape(line, n, what);
		snprintf(s, sizeof(s), "\xc2%c", (char)b); /* C1 when 0x80..0x9f */
		n = lnw_event_json_line(&v, line, sizeof(line));
		snprintf(what, sizeof(what), "0xc2 %#x", b);
		check_no_escape(line, n, what);
	}
}

/* Where json-c would have written invalid UTF-8 (reason, location are not
 * names to it), the line has U+FFFD; a short buffer gets nothing. */
static void t_json_line_reason_utf8(void)
{
	struct lnw_event e = mk_event("10.0.0.1", 1, "127.0.0.1", 2, 17, LNW_DROP);
	struct lnw_event_view v = { .ev = &e, .ifname = "eth0", .reason = "A\xff",
				    .location = "f\xc0+0x1", .wall_ns = WALL_NS };
	char line[LNW_EVENT_JSON_MAX];
	json_object *o = roundtrip(lnw_event_json(&v));

	want_str(o, "reason", "A\xef\xbf\xbd");
	want_str(o, "location", "f\xef\xbf\xbd+0x1");
	json_object_put(o);
	CHECK(lnw_event_json_line(&v, line, LNW_EVENT_JSON_MAX - 1) == 0,
	      "wrote into a buffer shorter than LNW_EVENT_JSON_MAX");
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "json ifname quote and backslash", t_json_if_quote },
		{ "json ifname control char", t_json_if_ctrl },
		{ "json ifname tab", t_json_if_tab },
		{ "json ifname 0x1f 0x7f", t_json_if_del },
		{ "json ifname invalid 0xff 0xfe", t_json_if_fffe },
		{ "json ifname utf8 umlaut", t_json_if_umlaut },
		{ "json ifname </script>", t_json_if_slash_like },
		{ "json ifname 15 invalid bytes", t_json_if_15ff },
		{ "json ifname overlong 3-byte", t_json_if_overlong3 },
		{ "json ifname surrogate", t_json_if_surrogate },
		{ "json event NAT martian fields", t_json_event_nat },
		{ "json event no NAT, unknown flags, null reason",
		  t_json_event_plain_unknown },
		{ "json event accept icmp fib", t_json_event_accept_icmp },
		{ "ports unknown after DNAT shown as null and ?", t_ports_unknown },
		{ "json line = json-c model, 20000 random hostile events",
		  t_json_line_equals_model },
		{ "json line: no terminal escape, every byte", t_json_line_no_terminal_escape },
		{ "json line: reason, location invalid UTF-8 -> U+FFFD",
		  t_json_line_reason_utf8 },
	};

	return run_all(tests, N(tests));
}

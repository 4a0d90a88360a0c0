// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of the event JSON (user/watch/event_line.h): interface names
 * as valid UTF-8, every field, ports unknown after DNAT. No kernel, no BPF.
 */
#include "unit.h"

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
	};

	return run_all(tests, N(tests));
}

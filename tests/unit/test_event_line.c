// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of the human event lines (user/watch/event_line.h): columns
 * under the header, widths, NAT, flags, cached times. No kernel, no BPF.
 */
#include <arpa/inet.h>
#include "unit.h"
#include "watch/verdict.h"

/* ---- human lines ------------------------------------------------------- */

static int hdr_col(bool wide, const char *title)
{
	const char *h = lnw_event_header(wide), *p = strstr(h, title);

	return p ? (int)(p - h) : -1;
}

/* Column where the line's verdict (its last word, maybe + reason) starts. */
static int verdict_col(const char *line, const struct lnw_event *e)
{
	const char *p = strstr(line, lnw_verdict_name(e->verdict));
	const char *last = NULL;

	for (; p; p = strstr(p + 1, lnw_verdict_name(e->verdict)))
		last = p;
	return last ? (int)(last - line) : -1;
}

/* Does line hold `want` at column col, followed by a space or the end? */
static bool at_col(const char *line, int col, const char *want)
{
	size_t n = strlen(want);

	return col >= 0 && (size_t)col <= strlen(line) &&
	       !strncmp(line + col, want, n) &&
	       (line[col + n] == ' ' || line[col + n] == '\0');
}

static const char *const combo_src[] = { "1.2.3.4", "10.0.0.1", "255.255.255.255" };
static const __u16 combo_sport[] = { 0, 65535 };
static const char *const combo_dst[] = { "127.0.0.1", "127.255.255.255" };
static const __u16 combo_dport[] = { 7, 65535 };
static const struct { const char *addr; __u16 port; } combo_nat[] = {
	{ NULL, 0 }, { "10.0.0.2", 80 }, { "255.255.255.254", 65535 },
};
static const __u8 combo_proto[] = { 6, 17, 1, 255 };
static const __u8 combo_verdict[] = { 0, 1, 2, 3, 200 };
static const char *const combo_if[] = {
	"eth0", "abcdefg", "abcdefghijklmno", "",
	"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f",
};
static const __u8 combo_flag[] = { 0, 1, LNW_FLAG_UNKNOWN };
/* the combinations' namespace: ours (OWN_NETNS), or another one's */
#define OWN_NETNS 4026531840u
static const __u32 combo_netns[] = { OWN_NETNS, 4026532177u, 4294967295u };

typedef void (*combo_fn)(const struct lnw_event *e, const char *ifname,
			 const char *line);

/* Every combination, as a narrow line; stops at the first failure. */
static void for_each_combo(combo_fn fn)
{
	size_t a, b, c, d, n, p, v, i, f, ns;
	char line[LINE_LEN];

	lnw_event_line_netns(OWN_NETNS, true);
	for (ns = 0; ns < N(combo_netns); ns++)

	for (a = 0; a < N(combo_src); a++)
	for (b = 0; b < N(combo_sport); b++)
	for (c = 0; c < N(combo_dst); c++)
	for (d = 0; d < N(combo_dport); d++)
	for (n = 0; n < N(combo_nat); n++)
	for (p = 0; p < N(combo_proto); p++)
	for (v = 0; v < N(combo_verdict); v++)
	for (i = 0; i < N(combo_if); i++)
	for (f = 0; f < N(combo_flag); f++) {
		struct lnw_event e = mk_event(combo_src[a], combo_sport[b],
					      combo_dst[c], combo_dport[d],
					      combo_proto[p], combo_verdict[v]);

		if (combo_nat[n].addr)
			set_nat(&e, combo_nat[n].addr, combo_nat[n].port,
				LNW_ORIG_INGRESS);
		set_flags(&e, combo_flag[f], combo_flag[f], combo_flag[f]);
		e.netns = combo_netns[ns];
		fmt_line(&e, combo_if[i], NULL, false, line);
		fn(&e, combo_if[i], line);
		if (cur_failed)
			goto out;
	}
out:
	lnw_event_line_netns(0, false);
}

static void combo_width(const struct lnw_event *e, const char *ifname,
			const char *line)
{
	(void)e;
	CHECK(strlen(line) <= LNW_NARROW_COLS, "%zu columns (if '%s'): '%s'",
	      strlen(line), esc(ifname), line);
}

static void combo_verdict_col(const struct lnw_event *e, const char *ifname,
			      const char *line)
{
	int want = hdr_col(false, "VERDICT"), got = verdict_col(line, e);

	(void)ifname;
	CHECK(got == want, "verdict at column %d, header at %d: '%s'",
	      got, want, line);
}

static void combo_flag_col(const struct lnw_event *e, const char *ifname,
			   const char *line)
{
	int col = hdr_col(false, "RL");
	char want = e->rl_eff == LNW_FLAG_UNKNOWN ? '?' : e->rl_eff ? '1' : '0';

	(void)ifname;
	CHECK(col >= 0 && (size_t)col < strlen(line) && line[col] == want &&
	      line[col + 1] == ' ', "flag column %d not '%c': '%s'", col, want, line);
}

/* A DNAT always shows: "orig>routed", "DNAT>routed" or ">routed"; never
 * a '>' without one. Another namespace's device always says which. */
static void combo_nat_mark(const struct lnw_event *e, const char *ifname,
			   const char *line)
{
	char tag[16];

	(void)ifname;
	if (e->orig_src == LNW_ORIG_NONE)
		CHECK(!strchr(line, '>'), "NAT mark without NAT: '%s'", line);
	else
		CHECK(strchr(line, '>'), "DNAT not shown: '%s'", line);
	snprintf(tag, sizeof(tag), "%u", e->netns);
	if (e->netns != OWN_NETNS)
		CHECK(strstr(line, tag + 5) && strchr(line, '@'),
		      "namespace %s not shown: '%s'", tag, line);
	else
		CHECK(!strchr(line, '@'), "own namespace marked: '%s'", line);
}

static void t_narrow_width(void)
{
	for_each_combo(combo_width);
}

static void t_narrow_verdict_column(void)
{
	for_each_combo(combo_verdict_col);
}

static void t_narrow_flag_column(void)
{
	for_each_combo(combo_flag_col);
}

static void t_narrow_nat_mark_only_for_nat(void)
{
	for_each_combo(combo_nat_mark);
}

static void t_narrow_header(void)
{
	static const char *const titles[] = {
		"TIME", "IFACE", "L4", "SOURCE", "DESTINATION", "RL", "VERDICT",
	};
	const char *h = lnw_event_header(false);
	int prev = -1;
	size_t i;

	CHECK(strlen(h) <= LNW_NARROW_COLS, "header is %zu columns: '%s'",
	      strlen(h), h);
	CHECK(!strchr(h, '\n'), "header has a newline");
	for (i = 0; i < N(titles); i++) {
		int col = hdr_col(false, titles[i]);

		CHECK(col > prev, "'%s' at %d, after column %d: '%s'", titles[i],
		      col, prev, h);
		prev = col;
	}
	CHECK(lnw_event_header(false) == h && !strcmp(lnw_event_header(false), h),
	      "header not stable");
}

/* A typical line: every field under its title. */
static void check_columns(bool wide)
{
	struct lnw_event e = mk_event("192.168.1.10", 40000, "127.0.0.1", 8080,
				      17, LNW_MARTIAN_DST);
	char line[LINE_LEN];
	const char *when = wide ? "22:13:20.123456" : "22:13:20";

	set_flags(&e, 0, 1, 1);
	fmt_line(&e, "eth0", wide ? "IP_LOCALNET" : NULL, wide, line);
	CHECK(at_col(line, hdr_col(wide, "TIME"), when), "time: '%s'", line);
	CHECK(at_col(line, hdr_col(wide, "IFACE"), "eth0"), "iface: '%s'", line);
	CHECK(at_col(line, hdr_col(wide, "L4"), "udp"), "L4: '%s'", line);
	CHECK(at_col(line, hdr_col(wide, "SOURCE"), "192.168.1.10:40000"),
	      "source: '%s'", line);
	CHECK(at_col(line, hdr_col(wide, "DESTINATION"), "127.0.0.1:8080"),
	      "destination: '%s'", line);
	CHECK(at_col(line, hdr_col(wide, "VERDICT"), "martian-dst"),
	      "verdict: '%s'", line);
	if (wide) {
		/* each flag centred under its three-letter title */
		CHECK(line[hdr_col(true, "ALL") + 1] == '0' &&
		      line[hdr_col(true, "DEV") + 1] == '1' &&
		      line[hdr_col(true, "EFF") + 1] == '1', "flags: '%s'", line);
		CHECK(strstr(line, "martian-dst (IP_LOCALNET)"), "reason: '%s'", line);
	} else {
		CHECK(line[hdr_col(false, "RL")] == '1', "flag: '%s'", line);
		CHECK(strlen(line) <= LNW_NARROW_COLS, "width: '%s'", line);
	}
}

static void t_narrow_columns(void)
{
	check_columns(false);
}

static void t_wide_columns(void)
{
	check_columns(true);
}

static void t_narrow_nat_fits(void)
{
	struct lnw_event e = mk_event("10.0.0.1", 4000, "127.0.0.1", 8080, 17,
				      LNW_MARTIAN_DST);
	struct lnw_event icmp = mk_event("1.1.1.1", 0, "127.0.0.1", 0, 1,
					 LNW_ACCEPT);
	char line[LINE_LEN];

	set_nat(&e, "10.0.0.2", 80, LNW_ORIG_CONNTRACK);
	fmt_line(&e, "eth0", NULL, false, line);
	CHECK(strstr(line, " 10.0.0.1:4000 10.0.0.2:80>127.0.0.1:8080 "),
	      "orig>routed missing: '%s'", line);
	CHECK(!strchr(line, '*'), "marked though whole: '%s'", line);
	CHECK(at_col(line, hdr_col(false, "VERDICT"), "martian-dst"),
	      "verdict column: '%s'", line);

	/* short enough for the aligned form */
	set_nat(&icmp, "1.1.1.2", 0, LNW_ORIG_INGRESS);
	fmt_line(&icmp, "eth0", NULL, false, line);
	CHECK(at_col(line, hdr_col(false, "DESTINATION"), "1.1.1.2>127.0.0.1"),
	      "aligned NAT destination: '%s'", line);
}

static void t_narrow_nat_too_long(void)
{
	struct lnw_event e = mk_event("255.255.255.255", 65535, "127.255.255.255",
				      65535, 6, LNW_MARTIAN_DST);
	char line[LINE_LEN];

	set_nat(&e, "255.255.255.254", 65535, LNW_ORIG_CONNTRACK);
	fmt_line(&e, "abcdefghijklmno", NULL, false, line);
	/* the source port may be given up too (output.c: it goes first) */
	CHECK(at_col(line, hdr_col(false, "SOURCE"), "255.255.255.255:65535") ||
	      at_col(line, hdr_col(false, "SOURCE"), "255.255.255.255"),
	      "source: '%s'", line);
	/* not even "DNAT>" fits: a bare '>' still says it */
	CHECK(strstr(line, " 255.255.255.255 >127.255.255.255:65535 "),
	      ">routed missing: '%s'", line);
	CHECK(!strstr(line, "255.255.255.254"), "original shown: '%s'", line);
	CHECK(!strstr(line, ">127.255.255.255:65535>"), "orig>routed shown: '%s'", line);
	fmt_line(&e, "abcdefghijklmno", NULL, true, line);
	CHECK(strstr(line, " 255.255.255.254:65535>127.255.255.255:65535 "),
	      "wide lacks orig>routed: '%s'", line);
}

/* A DNAT whose original has no room says so: "DNAT>routed", not a '*'. */
static void t_narrow_dnat_says_dnat(void)
{
	struct lnw_event e = mk_event("192.168.100.200", 54321, "127.0.0.1", 5000,
				      17, LNW_MARTIAN_DST);
	char line[LINE_LEN];

	set_nat(&e, "192.168.100.201", 30080, LNW_ORIG_CONNTRACK);
	fmt_line(&e, "eth0", NULL, false, line);
	CHECK(at_col(line, hdr_col(false, "SOURCE"), "192.168.100.200 DNAT>127.0.0.1:5000"),
	      "want 'SRC DNAT>routed': '%s'", line);
	CHECK(!strchr(line, '*'), "a lone '*': '%s'", line);
	CHECK(at_col(line, hdr_col(false, "VERDICT"), "martian-dst"), "verdict: '%s'", line);
	CHECK(strlen(line) <= LNW_NARROW_COLS, "%zu columns: '%s'", strlen(line), line);
}

/* --all-netns: another namespace's device is "eth0@INODE" in both modes,
 * ours is not marked; the narrow line keeps its columns. */
static void t_netns_shown(void)
{
	struct lnw_event e = mk_event("10.0.0.1", 40000, "127.0.0.1", 5000, 17,
				      LNW_MARTIAN_DST);
	char line[LINE_LEN];

	lnw_event_line_netns(OWN_NETNS, true);
	e.netns = 4026532177u;
	fmt_line(&e, "eth0", NULL, false, line);
	CHECK(strstr(line, " eth0@4026532177 udp  10.0.0.1:40000 127.0.0.1:5000 "),
	      "narrow: '%s'", line);
	CHECK(at_col(line, hdr_col(false, "VERDICT"), "martian-dst"), "verdict: '%s'", line);
	fmt_line(&e, "eth0", NULL, true, line);
	CHECK(strstr(line, " eth0@4026532177 "), "wide: '%s'", line);
	CHECK(at_col(line, hdr_col(true, "L4"), "udp"), "wide L4 column: '%s'", line);
	/* a long name gives way to the namespace */
	fmt_line(&e, "abcdefghijklmno", NULL, false, line);
	CHECK(strstr(line, "~@4026532177 "), "long name: '%s'", line);
	e.netns = OWN_NETNS;
	fmt_line(&e, "eth0", NULL, false, line);
	CHECK(!strchr(line, '@'), "own namespace marked: '%s'", line);
	lnw_event_line_netns(0, false);
	CHECK(!strstr(lnw_event_header(true), "@NETNS"), "wide header: '%s'",
	      lnw_event_header(true));
}

/* Where route_localnet is on at the start: a line (under 80 columns,
 * what does not fit counted), or a JSON record. */
static void t_route_localnet_report(void)
{
	const char *on[300];
	char *text = NULL;
	size_t len = 0, i;
	json_object *o;
	FILE *f;

	for (i = 0; i < N(on); i++)
		on[i] = i ? "veth1234567890a" : "all";
	f = open_memstream(&text, &len);
	lnw_route_localnet_report(NULL, f, false, on, 0);
	fflush(f);
	CHECK(len == 0, "nothing on, yet: '%s'", text);
	lnw_route_localnet_report(NULL, f, false, (const char *[]){ "all", "e\x1b" }, 2);
	fflush(f);
	CHECK(!strcmp(text, "lnwatch: route_localnet already on at start: all, e\\x1b\n"),
	      "two: '%s'", esc(text));
	fclose(f);
	free(text);
	f = open_memstream(&text, &len);
	lnw_route_localnet_report(NULL, f, false, on, N(on));
	fclose(f);
	CHECK(len <= LNW_NARROW_COLS + 1 && strstr(text, " more\n") &&
	      strstr(text, "all, veth1234567890a, "), "300: '%s'", text);
	if (strstr(text, "+")) {
		unsigned long more = strtoul(strstr(text, "+") + 1, NULL, 10);
		size_t shown = 0;
		const char *p;

		for (p = text; (p = strstr(p, ", ")); p++)
			shown++;
		CHECK(shown + more == N(on), "%zu shown + %lu more != %zu: '%s'", shown,
		      more, N(on), text);
	}
	free(text);
	f = open_memstream(&text, &len);
	lnw_route_localnet_report(f, NULL, true, on, 2);
	fclose(f);
	o = json_tokener_parse(text);
	want_str(o, "type", "route-localnet");
	CHECK(json_object_array_length(json_object_object_get(o, "on")) == 2 &&
	      !strcmp(json_object_get_string(json_object_array_get_idx(
		      json_object_object_get(o, "on"), 1)), "veth1234567890a"),
	      "on: %s", text);
	json_object_put(o);
	free(text);
}

/* Narrow gives up the (ephemeral) source port before the NAT original. */
static void t_narrow_drops_sport_first(void)
{
	struct lnw_event e = mk_event("255.255.255.255", 65535, "127.0.0.1", 80,
				      17, LNW_MARTIAN_DST);
	char line[LINE_LEN];

	set_nat(&e, "10.0.0.2", 8, LNW_ORIG_INGRESS);
	fmt_line(&e, "eth0", NULL, false, line);
	CHECK(at_col(line, hdr_col(false, "SOURCE"),
		     "255.255.255.255 10.0.0.2:8>127.0.0.1:80"),
	      "want source without port, whole NAT: '%s'", line);
	CHECK(!strchr(line, '*'), "marked though whole: '%s'", line);
	CHECK(at_col(line, hdr_col(false, "VERDICT"), "martian-dst"),
	      "verdict column: '%s'", line);
	/* with room the port stays: see t_narrow_nat_fits */
}

static void t_ifname_narrow_wide(void)
{
	static const struct { const char *in, *narrow, *wide; } cases[] = {
		{ "eth0", "eth0", "eth0" },
		{ "abcdefg", "abcdefg", "abcdefg" },
		{ "abcdefgh", "abcdef~", "abcdefgh" },
		{ "abcdefghijklmno", "abcdef~", "abcdefghijklmno" },
		{ "a\x01", "a\\x01", "a\\x01" },
		{ "a\\b", "a\\x5cb", "a\\x5cb" },
	};
	struct lnw_event e = mk_event("10.0.0.1", 1, "127.0.0.1", 2, 17, 0);
	char line[LINE_LEN];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		fmt_line(&e, cases[i].in, NULL, false, line);
		CHECK(at_col(line, hdr_col(false, "IFACE"), cases[i].narrow),
		      "narrow '%s': '%s'", esc(cases[i].in), line);
		fmt_line(&e, cases[i].in, NULL, true, line);
		CHECK(at_col(line, hdr_col(true, "IFACE"), cases[i].wide),
		      "wide '%s': '%s'", esc(cases[i].in), line);
	}
}

static void t_flag_chars(void)
{
	static const struct { __u8 v; char c; } cases[] = {
		{ 0, '0' }, { 1, '1' }, { 7, '1' }, { LNW_FLAG_UNKNOWN, '?' },
	};
	struct lnw_event e = mk_event("10.0.0.1", 1, "127.0.0.1", 2, 17, 1);
	char line[LINE_LEN];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		set_flags(&e, cases[i].v, 0, cases[i].v);
		fmt_line(&e, "eth0", NULL, false, line);
		CHECK(line[hdr_col(false, "RL")] == cases[i].c, "narrow eff %u: '%s'",
		      cases[i].v, line);
		/* wide shows all three: all, dev (0) and effective */
		fmt_line(&e, "eth0", NULL, true, line);
		CHECK(line[hdr_col(true, "ALL") + 1] == cases[i].c &&
		      line[hdr_col(true, "DEV") + 1] == '0' &&
		      line[hdr_col(true, "EFF") + 1] == cases[i].c,
		      "wide flags %u: '%s'", cases[i].v, line);
	}
}

static void t_line_verdicts_and_protos(void)
{
	static const struct { __u8 proto; const char *name, *src; } protos[] = {
		{ 6, "tcp", "10.0.0.1:1" }, { 17, "udp", "10.0.0.1:1" },
		{ 1, "icmp", "10.0.0.1" }, { 47, "47", "10.0.0.1" },
	};
	struct lnw_event e;
	char line[LINE_LEN];
	unsigned int v;
	size_t i;

	for (v = 0; v <= LNW_VERDICT_MAX; v++) {
		e = mk_event("10.0.0.1", 1, "127.0.0.1", 2, 17, (__u8)v);
		fmt_line(&e, "eth0", NULL, false, line);
		CHECK(at_col(line, hdr_col(false, "VERDICT"), lnw_verdict_name(v)),
		      "verdict %u: '%s'", v, line);
	}
	for (i = 0; i < N(protos); i++) {
		e = mk_event("10.0.0.1", 1, "127.0.0.1", 2, protos[i].proto, 0);
		fmt_line(&e, "eth0", NULL, false, line);
		CHECK(at_col(line, hdr_col(false, "L4"), protos[i].name) &&
		      at_col(line, hdr_col(false, "SOURCE"), protos[i].src),
		      "proto %u: '%s'", protos[i].proto, line);
	}
}

/* Time strings are cached per second: a new second, or an older one, must
 * not show the cached one; microseconds are zero-padded. */
static void t_times_cached_per_second(void)
{
	static const struct { long long ns; const char *json, *line; } cases[] = {
		{ 1700000000000001000LL, "2023-11-14T22:13:20.000001Z", "22:13:20.000001" },
		{ 1700000000999999999LL, "2023-11-14T22:13:20.999999Z", "22:13:20.999999" },
		{ 1700000001000000000LL, "2023-11-14T22:13:21.000000Z", "22:13:21.000000" },
		{ 1699999999500000000LL, "2023-11-14T22:13:19.500000Z", "22:13:19.500000" },
		{ 1700000001000000000LL, "2023-11-14T22:13:21.000000Z", "22:13:21.000000" },
	};
	struct lnw_event e = mk_event("10.0.0.1", 1, "127.0.0.1", 2, 17, 1);
	char line[LINE_LEN];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		struct lnw_event_view v = { .ev = &e, .ifname = "eth0",
					    .wall_ns = cases[i].ns };
		json_object *o = roundtrip(lnw_event_json(&v));

		want_str(o, "ts", cases[i].json);
		json_object_put(o);
		lnw_format_event_line(&v, true, line, sizeof(line));
		CHECK(!strncmp(line, cases[i].line, strlen(cases[i].line)),
		      "case %zu: wide line starts '%.15s', want '%s'", i, line,
		      cases[i].line);
		lnw_format_event_line(&v, false, line, sizeof(line));
		CHECK(!strncmp(line, cases[i].line, 8) && line[8] == ' ',
		      "case %zu: narrow line starts '%.9s', want '%.8s '", i, line,
		      cases[i].line);
	}
}

/* IPv6 (::1 on a wire): bracketed addresses with ports, '-' for the knob
 * IPv6 lacks, under 80 columns narrow (a long source is cut, after its
 * port), whole with -w. */
static void t_ipv6_lines(void)
{
	static const struct { const char *src, *dst; __u8 verdict; } cases[] = {
		{ "fe80::99:2", "::1", LNW_LO6_DST },
		{ "::1", "fe80::1", LNW_LO6_SRC },
		{ "fe80::b426:25ff:fe90:b58", "::1", LNW_LO6_DST },
		{ "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", "::1", LNW_LO6_DST },
		{ "::1", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", LNW_LO6_SRC },
	};
	struct lnw_event e = mk_event("0.0.0.0", 40000, "0.0.0.0", 5000, 17, 0);
	struct lnw_event6 e6 = {};
	struct lnw_event_view v = { .ev = &e, .ev6 = &e6, .ifname = "eth0",
				    .wall_ns = WALL_NS };
	char line[LINE_LEN], want[64];
	size_t i;

	e.rl_all = e.rl_dev = e.rl_eff = LNW_FLAG_UNKNOWN;
	for (i = 0; i < N(cases); i++) {
		e.verdict = cases[i].verdict;
		CHECK(inet_pton(AF_INET6, cases[i].src, e6.saddr) == 1 &&
		      inet_pton(AF_INET6, cases[i].dst, e6.daddr) == 1, "bad case %zu", i);
		lnw_format_event_line(&v, false, line, sizeof(line));
		CHECK(strlen(line) <= LNW_NARROW_COLS, "case %zu: %zu columns: '%s'", i,
		      strlen(line), line);
		CHECK(at_col(line, hdr_col(false, "VERDICT"), lnw_verdict_name(e.verdict)) &&
		      at_col(line, hdr_col(false, "RL"), "-"),
		      "case %zu: verdict or RL misplaced: '%s'", i, line);
		snprintf(want, sizeof(want), " [%s]:5000 ", cases[i].dst);
		/* whole where it fits, else cut with a '~' */
		CHECK(strstr(line, want) || (i == N(cases) - 1 && strchr(line, '~')),
		      "case %zu: no '%s' in '%s'", i, want, line);
		lnw_format_event_line(&v, true, line, sizeof(line));
		snprintf(want, sizeof(want), " [%s]:40000 ", cases[i].src);
		CHECK(strstr(line, want) && strstr(line, " -   -   -  "),
		      "case %zu: wide: no '%s' or flags '-': '%s'", i, want, line);
	}
}

/* A line cut by a short buffer stays terminated and within it. */
static void t_line_short_buffer(void)
{
	struct lnw_event e = mk_event("10.0.0.1", 40000, "127.0.0.1", 5000, 17, 1);
	struct lnw_event_view v = { .ev = &e, .ifname = "eth0", .wall_ns = WALL_NS };
	char buf[40];
	size_t len;

	for (len = 1; len <= sizeof(buf); len++) {
		memset(buf, 'X', sizeof(buf));
		lnw_format_event_line(&v, false, buf, len);
		CHECK(memchr(buf, '\0', len) && strlen(buf) == len - 1,
		      "len %zu: '%.*s' not cut to len-1", len, (int)len, buf);
		CHECK(len == sizeof(buf) || buf[len] == 'X', "len %zu: wrote past it", len);
	}
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "narrow header fits and is ordered", t_narrow_header },
		{ "narrow line columns match header", t_narrow_columns },
		{ "wide line columns match header", t_wide_columns },
		{ "narrow line <= 79 columns, all combinations", t_narrow_width },
		{ "narrow verdict under VERDICT, all combinations", t_narrow_verdict_column },
		{ "narrow flag under RL, all combinations", t_narrow_flag_column },
		{ "narrow DNAT and namespace marks, all combinations",
		  t_narrow_nat_mark_only_for_nat },
		{ "narrow NAT shows orig>routed when it fits", t_narrow_nat_fits },
		{ "narrow NAT shows >routed when too long", t_narrow_nat_too_long },
		{ "narrow DNAT says DNAT>routed, no lone *", t_narrow_dnat_says_dnat },
		{ "--all-netns: another namespace's device is eth0@INODE",
		  t_netns_shown },
		{ "route_localnet on at start: line and JSON record",
		  t_route_localnet_report },
		{ "narrow NAT gives up the source port first", t_narrow_drops_sport_first },
		{ "ifname shortened narrow, whole wide", t_ifname_narrow_wide },
		{ "flag chars 0/1/?", t_flag_chars },
		{ "IPv6 lines: [addr]:port, RL '-', narrow fits", t_ipv6_lines },
		{ "line verdict and protocol names", t_line_verdicts_and_protos },
		{ "time strings cached per second", t_times_cached_per_second },
		{ "narrow line cut by a short buffer", t_line_short_buffer },
	};

	return run_all(tests, N(tests));
}

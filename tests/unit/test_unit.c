// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of the loader's pure logic: option parsing, names, the human
 * line layout and JSON. No kernel, no BPF.
 *
 * Output protocol (counted by tests/run-all.sh), one line per test case:
 *   ok - NAME | FAIL - NAME: WHY | SKIP - NAME: WHY
 * Exit status 1 if any case failed, else 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include <linux/types.h>

#include "lnwatch.h"
#include "watch/options.h"
#include "watch/event_line.h"
#include "watch/summary.h"
#include "watch/verdict.h"
#include "lib/text.h"
#include "watch/ksyms.h"
#include "check.h"
#include "testutil.h"

/* ---- harness: tests/check.h ------------------------------------------- */

static void run(const char *name, void (*fn)(void))
{
	begin();
	fn();
	end(name);
}

/* Bytes as C escapes, for failure messages; a few rotating buffers. */
static const char *esc(const char *s)
{
	static char bufs[4][512];
	static int which;
	char *b = bufs[which++ % 4];
	size_t o = 0;

	for (; *s && o + 5 < sizeof(bufs[0]); s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f && c != '\\')
			b[o++] = (char)c;
		else
			o += (size_t)snprintf(b + o, sizeof(bufs[0]) - o, "\\x%02x", c);
	}
	b[o] = '\0';
	return b;
}

/* Strict UTF-8 (RFC 3629): no overlongs, surrogates or > U+10FFFF. */
static bool utf8_valid(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		unsigned char c = s[0], lo = 0x80, hi = 0xbf;
		int n, i;

		if (c < 0x80) {
			s++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 2;
		else if (c >= 0xe0 && c <= 0xef)
			n = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 4;
		else
			return false;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (s[1] < lo || s[1] > hi)
			return false;
		for (i = 2; i < n; i++)
			if ((s[i] & 0xc0) != 0x80)
				return false;
		s += n;
	}
	return true;
}

/* ---- options ----------------------------------------------------------- */

static void t_seconds_accepts(void)
{
	static const struct { const char *in; double want; } ok[] = {
		{ "1", 1.0 }, { "0.5", 0.5 }, { "3600", 3600.0 },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		double v = -1;
		int r = lnw_parse_seconds(ok[i].in, &v);

		CHECK(r == 0, "'%s' rejected (%d)", ok[i].in, r);
		CHECK(r != 0 || v == ok[i].want, "'%s' -> %g, want %g",
		      ok[i].in, v, ok[i].want);
	}
}

static void t_seconds_rejects(void)
{
	static const char *const bad[] = {
		"", "0", "-1", "abc", "1x", "nan", "inf", "1e9", "0.0", "-0",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double v = 42.0;
		int r = lnw_parse_seconds(bad[i], &v);

		CHECK(r == -EINVAL, "'%s' -> %d, want -EINVAL", bad[i], r);
		CHECK(v == 42.0, "'%s' rejected but wrote %g", bad[i], v);
	}
	CHECK(lnw_parse_seconds(NULL, &(double){0}) == -EINVAL, "NULL accepted");
}

static void t_uint_bounds(void)
{
	static const struct {
		const char *in; unsigned int min, max; int ret; unsigned int want;
	} cases[] = {
		{ "4", 4, 1048576, 0, 4 },
		{ "1048576", 4, 1048576, 0, 1048576 },
		{ "1024", 4, 1048576, 0, 1024 },
		{ "3", 4, 1048576, -EINVAL, 0 },
		{ "1048577", 4, 1048576, -EINVAL, 0 },
		{ "0", 0, 10, 0, 0 },
		{ "4294967295", 0, UINT_MAX, 0, UINT_MAX },
		{ "4294967296", 0, UINT_MAX, -EINVAL, 0 },
		{ "99999999999999999999999", 0, UINT_MAX, -EINVAL, 0 },
		{ "", 0, 10, -EINVAL, 0 },
		{ "-1", 0, UINT_MAX, -EINVAL, 0 },
		{ "+1", 0, 10, -EINVAL, 0 },
		{ "12a", 0, 100, -EINVAL, 0 },
		{ "0x10", 0, 100, -EINVAL, 0 },
		{ "1.5", 0, 100, -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int v = 12345;
		int r = lnw_parse_uint(cases[i].in, cases[i].min, cases[i].max, &v);

		CHECK(r == cases[i].ret, "'%s' [%u,%u] -> %d, want %d", cases[i].in,
		      cases[i].min, cases[i].max, r, cases[i].ret);
		if (r == 0 && cases[i].ret == 0)
			CHECK(v == cases[i].want, "'%s' -> %u, want %u",
			      cases[i].in, v, cases[i].want);
		if (r != 0)
			CHECK(v == 12345, "'%s' rejected but wrote %u", cases[i].in, v);
	}
	CHECK(lnw_parse_uint(NULL, 0, 10, &(unsigned int){0}) == -EINVAL,
	      "NULL accepted");
}

static void t_fallbacks_accepts(void)
{
	static const struct { const char *in; unsigned int want; } ok[] = {
		{ "clsact", LNW_FB_CLSACT },
		{ "addr-join", LNW_FB_ADDR_JOIN },
		{ "infer", LNW_FB_INFER },
		{ "clsact,addr-join,infer",
		  LNW_FB_CLSACT | LNW_FB_ADDR_JOIN | LNW_FB_INFER },
		{ "infer,clsact", LNW_FB_INFER | LNW_FB_CLSACT },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		unsigned int v = 0x80;
		int r = lnw_parse_fallbacks(ok[i].in, &v);

		CHECK(r == 0, "'%s' rejected (%d)", ok[i].in, r);
		CHECK(r != 0 || v == ok[i].want, "'%s' -> %#x, want %#x",
		      ok[i].in, v, ok[i].want);
	}
}

static void t_fallbacks_rejects(void)
{
	static const char *const bad[] = {
		"", "foo", "clsact,", ",clsact", "clsact,,infer", ",",
		"clsactx", "clsac", "CLSACT", "clsact infer", "clsact,foo",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned int v = 0x80;
		int r = lnw_parse_fallbacks(bad[i], &v);

		CHECK(r == -EINVAL, "'%s' -> %d (bits %#x), want -EINVAL",
		      bad[i], r, v);
		CHECK(v == 0x80, "'%s' rejected but wrote %#x", bad[i], v);
	}
}

/* ---- names -------------------------------------------------------------- */

static void t_verdict_names(void)
{
	static const struct { unsigned int v; const char *want; } cases[] = {
		{ LNW_SEEN, "seen" },
		{ LNW_MARTIAN_DST, "martian-dst" },
		{ LNW_MARTIAN_SRC, "martian-src" },
		{ LNW_ACCEPT, "accept" },
		{ LNW_VERDICT_MAX, "unknown" },
		{ 200, "unknown" },
		{ UINT_MAX, "unknown" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = lnw_verdict_name(cases[i].v);

		CHECK(got && !strcmp(got, cases[i].want), "%u -> '%s', want '%s'",
		      cases[i].v, got ? got : "(null)", cases[i].want);
	}
	/* every real verdict has its own name */
	for (i = 0; i < LNW_VERDICT_MAX; i++)
		CHECK(strcmp(lnw_verdict_name((unsigned int)i), "unknown"),
		      "verdict %zu has no name", i);
}

struct name_case {
	const char *in;
	const char *want;
};

static void check_name_fn(void (*fn)(const char *, char *, size_t),
			  const char *fn_name, const struct name_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char out[4 * LNW_IFNAMSIZ + 1];

		memset(out, 'Z', sizeof(out));
		fn(c[i].in, out, sizeof(out));
		CHECK(memchr(out, '\0', sizeof(out)) != NULL,
		      "%s('%s') not terminated", fn_name, esc(c[i].in));
		CHECK(!strcmp(out, c[i].want), "%s('%s') = '%s', want '%s'",
		      fn_name, esc(c[i].in), esc(out), esc(c[i].want));
	}
}

static void t_name_printable(void)
{
	static const struct name_case cases[] = {
		{ "eth0", "eth0" },
		{ "br-1.100_x@y", "br-1.100_x@y" },
		{ "a\\b", "a\\x5cb" },
		{ "x\x01y", "x\\x01y" },
		{ "tab\there", "tab\\x09here" },
		{ "nl\n", "nl\\x0a" },
		{ "\x1b[31m", "\\x1b[31m" },
		{ "del\x7f", "del\\x7f" },
		{ "\xc3\xbc", "\\xc3\\xbc" },
		{ "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f",
		  "\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x09\\x0a\\x0b\\x0c"
		  "\\x0d\\x0e\\x0f" },
		{ "", "" },
	};
	char all[0x7f - 0x21 + 1], out[512];
	size_t o = 0;
	int c;

	check_name_fn(lnw_name_printable, "lnw_name_printable", cases,
		      sizeof(cases) / sizeof(cases[0]));
	/* every printable ASCII character but the backslash stays */
	for (c = 0x21; c < 0x7f; c++)
		if (c != '\\')
			all[o++] = (char)c;
	all[o] = '\0';
	lnw_name_printable(all, out, sizeof(out));
	CHECK(!strcmp(out, all), "printable ASCII changed: '%s'", esc(out));
}

/* A short output buffer is filled, never overrun, never cut mid-escape. */
static void t_name_printable_bounded(void)
{
	char out[16];
	size_t i;

	for (i = 1; i < sizeof(out) - 1; i++) {
		memset(out, 'Z', sizeof(out));
		lnw_name_printable("a\x01\x02\x03\x04", out, i);
		CHECK(out[i] == 'Z', "outlen %zu: wrote past the end", i);
		CHECK(strlen(out) < i, "outlen %zu: '%s' too long", i, esc(out));
		CHECK(!strncmp(out, "a\\x01\\x02\\x03\\x04", strlen(out)) &&
		      (strlen(out) == 0 || (strlen(out) - 1) % 4 == 0),
		      "outlen %zu: '%s' is not a whole prefix", i, esc(out));
	}
}

static const struct name_case utf8_cases[] = {
	{ "eth0", "eth0" },
	{ "\xc3\xbc-eth", "\xc3\xbc-eth" },                 /* ü */
	{ "\xe2\x82\xac", "\xe2\x82\xac" },                 /* € */
	{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },         /* U+1F600 */
	{ "x\x01y", "x\x01y" },                             /* JSON escapes */
	{ "\xff", "\xef\xbf\xbd" },
	{ "a\xff" "b", "a\xef\xbf\xbd" "b" },
	{ "\xc3", "\xef\xbf\xbd" },                          /* lone lead */
	{ "\xc3" "a", "\xef\xbf\xbd" "a" },
	{ "\xc0\x80", "\xef\xbf\xbd\xef\xbf\xbd" },          /* overlong NUL */
	{ "\xff\xfe", "\xef\xbf\xbd\xef\xbf\xbd" },
	{ "\x80", "\xef\xbf\xbd" },                          /* lone trail */
};

static void t_name_utf8(void)
{
	check_name_fn(lnw_name_utf8, "lnw_name_utf8", utf8_cases,
		      sizeof(utf8_cases) / sizeof(utf8_cases[0]));
}

/* What RFC 3629 forbids beyond bad lead bytes must not pass either. */
static void t_name_utf8_strict(void)
{
	static const char *const bad[] = {
		"\xe0\x80\x80",     /* overlong, 3 bytes */
		"\xf0\x80\x80\x80", /* overlong, 4 bytes */
		"\xed\xa0\x80",     /* UTF-16 surrogate D800 */
		"\xf4\x90\x80\x80", /* above U+10FFFF */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char out[4 * LNW_IFNAMSIZ + 1];

		lnw_name_utf8(bad[i], out, sizeof(out));
		CHECK(utf8_valid(out), "lnw_name_utf8('%s') = '%s': invalid UTF-8",
		      esc(bad[i]), esc(out));
	}
}

/* Fifteen invalid bytes still fit; a short buffer never splits a char. */
static void t_name_utf8_bounded(void)
{
	char out[4 * LNW_IFNAMSIZ + 1], small[16], want[64] = "";
	size_t i;

	lnw_name_utf8("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
		      out, sizeof(out));
	for (i = 0; i < 15; i++)
		strcat(want, "\xef\xbf\xbd");
	CHECK(!strcmp(out, want), "15 x 0xff -> '%s'", esc(out));
	for (i = 1; i < sizeof(small) - 1; i++) {
		memset(small, 'Z', sizeof(small));
		lnw_name_utf8("\xc3\xbc\xe2\x82\xac\xff\xc3\xbc", small, i);
		CHECK(small[i] == 'Z', "outlen %zu: wrote past the end", i);
		CHECK(strlen(small) < i && utf8_valid(small),
		      "outlen %zu: '%s'", i, esc(small));
	}
}

/* ---- human lines ------------------------------------------------------- */

#define WALL_NS 1700000000123456789LL /* 2023-11-14T22:13:20.123456789Z */
#define LINE_LEN 512

static struct lnw_event mk_event(const char *src, __u16 sport, const char *dst,
				 __u16 dport, __u8 proto, __u8 verdict)
{
	struct lnw_event e = {
		.ts_ns = 123456789, .netns = 4026531840u, .ifindex = 3,
		.saddr = ip4(src), .daddr = ip4(dst), .sport = sport,
		.dport = dport, .proto = proto, .verdict = verdict, .len = 42,
	};

	return e;
}

static void set_nat(struct lnw_event *e, const char *orig, __u16 oport, __u8 how)
{
	e->orig_daddr = ip4(orig);
	e->orig_dport = oport;
	e->orig_src = how;
}

static void set_flags(struct lnw_event *e, __u8 all, __u8 dev, __u8 eff)
{
	e->rl_all = all;
	e->rl_dev = dev;
	e->rl_eff = eff;
}

static void fmt_line(const struct lnw_event *e, const char *ifname,
		     const char *reason, bool wide, char *buf)
{
	struct lnw_event_view v = {
		.ev = e, .ifname = ifname, .reason = reason, .wall_ns = WALL_NS,
	};

	memset(buf, 0, LINE_LEN);
	lnw_format_event_line(&v, wide, buf, LINE_LEN);
}

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

#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef void (*combo_fn)(const struct lnw_event *e, const char *ifname,
			 const char *line);

/* Every combination, as a narrow line; stops at the first failure. */
static void for_each_combo(combo_fn fn)
{
	size_t a, b, c, d, n, p, v, i, f;
	char line[LINE_LEN];

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
		fmt_line(&e, combo_if[i], NULL, false, line);
		fn(&e, combo_if[i], line);
		if (cur_failed)
			return;
	}
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

/* '*' says "NAT hid the original": never on a line without NAT. */
static void combo_nat_mark(const struct lnw_event *e, const char *ifname,
			   const char *line)
{
	(void)ifname;
	if (e->orig_src == LNW_ORIG_NONE)
		CHECK(!strchr(line, '*'), "NAT mark without NAT: '%s'", line);
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
	CHECK(strstr(line, " 127.255.255.255:65535* "), "routed* missing: '%s'",
	      line);
	CHECK(!strstr(line, "255.255.255.254"), "original shown: '%s'", line);
	CHECK(!strchr(line, '>'), "orig>routed shown: '%s'", line);
	fmt_line(&e, "abcdefghijklmno", NULL, true, line);
	CHECK(strstr(line, " 255.255.255.254:65535>127.255.255.255:65535 "),
	      "wide lacks orig>routed: '%s'", line);
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

/* ---- JSON ---------------------------------------------------------------- */

/* Serialize as the tool does, check the text, parse it back (strictly). */
static json_object *roundtrip(json_object *obj)
{
	const char *s = json_object_to_json_string_ext(obj,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	struct json_tokener *tok = json_tokener_new();
	json_object *back = NULL;
	size_t i, len = s ? strlen(s) : 0;

	CHECK(s != NULL, "serialization failed");
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20) {
			CHECK(false, "raw control byte %#x at %zu: %s",
			      (unsigned char)s[i], i, esc(s));
			break;
		}
	CHECK(!s || utf8_valid(s), "not UTF-8: %s", esc(s));
	if (s && tok) {
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
					    JSON_TOKENER_VALIDATE_UTF8);
		back = json_tokener_parse_ex(tok, s, (int)len);
		CHECK(back && json_tokener_get_error(tok) == json_tokener_success &&
		      json_tokener_get_parse_end(tok) == len,
		      "invalid JSON (%s): %s",
		      json_tokener_error_desc(json_tokener_get_error(tok)), esc(s));
	}
	/* the permissive parser the brief names must agree */
	if (s) {
		json_object *loose = json_tokener_parse(s);

		CHECK(loose != NULL, "json_tokener_parse failed: %s", esc(s));
		json_object_put(loose);
	}
	json_tokener_free(tok);
	json_object_put(obj);
	return back;
}

/* The value at a dotted path; *present says whether the key exists. */
static json_object *jget(json_object *root, const char *path, bool *present)
{
	char buf[128], *save = NULL, *key;
	json_object *cur = root;

	*present = false;
	snprintf(buf, sizeof(buf), "%s", path);
	for (key = strtok_r(buf, ".", &save); key; key = strtok_r(NULL, ".", &save)) {
		json_object *next = NULL;

		if (!cur || !json_object_is_type(cur, json_type_object) ||
		    !json_object_object_get_ex(cur, key, &next))
			return NULL;
		cur = next;
	}
	*present = true;
	return cur;
}

static void want_str(json_object *root, const char *path, const char *want)
{
	bool present;
	json_object *v = jget(root, path, &present);
	const char *got = json_object_is_type(v, json_type_string) ?
			  json_object_get_string(v) : NULL;

	CHECK(present, "%s missing", path);
	CHECK(got && !strcmp(got, want), "%s = %s, want \"%s\"", path,
	      esc(v ? json_object_to_json_string(v) : "null"), esc(want));
}

static void want_uint(json_object *root, const char *path, uint64_t want)
{
	bool present;
	json_object *v = jget(root, path, &present);

	CHECK(present, "%s missing", path);
	CHECK(json_object_is_type(v, json_type_int) &&
	      json_object_get_uint64(v) == want, "%s = %s, want %llu", path,
	      v ? json_object_to_json_string(v) : "null",
	      (unsigned long long)want);
}

static void want_bool(json_object *root, const char *path, bool want)
{
	bool present;
	json_object *v = jget(root, path, &present);

	CHECK(present && json_object_is_type(v, json_type_boolean) &&
	      json_object_get_boolean(v) == want, "%s = %s, want %s", path,
	      v ? json_object_to_json_string(v) : "null/missing",
	      want ? "true" : "false");
}

static void want_null(json_object *root, const char *path)
{
	bool present;
	json_object *v = jget(root, path, &present);

	CHECK(present && v == NULL, "%s = %s, want null", path,
	      present ? json_object_to_json_string(v) : "(missing)");
}

static void want_absent(json_object *root, const char *path)
{
	bool present;

	jget(root, path, &present);
	CHECK(!present, "%s present, want absent", path);
}

static json_object *event_json(const struct lnw_event *e, const char *ifname,
			       const char *reason)
{
	struct lnw_event_view v = {
		.ev = e, .ifname = ifname, .reason = reason, .wall_ns = WALL_NS,
	};

	return roundtrip(lnw_event_json(&v));
}

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

static void t_json_summary(void)
{
	struct lnw_counter_row rows[2] = {
		{ .key = { .netns = 4026531840u, .ifindex = 2, .verdict = LNW_SEEN },
		  .val = { .packets = 3, .bytes = 126 }, .ifname = "eth0" },
		{ .key = { .netns = 4026531840u, .ifindex = 5,
			   .verdict = LNW_MARTIAN_SRC, .reason = 77 },
		  .val = { .packets = 5000000000ULL, .bytes = 210000000000ULL },
		  .ifname = "x\xff\x01", .reason = "IP_LOCALNET" },
	};
	struct lnw_summary s = {
		.rows = rows, .n_rows = 2, .lost_events = 7, .counter_overflow = 2,
		.elapsed_s = 1.5, .attach = "tcx", .join = "skb",
		.reason_path = "kernel",
	};
	json_object *o = roundtrip(lnw_summary_json(&s)), *arr, *r0, *r1;
	bool present;

	want_str(o, "type", "summary");
	want_uint(o, "lost_events", 7);
	want_uint(o, "counter_overflow", 2);
	want_str(o, "paths.attach", "tcx");
	want_str(o, "paths.join", "skb");
	want_str(o, "paths.reason", "kernel");
	arr = jget(o, "counters", &present);
	CHECK(json_object_is_type(arr, json_type_array) &&
	      json_object_array_length(arr) == 2, "counters: %s",
	      arr ? json_object_to_json_string(arr) : "null/missing");
	if (!cur_failed) {
		r0 = json_object_array_get_idx(arr, 0);
		r1 = json_object_array_get_idx(arr, 1);
		want_uint(r0, "packets", 3);
		want_uint(r0, "bytes", 126);
		want_uint(r0, "netns", 4026531840u);
		want_uint(r0, "ifindex", 2);
		want_str(r0, "ifname", "eth0");
		want_str(r0, "verdict", "seen");
		want_null(r0, "reason");
		want_uint(r1, "packets", 5000000000ULL);
		want_uint(r1, "bytes", 210000000000ULL);
		want_str(r1, "ifname", "x\xef\xbf\xbd\x01");
		want_str(r1, "verdict", "martian-src");
		want_str(r1, "reason", "IP_LOCALNET");
	}
	json_object_put(o);
}

/* ---- hand-made formatting: addresses, cached times ---------------------- */

static void t_format_addr(void)
{
	static const struct {
		const char *ip; __u16 port; __u8 proto; size_t len; const char *want;
	} cases[] = {
		{ "0.0.0.0", 0, 17, 32, "0.0.0.0:0" },
		{ "255.255.255.255", 65535, 6, 32, "255.255.255.255:65535" },
		{ "10.0.0.1", 80, 1, 32, "10.0.0.1" },         /* icmp: no port */
		{ "127.0.0.1", 5000, 0, 32, "127.0.0.1" },
		{ "255.255.255.255", 65535, 6, 8, "255.255" }, /* cut, terminated */
		{ "1.2.3.4", 5, 17, 1, "" },
	};
	char buf[32];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		memset(buf, 'X', sizeof(buf));
		lnw_format_addr(buf, cases[i].len, ip4(cases[i].ip), cases[i].port,
				cases[i].proto);
		CHECK(!strcmp(buf, cases[i].want), "case %zu: got '%s', want '%s'",
		      i, buf, cases[i].want);
		CHECK(cases[i].len == sizeof(buf) || buf[cases[i].len] == 'X',
		      "case %zu: wrote past len %zu", i, cases[i].len);
	}
	memset(buf, 'X', sizeof(buf));
	lnw_format_addr(buf, 0, ip4("1.2.3.4"), 5, 17);
	CHECK(buf[0] == 'X', "len 0: wrote '%c'", buf[0]);
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

/* ---- kernel symbols for drop locations ---------------------------------- */

static const char kallsyms_text[] =
	"0000000000000000 A fixed_percpu_data\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff81001000 t ip_rcv_finish_core\n"
	"ffffffff81001000 T ip_rcv_finish_core_alias\n"
	"ffffffff81001400 D some_data\n"
	"ffffffff81002000 T tcp_v4_rcv\n"
	"garbage line\n"
	"ffffffffc0000000 t veth_xmit\t[veth]\n";

static int ksym(__u64 addr, char *out, size_t len)
{
	FILE *f = fmemopen((void *)kallsyms_text, sizeof(kallsyms_text) - 1, "r");
	int ret;

	if (!f)
		return -errno;
	ret = lnw_ksyms_scan(f, addr, out, len);
	fclose(f);
	return ret;
}

static void t_ksyms_scan(void)
{
	char out[64];

	CHECK(!ksym(0xffffffff81001234ULL, out, sizeof(out)) &&
	      !strcmp(out, "ip_rcv_finish_core_alias+0x234"), "in a function: '%s'", out);
	CHECK(!ksym(0xffffffff81001500ULL, out, sizeof(out)) &&
	      !strcmp(out, "ip_rcv_finish_core_alias+0x500"), "data symbols skipped: '%s'", out);
	CHECK(!ksym(0xffffffff81002000ULL, out, sizeof(out)) &&
	      !strcmp(out, "tcp_v4_rcv+0x0"), "at a symbol: '%s'", out);
	CHECK(!ksym(0xffffffffc0000010ULL, out, sizeof(out)) &&
	      !strcmp(out, "veth_xmit+0x10 [veth]"), "module symbol, as %%pS: '%s'", out);
	CHECK(ksym(0xffffffff80000000ULL, out, sizeof(out)) == -ENOENT, "below every symbol");
	CHECK(ksym(0xffffffff81002000ULL + (2 << 20), out, sizeof(out)) == -ENOENT,
	      "2 MiB past the last symbol is no function's");
	CHECK(!ksym(0xffffffff81002001ULL, out, 8) && !strcmp(out, "tcp_v4_"),
	      "cut to the buffer: '%s'", out);
}

/* What the kernel's %pS prints, made like the scan's answer. */
static void t_ksym_tidy(void)
{
	static const struct { const char *in, *want; bool ok; } cases[] = {
		{ "ip_rcv_finish_core+0x25b/0x3c0", "ip_rcv_finish_core+0x25b", true },
		{ "nft_do_chain+0x46f/0x5c0 [nf_tables]", "nft_do_chain+0x46f [nf_tables]", true },
		{ "tcp_v4_rcv+0x99", "tcp_v4_rcv+0x99", true },
		{ "0xffffffff81234567", NULL, false },
		{ "", NULL, false },
	};
	char buf[LNW_KSYM_LEN];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		bool ok;

		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		ok = lnw_ksym_tidy(buf);
		CHECK(ok == cases[i].ok, "'%s': %d", cases[i].in, ok);
		CHECK(!ok || !strcmp(buf, cases[i].want), "'%s' -> '%s'", cases[i].in, buf);
	}
}

/* kptr_restrict: every address reads 0; nothing is named. */
static void t_ksyms_hidden(void)
{
	static const char hidden[] = "0000000000000000 T _stext\n"
				     "0000000000000000 T tcp_v4_rcv\n";
	FILE *f = fmemopen((void *)hidden, sizeof(hidden) - 1, "r");
	char out[64];

	CHECK(f, "fmemopen");
	if (f) {
		CHECK(lnw_ksyms_scan(f, 0xffffffff81002000ULL, out, sizeof(out)) == -ENOENT,
		      "hidden addresses named '%s'", out);
		fclose(f);
	}
}

/* ---- main ---------------------------------------------------------------- */

int main(void)
{
	static const struct { const char *name; void (*fn)(void); } tests[] = {
		{ "parse_seconds accepts 1, 0.5, 3600", t_seconds_accepts },
		{ "parse_seconds rejects bad input", t_seconds_rejects },
		{ "parse_uint bounds", t_uint_bounds },
		{ "parse_fallbacks accepts names", t_fallbacks_accepts },
		{ "parse_fallbacks rejects bad lists", t_fallbacks_rejects },
		{ "verdict_name every value", t_verdict_names },
		{ "name_printable escapes", t_name_printable },
		{ "name_printable bounded", t_name_printable_bounded },
		{ "name_utf8 replaces invalid bytes", t_name_utf8 },
		{ "name_utf8 rejects overlong/surrogate/>U+10FFFF", t_name_utf8_strict },
		{ "name_utf8 bounded", t_name_utf8_bounded },
		{ "narrow header fits and is ordered", t_narrow_header },
		{ "narrow line columns match header", t_narrow_columns },
		{ "wide line columns match header", t_wide_columns },
		{ "narrow line <= 79 columns, all combinations", t_narrow_width },
		{ "narrow verdict under VERDICT, all combinations", t_narrow_verdict_column },
		{ "narrow flag under RL, all combinations", t_narrow_flag_column },
		{ "narrow NAT mark only with NAT, all combinations",
		  t_narrow_nat_mark_only_for_nat },
		{ "narrow NAT shows orig>routed when it fits", t_narrow_nat_fits },
		{ "narrow NAT shows routed* when too long", t_narrow_nat_too_long },
		{ "narrow NAT gives up the source port first", t_narrow_drops_sport_first },
		{ "ifname shortened narrow, whole wide", t_ifname_narrow_wide },
		{ "flag chars 0/1/?", t_flag_chars },
		{ "line verdict and protocol names", t_line_verdicts_and_protos },
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
		{ "json summary two rows", t_json_summary },
		{ "format_addr bounds, ports, cut", t_format_addr },
		{ "time strings cached per second", t_times_cached_per_second },
		{ "narrow line cut by a short buffer", t_line_short_buffer },
		{ "kallsyms scan: nearest text symbol", t_ksyms_scan },
		{ "kallsyms scan: hidden addresses", t_ksyms_hidden },
		{ "%pS names tidied like the scan's", t_ksym_tidy },
	};
	size_t i;

	setenv("TZ", "UTC", 1);
	tzset();
	for (i = 0; i < N(tests); i++)
		run(tests[i].name, tests[i].fn);
	return n_failed ? 1 : 0;
}

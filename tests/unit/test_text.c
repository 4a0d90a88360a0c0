// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of lib/text: names made printable or valid UTF-8, addresses
 * formatted by hand. No kernel, no BPF.
 */
#include <arpa/inet.h>
#include "unit.h"
#include "lib/text.h"

/* ---- names -------------------------------------------------------------- */

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

static void t_format_addr6(void)
{
	static const struct {
		const char *ip; __u16 port; __u8 proto; size_t len; const char *want;
	} cases[] = {
		{ "::1", 5000, 17, 64, "[::1]:5000" },
		{ "::1", 0, 58, 64, "::1" },                 /* icmpv6: no port */
		{ "fe80::a:0:0:1", 443, 6, 64, "[fe80::a:0:0:1]:443" },
		{ "2001:db8:1:2:3:4:5:6", 65535, 6, 64, "[2001:db8:1:2:3:4:5:6]:65535" },
		{ "::ffff:127.0.0.1", 1, 17, 64, "[::ffff:127.0.0.1]:1" },
		{ "2001:db8::1", 80, 6, 8, "[2001:d" },      /* cut, terminated */
	};
	struct in6_addr a;
	char buf[64];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		memset(buf, 'X', sizeof(buf));
		CHECK(inet_pton(AF_INET6, cases[i].ip, &a) == 1, "case %zu: bad test", i);
		lnw_format_addr6(buf, cases[i].len, a.s6_addr, cases[i].port,
				 cases[i].proto);
		CHECK(!strcmp(buf, cases[i].want), "case %zu: got '%s', want '%s'",
		      i, buf, cases[i].want);
		CHECK(cases[i].len == sizeof(buf) || buf[cases[i].len] == 'X',
		      "case %zu: wrote past len %zu", i, cases[i].len);
	}
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "name_printable escapes", t_name_printable },
		{ "name_printable bounded", t_name_printable_bounded },
		{ "name_utf8 replaces invalid bytes", t_name_utf8 },
		{ "name_utf8 rejects overlong/surrogate/>U+10FFFF", t_name_utf8_strict },
		{ "name_utf8 bounded", t_name_utf8_bounded },
		{ "format_addr bounds, ports, cut", t_format_addr },
		{ "format_addr6 brackets, ports, cut", t_format_addr6 },
	};

	return run_all(tests, N(tests));
}

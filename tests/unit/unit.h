/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What the unit test programs share (tests/unit/test_*.c, one program
 * each): the run() wrapper around tests/check.h, failure-message helpers,
 * events and their JSON, and the captured nftables fixtures. Header-only:
 * every helper is static and may go unused in a program.
 *
 * Output protocol (tests/check.h, counted by tests/run-all.sh), one line
 * per test case; a program exits 1 if any case failed, else 0.
 */
#ifndef LNW_TESTS_UNIT_H
#define LNW_TESTS_UNIT_H

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
#include "watch/event_line.h"
#include "check.h"
#include "testutil.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- harness: tests/check.h ------------------------------------------- */

__attribute__((unused))
static void run(const char *name, void (*fn)(void))
{
	begin();
	fn();
	end(name);
}

/* Bytes as C escapes, for failure messages; a few rotating buffers. */
__attribute__((unused))
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
__attribute__((unused))
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

struct unit_case {
	const char *name;
	void (*fn)(void);
};

/* Every case in order, in UTC; the program's exit status. */
__attribute__((unused))
static int run_all(const struct unit_case *tests, size_t n)
{
	size_t i;

	setenv("TZ", "UTC", 1);
	tzset();
	for (i = 0; i < n; i++)
		run(tests[i].name, tests[i].fn);
	return n_failed ? 1 : 0;
}

/* Cases whose expected answer is the right one but not yet the code's:
 * kept out of the suite (which must pass), run with LNW_UNIT_KNOWN_WRONG=1.
 * Their failures are the bug reports. */
__attribute__((unused))
static int run_known_wrong(const struct unit_case *tests, size_t n)
{
	const char *on = getenv("LNW_UNIT_KNOWN_WRONG");
	int before = n_failed;
	size_t i;

	if (!on || strcmp(on, "1"))
		return 0;
	for (i = 0; i < n; i++)
		run(tests[i].name, tests[i].fn);
	return n_failed != before;
}

/* ---- events ------------------------------------------------------------ */

#define WALL_NS 1700000000123456789LL /* 2023-11-14T22:13:20.123456789Z */
#define LINE_LEN 512

__attribute__((unused))
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

__attribute__((unused))
static void set_nat(struct lnw_event *e, const char *orig, __u16 oport, __u8 how)
{
	e->orig_daddr = ip4(orig);
	e->orig_dport = oport;
	e->orig_src = how;
}

__attribute__((unused))
static void set_flags(struct lnw_event *e, __u8 all, __u8 dev, __u8 eff)
{
	e->rl_all = all;
	e->rl_dev = dev;
	e->rl_eff = eff;
}

__attribute__((unused))
static void fmt_line(const struct lnw_event *e, const char *ifname,
		     const char *reason, bool wide, char *buf)
{
	struct lnw_event_view v = {
		.ev = e, .ifname = ifname, .reason = reason, .wall_ns = WALL_NS,
	};

	memset(buf, 0, LINE_LEN);
	lnw_format_event_line(&v, wide, buf, LINE_LEN);
}

/* ---- JSON ---------------------------------------------------------------- */

/* Serialize as the tool does, check the text, parse it back (strictly). */
__attribute__((unused))
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
__attribute__((unused))
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

__attribute__((unused))
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

__attribute__((unused))
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

__attribute__((unused))
static void want_bool(json_object *root, const char *path, bool want)
{
	bool present;
	json_object *v = jget(root, path, &present);

	CHECK(present && json_object_is_type(v, json_type_boolean) &&
	      json_object_get_boolean(v) == want, "%s = %s, want %s", path,
	      v ? json_object_to_json_string(v) : "null/missing",
	      want ? "true" : "false");
}

__attribute__((unused))
static void want_null(json_object *root, const char *path)
{
	bool present;
	json_object *v = jget(root, path, &present);

	CHECK(present && v == NULL, "%s = %s, want null", path,
	      present ? json_object_to_json_string(v) : "(missing)");
}

__attribute__((unused))
static void want_absent(json_object *root, const char *path)
{
	bool present;

	jget(root, path, &present);
	CHECK(!present, "%s present, want absent", path);
}

__attribute__((unused))
static json_object *event_json(const struct lnw_event *e, const char *ifname,
			       const char *reason)
{
	struct lnw_event_view v = {
		.ev = e, .ifname = ifname, .reason = reason, .wall_ns = WALL_NS,
	};

	return roundtrip(lnw_event_json(&v));
}

#endif

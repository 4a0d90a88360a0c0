/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The C tests' harness: TAP, one line per case, numbered per program,
 * the plan last (printed at exit), so `prove` reads a test program and
 * tests/run-all.sh counts it:
 *   ok N - NAME | not ok N - NAME: WHY | ok N - NAME # SKIP WHY | 1..N
 * begin(); CHECK(cond, fmt, ...)...; end(name). The first failed CHECK
 * explains the case; a case that could not run sets cur_skip = "why"
 * before end(). Header-only: each test program is one file.
 */
#ifndef LNW_TESTS_CHECK_H
#define LNW_TESTS_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static int n_failed;
static int tap_n; /* cases reported so far: the plan */
static bool cur_failed;
static char cur_why[768];
static const char *cur_skip; /* the case could not run: why */

__attribute__((format(printf, 2, 3), unused))
static void fail_at(int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (cur_failed)
		return;
	cur_failed = true;
	n = snprintf(cur_why, sizeof(cur_why), "line %d: ", line);
	va_start(ap, fmt);
	vsnprintf(cur_why + n, sizeof(cur_why) - (size_t)n, fmt, ap);
	va_end(ap);
}

#define CHECK(cond, ...) \
	do { if (!(cond)) fail_at(__LINE__, __VA_ARGS__); } while (0)

__attribute__((unused))
static void begin(void)
{
	cur_failed = false;
	cur_why[0] = '\0';
	cur_skip = NULL;
}

/* Text in a TAP line: one printable line; '#' would start a directive. */
__attribute__((unused))
static void tap_text(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '#')
			fputs("\\#", stdout);
		else
			putchar(c < 0x20 || c >= 0x7f ? '?' : c);
	}
}

/* The plan, after the last case: also when a program returns early. */
__attribute__((unused))
static void tap_plan(void)
{
	printf("1..%d\n", tap_n);
	fflush(stdout);
}

__attribute__((constructor, unused))
static void tap_init(void)
{
	atexit(tap_plan);
}

__attribute__((unused))
static void end(const char *name)
{
	tap_n++;
	if (cur_failed) {
		printf("not ok %d - ", tap_n);
		tap_text(name);
		fputs(": ", stdout);
		tap_text(cur_why);
		n_failed++;
	} else if (cur_skip) {
		printf("ok %d - ", tap_n);
		tap_text(name);
		fputs(" # SKIP ", stdout);
		tap_text(cur_skip);
	} else {
		printf("ok %d - ", tap_n);
		tap_text(name);
	}
	putchar('\n');
	fflush(stdout);
}

#endif

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The C tests' harness, one line per case, counted by tests/run-all.sh:
 *   ok - NAME | FAIL - NAME: WHY | SKIP - NAME: WHY
 * begin(); CHECK(cond, fmt, ...)...; end(name). The first failed CHECK
 * explains the case. Header-only: each test program is one file.
 */
#ifndef LNW_TESTS_CHECK_H
#define LNW_TESTS_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int n_failed;
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

/* A why must stay on one printable line. */
__attribute__((unused))
static void end(const char *name)
{
	char *p;

	for (p = cur_why; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
	if (cur_failed) {
		printf("FAIL - %s: %s\n", name, cur_why);
		n_failed++;
	} else if (cur_skip) {
		printf("SKIP - %s: %s\n", name, cur_skip);
	} else {
		printf("ok - %s\n", name);
	}
	fflush(stdout);
}

#endif

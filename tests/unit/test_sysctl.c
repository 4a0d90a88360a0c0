// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of lib/sysctl's lnw_sysctl_int_write: what proc_dointvec()
 * takes from a write (test_flag_events checks the same values against the
 * running kernel).
 */
#include "unit.h"

struct write_case {
	const char *text;
	size_t len;        /* 0: strlen */
	int taken;
	long long value;
};

static void t_int_write(void)
{
	static const struct write_case c[] = {
		{ "1\n", 0, 1, 1 },         { "0", 0, 1, 0 },
		{ "  7\t", 0, 1, 7 },        { "\n\n1", 0, 1, 1 },
		{ "0x10\n", 0, 1, 16 },      { "010", 0, 1, 8 },
		{ "-1\n", 0, 1, -1 },        { "1 abc", 0, 1, 1 },
		{ "2147483647", 0, 1, 2147483647LL },
		{ "-2147483648", 0, 1, -2147483648LL },
		{ "2147483648", 0, 0, 0 },   { "-2147483649", 0, 0, 0 },
		{ "abc", 0, 0, 0 },          { "1abc", 0, 0, 0 },
		{ "08", 0, 0, 0 },           { "+1", 0, 0, 0 },
		{ "", 0, 0, 0 },             { " \n", 0, 0, 0 },
		{ "-", 0, 0, 0 },            { "1\0", 2, 0, 0 },
		{ "1", 1, 1, 1 },            { "0x", 0, 0, 0 },
		{ "000000000000000000001", 0, 0, 0 }, /* 21 digits: too long */
		{ "00000000000000000001\n", 0, 1, 1 }, /* 20: fine */
	};
	size_t i;

	for (i = 0; i < N(c); i++) {
		long long v = 12345;
		size_t len = c[i].len ? c[i].len : strlen(c[i].text);
		int got = lnw_sysctl_int_write(c[i].text, len, &v);

		CHECK(got == c[i].taken, "'%s' (%zu bytes): taken %d, want %d",
		      esc(c[i].text), len, got, c[i].taken);
		CHECK(!got || v == c[i].value, "'%s': value %lld, want %lld",
		      esc(c[i].text), v, c[i].value);
		CHECK(got || v == 12345, "'%s' refused but wrote %lld", esc(c[i].text), v);
	}
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "sysctl_int_write: what proc_dointvec takes", t_int_write },
	};

	return run_all(tests, N(tests));
}

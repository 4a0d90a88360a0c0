// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of lib/prom: the exposition format's families and samples,
 * and label values made from hostile names, read back as Prometheus'
 * parser reads them. No kernel, no BPF.
 */
#include <math.h>

#include "unit.h"
#include "lib/prom.h"
#include "lib/text.h"

/* What a writer call put in a FILE, as a string (free it). */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};

static void cap_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
}

static char *cap_close(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

static char *value_of(const char *in)
{
	struct capture c;

	cap_open(&c);
	lnw_prom_put_value(c.f, in);
	return cap_close(&c);
}

/* A quoted label value as Prometheus' text parser reads it back: \\, \"
 * and \n are escapes, any other backslash stays as it is. */
static void unescape(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (; *in && o + 1 < len; in++) {
		if (*in == '\\' && (in[1] == '\\' || in[1] == '"' || in[1] == 'n')) {
			in++;
			out[o++] = *in == 'n' ? '\n' : *in;
		} else {
			out[o++] = *in;
		}
	}
	out[o] = '\0';
}

/* Inside the quotes: no raw control byte, no unescaped quote, valid UTF-8. */
static bool value_is_safe(const char *v)
{
	const unsigned char *p = (const unsigned char *)v;
	size_t n;

	while (*p) {
		if (*p < 0x20 || *p == 0x7f)
			return false;
		if (*p == '\\') {
			if (!p[1])
				return false;
			p += 2;
			continue;
		}
		if (*p == '"')
			return false;
		n = lnw_utf8_seq_len(p);
		if (!n || (p[0] == 0xc2 && p[1] < 0xa0))
			return false;
		p += n;
	}
	return true;
}

static void t_value_escapes(void)
{
	static const struct { const char *in, *body, *read; } cases[] = {
		{ "eth0", "eth0", "eth0" },
		{ "a\"b", "a\\\"b", "a\"b" },
		{ "a\\b", "a\\\\x5cb", "a\\x5cb" },
		{ "nl\nx", "nl\\\\x0ax", "nl\\x0ax" },
		{ "\x1b[31m", "\\\\x1b[31m", "\\x1b[31m" },
		{ "del\x7f", "del\\\\x7f", "del\\x7f" },
		{ "\xc3\xbc", "\xc3\xbc", "\xc3\xbc" },            /* ü stays */
		{ "\xe2\x82\xac", "\xe2\x82\xac", "\xe2\x82\xac" }, /* € stays */
		{ "\xc2\x9b", "\\\\xc2\\\\x9b", "\\xc2\\x9b" },   /* C1 CSI */
		{ "x\xff", "x\\\\xff", "x\\xff" },                 /* not UTF-8 */
		{ "\xc3(", "\\\\xc3(", "\\xc3(" },                 /* cut short */
		{ "\xed\xa0\x80", "\\\\xed\\\\xa0\\\\x80", "\\xed\\xa0\\x80" }, /* surrogate */
		{ "sp ace\t", "sp ace\\\\x09", "sp ace\\x09" },
		{ "", "", "" },
	};
	char read[256];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		char *v = value_of(cases[i].in);

		CHECK(v && !strcmp(v, cases[i].body), "value('%s') = '%s', want '%s'",
		      esc(cases[i].in), esc(v), esc(cases[i].body));
		unescape(v ? v : "", read, sizeof(read));
		CHECK(!strcmp(read, cases[i].read), "'%s' reads back as '%s', want '%s'",
		      esc(cases[i].in), esc(read), esc(cases[i].read));
		free(v);
	}
}

/* Every name of one to 15 random bytes (an interface's): the value is
 * safe, and reads back as lnw_name_printable's form where that is ASCII. */
static void t_value_random(void)
{
	unsigned int seed = 15;
	char in[16], want[LNW_PRINTABLE_LEN(16)], read[256];
	int i, j, len;

	for (i = 0; i < 20000; i++) {
		char *v;
		bool ascii = true;

		len = 1 + (int)(rand_r(&seed) % 15);
		for (j = 0; j < len; j++) {
			in[j] = (char)(1 + rand_r(&seed) % 255);
			ascii &= (unsigned char)in[j] < 0x80;
		}
		in[len] = '\0';
		v = value_of(in);
		CHECK(v && value_is_safe(v), "value('%s') = '%s' is not safe", esc(in), esc(v));
		if (v && ascii) { /* then the same text as the terminal's */
			unescape(v, read, sizeof(read));
			lnw_name_printable(in, want, sizeof(want));
			/* the terminal also escapes the blank; here it stays */
			for (j = 0; want[j]; j++)
				if (!strncmp(want + j, "\\x20", 4)) {
					want[j] = ' ';
					memmove(want + j + 1, want + j + 4, strlen(want + j + 4) + 1);
				}
			CHECK(!strcmp(read, want), "'%s' reads back as '%s', want '%s'",
			      esc(in), esc(read), esc(want));
		}
		free(v);
	}
}

static void t_family(void)
{
	struct capture c;
	char *out;

	cap_open(&c);
	CHECK(!lnw_prom_family(c.f, "lnwatch_packets_total", "counter",
			       "Packets \\ counted\nexactly"), "refused");
	CHECK(lnw_prom_family(c.f, "bad-name", "counter", "x") == -EINVAL, "bad name taken");
	CHECK(lnw_prom_family(c.f, "x", "histogram", "x") == -EINVAL, "bad type taken");
	out = cap_close(&c);
	CHECK(out && !strcmp(out, "# HELP lnwatch_packets_total Packets \\\\ counted\\nexactly\n"
			     "# TYPE lnwatch_packets_total counter\n"), "got '%s'", esc(out));
	free(out);
}

static void t_samples(void)
{
	const struct lnw_prom_label l[] = {
		{ "ifname", "e\"1" }, { "verdict", "martian-dst" }, { "reason", NULL },
	};
	const struct lnw_prom_label bad[] = { { "if:name", "x" } };
	struct capture c;
	char *out;

	cap_open(&c);
	CHECK(!lnw_prom_sample_u64(c.f, "a_total", l, 3, 18446744073709551615ULL), "refused");
	CHECK(!lnw_prom_sample_u64(c.f, "b", NULL, 0, 0), "refused");
	CHECK(!lnw_prom_sample_double(c.f, "c", NULL, 0, NAN), "refused");
	CHECK(!lnw_prom_sample_double(c.f, "c", NULL, 0, INFINITY), "refused");
	CHECK(!lnw_prom_sample_double(c.f, "c", NULL, 0, -INFINITY), "refused");
	CHECK(!lnw_prom_sample_double(c.f, "c", NULL, 0, 0.1), "refused");
	CHECK(!lnw_prom_sample_double(c.f, "c", NULL, 0, 1234.567891234), "refused");
	CHECK(!lnw_prom_sample_double(c.f, "c", NULL, 0, 1.0 / 3), "refused");
	/* refused whole: nothing of it written */
	CHECK(lnw_prom_sample_u64(c.f, "ok", bad, 1, 1) == -EINVAL, "label with ':' taken");
	CHECK(lnw_prom_sample_u64(c.f, "9lives", NULL, 0, 1) == -EINVAL, "digit first taken");
	CHECK(lnw_prom_sample_u64(c.f, "", NULL, 0, 1) == -EINVAL, "empty name taken");
	out = cap_close(&c);
	CHECK(out && !strcmp(out,
		"a_total{ifname=\"e\\\"1\",verdict=\"martian-dst\",reason=\"\"} 18446744073709551615\n"
		"b 0\nc NaN\nc +Inf\nc -Inf\nc 0.1\nc 1234.567891234\nc 0.33333333333333331\n"),
	      "got '%s'", esc(out));
	free(out);
}

static void t_names(void)
{
	CHECK(lnw_prom_name_ok("lnwatch:rate5m", false), "a recording rule's name refused");
	CHECK(!lnw_prom_name_ok("lnwatch:rate5m", true), "':' in a label name taken");
	CHECK(lnw_prom_name_ok("_x9", true), "'_x9' refused");
	CHECK(!lnw_prom_name_ok("a b", false), "blank taken");
	CHECK(!lnw_prom_name_ok("\xc3\xbc", false), "non-ASCII taken");
	CHECK(!lnw_prom_name_ok(NULL, false), "NULL taken");
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "label values: format escapes and hostile bytes", t_value_escapes },
		{ "label values: 20000 random names are safe and read back", t_value_random },
		{ "family: HELP escaped, TYPE checked", t_family },
		{ "samples: labels, u64, NaN, Inf, floats; bad names refused whole", t_samples },
		{ "metric and label names", t_names },
	};

	return run_all(tests, N(tests));
}

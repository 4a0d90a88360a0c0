// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Prometheus' text exposition format: families, samples, label values. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"
#include "text.h"

bool lnw_prom_name_ok(const char *name, bool label)
{
	const char *p;

	if (!name || !*name || (*name >= '0' && *name <= '9'))
		return false;
	for (p = name; *p; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || (c == ':' && !label)))
			return false;
	}
	return true;
}

/* HELP text: the format escapes only the backslash and the newline. */
static void put_help(FILE *f, const char *help)
{
	for (; *help; help++) {
		if (*help == '\\')
			fputs("\\\\", f);
		else if (*help == '\n')
			fputs("\\n", f);
		else
			putc(*help, f);
	}
}

int lnw_prom_family(FILE *f, const char *name, const char *type,
		    const char *help)
{
	if (!lnw_prom_name_ok(name, false) ||
	    (strcmp(type, "counter") && strcmp(type, "gauge") && strcmp(type, "untyped")))
		return -EINVAL;
	fprintf(f, "# HELP %s ", name);
	put_help(f, help ? help : "");
	fprintf(f, "\n# TYPE %s %s\n", name, type);
	return 0;
}

/* Written as the text \xNN, the backslash escaped: \\xNN. */
static void put_hex(FILE *f, unsigned char c)
{
	fprintf(f, "\\\\x%02x", c);
}

void lnw_prom_put_value(FILE *f, const char *value)
{
	const unsigned char *p = (const unsigned char *)value;
	size_t len, i;

	while (*p) {
		len = lnw_utf8_seq_len(p);
		if (len == 1 && *p >= 0x20 && *p != 0x7f && *p != '\\') {
			if (*p == '"')
				putc('\\', f);
			putc(*p, f);
		} else if (len > 1 && !(p[0] == 0xc2 && p[1] < 0xa0)) {
			fwrite(p, 1, len, f); /* UTF-8, not a C1 control */
		} else {
			len = len ? len : 1; /* a byte that is not UTF-8: alone */
			for (i = 0; i < len; i++)
				put_hex(f, p[i]);
		}
		p += len;
	}
}

static int put_series(FILE *f, const char *name,
		      const struct lnw_prom_label *labels, size_t n_labels)
{
	size_t i;

	if (!lnw_prom_name_ok(name, false))
		return -EINVAL;
	for (i = 0; i < n_labels; i++)
		if (!lnw_prom_name_ok(labels[i].name, true))
			return -EINVAL;
	fputs(name, f);
	for (i = 0; i < n_labels; i++) {
		fprintf(f, "%c%s=\"", i ? ',' : '{', labels[i].name);
		lnw_prom_put_value(f, labels[i].value ? labels[i].value : "");
		putc('"', f);
	}
	if (n_labels)
		putc('}', f);
	putc(' ', f);
	return 0;
}

int lnw_prom_sample_u64(FILE *f, const char *name,
			const struct lnw_prom_label *labels, size_t n_labels,
			unsigned long long value)
{
	int ret = put_series(f, name, labels, n_labels);

	if (!ret)
		fprintf(f, "%llu\n", value);
	return ret;
}

int lnw_prom_sample_double(FILE *f, const char *name,
			   const struct lnw_prom_label *labels, size_t n_labels,
			   double value)
{
	char buf[32];
	int ret = put_series(f, name, labels, n_labels);

	if (ret)
		return ret;
	if (isnan(value))
		snprintf(buf, sizeof(buf), "NaN");
	else if (isinf(value))
		snprintf(buf, sizeof(buf), "%cInf", value > 0 ? '+' : '-');
	else if (snprintf(buf, sizeof(buf), "%.15g", value), strtod(buf, NULL) != value)
		snprintf(buf, sizeof(buf), "%.17g", value);
	fprintf(f, "%s\n", buf);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_LIB_PROM_H
#define LNW_LIB_PROM_H

/* Prometheus' text exposition format (version 0.0.4): a family's HELP and
 * TYPE lines, then its samples, each `name{label="value",...} value`.
 * Shared by the live exporter (--metrics) and anything that writes a
 * node_exporter textfile. Every function returns 0, or -EINVAL when a
 * metric or label name is not [a-zA-Z_:][a-zA-Z0-9_:]* (labels: no ':')
 * and then writes nothing; a write error is the FILE's (ferror). */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What Content-Type says the body is. */
#define LNW_PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

struct lnw_prom_label {
	const char *name;
	const char *value; /* any bytes: escaped by the writer (below) */
};

/* Is name a valid metric name (label false) or label name (label true)? */
bool lnw_prom_name_ok(const char *name, bool label);

/* "# HELP name help" (help escaped as the format says) and
 * "# TYPE name type", type one of counter, gauge, untyped. */
int lnw_prom_family(FILE *f, const char *name, const char *type,
		    const char *help);

/* One sample of an integer value, exact to 2^64 - 1 ... */
int lnw_prom_sample_u64(FILE *f, const char *name,
			const struct lnw_prom_label *labels, size_t n_labels,
			unsigned long long value);
/* ... and of a float: NaN (not known), +Inf, -Inf as the format spells
 * them, else the shortest of %.15g and %.17g that reads back the same. */
int lnw_prom_sample_double(FILE *f, const char *name,
			   const struct lnw_prom_label *labels, size_t n_labels,
			   double value);

/* A label value between its quotes. Names from the kernel or from users
 * may hold any byte; Prometheus reads back lnwatch's printable form of
 * them (as the terminal output): valid UTF-8 is kept, '"' is escaped as
 * \" and every byte a terminal or the format could trip over (control
 * bytes, newline included, DEL, C1 controls, the backslash, bytes that are
 * not UTF-8) becomes the text \xNN, its backslash escaped as the format
 * says (\\xNN). So the body holds no raw control byte, is valid UTF-8
 * (Prometheus refuses a scrape that is not), and a value never ends a
 * line or its quotes early. */
void lnw_prom_put_value(FILE *f, const char *value);

#endif

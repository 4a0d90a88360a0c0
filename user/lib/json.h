/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_LIB_JSON_H
#define LNW_LIB_JSON_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include <json-c/json.h>

/* Writing (json-c escapes control characters) ... */

/* Print obj as one line of JSON and release it. */
void lnw_json_emit(FILE *f, json_object *obj);
/* An error, as {"error": ...} on stdout in JSON mode, else "lnwatch: ..."
 * on stderr. */
void lnw_error(bool json, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A string, or JSON null for NULL. */
json_object *lnw_json_str(const char *s);
/* A name from the kernel or a user, as valid UTF-8. */
json_object *lnw_json_name(const char *raw);
/* "10.0.0.1" of a network-order address. */
json_object *lnw_json_addr(__u32 be_addr);
/* v written with at most `decimals` decimals, trailing zeros left out
 * (json-c writes 17 digits: 4.2149755039999999); null when not finite. */
json_object *lnw_json_double(double v, int decimals);

/* Text written by hand, for the -j drain (json-c costs it ~4 us an event). */

/* Room lnw_json_put_str needs for at most max_raw bytes, quotes included. */
#define LNW_JSON_STR_LEN(max_raw) (6 * (max_raw) + 2)
/* At p, the first max_raw bytes of s as a JSON string: quotes, '"' and '\\'
 * escaped, control characters (C0, DEL, C1) as \u00XX so that none reaches
 * a terminal, invalid UTF-8 as U+FFFD (as lnw_name_utf8). Returns the end. */
char *lnw_json_put_str(char *p, const char *s, size_t max_raw);
/* An object whose JSON text is `text` (len bytes, already serialized, one
 * object): json-c writes it as it is. It holds no keys for json-c to get;
 * parse its text to read them. */
json_object *lnw_json_raw(const char *text, size_t len);

/* Did the command line ask for JSON (--json, or -j alone or among the
 * flag letters in `flags`, as in -vj)? Known before argp runs, so that a
 * usage error can be JSON too. Stops at "--". */
bool lnw_wants_json(int argc, char **argv, const char *flags);

/* ... and reading (libnftables' documents). */

/* o[key] when o is an object, else NULL. */
json_object *lnw_jget(json_object *o, const char *key);
/* o[key] when it is a string, else NULL. */
const char *lnw_jstr(json_object *o, const char *key);

#endif

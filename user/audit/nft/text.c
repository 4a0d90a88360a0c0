// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Rules as text, as nft prints them (close enough to recognise a rule),
 * from libnftables' JSON. */
#define _GNU_SOURCE /* open_memstream */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/json.h"
#include "text.h"

/* The single key of a statement object ({"match": ...}), and its value. */
const char *lnw_nft_stmt_kind(json_object *stmt, json_object **val)
{
	struct json_object_iterator it, end;

	if (!json_object_is_type(stmt, json_type_object) || json_object_object_length(stmt) != 1)
		return NULL;
	it = json_object_iter_begin(stmt);
	end = json_object_iter_end(stmt);
	if (json_object_iter_equal(&it, &end))
		return NULL;
	*val = json_object_iter_peek_value(&it);
	return json_object_iter_peek_name(&it);
}

void lnw_nft_print_value(FILE *f, json_object *v, bool quote)
{
	json_object *x;
	size_t i, n;

	switch (json_object_get_type(v)) {
	case json_type_string:
		fprintf(f, quote ? "\"%s\"" : "%s", json_object_get_string(v));
		return;
	case json_type_int:
		fprintf(f, "%lld", (long long)json_object_get_int64(v));
		return;
	case json_type_array:
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			fprintf(f, i ? "," : "");
			lnw_nft_print_value(f, json_object_array_get_idx(v, i), quote);
		}
		return;
	case json_type_object:
		break;
	default:
		fprintf(f, "?");
		return;
	}
	if ((x = lnw_jget(v, "prefix"))) {
		fprintf(f, "%s/%d", lnw_jstr(x, "addr") ? lnw_jstr(x, "addr") : "?",
			json_object_get_int(lnw_jget(x, "len")));
	} else if ((x = lnw_jget(v, "range")) && json_object_array_length(x) == 2) {
		lnw_nft_print_value(f, json_object_array_get_idx(x, 0), quote);
		fprintf(f, "-");
		lnw_nft_print_value(f, json_object_array_get_idx(x, 1), quote);
	} else if ((x = lnw_jget(v, "set"))) {
		if (!json_object_is_type(x, json_type_array)) {
			lnw_nft_print_value(f, x, quote);
			return;
		}
		fprintf(f, "{ ");
		n = json_object_array_length(x);
		for (i = 0; i < n; i++) {
			fprintf(f, i ? ", " : "");
			lnw_nft_print_value(f, json_object_array_get_idx(x, i), quote);
		}
		fprintf(f, " }");
	} else if ((x = lnw_jget(v, "elem"))) {
		lnw_nft_print_value(f, lnw_jget(x, "val"), quote);
	} else if ((x = lnw_jget(v, "concat")) || (x = lnw_jget(v, "|"))) {
		bool concat = lnw_jget(v, "concat") != NULL;

		n = json_object_array_length(x);
		for (i = 0; i < n; i++) {
			fprintf(f, i ? concat ? " . " : " | " : "");
			lnw_nft_print_value(f, json_object_array_get_idx(x, i), quote);
		}
	} else {
		fprintf(f, "...");
	}
}

static void print_left(FILE *f, json_object *left)
{
	json_object *x, *fl;
	const char *key;
	size_t i;

	if ((x = lnw_jget(left, "payload"))) {
		if (lnw_jstr(x, "protocol"))
			fprintf(f, "%s %s", lnw_jstr(x, "protocol"), lnw_jstr(x, "field") ? lnw_jstr(x, "field") : "?");
		else
			fprintf(f, "@%s,%d,%d", lnw_jstr(x, "base") ? lnw_jstr(x, "base") : "?",
				json_object_get_int(lnw_jget(x, "offset")),
				json_object_get_int(lnw_jget(x, "len")));
	} else if ((x = lnw_jget(left, "meta"))) {
		key = lnw_jstr(x, "key");
		fprintf(f, "%s%s", key && (!strcmp(key, "iifname") || !strcmp(key, "iif") ||
				     !strcmp(key, "oifname") || !strcmp(key, "oif")) ? "" : "meta ",
			key ? key : "?");
	} else if ((x = lnw_jget(left, "ct"))) {
		fprintf(f, "ct %s%s%s", lnw_jstr(x, "dir") ? lnw_jstr(x, "dir") : "",
			lnw_jstr(x, "dir") ? " " : "", lnw_jstr(x, "key") ? lnw_jstr(x, "key") : "?");
	} else if ((x = lnw_jget(left, "fib"))) {
		fprintf(f, "fib ");
		fl = lnw_jget(x, "flags");
		if (json_object_is_type(fl, json_type_array))
			for (i = 0; i < json_object_array_length(fl); i++)
				fprintf(f, "%s%s", i ? " . " : "",
					json_object_get_string(json_object_array_get_idx(fl, i)));
		else if (fl)
			fprintf(f, "%s", json_object_get_string(fl));
		fprintf(f, " %s", lnw_jstr(x, "result") ? lnw_jstr(x, "result") : "?");
	} else if ((x = lnw_jget(left, "concat")) && json_object_is_type(x, json_type_array)) {
		for (i = 0; i < json_object_array_length(x); i++) {
			fprintf(f, "%s", i ? " . " : "");
			print_left(f, json_object_array_get_idx(x, i));
		}
	} else if ((x = lnw_jget(left, "&")) && json_object_array_length(x) == 2) {
		print_left(f, json_object_array_get_idx(x, 0));
		fprintf(f, " & ");
		lnw_nft_print_value(f, json_object_array_get_idx(x, 1), false);
	} else if (json_object_is_type(left, json_type_object)) {
		json_object *val;
		const char *kind = lnw_nft_stmt_kind(left, &val);

		fprintf(f, "%s", kind ? kind : "?");
	} else {
		lnw_nft_print_value(f, left, false);
	}
}

char *lnw_nft_match_text(json_object *left, const char *op, json_object *right)
{
	json_object *meta = lnw_jget(left, "meta");
	const char *key = meta ? lnw_jstr(meta, "key") : NULL;
	bool quote = key && (!strcmp(key, "iifname") || !strcmp(key, "oifname"));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	print_left(f, left);
	if (!strcmp(op, "!")) { /* no bit set; "!=" would compare the whole value */
		fprintf(f, " & ");
		lnw_nft_print_value(f, right, quote);
		fprintf(f, " == 0");
		fclose(f);
		return buf;
	}
	if (strcmp(op, "==") && strcmp(op, "in"))
		fprintf(f, " %s", op);
	fprintf(f, " ");
	lnw_nft_print_value(f, right, quote);
	fclose(f);
	return buf;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Concatenations: "ip daddr . udp dport { 127.0.0.1 . 8125, ... }" holds
 * when one element's every part holds, so an element is a conjunction of
 * one match per part. A packet has one value of the concatenation, and a
 * set's elements never overlap: a rule on such a set is exactly the same
 * rule once per element (as a vmap is), each with its parts as matches.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "compile.h"
#include "text.h"

/* Sets of more elements stay one match the model does not read. */
#define MAX_CONCAT_ELEMS 256

/* A part of an element: {"concat": [...]} or, with flags, {"elem": ...}. */
static json_object *elem_parts(json_object *e)
{
	json_object *x = lnw_jget(e, "elem");

	if (x)
		e = lnw_jget(x, "val");
	x = lnw_jget(e, "concat");
	return json_object_is_type(x, json_type_array) ? x : NULL;
}

int lnw_nft_concat_push(struct lnw_nft_compile *cx, struct lnw_nft_rule *r, json_object *key,
			json_object *elem)
{
	json_object *keys = lnw_jget(key, "concat"), *vals = elem_parts(elem);
	struct lnw_nft_match m;
	size_t i, n = keys ? json_object_array_length(keys) : 0;
	int ret = 0;

	if (!n || !vals || json_object_array_length(vals) != n) {
		memset(&m, 0, sizeof(m));
		m.key = LNW_KEY_UNKNOWN;
		m.text = lnw_nft_match_text(key, "==", elem);
		ret = m.text ? lnw_nft_rule_push_match(r, &m) : -ENOMEM;
		if (ret)
			lnw_nft_match_free(&m);
		return ret;
	}
	for (i = 0; i < n && !ret; i++) {
		ret = lnw_nft_compile_match(cx, json_object_array_get_idx(keys, i), "==",
					    json_object_array_get_idx(vals, i), &m);
		if (!ret)
			ret = lnw_nft_rule_push_match(r, &m);
		if (ret)
			lnw_nft_match_free(&m);
	}
	return ret;
}

json_object *lnw_nft_concat_elems(struct lnw_nft_compile *cx, json_object *left, const char *op,
				  json_object *right)
{
	json_object *elems;

	if (!lnw_jget(left, "concat") || (strcmp(op, "==") && strcmp(op, "in")))
		return NULL;
	elems = lnw_nft_set_elems(cx, right);
	if (!elems && elem_parts(right)) { /* one value: a set of one */
		elems = json_object_new_array();
		if (elems)
			json_object_array_add(elems, json_object_get(right));
		return elems;
	}
	if (!elems || json_object_array_length(elems) > MAX_CONCAT_ELEMS)
		return NULL;
	return json_object_get(elems);
}

static int rule_clone(struct lnw_nft_rule *dst, const struct lnw_nft_rule *src)
{
	struct lnw_nft_match m;
	int i, ret = 0;

	memset(dst, 0, sizeof(*dst));
	dst->verdict = src->verdict;
	dst->nat = src->nat;
	if ((src->target_name && !(dst->target_name = strdup(src->target_name))) ||
	    (src->unmodelled && !(dst->unmodelled = strdup(src->unmodelled))))
		return -ENOMEM;
	for (i = 0; i < src->n_m && !ret; i++) {
		ret = lnw_nft_match_copy(&m, &src->m[i]);
		if (!ret)
			ret = lnw_nft_rule_push_match(dst, &m);
		if (ret)
			lnw_nft_match_free(&m);
	}
	return ret;
}

int lnw_nft_concat_expand(struct lnw_nft_compile *cx, const struct lnw_nft_rule *r,
			  json_object *left, json_object *elems, struct lnw_nft_rule **out,
			  int *n_out)
{
	size_t i, n = json_object_array_length(elems);
	int ret = 0;

	*n_out = 0;
	*out = calloc(n + 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < n && !ret; i++) {
		struct lnw_nft_rule *c = &(*out)[(*n_out)++];

		ret = rule_clone(c, r);
		if (!ret)
			ret = lnw_nft_concat_push(cx, c, left, json_object_array_get_idx(elems, i));
	}
	return ret;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The packet mark: matches on it ("meta mark & 0xff == 0x1", -m mark) and
 * what a rule does to it ("meta mark set 0x1", "meta mark set meta mark
 * or 0x4000", -j MARK --set-xmark). A neighbour's packet arrives with mark
 * 0; fw.c follows what the rules on its way make of it. The conntrack
 * mark ("ct mark", -m connmark) of a new connection is 0 unless a rule
 * sets it ("ct mark set", -j CONNMARK).
 */
#include <errno.h>
#include <string.h>

#include "lib/json.h"
#include "compile.h"

static bool is_mark(json_object *v)
{
	json_object *x = lnw_jget(v, "meta");

	return x && lnw_jstr(x, "key") && !strcmp(lnw_jstr(x, "key"), "mark");
}

static bool is_ct_mark(json_object *v)
{
	json_object *x = lnw_jget(v, "ct");

	return x && lnw_jstr(x, "key") && !strcmp(lnw_jstr(x, "key"), "mark") &&
	       !lnw_jstr(x, "dir");
}

static bool number(json_object *v, uint32_t *out)
{
	if (!json_object_is_type(v, json_type_int))
		return false;
	*out = (uint32_t)json_object_get_int64(v);
	return true;
}

int lnw_nft_mark_match(struct lnw_nft_compile *cx, json_object *left, const char *op,
		       json_object *right, struct lnw_nft_match *m)
{
	json_object *x = lnw_jget(left, "&"), *elems, *what;
	uint32_t mask = UINT32_MAX, v;
	size_t i, n;

	what = x ? json_object_array_get_idx(x, 0) : left;
	if (!is_mark(what) && !is_ct_mark(what))
		return 0;
	m->key = LNW_KEY_UNKNOWN; /* unless every value is read */
	if (x && (json_object_array_length(x) != 2 ||
		  !number(json_object_array_get_idx(x, 1), &mask)))
		return 1;
	if (strcmp(op, "==") && strcmp(op, "!=") && strcmp(op, "in"))
		return 1;
	m->op = op[0] == '!' ? LNW_OP_NOT_IN : LNW_OP_IN;
	m->bits = mask;
	elems = lnw_nft_set_elems(cx, right);
	n = elems ? json_object_array_length(elems) : 1;
	for (i = 0; i < n; i++) {
		json_object *e = elems ? json_object_array_get_idx(elems, i) : right;
		struct lnw_range r;

		if (lnw_jget(e, "elem"))
			e = lnw_jget(lnw_jget(e, "elem"), "val");
		if (number(e, &v)) {
			r = (struct lnw_range){ v & mask, v & mask };
		} else if ((x = lnw_jget(e, "range")) && json_object_array_length(x) == 2 &&
			   mask == UINT32_MAX && number(json_object_array_get_idx(x, 0), &r.lo) &&
			   number(json_object_array_get_idx(x, 1), &r.hi)) {
		} else {
			return 1;
		}
		if (lnw_nft_range_push(m, r.lo, r.hi))
			return -ENOMEM;
	}
	m->key = is_mark(what) ? LNW_KEY_MARK : LNW_KEY_CT_MARK;
	return 1;
}

void lnw_nft_mark_set(json_object *val, struct lnw_nft_rule *r)
{
	json_object *v = lnw_jget(val, "value"), *x;
	uint32_t c;

	if (is_ct_mark(lnw_jget(val, "key")))
		r->sets_ct_mark = true;
	if (!is_mark(lnw_jget(val, "key")))
		return;
	r->mark_set = LNW_MARK_ANY; /* unless its value is one we follow */
	if (number(v, &c)) {
		r->mark_mask = UINT32_MAX, r->mark_xor = c, r->mark_set = LNW_MARK_SET;
		return;
	}
	/* new = (old & ~mask) ^ xor: "or C", "and C", "xor C" of the mark */
	if (((x = lnw_jget(v, "|")) || (x = lnw_jget(v, "&")) || (x = lnw_jget(v, "^"))) &&
	    json_object_array_length(x) == 2 && is_mark(json_object_array_get_idx(x, 0)) &&
	    number(json_object_array_get_idx(x, 1), &c)) {
		r->mark_set = LNW_MARK_SET;
		if (lnw_jget(v, "|"))
			r->mark_mask = c, r->mark_xor = c;
		else if (lnw_jget(v, "&"))
			r->mark_mask = ~c, r->mark_xor = 0;
		else
			r->mark_mask = 0, r->mark_xor = c;
	}
}

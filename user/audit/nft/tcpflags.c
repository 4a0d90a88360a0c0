// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * TCP flags matches: "tcp flags syn" (any of these bits), "tcp flags &
 * (syn | ack) == syn", "tcp flags { syn, syn | ack }". fw.c decides them
 * for a connection's first packet, a SYN.
 */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>

#include "lib/json.h"
#include "lib/text.h"
#include "lib/util.h"
#include "compile.h"

/* A TCP flags value: "syn", ["syn", "ack"], {"|": [...]}, a number. */
static bool tcp_flags_value(json_object *v, uint32_t *out)
{
	static const struct lnw_named names[] = {
		{ "fin", 0x01 }, { "syn", 0x02 }, { "rst", 0x04 }, { "psh", 0x08 },
		{ "ack", 0x10 }, { "urg", 0x20 }, { "ecn", 0x40 }, { "cwr", 0x80 },
	};
	json_object *x = lnw_jget(v, "|");
	uint32_t one;
	size_t i;

	if (x)
		v = x;
	if (json_object_is_type(v, json_type_int)) {
		*out = (uint32_t)json_object_get_int(v) & 0xff;
		return true;
	}
	if (json_object_is_type(v, json_type_string))
		return lnw_named_find(names, LNW_ARRAY_SIZE(names), json_object_get_string(v), out);
	if (!json_object_is_type(v, json_type_array))
		return false;
	*out = 0;
	for (i = 0; i < json_object_array_length(v); i++) {
		if (!tcp_flags_value(json_object_array_get_idx(v, i), &one))
			return false;
		*out |= one;
	}
	return true;
}

/* "tcp flags syn", "tcp flags & (syn | ack) == syn", "tcp flags { ... }":
 * 1 compiled, 0 not a tcp flags match, -ENOMEM. */
int lnw_nft_tcp_flags_match(struct lnw_nft_compile *cx, json_object *left, const char *op,
			    json_object *right, struct lnw_nft_match *m)
{
	json_object *x = lnw_jget(left, "&"), *p = x ? json_object_array_get_idx(x, 0) : left;
	json_object *elems;
	uint32_t mask = 0xff, v;
	size_t i, n;

	p = lnw_jget(p, "payload");
	if (!p || !lnw_jstr(p, "protocol") || strcmp(lnw_jstr(p, "protocol"), "tcp") ||
	    !lnw_jstr(p, "field") || strcmp(lnw_jstr(p, "field"), "flags"))
		return 0;
	m->key = LNW_KEY_UNKNOWN; /* unless every value is read */
	m->l4proto = IPPROTO_TCP;
	if (x && (json_object_array_length(x) != 2 ||
		  !tcp_flags_value(json_object_array_get_idx(x, 1), &mask)))
		return 1;
	if (!strcmp(op, "in") || !strcmp(op, "!")) {
		if (x || !tcp_flags_value(right, &m->bits))
			return 1;
		m->op = op[0] == 'i' ? LNW_OP_ANY_BIT : LNW_OP_NO_BIT;
		m->key = LNW_KEY_TCP_FLAGS;
		return 1;
	}
	if (strcmp(op, "==") && strcmp(op, "!="))
		return 1;
	m->op = op[0] == '=' ? LNW_OP_IN : LNW_OP_NOT_IN;
	m->bits = mask;
	elems = lnw_nft_set_elems(cx, right);
	n = elems ? json_object_array_length(elems) : 1;
	for (i = 0; i < n; i++) {
		if (!tcp_flags_value(elems ? json_object_array_get_idx(elems, i) : right, &v))
			return 1;
		if (lnw_nft_range_push(m, v & mask, v & mask))
			return -ENOMEM;
	}
	m->key = LNW_KEY_TCP_FLAGS;
	return 1;
}


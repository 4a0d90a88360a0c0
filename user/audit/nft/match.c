// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * One nftables match from libnftables' JSON: which key it reads, how its
 * values are written (addresses, prefixes, ranges, sets, named sets, bit
 * names), as ranges. A form not modelled is LNW_KEY_UNKNOWN, with its text.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/rtnetlink.h>

#include "lib/json.h"
#include "lib/text.h"
#include "lib/util.h"
#include "compile.h"
#include "stmt.h"
#include "text.h"

/* ---- values ------------------------------------------------------------ */

enum value_kind { VK_ADDR, VK_NUM, VK_PROTO, VK_NAME, VK_BITS_STATE, VK_BITS_STATUS,
		  VK_DIRECTION, VK_RTN, VK_PKTTYPE, VK_NFPROTO };


#define LOOKUP(table, s, out) lnw_named_find(table, LNW_ARRAY_SIZE(table), s, out)

static const struct lnw_named ct_states[] = {
	{ "invalid", NF_CT_STATE_INVALID_BIT },
	{ "established", NF_CT_STATE_BIT(IP_CT_ESTABLISHED) },
	{ "related", NF_CT_STATE_BIT(IP_CT_RELATED) },
	{ "new", NF_CT_STATE_BIT(IP_CT_NEW) },
	{ "untracked", NF_CT_STATE_UNTRACKED_BIT },
};
static const struct lnw_named ct_statuses[] = {
	{ "expected", IPS_EXPECTED }, { "seen-reply", IPS_SEEN_REPLY },
	{ "assured", IPS_ASSURED }, { "confirmed", IPS_CONFIRMED },
	{ "snat", IPS_SRC_NAT }, { "dnat", IPS_DST_NAT }, { "dying", IPS_DYING },
};
static const struct lnw_named rtn_types[] = {
	{ "unicast", RTN_UNICAST }, { "local", RTN_LOCAL }, { "broadcast", RTN_BROADCAST },
	{ "anycast", RTN_ANYCAST }, { "multicast", RTN_MULTICAST },
	{ "blackhole", RTN_BLACKHOLE }, { "unreachable", RTN_UNREACHABLE },
	{ "prohibit", RTN_PROHIBIT },
};
static const struct lnw_named pkttypes[] = {
	{ "host", 0 }, { "broadcast", 1 }, { "multicast", 2 }, { "other", 3 },
};
static const struct lnw_named nfprotos[] = { { "ipv4", NFPROTO_IPV4 }, { "ipv6", NFPROTO_IPV6 } };
static const struct lnw_named directions[] = { { "original", 0 }, { "reply", 1 } };

static bool parse_addr(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

/* {"prefix": {"addr": A, "len": N}} as the range of addresses it covers. */
static bool prefix_range(json_object *v, struct lnw_range *out)
{
	json_object *x = lnw_jget(v, "prefix");
	int plen = json_object_get_int(lnw_jget(x, "len"));
	uint32_t mask = plen <= 0 ? 0 : plen >= 32 ? ~0u : ~0u << (32 - plen), a;

	if (!x || !lnw_jstr(x, "addr") || !parse_addr(lnw_jstr(x, "addr"), &a))
		return false;
	*out = (struct lnw_range){ a & mask, (a & mask) | ~mask };
	return true;
}

static bool scalar(enum value_kind vk, json_object *v, uint32_t *out)
{
	const char *s = json_object_get_string(v);

	if (json_object_is_type(v, json_type_int)) {
		long long n = json_object_get_int64(v);

		if (vk == VK_ADDR || n < 0 || n > UINT32_MAX)
			return false;
		*out = (uint32_t)n;
		return true;
	}
	if (!json_object_is_type(v, json_type_string))
		return false;
	switch (vk) {
	case VK_ADDR: return parse_addr(s, out);
	case VK_PROTO: return lnw_nft_proto_find(s, out);
	case VK_DIRECTION: return LOOKUP(directions, s, out);
	case VK_RTN: return LOOKUP(rtn_types, s, out);
	case VK_PKTTYPE: return LOOKUP(pkttypes, s, out);
	case VK_NFPROTO: return LOOKUP(nfprotos, s, out);
	default: return false;
	}
}

/* The element array of a set expression, anonymous or @named; NULL when v
 * is not one (or names a set that does not exist). */
static json_object *set_elems(struct lnw_nft_compile *cx, json_object *v)
{
	const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
	json_object *set, *elems;

	if (s && s[0] == '@') {
		set = lnw_nft_find_set(cx, s + 1);
		if (set && lnw_nft_set_changes(cx, set))
			return NULL; /* what it holds now is not what it will hold */
		elems = lnw_jget(set, "elem");
		/* a named set with no element has no "elem" at all */
		return elems ? elems : set ? cx->no_elems : NULL;
	}
	elems = lnw_jget(v, "set");
	return json_object_is_type(elems, json_type_array) ? elems : NULL;
}

/* Add v (a scalar, prefix, range, set) to m. -EINVAL: a form not modelled. */
static int add_value(struct lnw_nft_compile *cx, struct lnw_nft_match *m, enum value_kind vk,
		     json_object *v)
{
	json_object *x;
	uint32_t a, b;
	size_t i, n;
	int ret;

	if (vk == VK_BITS_STATE || vk == VK_BITS_STATUS) {
		const struct lnw_named *t = vk == VK_BITS_STATE ? ct_states : ct_statuses;
		size_t tn = vk == VK_BITS_STATE ? LNW_ARRAY_SIZE(ct_states) :
			    LNW_ARRAY_SIZE(ct_statuses);

		if (json_object_is_type(v, json_type_string)) {
			if (!lnw_named_find(t, tn, json_object_get_string(v), &a))
				return -EINVAL;
			m->bits |= a;
			return 0;
		}
		if (json_object_is_type(v, json_type_int)) {
			m->bits |= (uint32_t)json_object_get_int64(v);
			return 0;
		}
		if ((x = lnw_jget(v, "|"))) /* established | related: one value */
			v = x;
	}
	if (vk == VK_NAME && json_object_is_type(v, json_type_string) &&
	    json_object_get_string(v)[0] != '@')
		return lnw_nft_name_push(m, json_object_get_string(v));
	x = json_object_is_type(v, json_type_array) ? v : set_elems(cx, v);
	if (x) {
		n = json_object_array_length(x);
		for (i = 0, ret = 0; i < n && !ret; i++) {
			json_object *e = json_object_array_get_idx(x, i);

			/* a map's element is [key, data] */
			if (json_object_is_type(e, json_type_array))
				e = json_object_array_get_idx(e, 0);
			ret = add_value(cx, m, vk, e);
		}
		return ret;
	}
	if (json_object_is_type(v, json_type_string) && json_object_get_string(v)[0] == '@')
		return -EINVAL; /* a set we cannot see */
	if ((x = lnw_jget(v, "elem")))
		return add_value(cx, m, vk, lnw_jget(x, "val"));
	if (lnw_jget(v, "prefix") && vk == VK_ADDR) {
		struct lnw_range p;

		if (!prefix_range(v, &p))
			return -EINVAL;
		return lnw_nft_range_push(m, p.lo, p.hi);
	}
	if ((x = lnw_jget(v, "range")) && json_object_array_length(x) == 2) {
		if (!scalar(vk, json_object_array_get_idx(x, 0), &a) ||
		    !scalar(vk, json_object_array_get_idx(x, 1), &b))
			return -EINVAL;
		return lnw_nft_range_push(m, a, b);
	}
	if (!scalar(vk, v, &a))
		return -EINVAL;
	return lnw_nft_range_push(m, a, a);
}

/* ---- matches ------------------------------------------------------------ */

static uint8_t l4_of(const char *proto)
{
	uint32_t p;

	if (!strcmp(proto, "th"))
		return LNW_L4_TH;
	return lnw_nft_proto_find(proto, &p) ? (uint8_t)p : 0;
}

/* Which key left reads; vk: how its values are written. */
static enum lnw_nft_key left_key(json_object *left, enum value_kind *vk, uint8_t *l4)
{
	json_object *x, *fl;
	const char *p, *k;

	*l4 = 0;
	if ((x = lnw_jget(left, "payload")) && (p = lnw_jstr(x, "protocol")) && (k = lnw_jstr(x, "field"))) {
		if (!strcmp(p, "ip")) {
			*vk = VK_ADDR;
			if (!strcmp(k, "saddr"))
				return LNW_KEY_SADDR;
			if (!strcmp(k, "daddr"))
				return LNW_KEY_DADDR;
			*vk = VK_PROTO;
			if (!strcmp(k, "protocol"))
				return LNW_KEY_L4PROTO;
			return LNW_KEY_UNKNOWN;
		}
		*vk = VK_NUM;
		*l4 = l4_of(p);
		if (*l4 && !strcmp(k, "sport"))
			return LNW_KEY_SPORT;
		if (*l4 && !strcmp(k, "dport"))
			return LNW_KEY_DPORT;
		return LNW_KEY_UNKNOWN;
	}
	if ((x = lnw_jget(left, "meta")) && (k = lnw_jstr(x, "key"))) {
		if (!strcmp(k, "iifname") || !strcmp(k, "iif")) {
			*vk = VK_NAME;
			return LNW_KEY_IIFNAME;
		}
		if (!strcmp(k, "l4proto")) {
			*vk = VK_PROTO;
			return LNW_KEY_L4PROTO;
		}
		if (!strcmp(k, "pkttype")) {
			*vk = VK_PKTTYPE;
			return LNW_KEY_PKTTYPE;
		}
		/* an IPv4 check (inet tables, netdev ingress) */
		if (!strcmp(k, "nfproto") || !strcmp(k, "protocol")) {
			*vk = VK_NFPROTO;
			return LNW_KEY_UNKNOWN; /* decided by the caller from the value */
		}
		return LNW_KEY_UNKNOWN;
	}
	if ((x = lnw_jget(left, "ct")) && (k = lnw_jstr(x, "key")) && !lnw_jstr(x, "dir")) {
		if (!strcmp(k, "state")) {
			*vk = VK_BITS_STATE;
			return LNW_KEY_CT_STATE;
		}
		if (!strcmp(k, "status")) {
			*vk = VK_BITS_STATUS;
			return LNW_KEY_CT_STATUS;
		}
		if (!strcmp(k, "direction")) {
			*vk = VK_DIRECTION;
			return LNW_KEY_CT_DIRECTION;
		}
		return LNW_KEY_UNKNOWN;
	}
	if ((x = lnw_jget(left, "fib")) && (k = lnw_jstr(x, "result")) && !strcmp(k, "type")) {
		fl = lnw_jget(x, "flags");
		if (json_object_is_type(fl, json_type_array) && json_object_array_length(fl) == 1)
			fl = json_object_array_get_idx(fl, 0);
		if (json_object_is_type(fl, json_type_string) &&
		    !strcmp(json_object_get_string(fl), "daddr")) {
			*vk = VK_RTN;
			return LNW_KEY_FIB_DADDR_TYPE;
		}
	}
	return LNW_KEY_UNKNOWN;
}

/* "ip saddr & 255.0.0.0 == 127.0.0.0": the prefix it tests. */
static bool masked_addr(json_object *left, json_object *right, enum lnw_nft_key *key,
			uint32_t *lo, uint32_t *hi)
{
	json_object *x = lnw_jget(left, "&"), *p;
	uint32_t mask, v;
	enum value_kind vk;
	uint8_t l4;

	if (!x || json_object_array_length(x) != 2)
		return false;
	p = json_object_array_get_idx(x, 0);
	*key = left_key(p, &vk, &l4);
	if ((*key != LNW_KEY_SADDR && *key != LNW_KEY_DADDR) ||
	    !json_object_is_type(json_object_array_get_idx(x, 1), json_type_string) ||
	    !parse_addr(json_object_get_string(json_object_array_get_idx(x, 1)), &mask) ||
	    !json_object_is_type(right, json_type_string) ||
	    !parse_addr(json_object_get_string(right), &v) ||
	    (mask & (~mask >> 1)) != 0 /* not a prefix mask */)
		return false;
	*lo = v & mask;
	*hi = (v & mask) | ~mask;
	return true;
}

static int compile_match(struct lnw_nft_compile *cx, json_object *left, const char *op,
			 json_object *right, struct lnw_nft_match *m)
{
	enum value_kind vk = VK_NUM;
	uint32_t lo, hi, v;
	bool neg = !strcmp(op, "!=") || !strcmp(op, "!");
	int ret;

	memset(m, 0, sizeof(*m));
	m->text = lnw_nft_match_text(left, op, right);
	if (!m->text)
		return -ENOMEM;
	ret = lnw_nft_tcp_flags_match(cx, left, op, right, m);
	if (!ret)
		ret = lnw_nft_mark_match(cx, left, op, right, m);
	if (ret)
		return ret < 0 ? ret : 0;
	if (masked_addr(left, right, &m->key, &lo, &hi)) {
		if (!strcmp(op, "==") || !strcmp(op, "!=")) {
			m->op = neg ? LNW_OP_NOT_IN : LNW_OP_IN;
			return lnw_nft_range_push(m, lo, hi);
		}
		m->key = LNW_KEY_UNKNOWN;
		return 0;
	}
	m->key = left_key(left, &vk, &m->l4proto);
	if (m->key == LNW_KEY_UNKNOWN && vk == VK_NFPROTO) {
		/* meta nfproto ipv4 / meta protocol ip: true for every IPv4 packet */
		const char *s = json_object_get_string(right);
		bool v4 = s && (!strcmp(s, "ipv4") || !strcmp(s, "ip"));

		if ((!strcmp(op, "==") || neg) && json_object_is_type(right, json_type_string))
			m->key = v4 != neg ? LNW_KEY_TRUE : LNW_KEY_FALSE;
		return 0;
	}
	if (m->key == LNW_KEY_UNKNOWN)
		return 0;
	if (vk == VK_BITS_STATE || vk == VK_BITS_STATUS) {
		/* "in"/"!" test bits; ==/!= compare the whole value, except
		 * against a set, which is a lookup of the (one-bit) value */
		bool set = set_elems(cx, right) != NULL;

		if (!strcmp(op, "in") || (set && !strcmp(op, "==")))
			m->op = LNW_OP_ANY_BIT;
		else if (!strcmp(op, "!") || (set && !strcmp(op, "!=")))
			m->op = LNW_OP_NO_BIT;
		else if (!strcmp(op, "==") || !strcmp(op, "!="))
			m->op = neg ? LNW_OP_NE : LNW_OP_EQ;
		else
			goto unknown;
	} else if (!strcmp(op, "==") || !strcmp(op, "in") || neg) {
		m->op = neg ? LNW_OP_NOT_IN : LNW_OP_IN;
	} else if (vk != VK_NAME && scalar(vk, right, &v)) {
		/* <, <=, >, >= as a range */
		m->op = LNW_OP_IN;
		if (!strcmp(op, "<") && v > 0)
			return lnw_nft_range_push(m, 0, v - 1);
		if (!strcmp(op, "<="))
			return lnw_nft_range_push(m, 0, v);
		if (!strcmp(op, ">") && v < UINT32_MAX)
			return lnw_nft_range_push(m, v + 1, vk == VK_ADDR ? UINT32_MAX : 65535);
		if (!strcmp(op, ">="))
			return lnw_nft_range_push(m, v, vk == VK_ADDR ? UINT32_MAX : 65535);
		goto unknown;
	} else {
		goto unknown;
	}
	ret = add_value(cx, m, vk, right);
	if (ret == -ENOMEM)
		return ret;
	if (!ret)
		return 0;
unknown:
	m->key = LNW_KEY_UNKNOWN;
	return 0;
}

int lnw_nft_compile_match(struct lnw_nft_compile *cx, json_object *left, const char *op,
			  json_object *right, struct lnw_nft_match *m)
{
	return compile_match(cx, left, op, right, m);
}

json_object *lnw_nft_set_elems(struct lnw_nft_compile *cx, json_object *v)
{
	return set_elems(cx, v);
}

bool lnw_nft_parse_addr(const char *s, uint32_t *out)
{
	return parse_addr(s, out);
}

bool lnw_nft_prefix_range(json_object *v, struct lnw_range *out)
{
	return prefix_range(v, out);
}


// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * One nftables rule, from libnftables' JSON, as a conjunction of matches
 * and a verdict; a vmap or a dnat map becomes one rule per element (their
 * keys never overlap). A match the model does not know is kept as
 * LNW_KEY_UNKNOWN, with its text.
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
#include "xt.h"

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
		return LOOKUP(names, json_object_get_string(v), out);
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
static int tcp_flags_match(struct lnw_nft_compile *cx, json_object *left, const char *op,
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
	elems = set_elems(cx, right);
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
	ret = tcp_flags_match(cx, left, op, right, m);
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

/* ---- xtables statements ------------------------------------------------ */

/* The payload of the rule's next xt statement; NULL if nfnetlink did not
 * give it (or gave another one: the two reads disagree). */
static const struct lnw_nfnl_xt *next_xt(struct lnw_nft_compile *cx, json_object *val)
{
	const char *name = lnw_jstr(val, "name");
	const struct lnw_nfnl_xt *xt;
	int i = cx->xt_seen++;

	if (!cx->xt_rule || i >= cx->xt_rule->n_xt)
		return NULL;
	xt = &cx->xt_rule->xt[i];
	return name && !strcmp(name, xt->name) ? xt : NULL;
}

/* ---- statements and rules ---------------------------------------------- */

static bool verdict_of(json_object *stmt, struct lnw_nft_rule *r, FILE *text)
{
	json_object *val;
	const char *kind = lnw_nft_stmt_kind(stmt, &val);
	static const struct { const char *kind; enum lnw_nft_verdict v; } plain[] = {
		{ "accept", LNW_V_ACCEPT }, { "drop", LNW_V_DROP }, { "reject", LNW_V_DROP },
		{ "return", LNW_V_RETURN }, { "continue", LNW_V_CONTINUE },
		{ "queue", LNW_V_MAYBE }, { "tproxy", LNW_V_MAYBE }, { "synproxy", LNW_V_MAYBE },
		{ "fwd", LNW_V_MAYBE },
	};
	size_t i;

	if (!kind)
		return false;
	for (i = 0; i < LNW_ARRAY_SIZE(plain); i++)
		if (!strcmp(kind, plain[i].kind)) {
			r->verdict = plain[i].v;
			fprintf(text, "%s", kind);
			return true;
		}
	if (!strcmp(kind, "jump") || !strcmp(kind, "goto")) {
		r->verdict = kind[0] == 'j' ? LNW_V_JUMP : LNW_V_GOTO;
		free(r->target_name);
		r->target_name = strdup(lnw_jstr(val, "target") ? lnw_jstr(val, "target") : "");
		fprintf(text, "%s %s", kind, r->target_name ? r->target_name : "?");
		return true;
	}
	return false;
}

/* dnat/redirect with a literal address and port; a map is expanded by the
 * caller. */
static void compile_nat(json_object *val, bool redirect, struct lnw_nft_rule *r, FILE *text)
{
	json_object *addr = lnw_jget(val, "addr"), *port = lnw_jget(val, "port"), *x;
	uint32_t a, b;

	r->verdict = LNW_V_NAT;
	r->nat.kind = redirect ? LNW_NAT_REDIRECT : LNW_NAT_DNAT;
	if (lnw_jstr(val, "family") && strcmp(lnw_jstr(val, "family"), "ip")) {
		r->nat.kind = LNW_NAT_OTHER; /* an IPv6 dnat in an inet table */
		fprintf(text, "dnat %s to ...", lnw_jstr(val, "family"));
		return;
	}
	fprintf(text, "%s to ", redirect ? "redirect" : "dnat");
	if (addr && json_object_is_type(addr, json_type_string) &&
	    parse_addr(json_object_get_string(addr), &a)) {
		r->nat.has_addr = true;
		r->nat.addr = (struct lnw_range){ a, a };
	} else if ((x = lnw_jget(addr, "range")) && json_object_array_length(x) == 2 &&
		   parse_addr(json_object_get_string(json_object_array_get_idx(x, 0)), &a) &&
		   parse_addr(json_object_get_string(json_object_array_get_idx(x, 1)), &b)) {
		r->nat.has_addr = true;
		r->nat.addr = (struct lnw_range){ a, b };
	} else if (prefix_range(addr, &r->nat.addr)) {
		r->nat.has_addr = true; /* "to 127.0.0.1-127.0.0.1" lists as a /32 */
	} else if (addr) {
		r->nat.kind = LNW_NAT_OTHER; /* not modelled: never listed as a path */
	}
	if (addr)
		lnw_nft_print_value(text, addr, false);
	if (json_object_is_type(port, json_type_int)) {
		r->nat.has_port = true;
		r->nat.port.lo = r->nat.port.hi = (uint32_t)json_object_get_int(port);
	} else if ((x = lnw_jget(port, "range")) && json_object_array_length(x) == 2) {
		r->nat.has_port = true;
		r->nat.port.lo = (uint32_t)json_object_get_int(json_object_array_get_idx(x, 0));
		r->nat.port.hi = (uint32_t)json_object_get_int(json_object_array_get_idx(x, 1));
	}
	if (port) {
		fprintf(text, ":");
		lnw_nft_print_value(text, port, false);
	}
}

static struct lnw_nft_rule *rule_list_add(struct lnw_nft_rules *l)
{
	if (lnw_grow(&l->v, &l->cap, (size_t)l->n + 1, sizeof(*l->v)))
		return NULL;
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

/* Finish r: handle, comment, one line of text. */
static int rule_finish(struct lnw_nft_compile *cx, json_object *jr, struct lnw_nft_rule *r,
		       const char *verdict_text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *comment = lnw_jstr(jr, "comment");
	int i;

	if (!f)
		return -ENOMEM;
	r->chain = cx->chain;
	r->handle = cx->handle;
	if (comment || cx->xt_comment)
		r->comment = strdup(comment ? comment : cx->xt_comment);
	for (i = 0; i < r->n_m; i++)
		if (r->m[i].text && r->m[i].text[0])
			fprintf(f, "%s ", r->m[i].text);
	fprintf(f, "%s", verdict_text);
	fclose(f);
	r->text = buf;
	return buf && (r->comment || !(comment || cx->xt_comment)) ? 0 : -ENOMEM;
}

/* One element of a vmap or a dnat map: the rule so far, plus key == elem. */
static int expand_elem(struct lnw_nft_compile *cx, json_object *jr, const struct lnw_nft_rule *base,
		       json_object *key, json_object *elem_key, json_object *data,
		       struct lnw_nft_rules *out)
{
	struct lnw_nft_match m;
	struct lnw_nft_rule *r;
	char *buf = NULL;
	size_t len = 0;
	FILE *text;
	int i, ret;

	r = rule_list_add(out);
	if (!r || (base->unmodelled && !(r->unmodelled = strdup(base->unmodelled))))
		return -ENOMEM;
	for (i = 0; i < base->n_m; i++) {
		ret = lnw_nft_match_copy(&m, &base->m[i]);
		if (!ret)
			ret = lnw_nft_rule_push_match(r, &m);
		if (ret) {
			lnw_nft_match_free(&m);
			return ret;
		}
	}
	if (lnw_jget(key, "concat")) {
		ret = lnw_nft_concat_push(cx, r, key, elem_key);
	} else {
		ret = compile_match(cx, key, "==", elem_key, &m);
		if (!ret)
			ret = lnw_nft_rule_push_match(r, &m);
		if (ret)
			lnw_nft_match_free(&m);
	}
	if (ret)
		return ret;
	text = open_memstream(&buf, &len);
	if (!text)
		return -ENOMEM;
	if (base->verdict == LNW_V_NAT) { /* a dnat map: data is the address */
		json_object *addr = lnw_jget(data, "concat") ?
			json_object_array_get_idx(lnw_jget(data, "concat"), 0) : data;
		json_object *port = lnw_jget(data, "concat") ?
			json_object_array_get_idx(lnw_jget(data, "concat"), 1) : NULL;
		json_object *val = json_object_new_object();

		json_object_object_add(val, "addr", json_object_get(addr));
		if (port)
			json_object_object_add(val, "port", json_object_get(port));
		compile_nat(val, false, r, text);
		json_object_put(val);
	} else if (!verdict_of(data, r, text)) {
		r->verdict = LNW_V_MAYBE;
		fprintf(text, "...");
	}
	fclose(text);
	ret = buf ? rule_finish(cx, jr, r, buf) : -ENOMEM;
	free(buf);
	return ret;
}

/* A map statement (vmap, dnat to KEY map): one rule per element, as the
 * elements of a map never overlap. */
static int expand_map(struct lnw_nft_compile *cx, json_object *jr, struct lnw_nft_rule *base,
		      json_object *map, struct lnw_nft_rules *out)
{
	json_object *key = lnw_jget(map, "key"), *elems = set_elems(cx, lnw_jget(map, "data"));
	size_t i, n;
	int ret = 0;

	if (!key || !elems) { /* a form not modelled: may do anything */
		struct lnw_nft_rule *r = rule_list_add(out);

		if (!r)
			return -ENOMEM;
		*r = *base;
		memset(base, 0, sizeof(*base));
		r->verdict = r->verdict == LNW_V_NAT ? LNW_V_NAT : LNW_V_MAYBE;
		r->nat.kind = LNW_NAT_OTHER;
		return rule_finish(cx, jr, r, "map ...");
	}
	n = json_object_array_length(elems);
	for (i = 0; i < n && !ret; i++) {
		json_object *e = json_object_array_get_idx(elems, i);

		if (json_object_is_type(e, json_type_array) && json_object_array_length(e) == 2)
			ret = expand_elem(cx, jr, base, key, json_object_array_get_idx(e, 0),
					  json_object_array_get_idx(e, 1), out);
	}
	return ret;
}

/* r, finished, as the chain's next rule (r is emptied). */
static int add_rule(struct lnw_nft_compile *cx, json_object *jr, struct lnw_nft_rule *r,
		    const char *vbuf, struct lnw_nft_rules *out)
{
	struct lnw_nft_rule *slot = rule_list_add(out);

	if (!slot)
		return -ENOMEM;
	*slot = *r;
	memset(r, 0, sizeof(*r));
	return vbuf ? rule_finish(cx, jr, slot, vbuf) : -ENOMEM;
}

/* r once per element of a concatenation's set. */
static int add_expanded(struct lnw_nft_compile *cx, json_object *jr, const struct lnw_nft_rule *r,
			json_object *left, json_object *elems, const char *vbuf,
			struct lnw_nft_rules *out)
{
	struct lnw_nft_rule *v = NULL;
	int n = 0, i, ret;

	ret = lnw_nft_concat_expand(cx, r, left, elems, &v, &n);
	for (i = 0; i < n; i++) {
		if (!ret)
			ret = add_rule(cx, jr, &v[i], vbuf, out);
		lnw_nft_rule_free(&v[i]);
	}
	free(v);
	return ret;
}

/* A concatenation met before a map statement stays unread: one unknown
 * match (two expansions in one rule are not made). */
static int concat_unread(struct lnw_nft_rule *r, json_object **elems, json_object *left)
{
	struct lnw_nft_match m = { .key = LNW_KEY_UNKNOWN };
	int ret;

	if (!*elems)
		return 0;
	json_object_put(*elems);
	*elems = NULL;
	m.text = lnw_nft_match_text(left, "in", NULL);
	ret = m.text ? lnw_nft_rule_push_match(r, &m) : -ENOMEM;
	if (ret)
		lnw_nft_match_free(&m);
	return ret;
}

int lnw_nft_compile_rule(struct lnw_nft_compile *cx, json_object *jr, struct lnw_nft_rules *out)
{
	json_object *exprs = lnw_jget(jr, "expr"), *stmt, *val, *x;
	struct lnw_nft_rule r = { .verdict = LNW_V_CONTINUE };
	struct lnw_nft_match m;
	char *vbuf = NULL;
	size_t vlen = 0, i, n;
	FILE *vtext;
	const char *kind;
	json_object *concat_elems = NULL, *concat_left = NULL;
	int ret = 0;

	cx->handle = (unsigned long long)json_object_get_int64(lnw_jget(jr, "handle"));
	cx->xt_seen = 0;
	cx->xt_rule = lnw_nfnl_rule_find(cx->nl, (unsigned char)lnw_nft_family_code(cx->chain->family),
					 cx->chain->table, cx->chain->name, cx->handle);
	free(cx->xt_comment);
	cx->xt_comment = NULL;
	vtext = open_memstream(&vbuf, &vlen);
	if (!vtext)
		return -ENOMEM;
	n = json_object_is_type(exprs, json_type_array) ? json_object_array_length(exprs) : 0;
	for (i = 0; i < n && !ret; i++) {
		stmt = json_object_array_get_idx(exprs, i);
		kind = lnw_nft_stmt_kind(stmt, &val);
		if (!kind)
			continue;
		if (!strcmp(kind, "match") && !concat_elems &&
		    (concat_elems = lnw_nft_concat_elems(cx, lnw_jget(val, "left"),
							 lnw_jstr(val, "op") ? lnw_jstr(val, "op") : "==",
							 lnw_jget(val, "right")))) {
			concat_left = lnw_jget(val, "left"); /* expanded at the end */
			continue;
		} else if (!strcmp(kind, "match")) {
			ret = compile_match(cx, lnw_jget(val, "left"),
					    lnw_jstr(val, "op") ? lnw_jstr(val, "op") : "==",
					    lnw_jget(val, "right"), &m);
		} else if (!strcmp(kind, "xt")) {
			const struct lnw_nfnl_xt *xt = next_xt(cx, val);
			const char *type = lnw_jstr(val, "type");
			const char *name = lnw_jstr(val, "name") ? lnw_jstr(val, "name") : "?";

			if (!xt)
				cx->rs->n_undecoded++;
			if (type && !strcmp(type, "target")) {
				lnw_xt_target(name, xt, &r, vtext);
				continue;
			}
			if (type && strcmp(type, "match"))
				continue; /* a watcher (ebtables) */
			if (xt) {
				ret = lnw_xt_match(xt, &m, &cx->xt_comment);
			} else {
				memset(&m, 0, sizeof(m));
				m.key = LNW_KEY_UNKNOWN;
				ret = (m.text = strdup(name)) ? 0 : -ENOMEM;
			}
		} else if (!strcmp(kind, "vmap")) {
			ret = concat_unread(&r, &concat_elems, concat_left);
			if (ret)
				break;
			fclose(vtext);
			vtext = NULL;
			ret = expand_map(cx, jr, &r, val, out);
			break;
		} else if (!strcmp(kind, "dnat") && (x = lnw_jget(lnw_jget(val, "addr"), "map"))) {
			ret = concat_unread(&r, &concat_elems, concat_left);
			if (ret)
				break;
			fclose(vtext);
			vtext = NULL;
			r.verdict = LNW_V_NAT;
			ret = expand_map(cx, jr, &r, x, out);
			break;
		} else if (!strcmp(kind, "dnat") || !strcmp(kind, "redirect")) {
			compile_nat(val, kind[0] == 'r', &r, vtext);
			continue;
		} else if (!strcmp(kind, "snat") || !strcmp(kind, "masquerade")) {
			r.verdict = LNW_V_NAT;
			r.nat.kind = LNW_NAT_OTHER;
			fprintf(vtext, "%s", kind);
			continue;
		} else if (verdict_of(stmt, &r, vtext)) {
			continue;
		} else {
			ret = lnw_nft_compile_stmt(cx, kind, val, &r, &m);
			if (ret == 1) {
				ret = 0;
				continue;
			}
		}
		if (!ret)
			ret = lnw_nft_rule_push_match(&r, &m);
		if (ret)
			lnw_nft_match_free(&m);
	}
	if (vtext) {
		fclose(vtext);
		if (!ret && concat_elems)
			ret = add_expanded(cx, jr, &r, concat_left, concat_elems, vbuf, out);
		else if (!ret)
			ret = add_rule(cx, jr, &r, vbuf, out);
	}
	json_object_put(concat_elems);
	free(vbuf);
	lnw_nft_rule_free(&r);
	return ret;
}


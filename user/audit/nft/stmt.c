// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Which statements of a rule leave its verdict alone. Certainty is earned:
 * a statement is neutral only if it is on the allow-list below; a known
 * stateful one (limit, quota, ct count, a set, map or meter update that
 * can fail or carries its own statements) makes the rule conditional; any
 * other, or one that rewrites what the model reads (addresses, ports,
 * protocol, conntrack), is one the model cannot follow at all.
 */
#define _GNU_SOURCE /* asprintf, open_memstream */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>

#include "lib/json.h"
#include "lib/text.h"
#include "lib/util.h"
#include "model.h"
#include "stmt.h"
#include "text.h"

/* Names nft prints for protocols (from /etc/protocols) that lnw_protos
 * lacks: without /etc/protocols they are still known. */
static const struct lnw_named more_protos[] = {
	{ "ipv6-icmp", 58 }, { "icmpv6", 58 }, { "igmp", 2 }, { "ipencap", 4 },
	{ "ipip", 4 }, { "ipv6", 41 }, { "rsvp", 46 }, { "ospf", 89 }, { "pim", 103 },
	{ "vrrp", 112 }, { "l2tp", 115 }, { "ipcomp", 108 }, { "egp", 8 },
	{ "ethernet", 143 },
};

bool lnw_nft_proto_find(const char *name, uint32_t *out)
{
	struct protoent *p;

	if (lnw_named_find(lnw_protos, lnw_n_protos, name, out) ||
	    lnw_named_find(more_protos, LNW_ARRAY_SIZE(more_protos), name, out))
		return true;
	p = getprotobyname(name);
	if (!p || p->p_proto < 0 || p->p_proto > 255)
		return false;
	*out = (uint32_t)p->p_proto;
	return true;
}

json_object *lnw_nft_find_set(const struct lnw_nft_compile *cx, const char *name)
{
	size_t i, n = json_object_array_length(cx->items);

	for (i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(cx->items, i);
		json_object *s = lnw_jget(it, "set") ? lnw_jget(it, "set") : lnw_jget(it, "map");

		if (s && lnw_jstr(s, "name") && !strcmp(lnw_jstr(s, "name"), name) &&
		    lnw_jstr(s, "table") && !strcmp(lnw_jstr(s, "table"), cx->chain->table) &&
		    lnw_jstr(s, "family") && !strcmp(lnw_jstr(s, "family"), cx->chain->family))
			return s;
	}
	return NULL;
}

static bool has_flag(json_object *set, const char *flag)
{
	json_object *fl = lnw_jget(set, "flags");
	size_t i, n;

	if (json_object_is_type(fl, json_type_string))
		return !strcmp(json_object_get_string(fl), flag);
	n = json_object_is_type(fl, json_type_array) ? json_object_array_length(fl) : 0;
	for (i = 0; i < n; i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(fl, i)) ?: "", flag))
			return true;
	return false;
}

/* "ip\tfilter\tname": the key of a set in cx->written. */
static void set_key(char *buf, size_t len, const char *family, const char *table,
		    const char *name)
{
	snprintf(buf, len, "%s\t%s\t%s", family, table, name[0] == '@' ? name + 1 : name);
}

int lnw_nft_collect_written(struct lnw_nft_compile *cx)
{
	size_t i, j, n = json_object_array_length(cx->items);
	char key[512];

	for (i = 0; i < n; i++) {
		json_object *jr = lnw_jget(json_object_array_get_idx(cx->items, i), "rule");
		json_object *ex = lnw_jget(jr, "expr"), *val;
		size_t ne = json_object_is_type(ex, json_type_array) ? json_object_array_length(ex) : 0;

		for (j = 0; j < ne; j++) {
			const char *kind = lnw_nft_stmt_kind(json_object_array_get_idx(ex, j), &val);
			const char *name = lnw_jstr(val, "set") ? lnw_jstr(val, "set") :
					   lnw_jstr(val, "map");

			if (!kind || (strcmp(kind, "set") && strcmp(kind, "map")) || !name ||
			    !lnw_jstr(jr, "family") || !lnw_jstr(jr, "table"))
				continue;
			set_key(key, sizeof(key), lnw_jstr(jr, "family"), lnw_jstr(jr, "table"), name);
			if (lnw_grow(&cx->written, &cx->cap_written, cx->n_written + 1,
				     sizeof(*cx->written)) ||
			    !(cx->written[cx->n_written] = strdup(key)))
				return -ENOMEM;
			cx->n_written++;
		}
	}
	return 0;
}

void lnw_nft_written_free(struct lnw_nft_compile *cx)
{
	lnw_free_strv(cx->written, (int)cx->n_written);
	cx->written = NULL;
	cx->n_written = cx->cap_written = 0;
}

bool lnw_nft_set_changes(const struct lnw_nft_compile *cx, json_object *set)
{
	char key[512];
	size_t i;

	if (has_flag(set, "timeout") || has_flag(set, "dynamic") || lnw_jget(set, "timeout"))
		return true; /* elements come and go with time or traffic */
	set_key(key, sizeof(key), cx->chain->family, cx->chain->table,
		lnw_jstr(set, "name") ?: "");
	for (i = 0; i < cx->n_written; i++)
		if (!strcmp(cx->written[i], key))
			return true;
	return false;
}

/* ---- statements ----------------------------------------------------------- */

/* A mangle statement: neutral unless it rewrites what a match of the model
 * reads (addresses, protocol, ports, packet type). */
static enum lnw_nft_stmt_class mangle_class(json_object *val)
{
	static const char *const meta_neutral[] = {
		"mark", "priority", "nftrace", "secmark", NULL,
	};
	static const char *const l4[] = { "tcp", "udp", "th", "sctp", "dccp", "udplite", NULL };
	json_object *key = lnw_jget(val, "key"), *x;
	const char *k, *p;

	if ((x = lnw_jget(key, "meta")))
		return (k = lnw_jstr(x, "key")) && lnw_nft_str_in(k, meta_neutral) ?
		       LNW_STMT_NEUTRAL : LNW_STMT_UNMODELLED;
	if ((x = lnw_jget(key, "ct"))) /* mark, label, zone, helper: not the state */
		return (k = lnw_jstr(x, "key")) && strcmp(k, "state") && strcmp(k, "status") ?
		       LNW_STMT_NEUTRAL : LNW_STMT_UNMODELLED;
	if ((x = lnw_jget(key, "payload")) && (p = lnw_jstr(x, "protocol")) &&
	    (k = lnw_jstr(x, "field"))) {
		if (!strcmp(p, "ip"))
			return strcmp(k, "saddr") && strcmp(k, "daddr") && strcmp(k, "protocol") ?
			       LNW_STMT_NEUTRAL : LNW_STMT_UNMODELLED;
		if (lnw_nft_str_in(p, l4))
			return strcmp(k, "sport") && strcmp(k, "dport") ? LNW_STMT_NEUTRAL :
			       LNW_STMT_UNMODELLED;
		return LNW_STMT_NEUTRAL; /* another header: no match of ours reads it */
	}
	if (lnw_jget(key, "exthdr") || lnw_jget(key, "tcp option"))
		return LNW_STMT_NEUTRAL;
	return LNW_STMT_UNMODELLED;
}

/* add/update @s: it fails (and stops the rule) when the set is full, and
 * its own statements (limit, ct count) can stop it too. */
static enum lnw_nft_stmt_class set_class(const struct lnw_nft_compile *cx, json_object *val)
{
	json_object *st = lnw_jget(val, "stmt"), *set;
	const char *name = lnw_jstr(val, "set") ? lnw_jstr(val, "set") : lnw_jstr(val, "map");

	if (st && (!json_object_is_type(st, json_type_array) || json_object_array_length(st)))
		return LNW_STMT_CONDITION;
	if (lnw_jstr(val, "op") && !strcmp(lnw_jstr(val, "op"), "delete"))
		return LNW_STMT_NEUTRAL;
	set = name && name[0] == '@' ? lnw_nft_find_set(cx, name + 1) : NULL;
	if (!set)
		return LNW_STMT_CONDITION; /* a set we cannot see: may be full */
	return json_object_get_int64(lnw_jget(set, "size")) > 0 ? LNW_STMT_CONDITION :
	       LNW_STMT_NEUTRAL;
}

enum lnw_nft_stmt_class lnw_nft_stmt_class(const struct lnw_nft_compile *cx, const char *kind,
					   json_object *val)
{
	/* no verdict of their own, nothing the model reads is changed */
	static const char *const neutral[] = {
		"counter", "log", "last", "ct helper", "ct timeout", "ct expectation",
		"secmark", "dup", "flow", NULL,
	};
	/* they stop the rule (or not) by state the audit cannot see */
	static const char *const condition[] = {
		"limit", "quota", "ct count", "connlimit", "numgen", "meter", NULL,
	};

	if (lnw_nft_str_in(kind, neutral))
		return LNW_STMT_NEUTRAL;
	if (lnw_nft_str_in(kind, condition))
		return LNW_STMT_CONDITION;
	if (!strcmp(kind, "mangle"))
		return mangle_class(val);
	if (!strcmp(kind, "set") || !strcmp(kind, "map"))
		return set_class(cx, val);
	return LNW_STMT_UNMODELLED; /* notrack, and whatever is new to us */
}

char *lnw_nft_stmt_text(const char *kind, json_object *val)
{
	const char *set = lnw_jstr(val, "set") ? lnw_jstr(val, "set") : lnw_jstr(val, "map");
	char *s = NULL;
	json_object *x;

	if ((!strcmp(kind, "set") || !strcmp(kind, "map")) && set) {
		json_object *st = lnw_jget(val, "stmt"), *nv;
		const char *nk = json_object_is_type(st, json_type_array) &&
				 json_object_array_length(st) ?
				 lnw_nft_stmt_kind(json_object_array_get_idx(st, 0), &nv) : NULL;
		char *inner = nk ? lnw_nft_stmt_text(nk, nv) : NULL;
		int ret = asprintf(&s, "%s %s { %s }", lnw_jstr(val, "op") ?: kind, set,
				   inner ? inner : "...");

		free(inner);
		return ret < 0 ? NULL : s;
	}
	if (!strcmp(kind, "meter"))
		return asprintf(&s, "meter %s", lnw_jstr(val, "name") ?: "?") < 0 ? NULL : s;
	if (!strcmp(kind, "ct count") && (x = lnw_jget(val, "val")))
		return asprintf(&s, "ct count %s%lld", json_object_get_boolean(lnw_jget(val, "inv")) ?
				"over " : "", (long long)json_object_get_int64(x)) < 0 ? NULL : s;
	if (!strcmp(kind, "limit") && lnw_jget(val, "rate"))
		return asprintf(&s, "limit rate %s%lld/%s",
				json_object_get_boolean(lnw_jget(val, "inv")) ? "over " : "",
				(long long)json_object_get_int64(lnw_jget(val, "rate")),
				lnw_jstr(val, "per") ?: "?") < 0 ? NULL : s;
	if (!strcmp(kind, "mangle") && (x = lnw_jget(val, "key"))) {
		FILE *f = open_memstream(&s, &(size_t){ 0 });
		json_object *y;

		if (!f)
			return NULL;
		if ((y = lnw_jget(x, "payload")))
			fprintf(f, "%s %s set ...", lnw_jstr(y, "protocol") ?: "?",
				lnw_jstr(y, "field") ?: "?");
		else if ((y = lnw_jget(x, "meta")) || (y = lnw_jget(x, "ct")))
			fprintf(f, "%s %s set ...", lnw_jget(x, "meta") ? "meta" : "ct",
				lnw_jstr(y, "key") ?: "?");
		else
			fprintf(f, "mangle");
		fclose(f);
		return s;
	}
	return strdup(kind);
}

int lnw_nft_compile_stmt(struct lnw_nft_compile *cx, const char *kind, json_object *val,
			struct lnw_nft_rule *r, struct lnw_nft_match *m)
{
	enum lnw_nft_stmt_class c = lnw_nft_stmt_class(cx, kind, val);
	char *text;

	if (!strcmp(kind, "mangle"))
		lnw_nft_mark_set(val, r);
	if (c == LNW_STMT_NEUTRAL)
		return 1;
	text = lnw_nft_stmt_text(kind, val);
	if (!text)
		return -ENOMEM;
	if (c == LNW_STMT_UNMODELLED) {
		if (r->unmodelled)
			free(text);
		else
			r->unmodelled = text;
		return 1;
	}
	/* stops the rule, or not, by state we cannot see: a match that may
	 * or may not hold */
	memset(m, 0, sizeof(*m));
	m->key = LNW_KEY_UNKNOWN;
	m->text = text;
	return 0;
}

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
	    lnw_nft_parse_addr(json_object_get_string(addr), &a)) {
		r->nat.has_addr = true;
		r->nat.addr = (struct lnw_range){ a, a };
	} else if ((x = lnw_jget(addr, "range")) && json_object_array_length(x) == 2 &&
		   lnw_nft_parse_addr(json_object_get_string(json_object_array_get_idx(x, 0)), &a) &&
		   lnw_nft_parse_addr(json_object_get_string(json_object_array_get_idx(x, 1)), &b)) {
		r->nat.has_addr = true;
		r->nat.addr = (struct lnw_range){ a, b };
	} else if (lnw_nft_prefix_range(addr, &r->nat.addr)) {
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
		ret = lnw_nft_compile_match(cx, key, "==", elem_key, &m);
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
	json_object *key = lnw_jget(map, "key"), *elems = lnw_nft_set_elems(cx, lnw_jget(map, "data"));
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
static int concat_unread(struct lnw_nft_rule *r, json_object **elems, json_object *left,
			 json_object *right)
{
	struct lnw_nft_match m = { .key = LNW_KEY_UNKNOWN };
	int ret;

	if (!*elems)
		return 0;
	json_object_put(*elems);
	*elems = NULL;
	m.text = lnw_nft_match_text(left, "in", right);
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
	json_object *concat_elems = NULL, *concat_left = NULL, *concat_right = NULL;
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
			concat_right = lnw_jget(val, "right");
			continue;
		} else if (!strcmp(kind, "match")) {
			ret = lnw_nft_compile_match(cx, lnw_jget(val, "left"),
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
			ret = concat_unread(&r, &concat_elems, concat_left, concat_right);
			if (ret)
				break;
			fclose(vtext);
			vtext = NULL;
			ret = expand_map(cx, jr, &r, val, out);
			break;
		} else if (!strcmp(kind, "dnat") && (x = lnw_jget(lnw_jget(val, "addr"), "map"))) {
			ret = concat_unread(&r, &concat_elems, concat_left, concat_right);
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


/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_NFT_RULE_H
#define LNW_AUDIT_NFT_RULE_H

/* One rule of libnftables' JSON compiled into lnw_nft_rule: matches, a
 * verdict, its text. Internal to the audit_nft*.c and audit_xt.c files. */

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "nfnl.h"
#include "model.h"
#include "ruleset.h"

struct lnw_nft_compile {
	json_object *items;                  /* the "nftables" array */
	json_object *no_elems;               /* what an empty named set holds */
	const struct lnw_nfnl_ruleset *nl;
	struct lnw_nft_ruleset *rs;
	const struct lnw_nft_chain *chain;   /* of the rule being compiled */
	unsigned long long handle;
	int xt_seen;                         /* xt statements so far in the rule */
	const struct lnw_nfnl_rule *xt_rule; /* their payloads, or NULL */
	char *xt_comment;                    /* from -m comment */
	char **written;                      /* sets rules write: "family\ttable\tname" */
	size_t n_written, cap_written;
};

struct lnw_nft_rules {
	struct lnw_nft_rule *v;
	int n;
	size_t cap;
};

/* Append the rule (one per element when it holds a vmap or a dnat map) to
 * out. Returns 0 or -ENOMEM. */
int lnw_nft_compile_rule(struct lnw_nft_compile *cx, json_object *jr, struct lnw_nft_rules *out);
/* One match of left op right (an unknown one for forms not modelled).
 * Returns 0 or -ENOMEM. */
int lnw_nft_compile_match(struct lnw_nft_compile *cx, json_object *left, const char *op,
			  json_object *right, struct lnw_nft_match *m);
/* The elements of a set expression, anonymous or @named, or NULL. */
json_object *lnw_nft_set_elems(struct lnw_nft_compile *cx, json_object *v);
/* match.c: a dotted IPv4 address, host order */
bool lnw_nft_parse_addr(const char *s, uint32_t *out);
/* {"prefix": {"addr": A, "len": N}} as the addresses it covers */
bool lnw_nft_prefix_range(json_object *v, struct lnw_range *out);

/* tcpflags.c: 1 when left is "tcp flags" (m compiled, unknown if its
 * form is not read), 0 when it is not, -ENOMEM. */
int lnw_nft_tcp_flags_match(struct lnw_nft_compile *cx, json_object *left, const char *op,
			    json_object *right, struct lnw_nft_match *m);

/* mark.c: as lnw_nft_tcp_flags_match, for "meta mark" */
int lnw_nft_mark_match(struct lnw_nft_compile *cx, json_object *left, const char *op,
		       json_object *right, struct lnw_nft_match *m);
/* mark.c: r's effect on the mark when val is a "meta mark set" mangle */
void lnw_nft_mark_set(json_object *val, struct lnw_nft_rule *r);

/* concat.c: a concatenation's element as one match per part, pushed to r */
int lnw_nft_concat_push(struct lnw_nft_compile *cx, struct lnw_nft_rule *r, json_object *key,
			json_object *elem);
/* The elements (a new reference) a "concat == set" match may be expanded
 * over, or NULL when it is not one or too large. */
json_object *lnw_nft_concat_elems(struct lnw_nft_compile *cx, json_object *left, const char *op,
				  json_object *right);
/* r once per element, its parts added as matches; *out malloc'ed, its
 * rules to be freed by the caller (also on error). */
int lnw_nft_concat_expand(struct lnw_nft_compile *cx, const struct lnw_nft_rule *r,
			  json_object *left, json_object *elems, struct lnw_nft_rule **out,
			  int *n_out);

#endif

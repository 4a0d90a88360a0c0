/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_NFT_STMT_H
#define LNW_AUDIT_NFT_STMT_H

/* The statements of a rule other than matches, verdicts and NAT: neutral,
 * a condition (the rule may or may not take its verdict), or something the
 * model cannot follow. Also named sets, and protocol names. */

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "compile.h"

enum lnw_nft_stmt_class {
	LNW_STMT_NEUTRAL,    /* counter, log, meta mark set ...: no effect we read */
	LNW_STMT_CONDITION,  /* limit, quota, ct count, a set that can be full */
	LNW_STMT_UNMODELLED, /* notrack, a rewrite of addresses or ports, unknown */
};

enum lnw_nft_stmt_class lnw_nft_stmt_class(const struct lnw_nft_compile *cx, const char *kind,
					   json_object *val);
/* Compile one such statement into r: 1 when neutral (nothing added), or
 * when r->unmodelled now names it; 0 with m set to the condition it is
 * (a match that may or may not hold); -ENOMEM. */
int lnw_nft_compile_stmt(struct lnw_nft_compile *cx, const char *kind, json_object *val,
			 struct lnw_nft_rule *r, struct lnw_nft_match *m);
/* How the statement reads in a report ("ct count over 100"); malloc'd. */
char *lnw_nft_stmt_text(const char *kind, json_object *val);

/* A protocol by the name nft prints: lnw_protos, then /etc/protocols. */
bool lnw_nft_proto_find(const char *name, uint32_t *out);

/* The set or map of the table of cx->chain named name, or NULL. */
json_object *lnw_nft_find_set(const struct lnw_nft_compile *cx, const char *name);
/* Is what a lookup in set finds not fixed: elements time out, or a rule
 * (add/update @set, a meter) writes it? */
bool lnw_nft_set_changes(const struct lnw_nft_compile *cx, json_object *set);
/* Fill cx->written with every set a rule writes; 0 or -ENOMEM. */
int lnw_nft_collect_written(struct lnw_nft_compile *cx);
void lnw_nft_written_free(struct lnw_nft_compile *cx);

#endif

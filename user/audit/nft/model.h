/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_NFT_MODEL_H
#define LNW_AUDIT_NFT_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "ruleset.h"

/* NFPROTO_* of "ip", "inet", "netdev"; -1 for a family that never routes
 * IPv4 input. */
int lnw_nft_family_code(const char *family);
/* The family's name from its code; NULL for one not read. */
const char *lnw_nft_family_code_name(int code);

/* Is s one of the NULL-terminated list? */
bool lnw_nft_str_in(const char *s, const char *const *list);

/* Append to a match (lo and hi in either order); 0 or -ENOMEM. */
int lnw_nft_range_push(struct lnw_nft_match *m, uint32_t lo, uint32_t hi);
int lnw_nft_name_push(struct lnw_nft_match *m, const char *name);
/* A deep copy; 0 or -ENOMEM (then free dst). */
int lnw_nft_match_copy(struct lnw_nft_match *dst, const struct lnw_nft_match *src);
void lnw_nft_match_free(struct lnw_nft_match *m);
/* Move *m into r (m is left empty); 0 or -ENOMEM. */
int lnw_nft_rule_push_match(struct lnw_nft_rule *r, struct lnw_nft_match *m);
void lnw_nft_rule_free(struct lnw_nft_rule *r);

#endif

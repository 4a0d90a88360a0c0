/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_NFT_TEXT_H
#define LNW_AUDIT_NFT_TEXT_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>

/* A statement object's kind ("match", "counter", ...) and its value. */
const char *lnw_nft_stmt_kind(json_object *stmt, json_object **val);
/* A value (string, number, prefix, range, set, concatenation) as nft
 * writes it; quote strings for interface names. */
void lnw_nft_print_value(FILE *f, json_object *v, bool quote);
/* "LEFT OP RIGHT" of a match, malloc'd; NULL when out of memory. */
char *lnw_nft_match_text(json_object *left, const char *op, json_object *right);

#endif

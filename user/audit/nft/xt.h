/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_XT_H
#define LNW_AUDIT_XT_H

#include <stdio.h>

#include "nfnl.h"
#include "ruleset.h"

/* iptables-nft's xtables extensions, decoded from the payload nfnetlink
 * returns: -m conntrack, -m state, -m addrtype, -m comment, -j DNAT,
 * -j REDIRECT. Anything else is a match that may or may not hold. */

/* -m NAME into m (key, decoded fields, text as iptables prints it); the
 * text of -m comment replaces *comment. Returns 0 or -ENOMEM. */
int lnw_xt_match(const struct lnw_nfnl_xt *xt, struct lnw_nft_match *m, char **comment);
/* -j NAME into r's verdict (and NAT target); its text to text. xt NULL:
 * the payload could not be read, only the name is known. */
void lnw_xt_target(const char *name, const struct lnw_nfnl_xt *xt, struct lnw_nft_rule *r,
		   FILE *text);

#endif

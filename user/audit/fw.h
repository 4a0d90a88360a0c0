/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_FW_H
#define LNW_AUDIT_FW_H

#include <stdbool.h>
#include <stdint.h>

#include "net.h"
#include "nft/ruleset.h"

/* What the ruleset does with one flow: the first packet of a new connection
 * from a neighbour, through ingress, prerouting and input (or forward).
 * Three-valued: a match the model cannot decide makes a drop uncertain,
 * never certain, so "dropped" is only said when it is sure. */

enum lnw_tv { LNW_NO, LNW_YES, LNW_MAYBE };

#define LNW_RSET_MAX 8

/* A set of values (addresses, ports), as ranges. */
struct lnw_rset {
	struct lnw_range r[LNW_RSET_MAX];
	int n;
};

void lnw_rset_one(struct lnw_rset *s, uint32_t lo, uint32_t hi);
/* Every IPv4 address outside 127.0.0.0/8: a neighbour's own source. */
void lnw_rset_not_loopback(struct lnw_rset *s);

struct lnw_fw_flow {
	const struct lnw_audit_net *net; /* local addresses, for "type local" */
	const char *iifname;
	uint8_t l4proto;
	struct lnw_rset saddr;           /* sources it may carry */
	struct lnw_rset sport;
	struct lnw_rset daddr_wire;      /* before DNAT */
	struct lnw_rset dport_wire;
	struct lnw_rset daddr;           /* after DNAT (= wire without one) */
	struct lnw_rset dport;
	bool dnat;                       /* DNAT'd: ct status dnat after nat */
	bool to_local;                   /* routed to input, else to forward */
};

/* A neighbour's first packet to daddr:dport, not NATed. saddr: its own
 * (not 127/8) addresses, or spoofed in 127.0.0.0/8 when spoof_loopback. */
void lnw_fw_flow_direct(struct lnw_fw_flow *f, const struct lnw_audit_net *net,
			const char *iifname, uint8_t l4proto, uint32_t daddr,
			uint16_t dport, bool spoof_loopback);

enum lnw_fw_fate {
	LNW_FW_PASSES,   /* nothing drops it */
	LNW_FW_MAY_DROP, /* a rule drops it under conditions not modelled */
	LNW_FW_DROPS,    /* certainly dropped */
};

struct lnw_fw_verdict {
	enum lnw_fw_fate fate;
	const struct lnw_nft_rule *rule;   /* the one that drops (or may); NULL:
					    * the policy of chain */
	const struct lnw_nft_chain *chain;
	/* cannot be told (fate MAY_DROP): a rule the flow may meet has a
	 * statement the model cannot follow (rule->unmodelled), or the
	 * evaluation went past the work budget */
	const struct lnw_nft_rule *unmodelled;
	bool over_budget;
	unsigned long long work;           /* rules evaluated */
};

/* Each chain is walked once per flow and view (memoised), so one
 * evaluation is linear in the ruleset; the budget bounds it all the same. */
#define LNW_FW_WORK_BUDGET 4000000ULL
/* Rules one evaluation may look at (0: the default), for tests. */
void lnw_fw_set_budget(unsigned long long rules);

void lnw_fw_eval(const struct lnw_nft_ruleset *rs, const struct lnw_fw_flow *f,
		 struct lnw_fw_verdict *out);

/* Do r's own matches hold for the flow, as base chain sees it? */
enum lnw_tv lnw_fw_rule_applies(const struct lnw_nft_rule *r, const struct lnw_fw_flow *f,
				const struct lnw_nft_chain *base);
/* Does the flow (as a prerouting nat chain sees it, before DNAT) take
 * path? */
enum lnw_tv lnw_fw_path_applies(const struct lnw_nft_path *p, const struct lnw_fw_flow *f);
/* Do r's own matches hold for the flow as a prerouting nat chain sees it? */
enum lnw_tv lnw_fw_rule_at_nat(const struct lnw_nft_rule *r, const struct lnw_fw_flow *f);
/* Does the kernel take path for the flow: its matches hold, and no rule
 * before it ends the nat chain (accept, drop, an earlier DNAT) nor an
 * earlier nat chain (drop, DNAT: the first DNAT wins; an accept there
 * only ends that chain)? (natorder.c) */
enum lnw_tv lnw_fw_path_taken(const struct lnw_nft_ruleset *rs, const struct lnw_nft_path *p,
			      const struct lnw_fw_flow *f);
/* The values a path's positive matches allow for key (DADDR, DPORT,
 * IIFNAME excluded): false when unconstrained or not representable. */
bool lnw_fw_path_values(const struct lnw_nft_path *p, enum lnw_nft_key key,
			struct lnw_rset *out);

#endif

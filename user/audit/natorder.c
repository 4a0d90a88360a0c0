// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * DNAT paths as the kernel takes them. A new connection's first packet
 * meets the nat chains of prerouting in priority order (nf_nat_inet_fn):
 * a chain's accept ends that chain only, a drop ends everything, and the
 * first NAT binding set up ends the walk: a later nat rule or chain never
 * sees that connection again. Within a chain rules run in order, jumps and
 * gotos followed, as in the filter walk.
 */
#include <stdlib.h>
#include <string.h>

#include "fw.h"

#define NAT_ACCEPT 1u /* ends this chain; the next nat chain runs */
#define NAT_STOP 2u   /* drop, or a NAT binding: nothing later runs */
#define NAT_LEAVE 4u  /* return, or the chain's end */
#define NAT_NEXT 8u   /* a rule's outcome: on to the next rule */
#define NAT_ANY (NAT_ACCEPT | NAT_STOP | NAT_NEXT)

struct nat_walk {
	const struct lnw_nft_ruleset *rs;
	const struct lnw_fw_flow *f;
	unsigned char *state;  /* per chain: 0 new, 1 busy, 2 done */
	unsigned int *memo;    /* per chain: its outcomes */
};

static unsigned int chain_out(struct nat_walk *w, const struct lnw_nft_chain *c);

/* One rule's outcomes (t: its matches, not NO). */
static unsigned int rule_out(struct nat_walk *w, const struct lnw_nft_rule *r)
{
	unsigned int sub;

	switch (r->verdict) {
	case LNW_V_CONTINUE: return NAT_NEXT;
	case LNW_V_ACCEPT: return NAT_ACCEPT;
	case LNW_V_DROP:
	case LNW_V_NAT: return NAT_STOP;
	case LNW_V_RETURN: return NAT_LEAVE;
	case LNW_V_JUMP:
	case LNW_V_GOTO:
		if (!r->target)
			return NAT_ANY;
		sub = chain_out(w, r->target);
		if (sub & NAT_LEAVE)
			sub = (sub & ~NAT_LEAVE) | (r->verdict == LNW_V_JUMP ? NAT_NEXT : NAT_LEAVE);
		return sub;
	default: return NAT_ANY;
	}
}

/* The outcomes of the rules of c from rule `from` on (all when 0). */
static unsigned int rules_out(struct nat_walk *w, const struct lnw_nft_chain *c, int from,
			      int to)
{
	unsigned int out = 0, v;
	int i;

	for (i = from; i < to; i++) {
		const struct lnw_nft_rule *r = &c->rules[i];
		enum lnw_tv t = lnw_fw_rule_at_nat(r, w->f);

		if (t == LNW_NO)
			continue;
		v = rule_out(w, r);
		out |= v & ~NAT_NEXT;
		if (t == LNW_YES && !(v & NAT_NEXT))
			return out;
	}
	return out | NAT_NEXT;
}

static unsigned int chain_out(struct nat_walk *w, const struct lnw_nft_chain *c)
{
	size_t k = (size_t)(c - w->rs->chains);
	unsigned int out;

	if (w->state[k] == 2)
		return w->memo[k];
	if (w->state[k] == 1)
		return NAT_ANY; /* a loop: the kernel refuses them */
	w->state[k] = 1;
	out = rules_out(w, c, 0, c->n_rules);
	if (out & NAT_NEXT) /* fell off its end */
		out = (out & ~NAT_NEXT) | NAT_LEAVE;
	w->memo[k] = out;
	w->state[k] = 2;
	return out;
}

static bool nat_base(const struct lnw_nft_chain *c)
{
	return c->base && !strcmp(c->hook_name, "prerouting") && !strcmp(c->type, "nat") &&
	       (!strcmp(c->family, "ip") || !strcmp(c->family, "inet"));
}

static int rule_index(const struct lnw_nft_chain *c, const struct lnw_nft_rule *r)
{
	return r >= c->rules && r < c->rules + c->n_rules ? (int)(r - c->rules) : -1;
}

/* Is the path's rule reached: YES surely, NO never, MAYBE. */
static enum lnw_tv reached(struct nat_walk *w, const struct lnw_nft_path *p)
{
	const struct lnw_nft_chain *c = p->base;
	bool sure = true;
	unsigned int out;
	int i, at;

	/* the nat chains before the path's: a drop or a DNAT there ends it */
	for (i = 0; i < w->rs->n_chains; i++) {
		const struct lnw_nft_chain *o = &w->rs->chains[i];

		if (o == c || !nat_base(o) || o->prio > c->prio)
			continue;
		out = chain_out(w, o);
		if ((out & NAT_LEAVE) && o->policy_drop)
			out |= NAT_STOP;
		if (!(out & NAT_STOP))
			continue;
		/* equal priorities run in the order they were registered */
		if (!(out & (NAT_ACCEPT | NAT_LEAVE)) && o->prio < c->prio)
			return LNW_NO;
		sure = false;
	}
	/* down the path: every rule before the next step may end it */
	for (i = 0; i <= p->n_via; i++) {
		const struct lnw_nft_rule *step = i < p->n_via ? p->via[i] : p->rule;
		enum lnw_tv t;

		at = rule_index(step->chain, step);
		if (at < 0)
			return LNW_MAYBE;
		out = rules_out(w, step->chain, 0, at);
		if (!(out & NAT_NEXT))
			return LNW_NO; /* a rule before it surely ends the chain */
		if (out & ~NAT_NEXT)
			sure = false;
		t = lnw_fw_rule_at_nat(step, w->f);
		if (t == LNW_NO)
			return LNW_NO;
		sure = sure && t == LNW_YES;
	}
	return sure ? LNW_YES : LNW_MAYBE;
}

enum lnw_tv lnw_fw_path_taken(const struct lnw_nft_ruleset *rs, const struct lnw_nft_path *p,
			      const struct lnw_fw_flow *f)
{
	struct nat_walk w = { .rs = rs, .f = f };
	enum lnw_tv t;

	if (!p->base || !p->rule->chain)
		return LNW_MAYBE;
	w.state = calloc((size_t)rs->n_chains + 1, 1);
	w.memo = calloc((size_t)rs->n_chains + 1, sizeof(*w.memo));
	t = w.state && w.memo ? reached(&w, p) : LNW_MAYBE;
	free(w.state);
	free(w.memo);
	return t;
}

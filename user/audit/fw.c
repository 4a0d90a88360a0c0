// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * A flow through the compiled ruleset, as the kernel runs the hooks:
 * ingress (netdev/inet, per device), prerouting (raw before conntrack,
 * before and after DNAT), then input or forward; base chains in priority
 * order, jumps followed, policies applied.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/xt_addrtype.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/rtnetlink.h>

#include "lib/text.h"
#include "fw.h"

#define PRI_CONNTRACK (-200) /* NF_IP_PRI_CONNTRACK: ct exists after it */
#define PRI_NAT_DST (-100)   /* NF_IP_PRI_NAT_DST: DNAT is done after it */

/* Status bits a first packet is known not to have (unless DNAT'd). */
#define CT_STATUS_KNOWN (IPS_EXPECTED | IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED | \
			 IPS_SRC_NAT | IPS_DST_NAT | IPS_DYING)

void lnw_rset_one(struct lnw_rset *s, uint32_t lo, uint32_t hi)
{
	s->n = 1;
	s->r[0].lo = lo;
	s->r[0].hi = hi;
}

void lnw_rset_not_loopback(struct lnw_rset *s)
{
	s->n = 2;
	s->r[0] = (struct lnw_range){ 0, LNW_LOOPBACK_NET - 1 };
	s->r[1] = (struct lnw_range){ LNW_LOOPBACK_LAST + 1, UINT32_MAX };
}

void lnw_fw_flow_direct(struct lnw_fw_flow *f, const struct lnw_audit_net *net,
			const char *iifname, uint8_t l4proto, uint32_t daddr,
			uint16_t dport, bool spoof_loopback)
{
	memset(f, 0, sizeof(*f));
	f->net = net;
	f->iifname = iifname;
	f->l4proto = l4proto;
	if (spoof_loopback)
		lnw_rset_one(&f->saddr, LNW_LOOPBACK_NET, LNW_LOOPBACK_LAST);
	else
		lnw_rset_not_loopback(&f->saddr);
	lnw_rset_one(&f->sport, 1, 65535);
	lnw_rset_one(&f->daddr_wire, daddr, daddr);
	lnw_rset_one(&f->dport_wire, dport, dport);
	f->daddr = f->daddr_wire;
	f->dport = f->dport_wire;
	f->to_local = true;
}

static enum lnw_tv tv_not(enum lnw_tv v)
{
	return v == LNW_MAYBE ? LNW_MAYBE : v == LNW_YES ? LNW_NO : LNW_YES;
}

static enum lnw_tv tv_and(enum lnw_tv a, enum lnw_tv b)
{
	if (a == LNW_NO || b == LNW_NO)
		return LNW_NO;
	return a == LNW_YES && b == LNW_YES ? LNW_YES : LNW_MAYBE;
}

/* Is [lo, hi] covered by the union of ranges? */
static bool covered(uint32_t lo, uint32_t hi, const struct lnw_range *r, int n)
{
	uint64_t pos = lo;
	bool moved = true;
	int i;

	while (pos <= hi && moved) {
		moved = false;
		for (i = 0; i < n; i++)
			if (r[i].lo <= pos && pos <= r[i].hi) {
				pos = (uint64_t)r[i].hi + 1;
				moved = true;
			}
	}
	return pos > hi;
}

/* Every value of s in m's ranges: yes; none: no; some: maybe. */
static enum lnw_tv rset_in(const struct lnw_rset *s, const struct lnw_range *r, int n)
{
	bool all = true, any = false;
	int i, j;

	for (i = 0; i < s->n; i++) {
		if (!covered(s->r[i].lo, s->r[i].hi, r, n))
			all = false;
		for (j = 0; j < n; j++)
			if (r[j].lo <= s->r[i].hi && s->r[i].lo <= r[j].hi)
				any = true;
	}
	return all && s->n ? LNW_YES : any ? LNW_MAYBE : LNW_NO;
}

static enum lnw_tv in_match(const struct lnw_rset *s, const struct lnw_nft_match *m)
{
	enum lnw_tv v = rset_in(s, m->ranges, m->n_ranges);

	return m->op == LNW_OP_NOT_IN ? tv_not(v) : v;
}

static enum lnw_tv one_in_match(uint32_t value, const struct lnw_nft_match *m)
{
	struct lnw_rset s;

	lnw_rset_one(&s, value, value);
	return in_match(&s, m);
}

static bool name_matches(const char *pattern, const char *name)
{
	size_t n = strlen(pattern);

	if (n && pattern[n - 1] == '*') /* iifname "eth*" */
		return !strncmp(pattern, name, n - 1);
	return !strcmp(pattern, name);
}

/* Is every possible daddr a local one (RTN_LOCAL)? */
static enum lnw_tv daddr_local(const struct lnw_fw_flow *f, const struct lnw_rset *daddr)
{
	bool all = true, none = true;
	int i;

	for (i = 0; i < daddr->n; i++) {
		const struct lnw_range *r = &daddr->r[i];
		bool loop = r->lo >= LNW_LOOPBACK_NET && r->hi <= LNW_LOOPBACK_LAST;
		bool local = loop || (r->lo == r->hi &&
			     lnw_audit_is_local_addr(f->net, (struct in_addr){ htonl(r->lo) }));

		all = all && local;
		none = none && !local && !(r->lo <= LNW_LOOPBACK_LAST && r->hi >= LNW_LOOPBACK_NET);
	}
	return all ? LNW_YES : none && daddr->n == 1 && daddr->r[0].lo == daddr->r[0].hi ?
	       LNW_NO : LNW_MAYBE;
}

struct view {
	const struct lnw_fw_flow *f;
	bool post_nat; /* daddr/dport as DNAT left them, ct status dnat */
	bool has_ct;   /* conntrack has seen it */
	bool whole;    /* reassembled: local input does it first, and NAT's
			* conntrack defragments; else a fragment may come */
	bool mark_known; /* the packet mark is mark (0 as it arrives) */
	uint32_t mark;
	bool ct_mark_zero; /* no rule sets a connection's mark: 0 */
};

static enum lnw_tv fib_type_match(const struct lnw_nft_match *m, enum lnw_tv local)
{
	enum lnw_tv v;

	if (local == LNW_YES)
		return one_in_match(RTN_LOCAL, m);
	if (local == LNW_MAYBE)
		return LNW_MAYBE;
	/* not local: a test for "local" alone is decided */
	v = m->n_ranges == 1 && m->ranges[0].lo == RTN_LOCAL && m->ranges[0].hi == RTN_LOCAL ?
	    LNW_NO : LNW_MAYBE;
	return m->op == LNW_OP_NOT_IN ? tv_not(v) : v;
}

/* The first packet's ct status: bits surely set, bits that may be (the
 * NAT "done" bits, set once a nat chain exists, helpers, ...). */
static void ct_status(const struct view *v, uint32_t *set, uint32_t *maybe)
{
	*set = v->post_nat && v->f->dnat ? IPS_DST_NAT | IPS_DST_NAT_DONE : 0;
	*maybe = ~(CT_STATUS_KNOWN | *set);
}

static enum lnw_tv ct_status_any(uint32_t bits, const struct view *v)
{
	uint32_t set, maybe;

	ct_status(v, &set, &maybe);
	if (bits & set)
		return LNW_YES;
	return bits & maybe ? LNW_MAYBE : LNW_NO;
}

static enum lnw_tv ct_status_eq(uint32_t value, const struct view *v)
{
	uint32_t set, maybe;

	ct_status(v, &set, &maybe);
	if ((set & ~value) || (value & ~(set | maybe)))
		return LNW_NO;
	return LNW_MAYBE;
}

/* A match on a bit field: any bit, no bit, or the whole value. */
static enum lnw_tv bits_match(const struct lnw_nft_match *m, enum lnw_tv any, enum lnw_tv eq)
{
	switch (m->op) {
	case LNW_OP_ANY_BIT: return any;
	case LNW_OP_NO_BIT: return tv_not(any);
	case LNW_OP_EQ: return eq;
	case LNW_OP_NE: return tv_not(eq);
	default: return LNW_MAYBE;
	}
}

/* xt_conntrack's conntrack_mt(), for the flow's first packet. */
static enum lnw_tv xt_conntrack(const struct lnw_nft_xt_ct *ct, const struct view *v)
{
	uint16_t statebit = v->has_ct ? XT_CONNTRACK_STATE_BIT(IP_CT_NEW) :
			    XT_CONNTRACK_STATE_INVALID;
	enum lnw_tv res = LNW_YES, t;

	if (ct->match_flags & XT_CONNTRACK_STATE) {
		if (v->has_ct && v->post_nat && v->f->dnat)
			statebit |= XT_CONNTRACK_STATE_DNAT;
		t = (ct->state_mask & statebit) ? LNW_YES : LNW_NO;
		if (ct->invert_flags & XT_CONNTRACK_STATE)
			t = tv_not(t);
		if (t == LNW_NO)
			return LNW_NO;
	}
	if (!v->has_ct)
		return ct->match_flags & XT_CONNTRACK_STATE ? LNW_YES : LNW_NO;
	/* --ctdir REPLY (the inverted flag): the first packet is original */
	if ((ct->match_flags & XT_CONNTRACK_DIRECTION) &&
	    (ct->invert_flags & XT_CONNTRACK_DIRECTION))
		return LNW_NO;
	if (ct->match_flags & XT_CONNTRACK_STATUS) {
		t = ct_status_any(ct->status_mask, v);
		if (ct->invert_flags & XT_CONNTRACK_STATUS)
			t = tv_not(t);
		res = tv_and(res, t);
	}
	if (ct->match_flags & ~(XT_CONNTRACK_STATE | XT_CONNTRACK_STATUS |
				XT_CONNTRACK_DIRECTION | XT_CONNTRACK_STATE_ALIAS))
		res = tv_and(res, LNW_MAYBE); /* addresses, ports, expiry */
	return res;
}

static enum lnw_tv xt_addrtype(const struct lnw_nft_xt_addrtype *a, enum lnw_tv local)
{
	enum lnw_tv t;

	if (a->source || (a->flags & (XT_ADDRTYPE_LIMIT_IFACE_IN | XT_ADDRTYPE_LIMIT_IFACE_OUT)))
		return LNW_MAYBE;
	if (!a->dest)
		return LNW_YES;
	if (local == LNW_YES)
		t = a->dest & XT_ADDRTYPE_LOCAL ? LNW_YES : LNW_NO;
	else if (local == LNW_NO && a->dest == XT_ADDRTYPE_LOCAL)
		t = LNW_NO;
	else
		t = LNW_MAYBE;
	return a->flags & XT_ADDRTYPE_INVERT_DEST ? tv_not(t) : t;
}

/* The flags a connection's first packet may carry: a SYN, with no ACK,
 * RST or FIN (a listener drops those), any of PSH, URG, ECE, CWR. */
static enum lnw_tv tcp_flags_eval(const struct lnw_nft_match *m)
{
	static const uint32_t extra[] = { 0x08, 0x20, 0x40, 0x80 };
	bool any = false, all = true;
	unsigned int s;
	int i;

	for (s = 0; s < 16; s++) {
		uint32_t c = 0x02;
		bool t;

		for (i = 0; i < 4; i++)
			if (s & (1u << i))
				c |= extra[i];
		if (m->op == LNW_OP_ANY_BIT || m->op == LNW_OP_NO_BIT) {
			t = (c & m->bits) != 0;
			t = m->op == LNW_OP_ANY_BIT ? t : !t;
		} else {
			t = false;
			for (i = 0; i < m->n_ranges; i++)
				t = t || (m->ranges[i].lo <= (c & m->bits) &&
					  (c & m->bits) <= m->ranges[i].hi);
			t = m->op == LNW_OP_IN ? t : !t;
		}
		any = any || t;
		all = all && t;
	}
	return all ? LNW_YES : any ? LNW_MAYBE : LNW_NO;
}

static enum lnw_tv match_eval(const struct lnw_nft_match *m, const struct view *v)
{
	const struct lnw_fw_flow *f = v->f;
	const struct lnw_rset *daddr = v->post_nat ? &f->daddr : &f->daddr_wire;
	const struct lnw_rset *dport = v->post_nat ? &f->dport : &f->dport_wire;
	enum lnw_tv t = LNW_NO;
	struct lnw_rset pkt;
	uint16_t statebit;
	int i;

	switch (m->key) {
	case LNW_KEY_TRUE:
		return LNW_YES;
	case LNW_KEY_FALSE:
		return LNW_NO;
	case LNW_KEY_IIFNAME:
		for (i = 0; i < m->n_names && t == LNW_NO; i++)
			if (name_matches(m->names[i], f->iifname))
				t = LNW_YES;
		return m->op == LNW_OP_NOT_IN ? tv_not(t) : t;
	case LNW_KEY_SADDR:
		return in_match(&f->saddr, m);
	case LNW_KEY_DADDR:
		return in_match(daddr, m);
	case LNW_KEY_L4PROTO:
		return one_in_match(f->l4proto, m);
	case LNW_KEY_SPORT:
	case LNW_KEY_DPORT:
		/* reading a tcp header of a udp packet fails: no match */
		if (m->l4proto != LNW_L4_TH && m->l4proto != f->l4proto)
			return LNW_NO;
		return in_match(m->key == LNW_KEY_SPORT ? &f->sport : dport, m);
	case LNW_KEY_PKTTYPE:
		/* the neighbour picks the frame's MAC: ours (host), broadcast or
		 * multicast all reach UDP's local delivery; TCP and forwarding
		 * take host only */
		lnw_rset_one(&pkt, 0, f->to_local && f->l4proto != IPPROTO_TCP ? 2 : 0);
		return in_match(&pkt, m);
	case LNW_KEY_FIB_DADDR_TYPE:
		return fib_type_match(m, daddr_local(f, daddr));
	case LNW_KEY_CT_STATE: /* one bit */
		statebit = v->has_ct ? NF_CT_STATE_BIT(IP_CT_NEW) : NF_CT_STATE_INVALID_BIT;
		return bits_match(m, m->bits & statebit ? LNW_YES : LNW_NO,
				  m->bits == statebit ? LNW_YES : LNW_NO);
	case LNW_KEY_CT_STATUS:
		if (!v->has_ct)
			return LNW_NO; /* no conntrack entry: the expression breaks */
		return bits_match(m, ct_status_any(m->bits, v), ct_status_eq(m->bits, v));
	case LNW_KEY_CT_DIRECTION:
		return v->has_ct ? one_in_match(0 /* IP_CT_DIR_ORIGINAL */, m) : LNW_NO;
	case LNW_KEY_XT_CONNTRACK:
		return xt_conntrack(&m->xt.ct, v);
	case LNW_KEY_XT_STATE:
		statebit = v->has_ct ? XT_CONNTRACK_STATE_BIT(IP_CT_NEW) : XT_CONNTRACK_STATE_INVALID;
		return m->xt.ct.state_mask & statebit ? LNW_YES : LNW_NO;
	case LNW_KEY_XT_ADDRTYPE:
		return xt_addrtype(&m->xt.addrtype, daddr_local(f, daddr));
	case LNW_KEY_MARK:
		if (!v->mark_known)
			return LNW_MAYBE;
		return one_in_match(v->mark & m->bits, m);
	case LNW_KEY_CT_MARK: /* no conntrack entry: the expression breaks */
		if (!v->has_ct)
			return LNW_NO;
		return v->ct_mark_zero ? one_in_match(0, m) : LNW_MAYBE;
	case LNW_KEY_TCP_FLAGS: /* a udp packet has no tcp header: no match */
		if (f->l4proto != IPPROTO_TCP)
			return LNW_NO;
		t = tcp_flags_eval(m);
		/* a first fragment with 8 bytes of TCP header: nft cannot read
		 * the flags, no match (xt_tcp drops it) */
		return t == LNW_YES && !v->whole && !m->xt_hotdrop ? LNW_MAYBE : t;
	case LNW_KEY_UNKNOWN:
	default:
		return LNW_MAYBE;
	}
}

static enum lnw_tv rule_eval(const struct lnw_nft_rule *r, const struct view *v)
{
	enum lnw_tv t = LNW_YES;
	int i;

	for (i = 0; i < r->n_m && t != LNW_NO; i++)
		t = tv_and(t, match_eval(&r->m[i], v));
	return t;
}

/* Outcomes of a chain: a set of these. */
#define OUT_ACCEPT 1u
#define OUT_DROP 2u
#define OUT_LEAVE 4u /* fell off its end, or returned */
#define OUT_NEXT 8u  /* a rule's outcome: on to the next rule */
#define OUT_ANY (OUT_ACCEPT | OUT_DROP | OUT_NEXT)

/* What a chain does with the flow, jumps followed: the same wherever it
 * is jumped from (the flow and the view do not change on the way), so it
 * is worked out once per chain and view. */
struct chain_res {
	unsigned int out;
	const struct lnw_nft_rule *sure_drop;  /* surely reached and dropping,
						* when the chain is surely entered */
	const struct lnw_nft_rule *yes_drop;   /* the first drop whose matches
						* all hold, reached or not */
	const struct lnw_nft_rule *maybe_drop; /* the first that may drop */
	const struct lnw_nft_rule *unmodelled; /* the first that may apply and
						* that the model cannot follow */
};

enum { MEMO_NONE, MEMO_BUSY, MEMO_DONE };

struct walk {
	struct view view;
	const struct lnw_nft_ruleset *rs;
	struct chain_res *memo;      /* per chain of rs */
	unsigned char *state;        /* MEMO_* per chain */
	unsigned long long work;     /* rules evaluated */
	bool over_budget;
	const struct lnw_nft_chain *base; /* the base chain being walked */
	int mark_rules;              /* rules met that may change the mark */
	const struct lnw_nft_rule *mark_sure; /* one of base's, surely run */
};

static unsigned long long work_budget = LNW_FW_WORK_BUDGET;

void lnw_fw_set_budget(unsigned long long rules)
{
	work_budget = rules ? rules : LNW_FW_WORK_BUDGET;
}

static void first(const struct lnw_nft_rule **dst, const struct lnw_nft_rule *r)
{
	if (!*dst)
		*dst = r;
}

static const struct chain_res *walk_chain(struct walk *w, const struct lnw_nft_chain *c);

/* A jump's or goto's outcomes; res gets what the target found. */
static unsigned int walk_jump(struct walk *w, const struct lnw_nft_rule *r, bool here,
			      struct chain_res *res)
{
	const struct chain_res *sub;
	unsigned int v;

	if (!r->target || w->over_budget)
		return OUT_ANY;
	sub = walk_chain(w, r->target);
	if (!sub) /* a loop (the kernel refuses them) or over budget */
		return OUT_ANY;
	v = sub->out & (OUT_ACCEPT | OUT_DROP);
	if (sub->out & OUT_LEAVE)
		v |= r->verdict == LNW_V_JUMP ? OUT_NEXT : OUT_LEAVE;
	if (here)
		first(&res->sure_drop, sub->sure_drop);
	first(&res->yes_drop, sub->yes_drop);
	first(&res->maybe_drop, sub->maybe_drop);
	first(&res->unmodelled, sub->unmodelled);
	return v;
}

static void walk_rules(struct walk *w, const struct lnw_nft_chain *c, struct chain_res *res)
{
	bool sure = true; /* the packet certainly reaches rule i */
	unsigned int v;
	int i;

	for (i = 0; i < c->n_rules; i++) {
		const struct lnw_nft_rule *r = &c->rules[i];
		enum lnw_tv t;
		bool here;

		if (++w->work > work_budget) {
			w->over_budget = true;
			res->out |= OUT_ANY;
			return;
		}
		t = rule_eval(r, &w->view);
		here = sure && t == LNW_YES;
		if (t == LNW_NO)
			continue;
		if (r->unmodelled)
			first(&res->unmodelled, r);
		if (r->mark_set != LNW_MARK_KEEP) {
			w->mark_rules++;
			if (here && c == w->base && r->mark_set == LNW_MARK_SET)
				w->mark_sure = r;
		}
		switch (r->verdict) {
		case LNW_V_CONTINUE: v = OUT_NEXT; break;
		case LNW_V_ACCEPT:
		case LNW_V_NAT: v = OUT_ACCEPT; break;
		case LNW_V_DROP: v = OUT_DROP; break;
		case LNW_V_RETURN: v = OUT_LEAVE; break;
		case LNW_V_JUMP:
		case LNW_V_GOTO: v = walk_jump(w, r, here, res); break;
		case LNW_V_MAYBE:
		default: v = OUT_ANY; break;
		}
		if (r->verdict == LNW_V_DROP || r->verdict == LNW_V_MAYBE) {
			if (here && r->verdict == LNW_V_DROP)
				first(&res->sure_drop, r);
			if (t == LNW_YES && r->verdict == LNW_V_DROP)
				first(&res->yes_drop, r);
			first(&res->maybe_drop, r);
		}
		res->out |= v & (OUT_ACCEPT | OUT_DROP | OUT_LEAVE);
		if (t == LNW_YES && !(v & OUT_NEXT))
			return;
		if (v != OUT_NEXT)
			sure = false; /* it may have left here */
	}
	res->out |= OUT_LEAVE;
}

/* NULL while c is being walked (a loop), or past the work budget. */
static const struct chain_res *walk_chain(struct walk *w, const struct lnw_nft_chain *c)
{
	size_t k = (size_t)(c - w->rs->chains);
	struct chain_res res = { 0 };

	if (w->state[k] == MEMO_DONE)
		return &w->memo[k];
	if (w->state[k] == MEMO_BUSY)
		return NULL;
	w->state[k] = MEMO_BUSY;
	walk_rules(w, c, &res);
	w->memo[k] = res;
	w->state[k] = MEMO_DONE;
	return w->over_budget ? NULL : &w->memo[k];
}

/* The hooks a flow passes, in order; which view each base chain has. */
static bool chain_sees(const struct lnw_nft_chain *c, const struct lnw_fw_flow *f,
		       int *stage, struct view *v)
{
	int i;

	if (!c->base)
		return false;
	v->f = f;
	if (c->hook == LNW_HOOK_INGRESS) {
		for (i = 0; i < c->n_devs; i++)
			if (!strcmp(c->devs[i], f->iifname)) {
				*stage = 0;
				v->post_nat = v->has_ct = v->whole = false;
				return true;
			}
		return false;
	}
	if (strcmp(c->family, "ip") && strcmp(c->family, "inet"))
		return false;
	/* route chains are output only; a nat chain sees a new connection's
	 * first packet: its drops and policy count, a NAT there ends it like
	 * an accept (a flow already DNAT'd is natorder.c's) */
	if (strcmp(c->type, "filter") && (strcmp(c->type, "nat") || f->dnat))
		return false;
	v->whole = f->dnat; /* NAT needs conntrack, which defragments */
	if (c->hook == LNW_HOOK_PREROUTING) {
		*stage = 1;
		v->has_ct = c->prio > PRI_CONNTRACK;
		v->post_nat = c->prio > PRI_NAT_DST;
		return true;
	}
	if ((c->hook == LNW_HOOK_INPUT && f->to_local) ||
	    (c->hook == LNW_HOOK_FORWARD && !f->to_local)) {
		*stage = 2;
		v->has_ct = v->post_nat = v->whole = true;
		return true;
	}
	return false;
}

struct staged {
	const struct lnw_nft_chain *c;
	int stage;
	struct view view;
};

static int staged_cmp(const void *a, const void *b)
{
	const struct staged *x = a, *y = b;

	if (x->stage != y->stage)
		return x->stage - y->stage;
	return (x->c->prio > y->c->prio) - (x->c->prio < y->c->prio);
}

/* Does a prerouting nat chain (not walked for a DNAT'd flow) change the
 * mark? Then what it is after cannot be told. */
static bool nat_sets_mark(const struct lnw_nft_ruleset *rs)
{
	int i;

	for (i = 0; i < rs->n_chains; i++)
		if (rs->chains[i].base && !strcmp(rs->chains[i].type, "nat") &&
		    rs->chains[i].sets_mark)
			return true;
	return false;
}

void lnw_fw_eval(const struct lnw_nft_ruleset *rs, const struct lnw_fw_flow *f,
		 struct lnw_fw_verdict *out)
{
	struct staged *st = calloc((size_t)rs->n_chains + 1, sizeof(*st));
	struct walk w = { .rs = rs };
	bool mark_known;
	uint32_t mark = 0;
	int i, n = 0;

	memset(out, 0, sizeof(*out));
	out->fate = LNW_FW_PASSES;
	w.memo = calloc((size_t)rs->n_chains + 1, sizeof(*w.memo));
	w.state = calloc((size_t)rs->n_chains + 1, 1);
	if (!st || !w.memo || !w.state) { /* cannot tell: never claim a drop */
		out->fate = LNW_FW_MAY_DROP;
		out->over_budget = true;
		goto out;
	}
	for (i = 0; i < rs->n_chains; i++)
		if (chain_sees(&rs->chains[i], f, &st[n].stage, &st[n].view))
			st[n++].c = &rs->chains[i];
	qsort(st, (size_t)n, sizeof(*st), staged_cmp);
	mark_known = !(f->dnat && nat_sets_mark(rs));
	for (i = 0; i < n; i++) {
		const struct chain_res *cr;
		struct chain_res res;
		unsigned int o;

		/* a chain's outcome depends on the view: a new memo per base;
		 * where the chain may change the mark, its matches on it may
		 * hold or not */
		w.view = st[i].view;
		w.view.mark_known = mark_known && !st[i].c->sets_mark;
		w.view.mark = mark;
		w.view.ct_mark_zero = !rs->ct_mark_set;
		w.base = st[i].c;
		w.mark_rules = 0;
		w.mark_sure = NULL;
		memset(w.state, 0, (size_t)rs->n_chains);
		cr = walk_chain(&w, st[i].c);
		/* what it left the mark as, for the base chains after it */
		if (mark_known && w.mark_rules == 1 && w.mark_sure)
			mark = (mark & ~w.mark_sure->mark_mask) ^ w.mark_sure->mark_xor;
		else if (w.mark_rules)
			mark_known = false;
		if (!cr) {
			out->fate = LNW_FW_MAY_DROP;
			out->over_budget = true;
			break;
		}
		res = *cr;
		o = res.out;
		if (o & OUT_LEAVE) /* the policy decides */
			o = (o & ~OUT_LEAVE) | (st[i].c->policy_drop ? OUT_DROP : OUT_ACCEPT);
		if (res.unmodelled) {
			/* what follows it cannot be told: never a certain drop */
			out->fate = LNW_FW_MAY_DROP;
			out->unmodelled = res.unmodelled;
			out->rule = res.unmodelled;
			out->chain = res.unmodelled->chain;
			break;
		}
		if (o == OUT_DROP) {
			const struct lnw_nft_rule *r = res.sure_drop ? res.sure_drop : res.yes_drop;

			out->fate = LNW_FW_DROPS;
			out->rule = r;
			out->chain = r ? r->chain : st[i].c;
			break;
		}
		if ((o & OUT_DROP) && out->fate == LNW_FW_PASSES) {
			out->fate = LNW_FW_MAY_DROP;
			out->rule = res.maybe_drop;
			out->chain = res.maybe_drop ? res.maybe_drop->chain : st[i].c;
		}
	}
out:
	out->work = w.work;
	free(w.memo);
	free(w.state);
	free(st);
}

enum lnw_tv lnw_fw_rule_applies(const struct lnw_nft_rule *r, const struct lnw_fw_flow *f,
				const struct lnw_nft_chain *base)
{
	struct view v = { .f = f };
	int stage;

	if (!chain_sees(base, f, &stage, &v))
		return LNW_NO;
	return rule_eval(r, &v);
}

enum lnw_tv lnw_fw_rule_at_nat(const struct lnw_nft_rule *r, const struct lnw_fw_flow *f)
{
	struct view v = { .f = f, .post_nat = false, .has_ct = true, .whole = true };

	return rule_eval(r, &v);
}

enum lnw_tv lnw_fw_path_applies(const struct lnw_nft_path *p, const struct lnw_fw_flow *f)
{
	struct view v = { .f = f, .post_nat = false, .has_ct = true, .whole = true };
	enum lnw_tv t = rule_eval(p->rule, &v);
	int i;

	for (i = 0; i < p->n_via && t != LNW_NO; i++)
		t = tv_and(t, rule_eval(p->via[i], &v));
	return t;
}

static bool rule_values(const struct lnw_nft_rule *r, enum lnw_nft_key key,
			struct lnw_rset *out)
{
	int i, j;

	for (i = 0; i < r->n_m; i++) {
		const struct lnw_nft_match *m = &r->m[i];

		if (m->key != key || m->op != LNW_OP_IN || m->n_ranges > LNW_RSET_MAX)
			continue;
		for (j = 0; j < m->n_ranges; j++)
			out->r[j] = m->ranges[j];
		out->n = m->n_ranges;
		return true;
	}
	return false;
}

bool lnw_fw_path_values(const struct lnw_nft_path *p, enum lnw_nft_key key,
			struct lnw_rset *out)
{
	int i;

	if (rule_values(p->rule, key, out))
		return true;
	for (i = p->n_via - 1; i >= 0; i--)
		if (rule_values(p->via[i], key, out))
			return true;
	return false;
}

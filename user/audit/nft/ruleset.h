/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_NFT_H
#define LNW_AUDIT_NFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The nftables ruleset (iptables-nft's tables included) reduced to what
 * decides the fate of a packet to 127.0.0.0/8: IPv4 base chains of the
 * ingress, prerouting, input and forward hooks, the chains they jump to,
 * and each rule as a conjunction of matches and a verdict. */

enum lnw_nft_hook {
	LNW_HOOK_OTHER,
	LNW_HOOK_INGRESS,
	LNW_HOOK_PREROUTING,
	LNW_HOOK_INPUT,
	LNW_HOOK_FORWARD,
};

/* What a match compares. Anything else is LNW_KEY_UNKNOWN: it may or may
 * not match, so it never makes a drop certain. */
enum lnw_nft_key {
	LNW_KEY_UNKNOWN,
	LNW_KEY_TRUE,           /* always true: -m comment, meta nfproto ipv4 */
	LNW_KEY_FALSE,          /* never true for IPv4: meta nfproto ipv6 */
	LNW_KEY_IIFNAME,        /* meta iifname, meta iif (by name) */
	LNW_KEY_SADDR,
	LNW_KEY_DADDR,
	LNW_KEY_L4PROTO,        /* meta l4proto, ip protocol */
	LNW_KEY_SPORT,
	LNW_KEY_DPORT,
	LNW_KEY_PKTTYPE,
	LNW_KEY_FIB_DADDR_TYPE, /* fib daddr type: RTN_* */
	LNW_KEY_CT_STATE,       /* bits: NF_CT_STATE_*_BIT */
	LNW_KEY_CT_STATUS,      /* bits: IPS_* */
	LNW_KEY_CT_DIRECTION,
	LNW_KEY_XT_CONNTRACK,   /* iptables -m conntrack */
	LNW_KEY_XT_STATE,       /* iptables -m state */
	LNW_KEY_XT_ADDRTYPE,    /* iptables -m addrtype */
	LNW_KEY_TCP_FLAGS,      /* ANY_BIT/NO_BIT: flags & bits; IN/NOT_IN:
				 * flags & bits among the ranges */
	LNW_KEY_MARK,           /* meta mark, -m mark: mark & bits among the
				 * ranges */
	LNW_KEY_CT_MARK,        /* ct mark, -m connmark: the same */
};

/* What a rule does to the packet mark. */
enum lnw_mark_set {
	LNW_MARK_KEEP,  /* nothing */
	LNW_MARK_SET,   /* mark = (mark & ~mark_mask) ^ mark_xor */
	LNW_MARK_ANY,   /* something not followed (from ct mark, a hash) */
};

enum lnw_nft_op {
	LNW_OP_IN,      /* the value is in ranges (==, a set, a prefix) */
	LNW_OP_NOT_IN,  /* != */
	LNW_OP_ANY_BIT, /* value & bits != 0 */
	LNW_OP_NO_BIT,  /* value & bits == 0 */
	LNW_OP_EQ,      /* value == bits: "ct status != dnat" compares it all */
	LNW_OP_NE,
};

#define LNW_L4_TH 255 /* "th dport": any transport header with ports */

struct lnw_range {
	uint32_t lo, hi; /* host order, inclusive */
};

struct lnw_nft_xt_ct {   /* decoded xt_conntrack_mtinfo{1,2,3} */
	uint16_t match_flags, invert_flags, state_mask, status_mask;
};

struct lnw_nft_xt_addrtype { /* decoded xt_addrtype_info_v1 */
	uint16_t source, dest;
	uint32_t flags;
};

struct lnw_nft_match {
	enum lnw_nft_key key;
	enum lnw_nft_op op;
	uint8_t l4proto;          /* the header a port match reads, LNW_L4_TH, 0 */
	struct lnw_range *ranges; /* values, addresses (LNW_OP_IN/NOT_IN) */
	int n_ranges;
	size_t cap_ranges;
	char **names;             /* interface names; a trailing '*' is a prefix */
	int n_names;
	size_t cap_names;
	uint32_t bits;            /* LNW_OP_ANY_BIT/NO_BIT/EQ/NE */
	bool xt_hotdrop;          /* xt: a header too short drops the packet */
	union {
		struct lnw_nft_xt_ct ct;
		struct lnw_nft_xt_addrtype addrtype;
	} xt;
	char *text;               /* as nft or iptables prints it */
};

enum lnw_nft_verdict {
	LNW_V_CONTINUE,  /* counter, log, mark: the next rule follows */
	LNW_V_ACCEPT,
	LNW_V_DROP,      /* drop, reject */
	LNW_V_JUMP,
	LNW_V_GOTO,
	LNW_V_RETURN,
	LNW_V_NAT,       /* dnat, redirect, snat, masquerade: ends a nat chain */
	LNW_V_MAYBE,     /* queue, tproxy, an undecoded target: anything */
};

enum lnw_nft_nat_kind { LNW_NAT_NONE, LNW_NAT_DNAT, LNW_NAT_REDIRECT, LNW_NAT_OTHER };

struct lnw_nft_nat {
	enum lnw_nft_nat_kind kind;
	bool has_addr, has_port;
	struct lnw_range addr;    /* host order */
	struct lnw_range port;
};

struct lnw_nft_chain;

struct lnw_nft_rule {
	const struct lnw_nft_chain *chain;
	unsigned long long handle;
	int line;                 /* its place in the chain, from 1, as listed
				   * (iptables --line-numbers) */
	bool counted;             /* has a counter (iptables-nft adds one to all) */
	enum lnw_mark_set mark_set;
	uint32_t mark_mask, mark_xor;
	bool sets_ct_mark;        /* ct mark set, -j CONNMARK */
	char *comment;            /* nft comment or -m comment */
	struct lnw_nft_match *m;
	int n_m;
	size_t cap_m;
	enum lnw_nft_verdict verdict;
	char *target_name;        /* jump/goto */
	const struct lnw_nft_chain *target;
	struct lnw_nft_nat nat;
	char *unmodelled;         /* a statement the model cannot follow (notrack,
				   * ip daddr set ...): a flow it may apply to
				   * cannot be told; NULL when none */
	char *text;               /* matches and verdict, one line */
};

struct lnw_nft_chain {
	char *family;             /* "ip" | "inet" | "netdev" */
	char *table, *name;
	bool base;
	enum lnw_nft_hook hook;
	char *hook_name;
	int prio;
	char *type;               /* "filter" | "nat" | "route" */
	bool policy_drop;
	char **devs;              /* ingress chains: the devices */
	int n_devs;
	struct lnw_nft_rule *rules;
	int n_rules;
	size_t cap_rules;
	int n_listed;             /* rules as listed (a vmap's expand to more) */
	bool iptables;            /* iptables-nft's: rules named by line */
	bool sets_mark;           /* a rule of it, or of a chain it jumps to,
				   * may change the packet mark */
};

struct lnw_nft_ruleset {
	struct lnw_nft_chain *chains;
	int n_chains;
	int n_undecoded;          /* xt extensions whose payload was not read */
	char legacy_tables[128];  /* iptables-legacy tables present, "" none */
	int legacy_nat_rules;     /* entries of legacy nat past its empty chains;
				   * -errno: present, but it could not be asked */
	char dormant_tables[256]; /* "ip t, inet u": flags dormant, never run */
	bool ct_mark_set;         /* a rule may set a connection's mark */
};

/* The pure part of lnw_nft_load, for tests from captured documents: compile
 * `nft -j list ruleset` output, with what nfnetlink adds (xt payloads,
 * ingress devices; an empty lnw_nfnl_ruleset when there is none). Returns
 * 0, or -errno with err set and rs empty. */
struct lnw_nfnl_ruleset;
int lnw_nft_compile_json(const char *json, const struct lnw_nfnl_ruleset *nl,
			 struct lnw_nft_ruleset *rs, char *err, size_t len);
/* Read and compile the ruleset of the current network namespace: libnftables
 * in JSON mode, nfnetlink for what the JSON lacks, both from the same
 * ruleset generation. Returns 0, or -errno with err set. */
int lnw_nft_load(struct lnw_nft_ruleset *rs, char *err, size_t len);
void lnw_nft_free(struct lnw_nft_ruleset *rs);

/* "ip filter KUBE-FIREWALL #4": iptables-nft's by line (iptables
 * --line-numbers), others by nft handle (nft -a) */
void lnw_nft_rule_where(const struct lnw_nft_rule *r, char *buf, size_t len);

/* A DNAT rule with the jump rules that lead to it from a prerouting nat
 * base chain: a packet takes it when every match on the way is true. */
#define LNW_NFT_MAX_DEPTH 16
struct lnw_nft_path {
	const struct lnw_nft_chain *base;
	const struct lnw_nft_rule *via[LNW_NFT_MAX_DEPTH];
	int n_via;
	const struct lnw_nft_rule *rule;
};

/* Every DNAT reached from a nat base chain of hook ("prerouting",
 * "output"); *out is malloc'ed. Returns the count, -ENOMEM, or -E2BIG
 * past LNW_NFT_MAX_PATHS paths (or jumps fanning out past what a walk
 * can follow). */
#define LNW_NFT_MAX_PATHS 65536
int lnw_nft_dnat_paths(const struct lnw_nft_ruleset *rs, const char *hook,
		       struct lnw_nft_path **out);

/* A filter base chain of the receive path (ingress, prerouting, input)
 * from which chain is reached, or NULL. */
const struct lnw_nft_chain *lnw_nft_input_base_of(const struct lnw_nft_ruleset *rs,
						  const struct lnw_nft_chain *chain);

#endif

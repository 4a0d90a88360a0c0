/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_NFNL_H
#define LNW_AUDIT_NFNL_H

#include <stdbool.h>
#include <stddef.h>

/* What libnftables' JSON leaves out, read from the kernel over nfnetlink:
 * the payload of xtables extensions (iptables-nft's -m conntrack, -j DNAT
 * print as bare names) and the devices of ingress chains. */

struct lnw_nfnl_xt {
	bool target;              /* -j NAME, else -m NAME */
	char name[32];            /* XT_EXTENSION_MAXNAMELEN */
	unsigned int rev;
	unsigned char *info;      /* the extension's struct, as the kernel holds it */
	size_t info_len;
};

/* A rule holding xt extensions, in the order nft lists its statements. */
struct lnw_nfnl_rule {
	unsigned char family;     /* NFPROTO_* */
	char *table, *chain;
	unsigned long long handle;
	struct lnw_nfnl_xt *xt;
	int n_xt;
	size_t cap_xt;
};

/* A base chain bound to devices (netdev/inet ingress). */
struct lnw_nfnl_chain {
	unsigned char family;
	char *table, *chain;
	char **devs;
	int n_devs;
	size_t cap_devs;
};

/* A table and its NFTA_TABLE_FLAGS (NFT_TABLE_F_DORMANT: its chains do not
 * run). Read here, never from libnftables 1.0.6's JSON, which prints a
 * single flag through freed memory. */
struct lnw_nfnl_table {
	unsigned char family;
	char *name;
	unsigned int flags;
	char **chains;            /* when flags: every chain, by name */
	int n_chains;
	size_t cap_chains;
};

struct lnw_nfnl_ruleset {
	struct lnw_nfnl_table *tables;
	size_t n_tables, cap_tables;
	struct lnw_nfnl_rule *rules;
	size_t n_rules, cap_rules;
	struct lnw_nfnl_chain *chains;
	size_t n_chains, cap_chains;
};

/* Every table, every rule with xt extensions and every device-bound chain,
 * all families. Returns 0 or -errno. */
int lnw_nfnl_read(struct lnw_nfnl_ruleset *rs);
void lnw_nfnl_free(struct lnw_nfnl_ruleset *rs);

const struct lnw_nfnl_rule *lnw_nfnl_rule_find(const struct lnw_nfnl_ruleset *rs,
					       unsigned char family, const char *table,
					       const char *chain, unsigned long long handle);
const struct lnw_nfnl_table *lnw_nfnl_table_find(const struct lnw_nfnl_ruleset *rs,
						 unsigned char family, const char *name);
const struct lnw_nfnl_chain *lnw_nfnl_chain_find(const struct lnw_nfnl_ruleset *rs,
						 unsigned char family, const char *table,
						 const char *chain);

#endif

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* nf_tables over raw nfnetlink (libmnl): the parts of the ruleset that
 * libnftables 1.0's JSON output does not carry. */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>

#include "lib/netlink.h"
#include "lib/nfnl.h"
#include "lib/util.h"
#include "nfnl.h"

/* One xt expression of a rule; 0 if expr is not one, -ENOMEM. */
static int add_xt(struct lnw_nfnl_rule *r, const struct nlattr *expr)
{
	const struct nlattr *etb[NFTA_EXPR_MAX + 1] = {};
	const struct nlattr *xtb[NFTA_MATCH_MAX + 1] = {};
	const char *kind;
	struct lnw_nfnl_xt *xt;
	bool target;

	lnw_nl_parse_nested(expr, etb, NFTA_EXPR_MAX);
	if (!etb[NFTA_EXPR_NAME] || !etb[NFTA_EXPR_DATA])
		return 0;
	kind = mnl_attr_get_str(etb[NFTA_EXPR_NAME]);
	target = !strcmp(kind, "target");
	if (!target && strcmp(kind, "match"))
		return 0;
	/* NFTA_TARGET_{NAME,REV,INFO} have the values of NFTA_MATCH_* */
	lnw_nl_parse_nested(etb[NFTA_EXPR_DATA], xtb, NFTA_MATCH_MAX);
	if (!xtb[NFTA_MATCH_NAME] || !xtb[NFTA_MATCH_REV] || !xtb[NFTA_MATCH_INFO])
		return 0;
	if (lnw_grow(&r->xt, &r->cap_xt, (size_t)r->n_xt + 1, sizeof(*r->xt)))
		return -ENOMEM;
	xt = &r->xt[r->n_xt];
	memset(xt, 0, sizeof(*xt));
	xt->target = target;
	strncpy(xt->name, mnl_attr_get_str(xtb[NFTA_MATCH_NAME]), sizeof(xt->name) - 1);
	xt->rev = ntohl(mnl_attr_get_u32(xtb[NFTA_MATCH_REV]));
	xt->info_len = mnl_attr_get_payload_len(xtb[NFTA_MATCH_INFO]);
	xt->info = malloc(xt->info_len ? xt->info_len : 1);
	if (!xt->info)
		return -ENOMEM;
	memcpy(xt->info, mnl_attr_get_payload(xtb[NFTA_MATCH_INFO]), xt->info_len);
	r->n_xt++;
	return 0;
}

/* A callback's answer when memory ran out: libmnl returns it as -ENOMEM. */
static int cb_nomem(void)
{
	errno = ENOMEM;
	return MNL_CB_ERROR;
}

/* A message's table and chain names, copied; -ENOMEM. */
static int dup_names(const struct nlattr *table, const struct nlattr *chain,
		     char **table_out, char **chain_out)
{
	*table_out = strdup(mnl_attr_get_str(table));
	*chain_out = strdup(mnl_attr_get_str(chain));
	return *table_out && *chain_out ? 0 : -ENOMEM;
}

static void rule_free(struct lnw_nfnl_rule *r)
{
	int i;

	for (i = 0; i < r->n_xt; i++)
		free(r->xt[i].info);
	free(r->xt);
	free(r->table);
	free(r->chain);
}

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1] = {};
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	struct lnw_nfnl_ruleset *rs = data;
	struct lnw_nfnl_rule r = { .family = nfg->nfgen_family };
	const struct nlattr *expr;

	lnw_nl_parse(nlh, sizeof(struct nfgenmsg), tb, NFTA_RULE_MAX);
	if (!tb[NFTA_RULE_TABLE] || !tb[NFTA_RULE_CHAIN] || !tb[NFTA_RULE_HANDLE] ||
	    !tb[NFTA_RULE_EXPRESSIONS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(expr, tb[NFTA_RULE_EXPRESSIONS])
		if (add_xt(&r, expr))
			goto nomem;
	if (!r.n_xt)
		return MNL_CB_OK;
	r.handle = be64toh(mnl_attr_get_u64(tb[NFTA_RULE_HANDLE]));
	if (dup_names(tb[NFTA_RULE_TABLE], tb[NFTA_RULE_CHAIN], &r.table, &r.chain) ||
	    lnw_grow(&rs->rules, &rs->cap_rules, rs->n_rules + 1, sizeof(*rs->rules)))
		goto nomem;
	rs->rules[rs->n_rules++] = r;
	return MNL_CB_OK;
nomem:
	rule_free(&r);
	return cb_nomem();
}

static void chain_free(struct lnw_nfnl_chain *c)
{
	lnw_free_strv(c->devs, c->n_devs);
	free(c->table);
	free(c->chain);
}

static int add_dev(struct lnw_nfnl_chain *c, const struct nlattr *name)
{
	if (lnw_grow(&c->devs, &c->cap_devs, (size_t)c->n_devs + 1, sizeof(*c->devs)))
		return -ENOMEM;
	c->devs[c->n_devs] = strdup(mnl_attr_get_str(name));
	if (!c->devs[c->n_devs])
		return -ENOMEM;
	c->n_devs++;
	return 0;
}

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_TABLE_MAX + 1] = {};
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	struct lnw_nfnl_ruleset *rs = data;
	struct lnw_nfnl_table *t;

	lnw_nl_parse(nlh, sizeof(struct nfgenmsg), tb, NFTA_TABLE_MAX);
	if (!tb[NFTA_TABLE_NAME])
		return MNL_CB_OK;
	if (lnw_grow(&rs->tables, &rs->cap_tables, rs->n_tables + 1, sizeof(*rs->tables)))
		goto nomem;
	t = &rs->tables[rs->n_tables];
	memset(t, 0, sizeof(*t));
	t->family = nfg->nfgen_family;
	t->flags = tb[NFTA_TABLE_FLAGS] ? ntohl(mnl_attr_get_u32(tb[NFTA_TABLE_FLAGS])) : 0;
	t->name = strdup(mnl_attr_get_str(tb[NFTA_TABLE_NAME]));
	if (!t->name)
		goto nomem;
	rs->n_tables++;
	return MNL_CB_OK;
nomem:
	errno = ENOMEM;
	return MNL_CB_ERROR;
}

/* A chain of a table with flags, by name: libnftables lists it alone. */
static int table_chain_add(struct lnw_nfnl_ruleset *rs, unsigned char family,
			   const struct nlattr *table, const struct nlattr *chain)
{
	struct lnw_nfnl_table *t = (struct lnw_nfnl_table *)
		lnw_nfnl_table_find(rs, family, mnl_attr_get_str(table));

	if (!t || !t->flags)
		return 0;
	if (lnw_grow(&t->chains, &t->cap_chains, (size_t)t->n_chains + 1, sizeof(*t->chains)) ||
	    !(t->chains[t->n_chains] = strdup(mnl_attr_get_str(chain))))
		return -ENOMEM;
	t->n_chains++;
	return 0;
}

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1] = {};
	const struct nlattr *htb[NFTA_HOOK_MAX + 1] = {};
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	struct lnw_nfnl_ruleset *rs = data;
	struct lnw_nfnl_chain c = { .family = nfg->nfgen_family };
	const struct nlattr *dev;

	lnw_nl_parse(nlh, sizeof(struct nfgenmsg), tb, NFTA_CHAIN_MAX);
	if (!tb[NFTA_CHAIN_TABLE] || !tb[NFTA_CHAIN_NAME])
		return MNL_CB_OK;
	if (table_chain_add(rs, c.family, tb[NFTA_CHAIN_TABLE], tb[NFTA_CHAIN_NAME]))
		goto nomem;
	if (!tb[NFTA_CHAIN_HOOK])
		return MNL_CB_OK;
	lnw_nl_parse_nested(tb[NFTA_CHAIN_HOOK], htb, NFTA_HOOK_MAX);
	if (htb[NFTA_HOOK_DEV] && add_dev(&c, htb[NFTA_HOOK_DEV]))
		goto nomem;
	if (htb[NFTA_HOOK_DEVS])
		mnl_attr_for_each_nested(dev, htb[NFTA_HOOK_DEVS])
			if (add_dev(&c, dev))
				goto nomem;
	if (!c.n_devs)
		return MNL_CB_OK;
	if (dup_names(tb[NFTA_CHAIN_TABLE], tb[NFTA_CHAIN_NAME], &c.table, &c.chain) ||
	    lnw_grow(&rs->chains, &rs->cap_chains, rs->n_chains + 1, sizeof(*rs->chains)))
		goto nomem;
	rs->chains[rs->n_chains++] = c;
	return MNL_CB_OK;
nomem:
	chain_free(&c);
	return cb_nomem();
}

/* Rules are looked up once per nft rule: sorted, so a big ruleset
 * (kube-proxy's) is not quadratic. */
static int rule_cmp(unsigned long long h1, unsigned char f1, const char *t1,
		    const char *c1, const struct lnw_nfnl_rule *b)
{
	int d;

	if (h1 != b->handle)
		return h1 < b->handle ? -1 : 1;
	if (f1 != b->family)
		return f1 < b->family ? -1 : 1;
	d = strcmp(t1, b->table);
	return d ? d : strcmp(c1, b->chain);
}

static int rule_sort_cmp(const void *a, const void *b)
{
	const struct lnw_nfnl_rule *x = a;

	return rule_cmp(x->handle, x->family, x->table, x->chain, b);
}

int lnw_nfnl_read(struct lnw_nfnl_ruleset *rs)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int ret;

	memset(rs, 0, sizeof(*rs));
	ret = lnw_nl_request(NETLINK_NETFILTER, lnw_nfnl_put_request(buf, NFT_MSG_GETTABLE, NLM_F_DUMP),
			     table_cb, rs);
	if (!ret)
		ret = lnw_nl_request(NETLINK_NETFILTER,
				     lnw_nfnl_put_request(buf, NFT_MSG_GETRULE, NLM_F_DUMP), rule_cb, rs);
	if (!ret)
		ret = lnw_nl_request(NETLINK_NETFILTER,
				     lnw_nfnl_put_request(buf, NFT_MSG_GETCHAIN, NLM_F_DUMP),
				     chain_cb, rs);
	if (ret)
		lnw_nfnl_free(rs);
	else if (rs->n_rules)
		qsort(rs->rules, rs->n_rules, sizeof(*rs->rules), rule_sort_cmp);
	return ret;
}

void lnw_nfnl_free(struct lnw_nfnl_ruleset *rs)
{
	size_t i;

	for (i = 0; i < rs->n_rules; i++)
		rule_free(&rs->rules[i]);
	for (i = 0; i < rs->n_chains; i++)
		chain_free(&rs->chains[i]);
	for (i = 0; i < rs->n_tables; i++) {
		free(rs->tables[i].name);
		lnw_free_strv(rs->tables[i].chains, rs->tables[i].n_chains);
	}
	free(rs->tables);
	free(rs->rules);
	free(rs->chains);
	memset(rs, 0, sizeof(*rs));
}

const struct lnw_nfnl_rule *lnw_nfnl_rule_find(const struct lnw_nfnl_ruleset *rs,
					       unsigned char family, const char *table,
					       const char *chain, unsigned long long handle)
{
	const struct lnw_nfnl_rule key = { .family = family, .table = (char *)table,
					   .chain = (char *)chain, .handle = handle };

	return rs->n_rules ? bsearch(&key, rs->rules, rs->n_rules, sizeof(*rs->rules),
				     rule_sort_cmp) : NULL;
}

const struct lnw_nfnl_table *lnw_nfnl_table_find(const struct lnw_nfnl_ruleset *rs,
						 unsigned char family, const char *name)
{
	size_t i;

	for (i = 0; i < rs->n_tables; i++)
		if (rs->tables[i].family == family && !strcmp(rs->tables[i].name, name))
			return &rs->tables[i];
	return NULL;
}

const struct lnw_nfnl_chain *lnw_nfnl_chain_find(const struct lnw_nfnl_ruleset *rs,
						 unsigned char family, const char *table,
						 const char *chain)
{
	size_t i;

	for (i = 0; i < rs->n_chains; i++) {
		const struct lnw_nfnl_chain *c = &rs->chains[i];

		if (c->family == family && !strcmp(c->table, table) &&
		    !strcmp(c->chain, chain))
			return c;
	}
	return NULL;
}

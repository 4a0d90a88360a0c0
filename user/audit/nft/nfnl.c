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
#include "lib/util.h"
#include "nfnl.h"

static struct nlmsghdr *put_request(char *buf, int msg, unsigned short flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | msg;
	nlh->nlmsg_flags = flags;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = NFPROTO_UNSPEC; /* every family */
	nfg->version = NFNETLINK_V0;
	return nlh;
}

/* Attribute table filler for any nested level: tb has max + 1 slots. */
struct attr_tb {
	const struct nlattr **tb;
	unsigned int max;
};

static int fill_tb(const struct nlattr *attr, void *data)
{
	struct attr_tb *t = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type <= t->max)
		t->tb[type] = attr;
	return MNL_CB_OK;
}

static void parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			 unsigned int max)
{
	struct attr_tb t = { tb, max };

	mnl_attr_parse_nested(nest, fill_tb, &t);
}

static void parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb,
		      unsigned int max)
{
	struct attr_tb t = { tb, max };

	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), fill_tb, &t);
}

static int gen_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_GEN_MAX + 1] = {};

	parse_msg(nlh, tb, NFTA_GEN_MAX);
	if (tb[NFTA_GEN_ID])
		*(unsigned int *)data = ntohl(mnl_attr_get_u32(tb[NFTA_GEN_ID]));
	return MNL_CB_OK;
}

int lnw_nfnl_genid(unsigned int *genid)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return lnw_nl_request(NETLINK_NETFILTER, put_request(buf, NFT_MSG_GETGEN, NLM_F_ACK),
			      gen_cb, genid);
}

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : 32;
	nv = realloc(v, ncap * size);
	if (nv)
		*cap = ncap;
	return nv;
}

/* One xt expression of a rule; 0 if expr is not one, -ENOMEM. */
static int add_xt(struct lnw_nfnl_rule *r, const struct nlattr *expr)
{
	const struct nlattr *etb[NFTA_EXPR_MAX + 1] = {};
	const struct nlattr *xtb[NFTA_MATCH_MAX + 1] = {};
	const char *kind;
	struct lnw_nfnl_xt *xt, *v;
	bool target;

	parse_nested(expr, etb, NFTA_EXPR_MAX);
	if (!etb[NFTA_EXPR_NAME] || !etb[NFTA_EXPR_DATA])
		return 0;
	kind = mnl_attr_get_str(etb[NFTA_EXPR_NAME]);
	target = !strcmp(kind, "target");
	if (!target && strcmp(kind, "match"))
		return 0;
	/* NFTA_TARGET_{NAME,REV,INFO} have the values of NFTA_MATCH_* */
	parse_nested(etb[NFTA_EXPR_DATA], xtb, NFTA_MATCH_MAX);
	if (!xtb[NFTA_MATCH_NAME] || !xtb[NFTA_MATCH_REV] || !xtb[NFTA_MATCH_INFO])
		return 0;
	v = realloc(r->xt, (size_t)(r->n_xt + 1) * sizeof(*r->xt));
	if (!v)
		return -ENOMEM;
	r->xt = v;
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
	void *v;

	parse_msg(nlh, tb, NFTA_RULE_MAX);
	if (!tb[NFTA_RULE_TABLE] || !tb[NFTA_RULE_CHAIN] || !tb[NFTA_RULE_HANDLE] ||
	    !tb[NFTA_RULE_EXPRESSIONS])
		return MNL_CB_OK;
	mnl_attr_for_each_nested(expr, tb[NFTA_RULE_EXPRESSIONS])
		if (add_xt(&r, expr))
			goto nomem;
	if (!r.n_xt)
		return MNL_CB_OK;
	r.table = strdup(mnl_attr_get_str(tb[NFTA_RULE_TABLE]));
	r.chain = strdup(mnl_attr_get_str(tb[NFTA_RULE_CHAIN]));
	r.handle = be64toh(mnl_attr_get_u64(tb[NFTA_RULE_HANDLE]));
	v = grow(rs->rules, &rs->cap_rules, rs->n_rules, sizeof(*rs->rules));
	if (!r.table || !r.chain || !v)
		goto nomem;
	rs->rules = v;
	rs->rules[rs->n_rules++] = r;
	return MNL_CB_OK;
nomem:
	rule_free(&r);
	errno = ENOMEM;
	return MNL_CB_ERROR;
}

static void chain_free(struct lnw_nfnl_chain *c)
{
	int i;

	for (i = 0; i < c->n_devs; i++)
		free(c->devs[i]);
	free(c->devs);
	free(c->table);
	free(c->chain);
}

static int add_dev(struct lnw_nfnl_chain *c, const struct nlattr *name)
{
	char **v = realloc(c->devs, (size_t)(c->n_devs + 1) * sizeof(*c->devs));

	if (!v)
		return -ENOMEM;
	c->devs = v;
	c->devs[c->n_devs] = strdup(mnl_attr_get_str(name));
	if (!c->devs[c->n_devs])
		return -ENOMEM;
	c->n_devs++;
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
	void *v;

	parse_msg(nlh, tb, NFTA_CHAIN_MAX);
	if (!tb[NFTA_CHAIN_TABLE] || !tb[NFTA_CHAIN_NAME] || !tb[NFTA_CHAIN_HOOK])
		return MNL_CB_OK;
	parse_nested(tb[NFTA_CHAIN_HOOK], htb, NFTA_HOOK_MAX);
	if (htb[NFTA_HOOK_DEV] && add_dev(&c, htb[NFTA_HOOK_DEV]))
		goto nomem;
	if (htb[NFTA_HOOK_DEVS])
		mnl_attr_for_each_nested(dev, htb[NFTA_HOOK_DEVS])
			if (add_dev(&c, dev))
				goto nomem;
	if (!c.n_devs)
		return MNL_CB_OK;
	c.table = strdup(mnl_attr_get_str(tb[NFTA_CHAIN_TABLE]));
	c.chain = strdup(mnl_attr_get_str(tb[NFTA_CHAIN_NAME]));
	v = grow(rs->chains, &rs->cap_chains, rs->n_chains, sizeof(*rs->chains));
	if (!c.table || !c.chain || !v)
		goto nomem;
	rs->chains = v;
	rs->chains[rs->n_chains++] = c;
	return MNL_CB_OK;
nomem:
	chain_free(&c);
	errno = ENOMEM;
	return MNL_CB_ERROR;
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
	ret = lnw_nl_request(NETLINK_NETFILTER, put_request(buf, NFT_MSG_GETRULE, NLM_F_DUMP),
			     rule_cb, rs);
	if (!ret)
		ret = lnw_nl_request(NETLINK_NETFILTER,
				     put_request(buf, NFT_MSG_GETCHAIN, NLM_F_DUMP),
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
	free(rs->rules);
	free(rs->chains);
	memset(rs, 0, sizeof(*rs));
}

const struct lnw_nfnl_rule *lnw_nfnl_rule_find(const struct lnw_nfnl_ruleset *rs,
					       unsigned char family, const char *table,
					       const char *chain, unsigned long long handle)
{
	size_t lo = 0, hi = rs->n_rules;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = rule_cmp(handle, family, table, chain, &rs->rules[mid]);

		if (!d)
			return &rs->rules[mid];
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
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

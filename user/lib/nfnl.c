// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* nf_tables over nfnetlink: a request's header, the ruleset's generation,
 * and whether a nat chain can rewrite packets before the route. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "netlink.h"
#include "nfnl.h"

struct nlmsghdr *lnw_nfnl_put_request(char *buf, int msg, unsigned short flags)
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

static int gen_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_GEN_MAX + 1] = {};

	lnw_nl_parse(nlh, sizeof(struct nfgenmsg), tb, NFTA_GEN_MAX);
	if (tb[NFTA_GEN_ID])
		*(unsigned int *)data = ntohl(mnl_attr_get_u32(tb[NFTA_GEN_ID]));
	return MNL_CB_OK;
}

int lnw_nfnl_genid(unsigned int *genid)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return lnw_nl_request(NETLINK_NETFILTER, lnw_nfnl_put_request(buf, NFT_MSG_GETGEN, NLM_F_ACK),
			      gen_cb, genid);
}


static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1] = {}, *htb[NFTA_HOOK_MAX + 1] = {};

	lnw_nl_parse(nlh, sizeof(struct nfgenmsg), tb, NFTA_CHAIN_MAX);
	if ((nfg->nfgen_family != NFPROTO_IPV4 && nfg->nfgen_family != NFPROTO_INET) ||
	    !tb[NFTA_CHAIN_TYPE] || strcmp(mnl_attr_get_str(tb[NFTA_CHAIN_TYPE]), "nat") ||
	    !tb[NFTA_CHAIN_HOOK])
		return MNL_CB_OK;
	lnw_nl_parse_nested(tb[NFTA_CHAIN_HOOK], htb, NFTA_HOOK_MAX);
	if (htb[NFTA_HOOK_HOOKNUM] &&
	    ntohl(mnl_attr_get_u32(htb[NFTA_HOOK_HOOKNUM])) == NF_INET_PRE_ROUTING)
		*(bool *)data = true;
	return MNL_CB_OK;
}

/* iptables-legacy's nat table lives outside nf_tables. */
static bool legacy_nat(void)
{
	FILE *f = fopen("/proc/net/ip_tables_names", "re");
	char line[64];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strcmp(line, "nat\n");
	fclose(f);
	return found;
}

int lnw_nfnl_prerouting_nat(bool *present)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	*present = legacy_nat();
	if (*present)
		return 0;
	return lnw_nl_request(NETLINK_NETFILTER,
			      lnw_nfnl_put_request(buf, NFT_MSG_GETCHAIN, NLM_F_DUMP),
			      chain_cb, present);
}

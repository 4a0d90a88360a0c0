// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Interfaces and IPv4 addresses of this namespace: rtnetlink dumps. */
#include <errno.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>

#include "links.h"
#include "netlink.h"

struct link_dump {
	struct lnw_iface *out;
	int max, n;
};

/* One RTM_NEWLINK/DELLINK message into it; false if it names no link. */
bool lnw_link_parse(const struct nlmsghdr *nlh, struct lnw_iface *it)
{
	const struct nlattr *tb[IFLA_MAX + 1] = {};
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	lnw_nl_parse(nlh, sizeof(*ifm), tb, IFLA_MAX);
	if (!tb[IFLA_IFNAME])
		return false;
	it->ifindex = ifm->ifi_index;
	it->flags = ifm->ifi_flags;
	it->type = ifm->ifi_type;
	it->master = tb[IFLA_MASTER] ? (int)mnl_attr_get_u32(tb[IFLA_MASTER]) : 0;
	memset(it->name, 0, sizeof(it->name));
	strncpy(it->name, mnl_attr_get_str(tb[IFLA_IFNAME]), sizeof(it->name) - 1);
	return true;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_dump *ctx = data;

	if (ctx->n < ctx->max && lnw_link_parse(nlh, &ctx->out[ctx->n]))
		ctx->n++;
	return MNL_CB_OK;
}

/* An rtnetlink dump of type with a family header of hdrlen bytes (its
 * first byte the family: rtgenmsg, ifaddrmsg). */
static int dump(unsigned short type, size_t hdrlen, unsigned char family,
		mnl_cb_t cb, void *ctx)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	unsigned char *hdr;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_DUMP;
	hdr = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	hdr[0] = family;
	return lnw_nl_request(NETLINK_ROUTE, nlh, cb, ctx);
}

int lnw_ifaces_list(struct lnw_iface *out, int max)
{
	struct link_dump ctx = { .out = out, .max = max };
	int err = dump(RTM_GETLINK, sizeof(struct rtgenmsg), AF_PACKET, link_cb, &ctx);

	return err ? err : ctx.n;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[RTA_MAX + 1] = {};

	lnw_nl_parse(nlh, sizeof(struct rtmsg), tb, RTA_MAX);
	if (nlh->nlmsg_type == RTM_NEWROUTE && tb[RTA_OIF])
		*(int *)data = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	return MNL_CB_OK;
}

int lnw_route_oif(__u32 be_daddr)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct rtmsg *rtm;
	int oif = 0, err;

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_ACK; /* the answer, then the ack ends the loop */
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	mnl_attr_put_u32(nlh, RTA_DST, be_daddr);
	err = lnw_nl_request(NETLINK_ROUTE, nlh, route_cb, &oif);
	return err ? err : oif ? oif : -ENOENT;
}

struct addr_dump {
	struct lnw_addr4 *out;
	int max, n;
};

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFA_MAX + 1] = {};
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_dump *ctx = data;
	const struct nlattr *local;
	struct lnw_addr4 *it;

	lnw_nl_parse(nlh, sizeof(*ifa), tb, IFA_MAX);
	/* IFA_LOCAL is the interface's own address (IFA_ADDRESS is the peer's
	 * on point-to-point links) */
	local = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (ifa->ifa_family != AF_INET || !local ||
	    mnl_attr_get_payload_len(local) != 4 || ctx->n == ctx->max)
		return MNL_CB_OK;
	it = &ctx->out[ctx->n++];
	it->ifindex = (int)ifa->ifa_index;
	it->prefixlen = ifa->ifa_prefixlen;
	memcpy(&it->addr, mnl_attr_get_payload(local), 4);
	return MNL_CB_OK;
}

int lnw_ifaces_addrs4(struct lnw_addr4 *out, int max)
{
	struct addr_dump ctx = { .out = out, .max = max };
	int err = dump(RTM_GETADDR, sizeof(struct ifaddrmsg), AF_INET, addr_cb, &ctx);

	return err ? err : ctx.n;
}

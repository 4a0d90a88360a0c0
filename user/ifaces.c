// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Interfaces of this namespace: an RTM_GETLINK dump with libmnl. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>

#include "ifaces.h"

struct dump_ctx {
	struct lnw_iface *out;
	int max, n;
};

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(attr, IFLA_MAX) < 0)
		return MNL_CB_OK;
	tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1] = {};
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct dump_ctx *ctx = data;
	struct lnw_iface *it;

	mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, tb);
	if (!tb[IFLA_IFNAME] || ctx->n == ctx->max)
		return MNL_CB_OK;
	it = &ctx->out[ctx->n++];
	it->ifindex = ifm->ifi_index;
	it->flags = ifm->ifi_flags;
	memset(it->name, 0, sizeof(it->name));
	strncpy(it->name, mnl_attr_get_str(tb[IFLA_IFNAME]), sizeof(it->name) - 1);
	return MNL_CB_OK;
}

int lnw_ifaces_list(struct lnw_iface *out, int max)
{
	char buf[32768]; /* a dump batch; libmnl 1.0.4 lacks MNL_SOCKET_DUMP_SIZE */
	struct dump_ctx ctx = { .out = out, .max = max };
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct rtgenmsg *rt;
	unsigned int seq = (unsigned int)time(NULL), portid;
	int ret, err = 0;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtgen_family = AF_PACKET;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		err = -errno;
		goto out;
	}
	while ((ret = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, ret, seq, portid, link_cb, &ctx);
		if (ret <= MNL_CB_STOP)
			break;
	}
	if (ret < 0)
		err = -errno;
out:
	mnl_socket_close(nl);
	return err ? err : ctx.n;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Interfaces and IPv4 addresses of this namespace: rtnetlink dumps with
 * libmnl. */
#define _GNU_SOURCE /* setns */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>

#include "ifaces.h"

/* One dump batch; libmnl 1.0.4 lacks MNL_SOCKET_DUMP_SIZE. The kernel sizes
 * its dump messages to what recvmsg() was given, up to 32 KiB. */
#define NL_DUMP_BUF 32768

int lnw_nl_request(int bus, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	char buf[NL_DUMP_BUF];
	struct mnl_socket *nl;
	unsigned int portid;
	int ret, err = 0;

	nl = mnl_socket_open(bus);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	req->nlmsg_flags |= NLM_F_REQUEST;
	req->nlmsg_seq = (unsigned int)time(NULL);
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0) {
		err = -errno;
		goto out;
	}
	while ((ret = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		ret = mnl_cb_run(buf, ret, req->nlmsg_seq, portid, cb, data);
		if (ret <= MNL_CB_STOP)
			break;
	}
	if (ret < 0)
		err = errno ? -errno : -EIO;
out:
	mnl_socket_close(nl);
	return err;
}

int lnw_netns_enter(const char *netns, char *err, size_t len)
{
	bool is_path = strchr(netns, '/') != NULL;
	char path[256];
	int fd, ret = 0;

	if (snprintf(path, sizeof(path), is_path ? "%s" : "/run/netns/%s", netns) >=
	    (int)sizeof(path)) {
		snprintf(err, len, "network namespace name too long");
		return -ENAMETOOLONG;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (ret == -ENOENT && !is_path)
			snprintf(err, len, "no network namespace named '%.64s' (no %.200s; "
				 "see: ip netns list)", netns, path);
		else
			snprintf(err, len, "network namespace %.200s: %s", path, strerror(-ret));
		return ret;
	}
	if (setns(fd, CLONE_NEWNET)) {
		ret = -errno;
		snprintf(err, len, "cannot enter network namespace %.200s: %s", path,
			 ret == -EINVAL ? "not a network namespace" :
			 ret == -EPERM ? "it needs CAP_SYS_ADMIN, run it as root" : strerror(-ret));
	}
	close(fd);
	return ret;
}

struct link_dump {
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

/* One RTM_NEWLINK/DELLINK message into it; false if it names no link. */
static bool parse_link(const struct nlmsghdr *nlh, struct lnw_iface *it)
{
	const struct nlattr *tb[IFLA_MAX + 1] = {};
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	mnl_attr_parse(nlh, sizeof(*ifm), link_attr_cb, tb);
	if (!tb[IFLA_IFNAME])
		return false;
	it->ifindex = ifm->ifi_index;
	it->flags = ifm->ifi_flags;
	it->master = tb[IFLA_MASTER] ? (int)mnl_attr_get_u32(tb[IFLA_MASTER]) : 0;
	memset(it->name, 0, sizeof(it->name));
	strncpy(it->name, mnl_attr_get_str(tb[IFLA_IFNAME]), sizeof(it->name) - 1);
	return true;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_dump *ctx = data;

	if (ctx->n < ctx->max && parse_link(nlh, &ctx->out[ctx->n]))
		ctx->n++;
	return MNL_CB_OK;
}

int lnw_ifaces_list(struct lnw_iface *out, int max)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct link_dump ctx = { .out = out, .max = max };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct rtgenmsg *rt;
	int err;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_DUMP;
	rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtgen_family = AF_PACKET;
	err = lnw_nl_request(NETLINK_ROUTE, nlh, link_cb, &ctx);
	return err ? err : ctx.n;
}

struct addr_dump {
	struct lnw_addr4 *out;
	int max, n;
};

static int addr_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
		return MNL_CB_OK;
	tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFA_MAX + 1] = {};
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_dump *ctx = data;
	const struct nlattr *local;
	struct lnw_addr4 *it;

	mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, tb);
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
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct addr_dump ctx = { .out = out, .max = max };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct ifaddrmsg *ifa;
	int err;

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	err = lnw_nl_request(NETLINK_ROUTE, nlh, addr_cb, &ctx);
	return err ? err : ctx.n;
}

struct lnw_link_monitor {
	struct mnl_socket *nl;
};

int lnw_link_monitor_open(struct lnw_link_monitor **out)
{
	struct lnw_link_monitor *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		return -ENOMEM;
	m->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!m->nl) {
		err = -errno;
		free(m);
		return err;
	}
	if (mnl_socket_bind(m->nl, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		lnw_link_monitor_close(m);
		return err;
	}
	*out = m;
	return 0;
}

int lnw_link_monitor_fd(const struct lnw_link_monitor *m)
{
	return mnl_socket_get_fd(m->nl);
}

struct monitor_ctx {
	lnw_link_cb cb;
	void *ctx;
};

static int monitor_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor_ctx *mc = data;
	struct lnw_iface it;

	if ((nlh->nlmsg_type == RTM_NEWLINK || nlh->nlmsg_type == RTM_DELLINK) &&
	    parse_link(nlh, &it))
		mc->cb(mc->ctx, &it, nlh->nlmsg_type == RTM_NEWLINK);
	return MNL_CB_OK;
}

int lnw_link_monitor_read(struct lnw_link_monitor *m, lnw_link_cb cb, void *ctx)
{
	char buf[NL_DUMP_BUF];
	struct monitor_ctx mc = { .cb = cb, .ctx = ctx };
	ssize_t n;

	while ((n = mnl_socket_recvfrom(m->nl, buf, sizeof(buf))) > 0)
		mnl_cb_run(buf, (size_t)n, 0, 0, monitor_msg_cb, &mc);
	if (n < 0 && errno == ENOBUFS)
		return -ENOBUFS; /* the socket overflowed: events were lost */
	return 0;
}

void lnw_link_monitor_close(struct lnw_link_monitor *m)
{
	if (!m)
		return;
	mnl_socket_close(m->nl);
	free(m);
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Links appearing and going while we watch (rtnetlink RTMGRP_LINK). */
#include <errno.h>
#include <stdlib.h>
#include <linux/rtnetlink.h>

#include "lib/netlink.h"
#include "link_monitor.h"

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
	    lnw_link_parse(nlh, &it))
		mc->cb(mc->ctx, &it, nlh->nlmsg_type == RTM_NEWLINK);
	return MNL_CB_OK;
}

int lnw_link_monitor_read(struct lnw_link_monitor *m, lnw_link_cb cb, void *ctx)
{
	char buf[LNW_NL_BUF];
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

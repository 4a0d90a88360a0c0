// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The netlink request loop every reader shares (libmnl), and attribute
 * tables for any message or nest. */
#include <errno.h>
#include <time.h>

#include "netlink.h"


int lnw_nl_request(int bus, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	char buf[LNW_NL_BUF];
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

void lnw_nl_parse(const struct nlmsghdr *nlh, size_t hdrlen,
		  const struct nlattr **tb, unsigned int max)
{
	struct attr_tb t = { tb, max };

	mnl_attr_parse(nlh, (unsigned int)hdrlen, fill_tb, &t);
}

void lnw_nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			 unsigned int max)
{
	struct attr_tb t = { tb, max };

	mnl_attr_parse_nested(nest, fill_tb, &t);
}

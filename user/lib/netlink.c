// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The netlink request loop every reader shares (libmnl), and attribute
 * tables for any message or nest. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <sys/socket.h>

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

/* Requests in one window: their acks (36 bytes, ~800 of socket buffer
 * each) fit the default receive buffer, so none is dropped. */
#define BATCH_WINDOW 128
#define BATCH_MSG_MAX 512 /* room one request may take in the send buffer */

struct batch_run {
	const struct lnw_nl_batch *b;
	int base;   /* index of the window's first request */
	int n;      /* requests in this window */
	int acked;  /* acks read in this window */
};

static void batch_msg(const struct nlmsghdr *nlh, struct batch_run *r)
{
	int i = (int)nlh->nlmsg_seq - 1 - r->base;

	if (i < 0 || i >= r->n)
		return; /* not one of this window's */
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
			return;
		r->b->ack(r->base + i, e->error, r->b->ctx);
		r->acked++;
	} else if (nlh->nlmsg_type == NLMSG_DONE) { /* a dump's end */
		r->b->ack(r->base + i, 0, r->b->ctx);
		r->acked++;
	} else if (r->b->reply) {
		r->b->reply(r->base + i, nlh, r->b->ctx);
	}
}

int lnw_nl_batch_run(int bus, int n, const struct lnw_nl_batch *b)
{
	char *out = malloc((size_t)BATCH_WINDOW * BATCH_MSG_MAX), buf[LNW_NL_BUF];
	struct batch_run r = { .b = b };
	struct mnl_socket *nl = NULL;
	struct nlmsghdr *nlh;
	int one = 1, err = 0, i, ret, window = b->window > 0 && b->window < BATCH_WINDOW ?
					       b->window : BATCH_WINDOW, rcvbuf = 1 << 20;
	size_t len;

	if (!out)
		return -ENOMEM;
	nl = mnl_socket_open2(bus, SOCK_CLOEXEC);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto out;
	}
	/* an error's ack without the request copied back */
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	/* room for a window's answers (root may pass rmem_max); an overflow
	 * ends the run with -ENOBUFS, never silently */
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	for (r.base = 0; r.base < n; r.base += r.n) {
		len = 0;
		for (r.n = 0; r.n < window && r.base + r.n < n; r.n++) {
			nlh = mnl_nlmsg_put_header(out + len);
			b->build(r.base + r.n, nlh, b->ctx);
			nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
			nlh->nlmsg_seq = (unsigned int)(r.base + r.n + 1);
			len += NLMSG_ALIGN(nlh->nlmsg_len);
		}
		/* the kernel reads every message of one send in turn */
		if (mnl_socket_sendto(nl, out, len) < 0) {
			err = -errno;
			goto out;
		}
		for (r.acked = 0; r.acked < r.n;) {
			ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
			if (ret <= 0) {
				err = ret < 0 ? -errno : -EIO;
				goto out;
			}
			/* by hand: mnl_cb_run() takes the acks for itself */
			for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, ret);
			     nlh = mnl_nlmsg_next(nlh, &ret))
				batch_msg(nlh, &r);
		}
	}
out:
	for (i = r.base + r.acked; err && i < n; i++) /* never sent or never answered */
		b->ack(i, err, b->ctx);
	if (nl)
		mnl_socket_close(nl);
	free(out);
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

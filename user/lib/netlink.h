/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_LIB_NETLINK_H
#define LNW_LIB_NETLINK_H

#include <stddef.h>
#include <libmnl/libmnl.h>

/* One dump batch; libmnl 1.0.4 lacks MNL_SOCKET_DUMP_SIZE. The kernel sizes
 * its dump messages to what recvmsg() was given, up to 32 KiB. */
#define LNW_NL_BUF 32768

/* Send req on a new socket of netlink family bus and run cb on each reply
 * until the end: the caller sets NLM_F_DUMP (ends with NLMSG_DONE) or
 * NLM_F_ACK (ends with the ack). Returns 0 or -errno, a reply's NLMSG_ERROR
 * included. */
int lnw_nl_request(int bus, struct nlmsghdr *req, mnl_cb_t cb, void *data);

/* Many requests on one socket: build(i) fills request i (header type,
 * flags and payload; at most 512 bytes), reply(i) sees each answer that
 * is not the ack (NLM_F_ECHO's copy, a dump's part), ack(i, 0 or -errno)
 * is called once for each (a dump's NLMSG_DONE is its ack). A dump not
 * done at once makes the next ones of its window fail with -EBUSY. Sent in windows of many, each window's acks read after
 * it: one round trip per window, not per request. Returns 0, or the
 * -errno that ended the run (the requests left are acked with it). */
struct lnw_nl_batch {
	void (*build)(int i, struct nlmsghdr *nlh, void *ctx);
	void (*reply)(int i, const struct nlmsghdr *nlh, void *ctx);
	void (*ack)(int i, int err, void *ctx);
	void *ctx;
	int window; /* requests a round trip; 0: 128 */
};
int lnw_nl_batch_run(int bus, int n, const struct lnw_nl_batch *b);

/* tb[type] = each attribute of the message after its hdrlen-byte family
 * header, or of a nest; tb has max + 1 slots, zeroed by the caller, and
 * types past max are ignored. */
void lnw_nl_parse(const struct nlmsghdr *nlh, size_t hdrlen,
		  const struct nlattr **tb, unsigned int max);
void lnw_nl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
			 unsigned int max);

#endif

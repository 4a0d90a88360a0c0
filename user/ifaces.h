/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_IFACES_H
#define LNW_IFACES_H

#include <stdbool.h>
#include <net/if.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>

struct lnw_iface {
	int ifindex;
	char name[IF_NAMESIZE];
	unsigned int flags; /* IFF_* */
	int master;         /* ifindex of the bridge/bond/VRF it is a port of, 0 */
};

struct lnw_addr4 {
	int ifindex;
	struct in_addr addr;
	unsigned char prefixlen;
};

/* Every interface of the current network namespace, over rtnetlink.
 * Returns the count (<= max) or -errno. */
int lnw_ifaces_list(struct lnw_iface *out, int max);

/* Every IPv4 address of the current network namespace (RTM_GETADDR).
 * Returns the count (<= max) or -errno. */
int lnw_ifaces_addrs4(struct lnw_addr4 *out, int max);

/* Send req on a new socket of netlink family bus and run cb on each reply
 * until the end: the caller sets NLM_F_DUMP (ends with NLMSG_DONE) or
 * NLM_F_ACK (ends with the ack). Returns 0 or -errno, a reply's NLMSG_ERROR
 * included. The request loop every netlink reader shares. */
int lnw_nl_request(int bus, struct nlmsghdr *req, mnl_cb_t cb, void *data);

/* Enter a network namespace: NAME as `ip netns add NAME` made it, or a
 * PATH such as /proc/PID/ns/net. Sockets and /proc/sys/net opened after it
 * are that namespace's. Returns 0, or -errno with err set. */
int lnw_netns_enter(const char *netns, char *err, size_t len);

/* Links appearing and going while we watch (rtnetlink RTMGRP_LINK). Open
 * it before listing, so nothing created in between is missed. */
struct lnw_link_monitor;
typedef void (*lnw_link_cb)(void *ctx, const struct lnw_iface *it, bool added);

int lnw_link_monitor_open(struct lnw_link_monitor **out);
int lnw_link_monitor_fd(const struct lnw_link_monitor *m);
/* Read what is pending without blocking; cb for each link event.
 * Returns 0, or -ENOBUFS when events were lost (the caller relists). */
int lnw_link_monitor_read(struct lnw_link_monitor *m, lnw_link_cb cb, void *ctx);
void lnw_link_monitor_close(struct lnw_link_monitor *m);

#endif

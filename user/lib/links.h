/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_LIB_LINKS_H
#define LNW_LIB_LINKS_H

#include <stdbool.h>
#include <net/if.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>
#include <linux/types.h>

struct lnw_iface {
	int ifindex;
	char name[IF_NAMESIZE];
	unsigned int flags; /* IFF_* */
	unsigned short type; /* ARPHRD_*: what its frames begin with */
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

/* The device the main routing decision sends be_daddr out of, as
 * `ip route get` answers it (RTM_GETROUTE). Returns the ifindex or -errno. */
int lnw_route_oif(__u32 be_daddr);

/* One RTM_NEWLINK/DELLINK message into it; false if it names no link. */
bool lnw_link_parse(const struct nlmsghdr *nlh, struct lnw_iface *it);

#endif

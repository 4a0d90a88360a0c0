/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_IFACES_H
#define LNW_IFACES_H

#include <net/if.h>

struct lnw_iface {
	int ifindex;
	char name[IF_NAMESIZE];
	unsigned int flags; /* IFF_* */
};

/* Every interface of the current network namespace, over rtnetlink.
 * Returns the count (<= max) or -errno. */
int lnw_ifaces_list(struct lnw_iface *out, int max);

#endif

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_NET_H
#define LNW_AUDIT_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>

#include "lib/links.h"
#include "lib/sysctl.h"

struct lnw_audit_iface {
	struct lnw_iface link;
	bool ipv4;                   /* has IPv4 conf: the kernel routes its input */
	int dev[LNW_CONF_N];         /* net.ipv4.conf.DEV.* */
	int eff[LNW_CONF_N];         /* the value the kernel acts on */
	const struct lnw_addr4 *addrs; /* into lnw_audit_net.addrs */
	int n_addrs;
};

/* One network namespace as the IPv4 route input sees it. */
struct lnw_audit_net {
	int all[LNW_CONF_N];
	int dflt[LNW_CONF_N];        /* seeds devices created later */
	struct lnw_audit_iface *ifs;
	int n_ifs;
	struct lnw_addr4 *addrs;     /* grouped by interface */
	int n_addrs;
};

/* Interfaces, their addresses and conf values of the current namespace.
 * Returns 0, or -errno with err set. */
int lnw_audit_net_read(struct lnw_audit_net *net, char *err, size_t len);
void lnw_audit_net_free(struct lnw_audit_net *net);

const struct lnw_audit_iface *lnw_audit_iface_by_index(const struct lnw_audit_net *net,
						       int ifindex);
/* Can a neighbour's frame reach this device's IPv4 route input? Not for lo,
 * devices without IPv4, or ports (their master receives for them). */
bool lnw_audit_iface_routes_input(const struct lnw_audit_iface *it);
/* Is addr assigned to an interface of this namespace? */
bool lnw_audit_is_local_addr(const struct lnw_audit_net *net, struct in_addr addr);

#endif

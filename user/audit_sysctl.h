/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_SYSCTL_H
#define LNW_AUDIT_SYSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>

#include "ifaces.h"

/* The net.ipv4.conf knobs the route input consults for 127.0.0.0/8. */
enum lnw_conf_knob {
	LNW_CONF_ROUTE_LOCALNET, /* effective: all OR dev */
	LNW_CONF_RP_FILTER,      /* effective: max(all, dev) */
	LNW_CONF_LOG_MARTIANS,   /* effective: all OR dev */
	LNW_CONF_ACCEPT_LOCAL,   /* effective: all OR dev */
	LNW_CONF_FORWARDING,     /* effective: dev (a write to all sets every dev) */
	LNW_CONF_N,
};

const char *lnw_conf_name(enum lnw_conf_knob knob);
/* net.ipv4.conf.DIR.KNOB ("all", "default" or a device) of the current
 * namespace, opened once and read again with lnw_conf_read_fd. fd or -errno
 * (-ENOENT: no such device, or it has no IPv4). */
int lnw_conf_open(const char *dir, enum lnw_conf_knob knob);
int lnw_conf_read_fd(int fd, int *out);

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

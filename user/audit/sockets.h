/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_SOCKETS_H
#define LNW_AUDIT_SOCKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>

#include "lib/procs.h"

/* A socket that accepts new IPv4 traffic: a TCP listener or an unconnected
 * bound UDP socket, of this network namespace. */
struct lnw_audit_sock {
	unsigned char proto;         /* IPPROTO_TCP | IPPROTO_UDP */
	struct in_addr addr;         /* bound address; INADDR_ANY: every one */
	unsigned short port;         /* host order */
	bool v6;                     /* AF_INET6 socket: v4-mapped or dual-stack :: */
	int bound_ifindex;           /* SO_BINDTODEVICE, 0 when unbound */
	unsigned int uid;            /* socket owner */
	unsigned long long inode;
	bool owner_looked_up;
	struct lnw_proc owner;       /* pid -1: no process found */
};

struct lnw_audit_socks {
	struct lnw_audit_sock *v;
	size_t n, cap;
};

/* NETLINK_SOCK_DIAG dumps of this namespace; owners of the loopback-only
 * ones are looked up in /proc. Returns 0, or -errno with err set. */
int lnw_audit_socks_read(struct lnw_audit_socks *out, char *err, size_t len);
void lnw_audit_socks_free(struct lnw_audit_socks *s);

/* Bound to an address in 127.0.0.0/8: meant for this host only. */
bool lnw_audit_sock_loopback_only(const struct lnw_audit_sock *s);
/* Fill s->owner (once): the process holding it, from /proc/PID/fd. */
void lnw_audit_sock_resolve_owner(struct lnw_audit_sock *s);
/* The socket the kernel would deliver proto addr:port arriving on ifindex
 * to: the exact address before the wildcard. NULL when none. */
struct lnw_audit_sock *lnw_audit_socks_lookup(const struct lnw_audit_socks *s,
					      unsigned char proto, struct in_addr addr,
					      unsigned short port, int ifindex);
/* "root", or the uid as a number when it has no name. */
void lnw_audit_user_name(unsigned int uid, char *buf, size_t len);

#endif

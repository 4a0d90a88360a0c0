/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_LIB_NETNS_H
#define LNW_LIB_NETNS_H

#include <stddef.h>

/* Enter a network namespace: NAME as `ip netns add NAME` made it, or a
 * PATH such as /proc/PID/ns/net. Sockets and /proc/sys/net opened after it
 * are that namespace's. Returns 0, or -errno with err set. */
int lnw_netns_enter(const char *netns, char *err, size_t len);
/* The inode of the namespace we are in (what BPF sees as its inum), 0 if
 * /proc cannot tell. */
unsigned long long lnw_netns_inode(void);

#endif

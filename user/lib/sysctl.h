/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_LIB_SYSCTL_H
#define LNW_LIB_SYSCTL_H

#include <stddef.h>

/* net.ipv4.conf.* of the current network namespace, from /proc/sys/net
 * (which follows the reader's namespace: after setns() it is that one's). */

/* The knobs the route input consults for 127.0.0.0/8. */
enum lnw_conf_knob {
	LNW_CONF_ROUTE_LOCALNET, /* effective: all OR dev */
	LNW_CONF_RP_FILTER,      /* effective: max(all, dev) */
	LNW_CONF_LOG_MARTIANS,   /* effective: all OR dev */
	LNW_CONF_ACCEPT_LOCAL,   /* effective: all OR dev */
	LNW_CONF_FORWARDING,     /* effective: dev (a write to all sets every dev) */
	LNW_CONF_N,
};

const char *lnw_conf_name(enum lnw_conf_knob knob);
/* net.ipv4.conf.DIR.KNOB ("all", "default" or a device), opened once and
 * read again with lnw_conf_read_fd. fd or -errno (-ENOENT: no such device,
 * or it has no IPv4). */
int lnw_conf_open(const char *dir, enum lnw_conf_knob knob);
int lnw_conf_read_fd(int fd, int *out);
/* Open, read, close: 0 or -errno as above. */
int lnw_conf_read(const char *dir, enum lnw_conf_knob knob, int *out);
/* The value the kernel acts on, from `all` and the device's own. */
int lnw_conf_effective(enum lnw_conf_knob knob, int all, int dev);

/* Whether proc_dointvec(), which parses every net.ipv4.conf write, takes
 * TEXT (LEN bytes written at offset 0) for one int: 1 and *value, or 0
 * (it fails the write with EINVAL). Its rules: blanks first; an optional
 * '-'; digits in base 0 (0x hex, 0 octal), at most 20 characters with the
 * sign; then the end, or a blank, tab or newline (and anything after it,
 * unread); an int's range. */
int lnw_sysctl_int_write(const char *text, size_t len, long long *value);

#endif

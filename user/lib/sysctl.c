// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* net.ipv4.conf values, read from /proc/sys/net/ipv4/conf. */
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>

#include "sysctl.h"

#define CONF_DIR "/proc/sys/net/ipv4/conf"

const char *lnw_conf_name(enum lnw_conf_knob knob)
{
	switch (knob) {
	case LNW_CONF_ROUTE_LOCALNET: return "route_localnet";
	case LNW_CONF_RP_FILTER: return "rp_filter";
	case LNW_CONF_LOG_MARTIANS: return "log_martians";
	case LNW_CONF_ACCEPT_LOCAL: return "accept_local";
	case LNW_CONF_FORWARDING: return "forwarding";
	default: return "?";
	}
}

int lnw_conf_open(const char *dir, enum lnw_conf_knob knob)
{
	char path[128 + IF_NAMESIZE];
	int fd;

	snprintf(path, sizeof(path), CONF_DIR "/%s/%s", dir, lnw_conf_name(knob));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int lnw_conf_read_fd(int fd, int *out)
{
	char buf[32], *end;
	ssize_t n;
	long v;

	n = pread(fd, buf, sizeof(buf) - 1, 0); /* a sysctl reads afresh at 0 */
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EIO;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n'))
		return -EINVAL;
	*out = (int)v;
	return 0;
}

int lnw_conf_read(const char *dir, enum lnw_conf_knob knob, int *out)
{
	int fd = lnw_conf_open(dir, knob), ret;

	if (fd < 0)
		return fd;
	ret = lnw_conf_read_fd(fd, out);
	close(fd);
	return ret;
}

int lnw_conf_effective(enum lnw_conf_knob knob, int all, int dev)
{
	switch (knob) {
	case LNW_CONF_RP_FILTER:
		return all > dev ? all : dev;
	case LNW_CONF_FORWARDING:
		return dev;
	default:
		return all || dev;
	}
}

/* kernel/sysctl.c: TMPBUFLEN, the most proc_get_long() reads of a number */
#define PROC_NUM_MAX 21

int lnw_sysctl_int_write(const char *text, size_t len, long long *value)
{
	char tmp[PROC_NUM_MAX + 1], *end;
	unsigned long long v;
	size_t n, used;
	bool neg;

	while (len && isspace((unsigned char)*text)) { /* proc_skip_spaces */
		text++;
		len--;
	}
	if (!len)
		return 0; /* nothing: EINVAL */
	n = len < PROC_NUM_MAX ? len : PROC_NUM_MAX;
	memcpy(tmp, text, n);
	tmp[n] = '\0';
	neg = tmp[0] == '-' && len > 1;
	if (!isdigit((unsigned char)tmp[neg]))
		return 0;
	errno = 0;
	v = strtoull(tmp + neg, &end, 0);
	used = (size_t)(end - tmp);
	if (errno || used == PROC_NUM_MAX)
		return 0; /* too long to tell its end: the kernel refuses it */
	if (used < len && !memchr(" \t\n", text[used], 3))
		return 0;
	if (v > (unsigned long long)INT_MAX + neg)
		return 0;
	*value = neg ? -(long long)v : (long long)v;
	return 1;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Per-interface net.ipv4.conf values, read from /proc/sys/net/ipv4/conf:
 * /proc/sys/net follows the reader's network namespace, so after setns()
 * it is the audited one. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit_sysctl.h"

#define AUDIT_MAX_LINKS 4096   /* more is refused, never silently cut */
#define AUDIT_MAX_ADDRS 16384
#define CONF_DIR "/proc/sys/net/ipv4/conf"

const char *lnw_conf_name(enum lnw_conf_knob knob)
{
	static const char *const names[LNW_CONF_N] = {
		[LNW_CONF_ROUTE_LOCALNET] = "route_localnet",
		[LNW_CONF_RP_FILTER] = "rp_filter",
		[LNW_CONF_LOG_MARTIANS] = "log_martians",
		[LNW_CONF_ACCEPT_LOCAL] = "accept_local",
		[LNW_CONF_FORWARDING] = "forwarding",
	};

	return knob < LNW_CONF_N ? names[knob] : "?";
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

/* -errno; -ENOENT when DIR has no conf (no such device, or no IPv4). */
static int read_knob(const char *dir, enum lnw_conf_knob knob, int *out)
{
	int fd = lnw_conf_open(dir, knob), ret;

	if (fd < 0)
		return fd;
	ret = lnw_conf_read_fd(fd, out);
	close(fd);
	return ret;
}

static int effective(enum lnw_conf_knob knob, int all, int dev)
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

static int read_globals(struct lnw_audit_net *net, char *err, size_t len)
{
	int k, ret;

	for (k = 0; k < LNW_CONF_N; k++) {
		ret = read_knob("all", k, &net->all[k]);
		if (!ret)
			ret = read_knob("default", k, &net->dflt[k]);
		if (ret) {
			snprintf(err, len, "cannot read " CONF_DIR "/{all,default}/%s: %s",
				 lnw_conf_name(k), strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static int read_iface(const struct lnw_audit_net *net, struct lnw_audit_iface *it,
		      char *err, size_t len)
{
	int k, ret;

	it->ipv4 = true;
	for (k = 0; k < LNW_CONF_N; k++) {
		ret = read_knob(it->link.name, k, &it->dev[k]);
		if (ret == -ENOENT && k == 0) {
			it->ipv4 = false; /* no in_device: IPv4 never sees its input */
			return 0;
		}
		if (ret) {
			snprintf(err, len, "cannot read " CONF_DIR "/%s/%s: %s",
				 it->link.name, lnw_conf_name(k), strerror(-ret));
			return ret;
		}
		it->eff[k] = effective(k, net->all[k], it->dev[k]);
	}
	return 0;
}

static int by_ifindex(const void *a, const void *b)
{
	const struct lnw_addr4 *x = a, *y = b;

	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

int lnw_audit_net_read(struct lnw_audit_net *net, char *err, size_t len)
{
	struct lnw_iface *links;
	int n, i, a, ret;

	memset(net, 0, sizeof(*net));
	ret = read_globals(net, err, len);
	if (ret)
		return ret;
	links = calloc(AUDIT_MAX_LINKS, sizeof(*links));
	net->addrs = calloc(AUDIT_MAX_ADDRS, sizeof(*net->addrs));
	if (!links || !net->addrs) {
		free(links);
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	n = lnw_ifaces_list(links, AUDIT_MAX_LINKS);
	ret = n < 0 ? n : n == AUDIT_MAX_LINKS ? -E2BIG : 0;
	if (ret) {
		snprintf(err, len, "cannot list interfaces (rtnetlink): %s", strerror(-ret));
		goto out;
	}
	net->n_addrs = lnw_ifaces_addrs4(net->addrs, AUDIT_MAX_ADDRS);
	ret = net->n_addrs < 0 ? net->n_addrs : net->n_addrs == AUDIT_MAX_ADDRS ? -E2BIG : 0;
	if (ret) {
		snprintf(err, len, "cannot list IPv4 addresses (rtnetlink): %s", strerror(-ret));
		goto out;
	}
	qsort(net->addrs, (size_t)net->n_addrs, sizeof(*net->addrs), by_ifindex);
	net->ifs = calloc((size_t)n + 1, sizeof(*net->ifs));
	if (!net->ifs) {
		ret = -ENOMEM;
		snprintf(err, len, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct lnw_audit_iface *it = &net->ifs[net->n_ifs];

		it->link = links[i];
		ret = read_iface(net, it, err, len);
		if (ret)
			goto out;
		for (a = 0; a < net->n_addrs && net->addrs[a].ifindex != it->link.ifindex; a++)
			;
		it->addrs = &net->addrs[a];
		while (a + it->n_addrs < net->n_addrs &&
		       net->addrs[a + it->n_addrs].ifindex == it->link.ifindex)
			it->n_addrs++;
		net->n_ifs++;
	}
out:
	free(links);
	return ret;
}

void lnw_audit_net_free(struct lnw_audit_net *net)
{
	free(net->ifs);
	free(net->addrs);
	memset(net, 0, sizeof(*net));
}

const struct lnw_audit_iface *lnw_audit_iface_by_index(const struct lnw_audit_net *net,
						       int ifindex)
{
	int i;

	for (i = 0; i < net->n_ifs; i++)
		if (net->ifs[i].link.ifindex == ifindex)
			return &net->ifs[i];
	return NULL;
}

bool lnw_audit_iface_routes_input(const struct lnw_audit_iface *it)
{
	return it->ipv4 && !(it->link.flags & IFF_LOOPBACK) && !it->link.master;
}

bool lnw_audit_is_local_addr(const struct lnw_audit_net *net, struct in_addr addr)
{
	int i;

	for (i = 0; i < net->n_addrs; i++)
		if (net->addrs[i].addr.s_addr == addr.s_addr)
			return true;
	return false;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* One namespace as the IPv4 route input sees it: interfaces, addresses and
 * their net.ipv4.conf values (lib/sysctl), read after entering it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"

#define AUDIT_MAX_LINKS 4096   /* more is refused, never silently cut */
#define AUDIT_MAX_ADDRS 16384
#define CONF_DIR "/proc/sys/net/ipv4/conf"

static int read_globals(struct lnw_audit_net *net, char *err, size_t len)
{
	int k, ret;

	for (k = 0; k < LNW_CONF_N; k++) {
		ret = lnw_conf_read("all", k, &net->all[k]);
		if (!ret)
			ret = lnw_conf_read("default", k, &net->dflt[k]);
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
		ret = lnw_conf_read(it->link.name, k, &it->dev[k]);
		if (ret == -ENOENT && k == 0) {
			it->ipv4 = false; /* no in_device: IPv4 never sees its input */
			return 0;
		}
		if (ret) {
			snprintf(err, len, "cannot read " CONF_DIR "/%s/%s: %s",
				 it->link.name, lnw_conf_name(k), strerror(-ret));
			return ret;
		}
		it->eff[k] = lnw_conf_effective(k, net->all[k], it->dev[k]);
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

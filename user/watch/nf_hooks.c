// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* BPF netfilter links, by the bpf() syscall: libbpf 1.1 predates them. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <bpf/libbpf.h>

#include "lib/caps.h"
#include "lib/nfnl.h"
#include "nf_hooks.h"

/* UAPI values (Linux 6.4); Debian 12's headers predate them. */
#define LNW_BPF_PROG_TYPE_NETFILTER 32
#define LNW_BPF_NETFILTER 45
#define LNW_NFPROTO_IPV4 2
#define LNW_NF_IP_PRI_NAT_DST (-100)

/* union bpf_attr's link_create, as Linux 6.4 lays it out for netfilter */
struct lnw_nf_link_attr {
	__u32 prog_fd;
	__u32 target_fd;
	__u32 attach_type;
	__u32 flags;
	__u32 pf;
	__u32 hooknum;
	__s32 priority;
	__u32 nf_flags;
};

void lnw_nf_hooks_prepare(struct bpf_program *prog)
{
	bpf_program__set_type(prog, LNW_BPF_PROG_TYPE_NETFILTER);
	bpf_program__set_expected_attach_type(prog, LNW_BPF_NETFILTER);
}

int lnw_nf_hooks_attach(struct lnw_nf_hooks *h, int prog_fd, char *err, size_t len)
{
	/* PREROUTING right after the nat chains (DNAT done, route not yet);
	 * FORWARD and INPUT after every chain: only what got through */
	static const struct { __u32 hook; __s32 prio; const char *name; } at[LNW_NF_HOOKS] = {
		{ 0, LNW_NF_IP_PRI_NAT_DST + 1, "PREROUTING" },
		{ 2, INT_MAX - 1, "FORWARD" },
		{ 1, INT_MAX - 1, "INPUT" },
	};
	union { struct lnw_nf_link_attr lc; char raw[128]; } a;
	int i, fd;

	h->n = 0;
	for (i = 0; i < LNW_NF_HOOKS; i++) {
		memset(&a, 0, sizeof(a));
		a.lc.prog_fd = (__u32)prog_fd;
		a.lc.attach_type = LNW_BPF_NETFILTER;
		a.lc.pf = LNW_NFPROTO_IPV4;
		a.lc.hooknum = at[i].hook;
		a.lc.priority = at[i].prio;
		fd = (int)syscall(__NR_bpf, BPF_LINK_CREATE, &a, sizeof(a));
		if (fd < 0) {
			fd = -errno;
			snprintf(err, len, "cannot attach to netfilter %s: %s", at[i].name,
				 strerror(-fd));
			lnw_nf_hooks_close(h);
			return fd;
		}
		h->fds[h->n++] = fd;
	}
	return 0;
}

#define LEGACY_EVERY 10 /* ticks: iptables-legacy changes bump no genid */

int lnw_nf_hooks_update(struct lnw_nf_hooks *h, int prog_fd, char *err, size_t len)
{
	unsigned int genid = 0;
	bool nat = false;
	int ret;

	if (lnw_nfnl_genid(&genid))
		genid = 0; /* no nf_tables: the legacy table alone tells */
	if (h->known && genid == h->genid && ++h->ticks % LEGACY_EVERY)
		return 0;
	ret = lnw_nfnl_prerouting_nat(&nat);
	if (ret && ret != -EPROTONOSUPPORT && ret != -EOPNOTSUPP && ret != -ENOENT) {
		snprintf(err, len, "cannot list nf_tables chains: %s%s", strerror(-ret),
			 lnw_cap_needed(ret, CAP_NET_ADMIN));
		return ret;
	}
	h->genid = genid;
	h->known = true;
	if (nat == (h->n > 0))
		return 0;
	if (!nat) {
		lnw_nf_hooks_close(h);
		return 1;
	}
	ret = lnw_nf_hooks_attach(h, prog_fd, err, len);
	return ret ? ret : 1;
}

void lnw_nf_hooks_close(struct lnw_nf_hooks *h)
{
	while (h->n > 0)
		close(h->fds[--h->n]);
}

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_NF_HOOKS_H
#define LNW_WATCH_NF_HOOKS_H

#include <stddef.h>

struct bpf_program;

/* The netfilter program (Linux 6.4+: BPF_PROG_TYPE_NETFILTER) on this
 * namespace's PREROUTING, after the nat chains, and FORWARD and INPUT,
 * after every other chain: what a DNAT makes of a packet to 127/8. Links:
 * they go with the process. Debian 12's libbpf (1.1) knows neither the
 * program type nor the link: set and made here. */
#define LNW_NF_HOOKS 3

struct lnw_nf_hooks {
	int fds[LNW_NF_HOOKS];
	int n;
	/* attached only while a nat chain on PREROUTING exists: without one no
	 * DNAT can happen, and every packet would pay for the hooks for nothing */
	unsigned int genid;     /* of the ruleset last looked at */
	unsigned int ticks;     /* iptables-legacy has no genid: looked at often */
	bool known;
};

/* Before load: the program's type, which libbpf 1.1 cannot tell from its
 * section. */
void lnw_nf_hooks_prepare(struct bpf_program *prog);
/* After load. Returns 0, or -errno with err set (nothing left attached). */
int lnw_nf_hooks_attach(struct lnw_nf_hooks *h, int prog_fd, char *err, size_t len);
void lnw_nf_hooks_close(struct lnw_nf_hooks *h);
/* Attach or detach as a nat PREROUTING chain comes or goes (the ruleset is
 * looked at again when its generation changes, and every second). 1 when
 * the hooks were switched, 0 when not, -errno with err set. */
int lnw_nf_hooks_update(struct lnw_nf_hooks *h, int prog_fd, char *err, size_t len);

#endif

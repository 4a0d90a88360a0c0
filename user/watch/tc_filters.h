/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_TC_FILTERS_H
#define LNW_TC_FILTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* What a clsact hook of a device holds (any chain), over rtnetlink: the
 * clsact path's view of the other tc users beside lnwatch. */
struct lnw_tc_filter {
	unsigned int pref;        /* tc's "pref" (priority) */
	unsigned short protocol;  /* host order; ETH_P_ALL for ours */
	unsigned int handle;
	unsigned int chain;
	char kind[16];            /* "bpf", "u32", "matchall", ... */
	__u32 prog_id;            /* bpf only: the program, 0 otherwise */
};

/* Every filter at ingress (or egress) of ifindex, in the order they run.
 * *out is malloc'd (free it); returns the count or -errno; -EINVAL or
 * -ENOENT when the device has no clsact qdisc. */
int lnw_tc_filters_list(int ifindex, bool ingress, struct lnw_tc_filter **out);

/* The pref lnwatch's filter should take so that it runs before every
 * filter already there, given them (f, n): one below the lowest; or, if
 * the lowest is pref 1 and is a cls_bpf of protocol all, that pref too (a
 * new cls_bpf filter is inserted at the head of its pref's list). 0 (let
 * the kernel choose) when nothing is there. When that is not possible (a
 * filter of another kind or protocol holds pref 1), 0 and *behind is its
 * kind; else *behind is NULL. */
unsigned int lnw_tc_pick_pref(const struct lnw_tc_filter *f, int n,
			      const char **behind);

/* Which of ids[0..n) some process other than this one holds an fd to (a
 * program fd or a link to it, from /proc/PID/fdinfo): held[i]. */
void lnw_progs_held(const __u32 *ids, bool *held, int n);

/* A clsact filter a killed lnwatch left at ingress of ifindex: a cls_bpf
 * filter whose program is named lnw_tc_ingress*, has the tag of own_fd
 * (the program this lnwatch attaches there) and is held by no process.
 * Each is removed and said on stderr; a lnw_tc_ingress* one nobody holds
 * but with another tag (another build of lnwatch) is left and said.
 * Never touches another tool's filter or a running lnwatch's. */
void lnw_tc_sweep_stale(int ifindex, const char *ifname, int own_fd);

#endif

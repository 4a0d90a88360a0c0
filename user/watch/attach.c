// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* tc ingress: a tcx link (fd-owned, gone when we die) or clsact (not). */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <net/if_arp.h>
#ifndef ARPHRD_IP6GRE
#define ARPHRD_IP6GRE 823 /* linux/if_arp.h; glibc 2.36 lacks it */
#endif

#include "lib/util.h"
#include "attach.h"
#include "tc_filters.h"

/* UAPI values (Linux 6.6); Debian 12's headers predate them. */
#define LNW_BPF_TCX_INGRESS 46
#define LNW_BPF_F_BEFORE (1U << 3) /* no relative fd/id: the head of the chain */

/* The clsact qdisc lnwatch made goes only when no filter is left in it,
 * at ingress or egress: never someone else's filter with it. */
static void destroy_qdisc_if_empty(int ifindex)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
			    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);
	struct lnw_tc_filter *f = NULL;
	int in, out;

	in = lnw_tc_filters_list(ifindex, true, &f);
	free(f);
	f = NULL;
	out = in ? in : lnw_tc_filters_list(ifindex, false, &f);
	free(f);
	/* both points: libbpf deletes the qdisc, not just filters */
	if (!in && !out)
		bpf_tc_hook_destroy(&hook);
}

const char *lnw_attach_kind_name(enum lnw_attach_kind kind)
{
	switch (kind) {
	case LNW_ATT_TCX: return "tcx";
	case LNW_ATT_CLSACT: return "clsact";
	default: return "none";
	}
}

/* Ahead of every filter already there: lnwatch only reads and returns
 * TC_ACT_UNSPEC, so the rest of the chain runs as before, but a filter
 * ahead of it that ends the chain (TC_ACT_OK) would hide every packet. */
static unsigned int pick_pref(const struct lnw_tc_att *att)
{
	struct lnw_tc_filter *f = NULL;
	const char *behind;
	unsigned int pref;
	int n = lnw_tc_filters_list(att->ifindex, true, &f);

	if (n <= 0)
		return 0;
	pref = lnw_tc_pick_pref(f, n, &behind);
	if (behind)
		fprintf(stderr, "lnwatch: %s: a tc filter of kind %s holds pref 1 at "
			"ingress: lnwatch cannot run before it, and misses packets it "
			"ends\n", att->ifname, behind);
	free(f);
	return pref;
}

static int attach_clsact(int prog_fd, struct lnw_tc_att *att, char *err,
			 size_t errlen)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = att->ifindex,
			    .attach_point = BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .prog_fd = prog_fd);
	int ret;

	ret = bpf_tc_hook_create(&hook);
	if (ret && ret != -EEXIST) {
		snprintf(err, errlen, "%s: not watched: cannot create clsact qdisc: %s",
			 att->ifname, strerror(-ret));
		return ret;
	}
	/* Someone else's qdisc is theirs: we will only remove our filter. */
	att->qdisc_created = ret == 0;
	if (!att->qdisc_created)
		lnw_tc_sweep_stale(att->ifindex, att->ifname, prog_fd);
	opts.priority = pick_pref(att);
	ret = bpf_tc_attach(&hook, &opts);
	if (ret == -EINVAL && opts.priority) {
		/* that pref was taken by another kind meanwhile: the kernel's */
		opts.priority = 0;
		ret = bpf_tc_attach(&hook, &opts);
	}
	if (ret) {
		snprintf(err, errlen, "%s: not watched: cannot attach tc filter: %s",
			 att->ifname, strerror(-ret));
		if (att->qdisc_created)
			destroy_qdisc_if_empty(att->ifindex);
		att->qdisc_created = false;
		return ret;
	}
	att->handle = opts.handle;
	att->priority = opts.priority;
	att->kind = LNW_ATT_CLSACT;
	return 0;
}

int lnw_tc_attach(int prog_fd, int ifindex, const char *ifname, bool try_tcx,
		  struct lnw_tc_att *att, char *err, size_t errlen)
{
	memset(att, 0, sizeof(*att));
	att->ifindex = ifindex;
	att->link_fd = -1;
	snprintf(att->ifname, sizeof(att->ifname), "%s", ifname);
	if (try_tcx) {
		/* first in the chain: a program before it could end it (TCX_PASS) */
		DECLARE_LIBBPF_OPTS(bpf_link_create_opts, lopts, .flags = LNW_BPF_F_BEFORE);
		int fd = bpf_link_create(prog_fd, ifindex, LNW_BPF_TCX_INGRESS, &lopts);

		if (fd >= 0) {
			att->link_fd = fd;
			att->kind = LNW_ATT_TCX;
			return 0;
		}
		if (fd != -EINVAL && fd != -EOPNOTSUPP) {
			snprintf(err, errlen, "%s: not watched: tcx attach failed: %s", ifname,
				 strerror(-fd));
			return fd;
		}
		/* kernel without tcx for this device: fall through */
	}
	return attach_clsact(prog_fd, att, err, errlen);
}

void lnw_tc_detach(struct lnw_tc_att *att)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = att->ifindex,
			    .attach_point = BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts);

	switch (att->kind) {
	case LNW_ATT_TCX:
		close(att->link_fd);
		att->link_fd = -1;
		break;
	case LNW_ATT_CLSACT:
		opts.handle = att->handle;
		opts.priority = att->priority;
		bpf_tc_detach(&hook, &opts); /* ENOENT: the device is gone */
		if (att->qdisc_created)
			destroy_qdisc_if_empty(att->ifindex);
		break;
	default:
		break;
	}
	att->kind = LNW_ATT_NONE;
}

static int find(const struct lnw_tc_set *set, int ifindex)
{
	int i;

	for (i = 0; i < set->n; i++)
		if (set->atts[i].ifindex == ifindex)
			return i;
	return -1;
}

bool lnw_tc_set_has(const struct lnw_tc_set *set, int ifindex)
{
	return find(set, ifindex) >= 0;
}

enum lnw_link_layer lnw_link_layer_of(unsigned short arphrd)
{
	switch (arphrd) {
	case ARPHRD_ETHER:
		return LNW_LL_ETHER;
	case ARPHRD_NONE:    /* tun, WireGuard */
	case ARPHRD_RAWIP:
	case ARPHRD_TUNNEL:  /* ipip */
	case ARPHRD_TUNNEL6: /* ip6tnl */
	case ARPHRD_IPGRE:   /* gre */
	case ARPHRD_IP6GRE:
	case ARPHRD_SIT:
	case ARPHRD_PPP:
		return LNW_LL_IP;
	default:
		return LNW_LL_OTHER;
	}
}

const char *lnw_link_layer_name(enum lnw_link_layer ll)
{
	return ll == LNW_LL_ETHER ? "ethernet" : ll == LNW_LL_IP ? "ip" : "other";
}

int lnw_tc_set_add(struct lnw_tc_set *set, const struct lnw_iface *it,
		   char *err, size_t errlen)
{
	enum lnw_link_layer ll = lnw_link_layer_of(it->type);
	int ret;

	if (lnw_tc_set_has(set, it->ifindex))
		return 0;
	if (ll == LNW_LL_OTHER) {
		snprintf(err, errlen, "%s: not watched: link type %u has no parser in "
			 "lnwatch (Ethernet and IP-only devices have)", it->name, it->type);
		return -EPROTONOSUPPORT;
	}
	if (lnw_grow(&set->atts, &set->cap, (size_t)set->n + 1, sizeof(*set->atts))) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	ret = lnw_tc_attach(set->prog_fd[ll], it->ifindex, it->name, set->try_tcx,
			    &set->atts[set->n], err, errlen);
	if (ret)
		return ret;
	if (!set->n)
		set->kind = set->atts[0].kind;
	set->n++;
	set->gen++;
	return 0;
}

void lnw_tc_set_remove(struct lnw_tc_set *set, int ifindex)
{
	int i = find(set, ifindex);

	if (i < 0)
		return;
	lnw_tc_detach(&set->atts[i]);
	set->atts[i] = set->atts[--set->n];
	set->gen++;
}

void lnw_tc_set_clear(struct lnw_tc_set *set)
{
	while (set->n > 0)
		lnw_tc_detach(&set->atts[--set->n]);
	set->gen++;
	free(set->atts);
	set->atts = NULL;
	set->cap = 0;
}

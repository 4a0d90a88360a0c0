// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* tc ingress: a tcx link (fd-owned, gone when we die) or clsact (not). */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <net/if_arp.h>
#ifndef ARPHRD_IP6GRE
#define ARPHRD_IP6GRE 823 /* linux/if_arp.h; glibc 2.36 lacks it */
#endif

#include "lib/util.h"
#include "attach.h"
#include "tc_clsact.h"

/* UAPI values (Linux 6.6); Debian 12's headers predate them. */
#define LNW_BPF_TCX_INGRESS 46
#define LNW_BPF_F_BEFORE (1U << 3) /* no relative fd/id: the head of the chain */

const char *lnw_attach_kind_name(enum lnw_attach_kind kind)
{
	switch (kind) {
	case LNW_ATT_TCX: return "tcx";
	case LNW_ATT_CLSACT: return "clsact";
	default: return "none";
	}
}

static int count_tcx(const struct lnw_tc_set *set)
{
	int i, tcx = 0;

	for (i = 0; i < set->n; i++)
		tcx += set->atts[i].kind == LNW_ATT_TCX;
	return tcx;
}

const char *lnw_tc_set_kind_name(const struct lnw_tc_set *set)
{
	if (set->used[LNW_ATT_TCX] && set->used[LNW_ATT_CLSACT])
		return "tcx+clsact";
	return lnw_attach_kind_name(set->used[LNW_ATT_TCX] ? LNW_ATT_TCX :
				    set->used[LNW_ATT_CLSACT] ? LNW_ATT_CLSACT :
				    LNW_ATT_NONE);
}

/* Another program is on the device's tcx ingress: a clsact filter would
 * run after it, and see nothing if it ends the chain (TCX_PASS). */
static bool foreign_tcx(int ifindex)
{
	LIBBPF_OPTS(bpf_prog_query_opts, q);

	return !bpf_prog_query_opts(ifindex, LNW_BPF_TCX_INGRESS, &q) && q.prog_cnt;
}

/* Whether to try tcx for `more` devices about to be added: past tcx_max
 * the set goes clsact for good (said once), save where another tcx
 * program is, so that lnwatch stays first in line there. */
static bool scaled_now(struct lnw_tc_set *set, int more)
{
	if (!set->try_tcx || !set->tcx_max)
		return false;
	if (!set->scaled && count_tcx(set) + more > set->tcx_max) {
		set->scaled = true;
		fprintf(stderr, "lnwatch: over %d interfaces: tc ingress through "
			"clsact filters from here on (a tcx link costs an RCU grace "
			"period under RTNL, each way); --attach tcx insists\n",
			set->tcx_max);
	}
	return set->scaled;
}

static void att_init(struct lnw_tc_att *att, int ifindex, const char *ifname)
{
	memset(att, 0, sizeof(*att));
	att->ifindex = ifindex;
	att->link_fd = -1;
	snprintf(att->ifname, sizeof(att->ifname), "%s", ifname);
}

/* lnwatch's own fds after attaching (ring, epoll, links, netlink, files
 * read): a tcx link each device must leave these free. */
#define FD_RESERVE 64

/* The open-file limit leaves too few fds for one more tcx link. */
static bool fds_short(int fd)
{
	struct rlimit rl;

	return !getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur != RLIM_INFINITY &&
	       (rlim_t)fd + FD_RESERVE >= rl.rlim_cur;
}

/* 0, -errno (err said), or 1: no tcx for this device, try clsact. The
 * kernel waits out an RCU grace period under the RTNL lock in every tcx
 * attach and detach (kernel/bpf/tcx.c: tcx_entry_sync): ~12 ms here, one
 * device after another, whatever the caller batches. A tcx link holds an
 * fd while it lives: when they run short, clsact (no fd), said once. */
static int attach_tcx(struct lnw_tc_set *set, int prog_fd, struct lnw_tc_att *att,
		      char *err, size_t errlen)
{
	/* first in the chain: a program before it could end it (TCX_PASS) */
	DECLARE_LIBBPF_OPTS(bpf_link_create_opts, lopts, .flags = LNW_BPF_F_BEFORE);
	int fd = bpf_link_create(prog_fd, att->ifindex, LNW_BPF_TCX_INGRESS, &lopts);
	struct rlimit rl = {};

	if (fd >= 0 && fds_short(fd)) {
		close(fd);
		fd = -EMFILE;
	}
	if (fd >= 0) {
		att->link_fd = fd;
		att->kind = LNW_ATT_TCX;
		return 0;
	}
	if (fd == -EINVAL || fd == -EOPNOTSUPP)
		return 1; /* kernel without tcx for this device */
	if (fd == -EMFILE || fd == -ENFILE) {
		if (!set->said_fds_short) {
			getrlimit(RLIMIT_NOFILE, &rl);
			fprintf(stderr, "lnwatch: the open-file limit (ulimit -n %llu) leaves "
				"no fd for a tcx link on every interface: %s and the ones "
				"after it are watched through clsact\n",
				(unsigned long long)rl.rlim_cur, att->ifname);
			set->said_fds_short = true;
		}
		return 1;
	}
	snprintf(err, errlen, "%s: not watched: tcx attach failed: %s", att->ifname,
		 strerror(-fd));
	return fd;
}

/* Attach prog_fd at ingress of the device: tcx when the set tries it,
 * else (or when tcx is refused) clsact. 0 or -errno with err said. */
static int attach_one(struct lnw_tc_set *set, int prog_fd, int ifindex,
		      const char *ifname, struct lnw_tc_att *att, char *err, size_t errlen)
{
	int ret = 1;

	att_init(att, ifindex, ifname);
	if (set->try_tcx && (!scaled_now(set, 1) || foreign_tcx(ifindex)))
		ret = attach_tcx(set, prog_fd, att, err, errlen);
	return ret <= 0 ? ret : lnw_clsact_attach(prog_fd, att, err, errlen);
}

void lnw_tc_detach(struct lnw_tc_att *att)
{
	switch (att->kind) {
	case LNW_ATT_TCX:
		close(att->link_fd);
		att->link_fd = -1;
		break;
	case LNW_ATT_CLSACT:
		lnw_clsact_detach(att);
		break;
	default:
		break;
	}
	att->kind = LNW_ATT_NONE;
}

/* The set is kept in ifindex order: a lookup is a binary search, so
 * thousands of devices cost n log n, not n^2. Where ifindex is, or would
 * go (-1 - that) if it is not there. */
static int find_at(const struct lnw_tc_set *set, int ifindex)
{
	int lo = 0, hi = set->n - 1, mid;

	while (lo <= hi) {
		mid = lo + (hi - lo) / 2;
		if (set->atts[mid].ifindex == ifindex)
			return mid;
		if (set->atts[mid].ifindex < ifindex)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1 - lo;
}

static int find(const struct lnw_tc_set *set, int ifindex)
{
	int at = find_at(set, ifindex);

	return at >= 0 ? at : -1;
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

/* A new attachment into its place (room already made). */
static void insert(struct lnw_tc_set *set, const struct lnw_tc_att *att)
{
	int at = -1 - find_at(set, att->ifindex);

	memmove(&set->atts[at + 1], &set->atts[at],
		(size_t)(set->n - at) * sizeof(*set->atts));
	set->atts[at] = *att;
	set->used[att->kind] = true;
	set->n++;
	set->gen++;
}

int lnw_tc_set_add(struct lnw_tc_set *set, const struct lnw_iface *it,
		   char *err, size_t errlen)
{
	enum lnw_link_layer ll = lnw_link_layer_of(it->type);
	struct lnw_tc_att att;
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
	ret = attach_one(set, set->prog_fd[ll], it->ifindex, it->name, &att, err, errlen);
	if (ret)
		return ret;
	insert(set, &att);
	return 0;
}

static int by_ifindex(const void *a, const void *b)
{
	const struct lnw_tc_att *x = a, *y = b;

	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

/* What add_many tried for one device, and how it went. */
struct try {
	struct lnw_tc_att att;
	int prog_fd;
	int ret;                      /* 1: for clsact, not tried yet */
	const struct lnw_iface *it;
	char err[LNW_ATT_ERR_LEN];
};

/* The clsact ones together: a netlink batch, not round trips each. */
static void attach_clsact_tries(struct try *t, int k)
{
	struct lnw_tc_att *atts = calloc((size_t)k + 1, sizeof(*atts));
	char (*errs)[LNW_ATT_ERR_LEN] = calloc((size_t)k + 1, sizeof(*errs));
	int *fds = calloc((size_t)k + 1, sizeof(*fds)), *rets = calloc((size_t)k + 1, sizeof(int));
	int *of = calloc((size_t)k + 1, sizeof(*of));
	int i, c = 0;

	for (i = 0; i < k; i++)
		if (t[i].ret == 1) {
			if (atts && errs && fds && rets && of) {
				atts[c] = t[i].att;
				fds[c] = t[i].prog_fd;
				of[c++] = i;
			} else { /* no memory for a batch: one at a time */
				t[i].ret = lnw_clsact_attach(t[i].prog_fd, &t[i].att,
							     t[i].err, sizeof(t[i].err));
			}
		}
	if (c && !lnw_clsact_attach_many(atts, fds, c, rets, errs))
		for (i = 0; i < c; i++) {
			t[of[i]].att = atts[i];
			t[of[i]].ret = rets[i];
			memcpy(t[of[i]].err, errs[i], sizeof(t[of[i]].err));
		}
	else
		for (i = 0; i < c; i++)
			t[of[i]].ret = lnw_clsact_attach(fds[i], &t[of[i]].att, t[of[i]].err,
							 sizeof(t[of[i]].err));
	free(atts);
	free(errs);
	free(fds);
	free(rets);
	free(of);
}

int lnw_tc_set_add_many(struct lnw_tc_set *set, const struct lnw_iface *its, int n,
			lnw_tc_added_fn added, void *ctx)
{
	struct try *t = calloc((size_t)n + 1, sizeof(*t));
	enum lnw_link_layer ll;
	int i, k = 0, ok = 0;
	bool scaled;

	if (!t)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		k += !lnw_tc_set_has(set, its[i].ifindex);
	scaled = scaled_now(set, k);
	k = 0;
	/* tcx one device after another (the kernel's pace), the others and
	 * devices without tcx gathered for clsact */
	for (i = 0; i < n; i++) {
		if (lnw_tc_set_has(set, its[i].ifindex))
			continue;
		ll = lnw_link_layer_of(its[i].type);
		t[k].it = &its[i];
		att_init(&t[k].att, its[i].ifindex, its[i].name);
		t[k].prog_fd = set->prog_fd[ll == LNW_LL_IP];
		if (ll == LNW_LL_OTHER) {
			snprintf(t[k].err, sizeof(t[k].err), "%s: not watched: link type %u "
				 "has no parser in lnwatch (Ethernet and IP-only devices have)",
				 its[i].name, its[i].type);
			t[k].ret = -EPROTONOSUPPORT;
		} else {
			bool tcx = set->try_tcx && (!scaled || foreign_tcx(its[i].ifindex));

			t[k].ret = tcx ? attach_tcx(set, t[k].prog_fd, &t[k].att, t[k].err,
						    sizeof(t[k].err)) : 1;
		}
		k++;
	}
	attach_clsact_tries(t, k);
	for (i = 0; i < k; i++)
		ok += !t[i].ret;
	if (lnw_grow(&set->atts, &set->cap, (size_t)set->n + (size_t)ok + 1, sizeof(*set->atts))) {
		for (i = 0; i < k; i++)
			if (!t[i].ret) {
				lnw_tc_detach(&t[i].att);
				t[i].ret = -ENOMEM;
				snprintf(t[i].err, sizeof(t[i].err), "%s: not watched: out of "
					 "memory", t[i].it->name);
			}
		ok = 0;
	}
	for (i = 0; i < k; i++)
		if (!t[i].ret) {
			set->used[t[i].att.kind] = true;
			set->atts[set->n++] = t[i].att;
		}
	if (ok) {
		qsort(set->atts, (size_t)set->n, sizeof(*set->atts), by_ifindex);
		set->gen++;
	}
	for (i = 0; i < k; i++)
		added(ctx, t[i].it, t[i].ret, t[i].err);
	free(t);
	return 0;
}

void lnw_tc_set_remove(struct lnw_tc_set *set, int ifindex)
{
	int i = find(set, ifindex);

	if (i < 0)
		return;
	lnw_tc_detach(&set->atts[i]);
	memmove(&set->atts[i], &set->atts[i + 1],
		(size_t)(set->n - i - 1) * sizeof(*set->atts));
	set->n--;
	set->gen++;
}

void lnw_tc_set_clear(struct lnw_tc_set *set)
{
	/* clsact filters and qdiscs in netlink batches, then the tcx links */
	lnw_clsact_detach_many(set->atts, set->n);
	while (set->n > 0)
		lnw_tc_detach(&set->atts[--set->n]);
	set->gen++;
	free(set->atts);
	set->atts = NULL;
	set->cap = 0;
}

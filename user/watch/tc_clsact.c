// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The clsact path: a qdisc per device and lnwatch's cls_bpf filter at its
 * ingress, one device at a time or many in one netlink batch (start-up
 * and stop with thousands of devices: one round trip per 128, not 5). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "lib/netlink.h"
#include "attach.h"
#include "tc_filters.h"
#include "tc_clsact.h"

#define INGRESS_PARENT TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)

/* The clsact qdisc lnwatch made goes only when no filter is left in it,
 * at ingress or egress: never someone else's filter with it. */
static bool qdisc_empty(int ifindex)
{
	struct lnw_tc_filter *f = NULL;
	int in, out;

	in = lnw_tc_filters_list(ifindex, true, &f);
	free(f);
	f = NULL;
	out = in ? in : lnw_tc_filters_list(ifindex, false, &f);
	free(f);
	return !in && !out;
}

static void destroy_qdisc_if_empty(int ifindex)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
			    .attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS);

	/* both points: libbpf deletes the qdisc, not just filters */
	if (qdisc_empty(ifindex))
		bpf_tc_hook_destroy(&hook);
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

/* Someone else's qdisc (or one a killed lnwatch left): their filters
 * stay, a killed lnwatch's go, and ours goes ahead of the rest. */
static unsigned int prepare_existing(struct lnw_tc_att *att, int prog_fd)
{
	lnw_tc_sweep_stale(att->ifindex, att->ifname, prog_fd);
	return pick_pref(att);
}

int lnw_clsact_attach(int prog_fd, struct lnw_tc_att *att, char *err, size_t errlen)
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
		opts.priority = prepare_existing(att, prog_fd);
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

void lnw_clsact_detach(struct lnw_tc_att *att)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = att->ifindex,
			    .attach_point = BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = att->handle,
			    .priority = att->priority);

	bpf_tc_detach(&hook, &opts); /* ENOENT: the device is gone */
	if (att->qdisc_created)
		destroy_qdisc_if_empty(att->ifindex);
	att->kind = LNW_ATT_NONE;
}

/* ---- many at once ---------------------------------------------------- */

struct many {
	struct lnw_tc_att *atts;
	const int *prog_fds;
	int *rets;
	char (*errs)[LNW_ATT_ERR_LEN];
	int *at;        /* the batch's i -> index in atts */
	unsigned int *pref;
	char (*names)[48]; /* TCA_BPF_NAME, as libbpf writes it: name:[id] */
};

static void put_qdisc(struct nlmsghdr *nlh, int type, int flags, int ifindex)
{
	struct tcmsg *tcm;

	nlh->nlmsg_type = (unsigned short)type;
	nlh->nlmsg_flags = (unsigned short)flags;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = TC_H_CLSACT;
	tcm->tcm_handle = TC_H_MAKE(TC_H_CLSACT, 0);
	mnl_attr_put_strz(nlh, TCA_KIND, "clsact");
}

static void build_qdisc_add(int i, struct nlmsghdr *nlh, void *ctx)
{
	struct many *m = ctx;

	put_qdisc(nlh, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, m->atts[m->at[i]].ifindex);
}

static void ack_qdisc_add(int i, int err, void *ctx)
{
	struct many *m = ctx;
	struct lnw_tc_att *att = &m->atts[m->at[i]];

	att->qdisc_created = !err;
	if (err && err != -EEXIST) {
		m->rets[m->at[i]] = err;
		snprintf(m->errs[m->at[i]], LNW_ATT_ERR_LEN, "%s: not watched: cannot "
			 "create clsact qdisc: %s", att->ifname, strerror(-err));
	}
}

static void build_filter_add(int i, struct nlmsghdr *nlh, void *ctx)
{
	struct many *m = ctx;
	int a = m->at[i];
	struct nlattr *opts;
	struct tcmsg *tcm;

	nlh->nlmsg_type = RTM_NEWTFILTER;
	/* the echo says which pref and handle the kernel gave it */
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL | NLM_F_ECHO;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = m->atts[a].ifindex;
	tcm->tcm_parent = INGRESS_PARENT;
	tcm->tcm_info = TC_H_MAKE(m->pref[a] << 16, htons(ETH_P_ALL));
	mnl_attr_put_strz(nlh, TCA_KIND, "bpf");
	opts = mnl_attr_nest_start(nlh, TCA_OPTIONS);
	mnl_attr_put_u32(nlh, TCA_BPF_FD, (__u32)m->prog_fds[a]);
	mnl_attr_put_strz(nlh, TCA_BPF_NAME, m->names[a]);
	mnl_attr_put_u32(nlh, TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
	mnl_attr_nest_end(nlh, opts);
}

static void reply_filter_add(int i, const struct nlmsghdr *nlh, void *ctx)
{
	struct many *m = ctx;
	const struct tcmsg *tcm = mnl_nlmsg_get_payload(nlh);
	struct lnw_tc_att *att = &m->atts[m->at[i]];

	if (nlh->nlmsg_type != RTM_NEWTFILTER)
		return;
	att->handle = tcm->tcm_handle;
	att->priority = TC_H_MAJ(tcm->tcm_info) >> 16;
}

static void ack_filter_add(int i, int err, void *ctx)
{
	struct many *m = ctx;

	m->rets[m->at[i]] = err;
}

/* Every name:[id] once per program, not once per device. */
static void name_progs(struct many *m, int n)
{
	struct bpf_prog_info info;
	__u32 len;
	int i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i && m->prog_fds[j] != m->prog_fds[i]; j++)
			;
		if (j < i) {
			memcpy(m->names[i], m->names[j], sizeof(m->names[i]));
			continue;
		}
		memset(&info, 0, sizeof(info));
		len = sizeof(info);
		if (bpf_obj_get_info_by_fd(m->prog_fds[i], &info, &len))
			snprintf(m->names[i], sizeof(m->names[i]), "lnw_tc_ingress");
		else
			snprintf(m->names[i], sizeof(m->names[i]), "%s:[%u]", info.name, info.id);
	}
}

int lnw_clsact_attach_many(struct lnw_tc_att *atts, const int *prog_fds, int n,
			   int *rets, char (*errs)[LNW_ATT_ERR_LEN])
{
	struct many m = { .atts = atts, .prog_fds = prog_fds, .rets = rets, .errs = errs };
	struct lnw_nl_batch b = { .ctx = &m };
	int i, k, ret = -ENOMEM;

	m.at = calloc((size_t)n + 1, sizeof(*m.at));
	m.pref = calloc((size_t)n + 1, sizeof(*m.pref));
	m.names = calloc((size_t)n + 1, sizeof(*m.names));
	if (!m.at || !m.pref || !m.names)
		goto out;
	for (i = 0; i < n; i++) {
		rets[i] = 0;
		m.at[i] = i;
	}
	name_progs(&m, n);
	b.build = build_qdisc_add;
	b.ack = ack_qdisc_add;
	lnw_nl_batch_run(NETLINK_ROUTE, n, &b);
	/* the devices with a qdisc: a new one is empty, an old one is looked at */
	for (i = k = 0; i < n; i++) {
		if (rets[i])
			continue;
		if (!atts[i].qdisc_created)
			m.pref[i] = prepare_existing(&atts[i], prog_fds[i]);
		m.at[k++] = i;
	}
	b.build = build_filter_add;
	b.reply = reply_filter_add;
	b.ack = ack_filter_add;
	lnw_nl_batch_run(NETLINK_ROUTE, k, &b);
	for (i = 0; i < k; i++) {
		struct lnw_tc_att *att = &atts[m.at[i]];
		int *r = &rets[m.at[i]];

		if (!*r) {
			att->kind = LNW_ATT_CLSACT;
			continue;
		}
		/* that pref was taken meanwhile, or any other refusal: the
		 * qdisc we made goes (if empty), then the device alone */
		if (att->qdisc_created)
			destroy_qdisc_if_empty(att->ifindex);
		att->qdisc_created = false;
		*r = lnw_clsact_attach(prog_fds[m.at[i]], att, errs[m.at[i]], LNW_ATT_ERR_LEN);
	}
	ret = 0;
out:
	free(m.at);
	free(m.pref);
	free(m.names);
	return ret;
}

static void build_filter_del(int i, struct nlmsghdr *nlh, void *ctx)
{
	struct many *m = ctx;
	const struct lnw_tc_att *att = &m->atts[m->at[i]];
	struct tcmsg *tcm;

	nlh->nlmsg_type = RTM_DELTFILTER;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = att->ifindex;
	tcm->tcm_parent = INGRESS_PARENT;
	tcm->tcm_handle = att->handle;
	tcm->tcm_info = TC_H_MAKE(att->priority << 16, htons(ETH_P_ALL));
	mnl_attr_put_strz(nlh, TCA_KIND, "bpf");
}

static void build_qdisc_del(int i, struct nlmsghdr *nlh, void *ctx)
{
	struct many *m = ctx;

	put_qdisc(nlh, RTM_DELQDISC, 0, m->atts[m->at[i]].ifindex);
}

static void ack_ignore(int i, int err, void *ctx)
{
	(void)i, (void)err, (void)ctx; /* ENOENT/ENODEV: the device is gone */
}

/* 2 dumps a device (ingress, egress) in a batch: most are empty, each
 * done at once; one that is not is looked at alone (its own socket). */
struct emptiness {
	const struct lnw_tc_att *atts;
	const int *at;
	signed char *state; /* 1 empty, 0 not, -1 ask alone */
};

static void build_dump(int i, struct nlmsghdr *nlh, void *ctx)
{
	struct emptiness *e = ctx;
	struct tcmsg *tcm;

	nlh->nlmsg_type = RTM_GETTFILTER;
	nlh->nlmsg_flags = NLM_F_DUMP;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = e->atts[e->at[i / 2]].ifindex;
	tcm->tcm_parent = TC_H_MAKE(TC_H_CLSACT, i % 2 ? TC_H_MIN_EGRESS : TC_H_MIN_INGRESS);
}

static void reply_dump(int i, const struct nlmsghdr *nlh, void *ctx)
{
	struct emptiness *e = ctx;
	const struct tcmsg *tcm = mnl_nlmsg_get_payload(nlh);

	/* a message without a handle is a pref's head, not a filter */
	if (nlh->nlmsg_type == RTM_NEWTFILTER && tcm->tcm_handle && e->state[i / 2] > 0)
		e->state[i / 2] = 0;
}

static void ack_dump(int i, int err, void *ctx)
{
	struct emptiness *e = ctx;

	if (err == -EBUSY && e->state[i / 2] > 0)
		e->state[i / 2] = -1;
	else if (err)
		e->state[i / 2] = 0; /* cannot tell: the qdisc stays */
}

/* Which of atts[at[0..k)] hold no filter at all: empty[j]. */
static void empty_many(const struct lnw_tc_att *atts, const int *at, int k, bool *empty)
{
	signed char *state = malloc((size_t)k + 1);
	struct emptiness e = { .atts = atts, .at = at, .state = state };
	/* each dump's answer takes a whole skb (~32 KiB) of the socket's
	 * buffer until read: a few at a time */
	struct lnw_nl_batch b = { .build = build_dump, .reply = reply_dump,
				  .ack = ack_dump, .ctx = &e, .window = 16 };
	int j;

	if (state) {
		memset(state, 1, (size_t)k);
		lnw_nl_batch_run(NETLINK_ROUTE, 2 * k, &b);
	}
	for (j = 0; j < k; j++)
		empty[j] = state && state[j] >= 0 ? state[j] == 1 : qdisc_empty(atts[at[j]].ifindex);
	free(state);
}

void lnw_clsact_detach_many(struct lnw_tc_att *atts, int n)
{
	struct many m = { .atts = atts };
	struct lnw_nl_batch b = { .ack = ack_ignore, .ctx = &m };
	bool *empty;
	int i, j, k;

	m.at = calloc((size_t)n + 1, sizeof(*m.at));
	if (!m.at) { /* one at a time, then */
		for (i = 0; i < n; i++)
			if (atts[i].kind == LNW_ATT_CLSACT)
				lnw_clsact_detach(&atts[i]);
		return;
	}
	for (i = k = 0; i < n; i++)
		if (atts[i].kind == LNW_ATT_CLSACT)
			m.at[k++] = i;
	b.build = build_filter_del;
	lnw_nl_batch_run(NETLINK_ROUTE, k, &b);
	for (i = k = 0; i < n; i++) {
		if (atts[i].kind != LNW_ATT_CLSACT)
			continue;
		atts[i].kind = LNW_ATT_NONE;
		if (atts[i].qdisc_created)
			m.at[k++] = i;
	}
	empty = calloc((size_t)k + 1, sizeof(*empty));
	if (empty)
		empty_many(atts, m.at, k, empty);
	for (i = j = 0; i < k; i++) /* only ours, and only empty */
		if (empty ? empty[i] : qdisc_empty(atts[m.at[i]].ifindex))
			m.at[j++] = m.at[i];
	b.build = build_qdisc_del;
	lnw_nl_batch_run(NETLINK_ROUTE, j, &b);
	free(empty);
	free(m.at);
}

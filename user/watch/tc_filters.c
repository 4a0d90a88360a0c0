// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The clsact path beside other tc users: what filters a hook holds, where
 * lnwatch's goes to run first, and what a killed lnwatch left. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "lib/netlink.h"
#include "lib/util.h"
#include "tc_filters.h"

#define OUR_PROG_PREFIX "lnw_tc_ingress" /* the kernel keeps 15 chars */

struct filter_dump {
	struct lnw_tc_filter *v;
	size_t cap;
	int n;
	int err;
};

static int filter_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[TCA_MAX + 1] = {}, *opt[TCA_BPF_MAX + 1] = {};
	const struct tcmsg *tcm = mnl_nlmsg_get_payload(nlh);
	struct filter_dump *d = data;
	struct lnw_tc_filter *f;

	/* a message without a handle is a pref's head, not a filter */
	if (nlh->nlmsg_type != RTM_NEWTFILTER || !tcm->tcm_handle)
		return MNL_CB_OK;
	if (lnw_grow(&d->v, &d->cap, (size_t)d->n + 1, sizeof(*d->v))) {
		d->err = -ENOMEM;
		return MNL_CB_STOP;
	}
	f = &d->v[d->n++];
	lnw_nl_parse(nlh, sizeof(*tcm), tb, TCA_MAX);
	f->pref = TC_H_MAJ(tcm->tcm_info) >> 16;
	f->protocol = ntohs((unsigned short)TC_H_MIN(tcm->tcm_info));
	f->handle = tcm->tcm_handle;
	f->chain = tb[TCA_CHAIN] ? mnl_attr_get_u32(tb[TCA_CHAIN]) : 0;
	if (tb[TCA_KIND])
		snprintf(f->kind, sizeof(f->kind), "%s", mnl_attr_get_str(tb[TCA_KIND]));
	if (tb[TCA_OPTIONS] && !strcmp(f->kind, "bpf")) {
		lnw_nl_parse_nested(tb[TCA_OPTIONS], opt, TCA_BPF_MAX);
		if (opt[TCA_BPF_ID])
			f->prog_id = mnl_attr_get_u32(opt[TCA_BPF_ID]);
	}
	return MNL_CB_OK;
}

int lnw_tc_filters_list(int ifindex, bool ingress, struct lnw_tc_filter **out)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct filter_dump d = {};
	struct tcmsg *tcm;
	int err;

	nlh->nlmsg_type = RTM_GETTFILTER;
	nlh->nlmsg_flags = NLM_F_DUMP;
	tcm = mnl_nlmsg_put_extra_header(nlh, sizeof(*tcm));
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = ifindex;
	tcm->tcm_parent = TC_H_MAKE(TC_H_CLSACT, ingress ? TC_H_MIN_INGRESS :
				    TC_H_MIN_EGRESS);
	err = lnw_nl_request(NETLINK_ROUTE, nlh, filter_cb, &d);
	if (!err)
		err = d.err;
	if (err) {
		free(d.v);
		return err;
	}
	*out = d.v;
	return d.n;
}

unsigned int lnw_tc_pick_pref(const struct lnw_tc_filter *f, int n,
			      const char **behind)
{
	unsigned int lowest = 0;
	const char *other = NULL;
	int i;

	*behind = NULL;
	for (i = 0; i < n; i++) {
		if (f[i].chain) /* reached only through a goto_chain: not ahead of us */
			continue;
		if (!lowest || f[i].pref < lowest)
			lowest = f[i].pref;
	}
	if (!lowest)
		return 0;
	if (lowest > 1)
		return lowest - 1;
	for (i = 0; i < n && !other; i++)
		if (!f[i].chain && f[i].pref == 1 &&
		    (strcmp(f[i].kind, "bpf") || f[i].protocol != ETH_P_ALL))
			other = f[i].kind;
	if (!other)
		return 1;
	*behind = other;
	return 0;
}

/* "prog_id:\t<id>" in one fdinfo file: that id, or 0. */
static __u32 fdinfo_prog_id(int dirfd, const char *name)
{
	char line[128];
	unsigned int id = 0;
	FILE *f;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return 0;
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "prog_id: %u", &id) == 1)
			break;
	fclose(f);
	return id;
}

void lnw_progs_held(const __u32 *ids, bool *held, int n)
{
	char path[sizeof("/proc//fdinfo") + sizeof(((struct dirent *)0)->d_name)];
	struct dirent *p, *e;
	DIR *proc, *fds;
	pid_t self = getpid();
	__u32 id;
	int i;

	memset(held, 0, (size_t)n * sizeof(*held));
	proc = opendir("/proc");
	if (!proc) {
		for (i = 0; i < n; i++) /* cannot tell: assume someone holds it */
			held[i] = true;
		return;
	}
	while ((p = readdir(proc))) {
		if (!isdigit((unsigned char)p->d_name[0]) || atoi(p->d_name) == self)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fdinfo", p->d_name);
		fds = opendir(path);
		if (!fds)
			continue;
		while ((e = readdir(fds))) {
			if (e->d_name[0] == '.' || !(id = fdinfo_prog_id(dirfd(fds), e->d_name)))
				continue;
			for (i = 0; i < n; i++)
				held[i] |= ids[i] == id;
		}
		closedir(fds);
	}
	closedir(proc);
}

static int prog_info(__u32 id, struct bpf_prog_info *info)
{
	__u32 len = sizeof(*info);
	int fd = bpf_prog_get_fd_by_id(id), ret;

	if (fd < 0)
		return fd;
	memset(info, 0, sizeof(*info));
	ret = bpf_obj_get_info_by_fd(fd, info, &len);
	close(fd);
	return ret;
}

static int remove_filter(int ifindex, const struct lnw_tc_filter *f)
{
	DECLARE_LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
			    .attach_point = BPF_TC_INGRESS);
	DECLARE_LIBBPF_OPTS(bpf_tc_opts, opts, .handle = f->handle,
			    .priority = f->pref);

	return bpf_tc_detach(&hook, &opts);
}

void lnw_tc_sweep_stale(int ifindex, const char *ifname, int own_fd)
{
	struct bpf_prog_info own = {}, info;
	struct lnw_tc_filter *f = NULL;
	__u32 len = sizeof(own), ids[64];
	bool held[64];
	int n, i, k = 0, at[64];

	if (bpf_obj_get_info_by_fd(own_fd, &own, &len))
		return;
	n = lnw_tc_filters_list(ifindex, true, &f);
	/* candidates: cls_bpf, chain 0, protocol all, a lnw_tc_ingress* program */
	for (i = 0; i < n && k < (int)LNW_ARRAY_SIZE(ids); i++) {
		if (!f[i].prog_id || f[i].chain || f[i].protocol != ETH_P_ALL ||
		    prog_info(f[i].prog_id, &info) ||
		    strncmp(info.name, OUR_PROG_PREFIX, strlen(OUR_PROG_PREFIX)))
			continue;
		ids[k] = f[i].prog_id;
		at[k++] = i;
	}
	if (k)
		lnw_progs_held(ids, held, k);
	for (i = 0; i < k; i++) {
		const struct lnw_tc_filter *s = &f[at[i]];
		bool same = !prog_info(s->prog_id, &info) &&
			    !memcmp(info.tag, own.tag, sizeof(own.tag));
		int ret;

		if (held[i]) /* a running lnwatch's (or being inspected) */
			continue;
		if (!same) {
			fprintf(stderr, "lnwatch: %s: a tc filter of program %s (id %u) at "
				"pref %u, held by no process, is not this lnwatch's build: "
				"left in place (tc filter del dev %s ingress pref %u handle "
				"0x%x bpf)\n", ifname, info.name, s->prog_id, s->pref,
				ifname, s->pref, s->handle);
			continue;
		}
		ret = remove_filter(ifindex, s);
		if (ret)
			fprintf(stderr, "lnwatch: %s: cannot remove the tc filter a killed "
				"lnwatch left (pref %u handle 0x%x): %s\n", ifname, s->pref,
				s->handle, strerror(-ret));
		else
			fprintf(stderr, "lnwatch: %s: removed a tc filter a killed lnwatch "
				"left (pref %u handle 0x%x, program %s id %u)\n", ifname,
				s->pref, s->handle, info.name, s->prog_id);
	}
	free(f);
}

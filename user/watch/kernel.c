// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Feature probes: the kernel's own BTF says which paths we can take. */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/ip.h>

#include "lib/util.h"
#include "kernel.h"

#define VMLINUX_BTF "/sys/kernel/btf/vmlinux"
#define DROP_PREFIX "SKB_DROP_REASON_"

bool lnw_btf_enum_value(const struct btf *btf, const char *name, long long *val)
{
	__u32 id, n = btf__type_cnt(btf);

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		__u16 i, vlen;

		if (!btf_is_enum(t))
			continue;
		vlen = btf_vlen(t);
		for (i = 0; i < vlen; i++) {
			const struct btf_enum *e = btf_enum(t) + i;

			if (!strcmp(btf__name_by_offset(btf, e->name_off), name)) {
				*val = e->val;
				return true;
			}
		}
	}
	return false;
}

static bool has_type(const struct btf *btf, const char *name, __u32 kind)
{
	return btf__find_by_name_kind(btf, name, kind) >= 0;
}

static int read_drop_reasons(struct lnw_kernel *k, const struct btf *btf)
{
	__s32 id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
	const struct btf_type *t;
	__u16 i;

	if (id < 0)
		return 0; /* before 5.17: no reasons to name */
	t = btf__type_by_id(btf, id);
	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_enum *e = btf_enum(t) + i;
		const char *name = btf__name_by_offset(btf, e->name_off);

		if ((unsigned int)e->val >= LNW_MAX_DROP_REASONS)
			continue;
		if (!strncmp(name, DROP_PREFIX, strlen(DROP_PREFIX)))
			name += strlen(DROP_PREFIX);
		k->drop_reasons[e->val] = strdup(name);
		if (!k->drop_reasons[e->val]) {
			lnw_kernel_release(k);
			return -ENOMEM;
		}
	}
	return 0;
}

int lnw_kernel_probe(struct lnw_kernel *k, char *err, size_t errlen)
{
	static const char *const hooks[] = {
		"btf_trace_kfree_skb", "btf_trace_fib_table_lookup",
	};
	struct btf *btf;
	long long v;
	size_t i;
	int ret = 0;

	memset(k, 0, sizeof(*k));
	if (access(VMLINUX_BTF, R_OK)) {
		snprintf(err, errlen, "%s: %s; lnwatch needs kernel BTF "
			 "(CONFIG_DEBUG_INFO_BTF=y, as in Debian's kernels since 5.x)",
			 VMLINUX_BTF, strerror(errno));
		return -ENOENT;
	}
	btf = btf__load_vmlinux_btf();
	if (!btf) {
		snprintf(err, errlen, "cannot parse %s: %s", VMLINUX_BTF,
			 strerror(errno));
		return -errno;
	}
	for (i = 0; i < LNW_ARRAY_SIZE(hooks); i++) {
		if (!has_type(btf, hooks[i], BTF_KIND_TYPEDEF)) {
			snprintf(err, errlen, "this kernel lacks the tracepoint %s "
				 "(BTF-enabled raw tracepoints); lnwatch needs Linux >= 5.5 "
				 "with CONFIG_DEBUG_INFO_BTF", hooks[i] + 10);
			btf__free(btf);
			return -EOPNOTSUPP;
		}
	}
	k->has_tcx = lnw_btf_enum_value(btf, "BPF_TCX_INGRESS", &v);
	k->has_sk_data_ready = has_type(btf, "btf_trace_sk_data_ready", BTF_KIND_TYPEDEF);
	k->has_kfunc_ctx = has_type(btf, "bpf_cast_to_kern_ctx", BTF_KIND_FUNC);
	/* names drop locations (%pS) without scanning /proc/kallsyms */
	k->has_ksym_helper = libbpf_probe_bpf_helper(BPF_PROG_TYPE_RAW_TRACEPOINT,
						     BPF_FUNC_snprintf, NULL) == 1;
	k->has_nf_prog = lnw_btf_enum_value(btf, "BPF_PROG_TYPE_NETFILTER", &v);
	k->has_sysctl_task = libbpf_probe_bpf_helper(BPF_PROG_TYPE_CGROUP_SYSCTL,
						     BPF_FUNC_get_current_task, NULL) == 1;
	k->has_localnet_reason = lnw_btf_enum_value(btf,
			DROP_PREFIX "IP_LOCALNET", &v);
	/* The enum is anonymous; the UAPI value is the fallback. */
	k->rl_devconf_idx = (lnw_btf_enum_value(btf, "IPV4_DEVCONF_ROUTE_LOCALNET", &v)
			     ? (int)v : IPV4_DEVCONF_ROUTE_LOCALNET) - 1;
	ret = read_drop_reasons(k, btf);
	if (ret)
		snprintf(err, errlen, "out of memory");
	btf__free(btf);
	return ret;
}

void lnw_kernel_release(struct lnw_kernel *k)
{
	size_t i;

	for (i = 0; i < LNW_MAX_DROP_REASONS; i++)
		free(k->drop_reasons[i]);
	memset(k->drop_reasons, 0, sizeof(k->drop_reasons));
}

/* One lookup per event: a table, not a scan of the BTF. */
const char *lnw_drop_reason_name(const struct lnw_kernel *k, unsigned int value)
{
	return value < LNW_MAX_DROP_REASONS ? k->drop_reasons[value] : NULL;
}

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_KERNEL_H
#define LNW_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

struct btf;

/* What the running kernel offers, read from its BTF before loading. */
#define LNW_MAX_DROP_REASONS 1024

struct lnw_kernel {
	/* enum skb_drop_reason names without the prefix, by value: read once
	 * (the kernel's BTF is 5 MB; it is not kept after the probe) */
	char *drop_reasons[LNW_MAX_DROP_REASONS];
	bool has_tcx;             /* BPF_TCX_INGRESS: Linux >= 6.6 */
	bool has_kfunc_ctx;       /* bpf_cast_to_kern_ctx: Linux >= 6.3 */
	bool has_localnet_reason; /* SKB_DROP_REASON_IP_LOCALNET: ~6.13 */
	bool has_sk_data_ready;   /* sock:sk_data_ready tracepoint: 6.6 */
	bool has_ksym_helper;     /* bpf_snprintf for raw_tp (%pS): 5.13 */
	bool has_nf_prog;         /* BPF_PROG_TYPE_NETFILTER: Linux 6.4 */
	bool has_sysctl_task;     /* cgroup/sysctl may read the writer's task
				   * (its netns): bpf_get_current_task there */
	int rl_devconf_idx;       /* IPV4_DEVCONF_ROUTE_LOCALNET - 1 */
};

/* Fills k; on failure writes what is missing and what to do into err. */
int lnw_kernel_probe(struct lnw_kernel *k, char *err, size_t errlen);
void lnw_kernel_release(struct lnw_kernel *k);

/* Name of an enum skb_drop_reason value without its prefix, from BTF;
 * NULL if the kernel has no such value. */
const char *lnw_drop_reason_name(const struct lnw_kernel *k, unsigned int value);

/* Whether an enumerator NAME exists in any enum of the kernel; its value. */
bool lnw_btf_enum_value(const struct btf *btf, const char *name, long long *val);

#endif

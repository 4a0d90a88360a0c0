/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_KERNEL_H
#define LNW_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct btf;
struct lnwatch_bpf;

/* What the running kernel offers, read from its BTF before loading. */
#define LNW_MAX_DROP_REASONS 1024

struct lnw_kernel {
	/* enum skb_drop_reason names without the prefix, by value: read once
	 * (the kernel's BTF is 5 MB; it is not kept after the probe) */
	char *drop_reasons[LNW_MAX_DROP_REASONS];
	bool has_tcx;             /* BPF_TCX_INGRESS: Linux >= 6.6 */
	bool has_kfunc_ctx;       /* bpf_cast_to_kern_ctx: Linux >= 6.3 */
	bool has_rdonly_cast;     /* bpf_rdonly_cast: Linux >= 6.2 */
	__u32 tick_ns;            /* ns per jiffy, 0 if unknown */
	bool has_localnet_reason; /* SKB_DROP_REASON_IP_LOCALNET: ~6.13 */
	bool has_sk_data_ready;   /* sock:sk_data_ready tracepoint: 6.6 */
	bool has_kfree_reason;    /* kfree_skb's third argument: 5.17 */
	bool has_nf_prog;         /* BPF_PROG_TYPE_NETFILTER: Linux 6.4 */
	bool has_drop_reasons;    /* enum skb_drop_reason: 5.17 */
	bool kernel_btf;          /* /sys/kernel/btf/vmlinux is there */
	int rl_devconf_idx;       /* IPV4_DEVCONF_ROUTE_LOCALNET - 1 */
	const char *btf_path;     /* --btf FILE, or NULL: the kernel's own */
	/* optional programs left out for a helper their type lacks here */
	struct { const char *prog; int helper; } left_out[4];
	int n_left_out;
};

/* Fills k from btf_path (--btf FILE) or, when NULL, the kernel's own BTF;
 * on failure writes what is missing and what to do into err. */
int lnw_kernel_probe(struct lnw_kernel *k, const char *btf_path, char *err,
		     size_t errlen);
void lnw_kernel_release(struct lnw_kernel *k);

/* The skeleton, opened with the BTF the probe read (--btf FILE). */
struct lnwatch_bpf *lnw_kernel_open(const struct lnw_kernel *k);

/* Before load: every program's autoload from k, the forced fallbacks
 * (enum lnw_fallback) and a probe of each helper the program calls, so an
 * optional program the kernel cannot take is left out, never failing the
 * load. Fails, saying what is missing, only for a program lnwatch cannot
 * do without (tc ingress, kfree_skb, fib_table_lookup). */
int lnw_kernel_autoload(struct lnwatch_bpf *skel, struct lnw_kernel *k,
			unsigned int fallbacks, char *err, size_t errlen);

/* After load: what this run cannot show on this kernel, and why, for -v
 * ("" when nothing is missing); lnw_kernel_print_missing writes it as a
 * line, if there is something to say. */
void lnw_kernel_degraded(const struct lnwatch_bpf *skel, const struct lnw_kernel *k,
			 bool flag_writes_seen, char *buf, size_t len);
void lnw_kernel_print_missing(FILE *f, const struct lnwatch_bpf *skel,
			      const struct lnw_kernel *k, bool flag_writes_seen);

/* Name of an enum skb_drop_reason value without its prefix, from BTF;
 * NULL if the kernel has no such value. */
const char *lnw_drop_reason_name(const struct lnw_kernel *k, unsigned int value);

/* Whether an enumerator NAME exists in any enum of the kernel; its value. */
bool lnw_btf_enum_value(const struct btf *btf, const char *name, long long *val);

#endif

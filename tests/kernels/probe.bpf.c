// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Which tracing hooks load on a kernel (a fact for the matrix, not part of
 * lnwatch): fentry and kprobe on the route input, each counting the calls
 * that carry a 127/8 destination. tests/kernels/probe.c loads them one by
 * one, attaches, runs traffic and reads the counts.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

/* calls seen, by program: indexes in probe.c's table */
__u64 hits[4];

static __always_inline bool loopback(__u32 be_addr)
{
	return (bpf_ntohl(be_addr) >> 24) == 127;
}

/* ip_route_input_noref(skb, daddr, saddr, tos|dscp, dev): the same first
 * three arguments on 6.1 and on 6.13+ (where the fourth became dscp_t). */
SEC("fentry/ip_route_input_noref")
int BPF_PROG(lnwp_fentry_route, struct sk_buff *skb, __u32 daddr)
{
	if (loopback(daddr))
		__sync_fetch_and_add(&hits[0], 1);
	return 0;
}

SEC("kprobe/ip_route_input_noref")
int BPF_KPROBE(lnwp_kprobe_route, struct sk_buff *skb, __u32 daddr)
{
	if (loopback(daddr))
		__sync_fetch_and_add(&hits[1], 1);
	return 0;
}

/* Where a drop's precise location would come from: the freeing function
 * itself (kfree_skb_reason up to 6.11, sk_skb_reason_drop after). */
SEC("fentry/kfree_skb_reason")
int BPF_PROG(lnwp_fentry_drop_old, struct sk_buff *skb)
{
	__sync_fetch_and_add(&hits[2], 1);
	return 0;
}

SEC("fentry/sk_skb_reason_drop")
int BPF_PROG(lnwp_fentry_drop_new, struct sock *sk, struct sk_buff *skb)
{
	__sync_fetch_and_add(&hits[3], 1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

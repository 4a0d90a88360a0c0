// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Netfilter hooks of the watched namespace (Linux 6.4+): a packet that
 * came addressed to 127.0.0.0/8 and that a DNAT sent to a real address
 * never meets the route_localnet check (Docker publishing a port on every
 * address: `addrtype LOCAL` matches 127.0.0.1 too). Seen after the nat
 * PREROUTING chains, then followed to where it really went: forwarded
 * (after every FORWARD rule) or delivered here (after every INPUT rule).
 * One program on three hooks; it only reads, and always accepts.
 */
#include "common.bpf.h"

#define LNW_NF_ACCEPT 1
#define LNW_NF_PRE_ROUTING 0
#define LNW_NF_LOCAL_IN 1
#define LNW_NF_FORWARD 2

SEC("netfilter")
int lnw_nf(struct bpf_nf_ctx *ctx)
{
	const struct nf_hook_state *state = ctx->state;
	struct sk_buff *skb = ctx->skb;
	struct lnw_inflight *in = lnw_inflight_get();
	struct lnw_event e;
	int hook, send;

	/* most packets leave here: nothing to or from 127/8 on the wire */
	if (!in || (in->state != LNW_IN_ARRIVED && in->state != LNW_IN_DNAT_AWAY) ||
	    !lnw_is_loopback(in->daddr) || (in->skb && in->skb != (__u64)skb))
		return LNW_NF_ACCEPT;
	hook = state->hook;
	if (hook == LNW_NF_PRE_ROUTING && in->state == LNW_IN_ARRIVED) {
		__builtin_memset(&e, 0, sizeof(e));
		lnw_read_skb_tuple(skb, &e);
		/* still to 127/8 (the route input judges it), or not ours */
		if (lnw_is_loopback(e.daddr) || e.saddr != in->saddr)
			return LNW_NF_ACCEPT;
		e.ifindex = in->ifindex;
		e.netns = own_netns;
		e.len = BPF_CORE_READ(skb, len);
		e.flags = LNW_EVF_JOINED | (in->skb ? LNW_EVF_JOIN_SKB : 0);
		lnw_orig_from_ingress(in, &e);
		__builtin_memcpy(&in->acc, &e, sizeof(e));
		in->state = LNW_IN_DNAT_AWAY;
		return LNW_NF_ACCEPT;
	}
	if (in->state != LNW_IN_DNAT_AWAY ||
	    (hook != LNW_NF_FORWARD && hook != LNW_NF_LOCAL_IN))
		return LNW_NF_ACCEPT;
	__builtin_memcpy(&e, &in->acc, sizeof(e));
	in->state = LNW_IN_NONE;
	e.verdict = LNW_DNAT_EXPOSED;
	e.ts_ns = bpf_ktime_get_ns();
	if (hook == LNW_NF_FORWARD) {
		e.flags |= LNW_EVF_FORWARDED;
		e.fib_oif = BPF_CORE_READ(state, out, ifindex);
	}
	/* the service: where it went */
	e.sock_addr = e.daddr;
	e.sock_port = e.dport;
	if (!lnw_filtered(e.verdict, e.saddr, e.dport, e.orig_dport))
		lnw_count_exposure(&e);
	send = lnw_account(&e, in);
	if (!send)
		return LNW_NF_ACCEPT;
	BPF_CORE_READ_STR_INTO(&e.ifname, state, in, name);
	lnw_emit(&e, send);
	return LNW_NF_ACCEPT;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

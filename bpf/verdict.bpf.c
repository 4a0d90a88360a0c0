// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * What the route input decided: a drop with reason IP_LOCALNET (martian),
 * or a FIB lookup for a 127/8 packet from a real device (accepted).
 * Both tracepoints are global and hot: each leaves at its first compare.
 */
#include "common.bpf.h"
#include <bpf/bpf_tracing.h>

static __always_inline struct lnw_inflight *lnw_inflight_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&inflight, &zero);
}

/* Is this reason the one a route_localnet refusal carries here? */
static __always_inline bool lnw_localnet_reason(__u32 reason, bool *inferred)
{
	bool native = bpf_core_enum_value_exists(enum skb_drop_reason,
						 SKB_DROP_REASON_IP_LOCALNET);

	*inferred = force_infer || !native;
	if (native && reason == bpf_core_enum_value(enum skb_drop_reason,
						    SKB_DROP_REASON_IP_LOCALNET))
		return true;
	/* Before ~6.13 ip_rcv_finish_core() drops with NOT_SPECIFIED. */
	return *inferred && reason == bpf_core_enum_value(enum skb_drop_reason,
							  SKB_DROP_REASON_NOT_SPECIFIED);
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(lnw_kfree_skb, struct sk_buff *skb, void *location,
	     enum skb_drop_reason reason)
{
	struct lnw_event e = {};
	struct lnw_inflight *in;
	struct net_device *dev;
	bool inferred;

	if (!lnw_localnet_reason(reason, &inferred))
		return 0;
	dev = BPF_CORE_READ(skb, dev);
	if (!dev || (BPF_CORE_READ(dev, flags) & LNW_IFF_LOOPBACK))
		return 0;
	lnw_read_skb_tuple(skb, &e);
	if (lnw_is_loopback(e.daddr))
		e.verdict = LNW_MARTIAN_DST;
	else if (lnw_is_loopback(e.saddr))
		e.verdict = LNW_MARTIAN_SRC;
	else
		return 0;
	e.netns = lnw_dev_netns(dev);
	if (!all_netns && e.netns != own_netns)
		return 0;
	e.ifindex = BPF_CORE_READ(dev, ifindex);

	in = lnw_inflight_get();
	if (in && in->armed &&
	    (in->skb ? in->skb == (__u64)skb :
		       in->ifindex == e.ifindex && in->saddr == e.saddr))
		e.flags = LNW_EVF_JOINED | (in->skb ? LNW_EVF_JOIN_SKB : 0);
	/* Outside --all-netns, only packets that crossed our tc program. */
	if (!all_netns && !e.flags)
		return 0;

	lnw_read_flags(dev, &e);
	if (inferred) {
		/* A martian drop happens before a route is attached, and only
		 * when the effective flag is off. */
		if (e.rl_eff || BPF_CORE_READ(skb, _skb_refdst))
			return 0;
		e.reason_src = LNW_REASON_INFERRED;
	} else {
		e.reason_src = LNW_REASON_KERNEL;
	}
	e.reason = reason;
	e.len = BPF_CORE_READ(skb, len);
	if (in && e.flags) {
		lnw_orig_from_ingress(in, &e);
		in->armed = 0;
	} else {
		lnw_read_ct_orig(skb, &e);
	}
	lnw_count(e.netns, e.ifindex, e.verdict, e.reason, e.len);
	BPF_CORE_READ_STR_INTO(&e.ifname, dev, name);
	e.ts_ns = bpf_ktime_get_ns();
	lnw_submit(&e);
	return 0;
}

SEC("tp_btf/fib_table_lookup")
int BPF_PROG(lnw_fib_lookup, u32 tb_id, const struct flowi4 *flp,
	     const struct fib_nh_common *nhc, int err)
{
	struct lnw_event e = {};
	struct lnw_inflight *in;
	struct net_device *dev;
	struct sk_buff *skb;
	__u32 iif = flp->__fl_common.flowic_iif;

	/* Output routes and source validation use the loopback ifindex. */
	if (iif == LNW_LOOPBACK_IFINDEX)
		return 0;
	e.saddr = flp->saddr;
	e.daddr = flp->daddr;
	if (!lnw_is_loopback(e.daddr) && !lnw_is_loopback(e.saddr))
		return 0;
	if (err)
		return 0; /* policy routing tries the next table */
	in = lnw_inflight_get();
	if (!in || !in->armed || in->ifindex != iif || in->saddr != e.saddr)
		return 0;
	in->armed = 0;

	e.verdict = LNW_ACCEPT;
	e.ifindex = iif;
	e.fib_table = tb_id;
	if (nhc)
		e.fib_oif = BPF_CORE_READ(nhc, nhc_dev, ifindex);
	skb = (struct sk_buff *)in->skb;
	if (skb) {
		dev = BPF_CORE_READ(skb, dev);
		/* A stale slot would name another device: refuse the join. */
		if (!dev || (__u32)BPF_CORE_READ(dev, ifindex) != iif)
			return 0;
		e.flags = LNW_EVF_JOINED | LNW_EVF_JOIN_SKB;
		lnw_read_skb_tuple(skb, &e);
		e.len = BPF_CORE_READ(skb, len);
		e.netns = lnw_dev_netns(dev);
		lnw_read_flags(dev, &e);
		BPF_CORE_READ_STR_INTO(&e.ifname, dev, name);
	} else {
		/* No sk_buff: ports are the wire's, the device is our own. */
		e.flags = LNW_EVF_JOINED;
		e.proto = in->proto;
		e.sport = in->sport;
		e.dport = in->dport;
		if (e.daddr != in->daddr)
			e.flags |= LNW_EVF_PORTS_UNKNOWN; /* DNAT may move ports */
		e.len = in->len;
		e.netns = own_netns;
		/* The lookup itself proves all || dev; which one is unknown. */
		e.rl_all = e.rl_dev = LNW_FLAG_UNKNOWN;
		e.rl_eff = 1;
	}
	if (!all_netns && e.netns != own_netns)
		return 0;
	lnw_orig_from_ingress(in, &e);
	lnw_count(e.netns, e.ifindex, e.verdict, 0, e.len);
	e.ts_ns = bpf_ktime_get_ns();
	lnw_submit(&e);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

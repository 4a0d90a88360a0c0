// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * tc ingress: sees the frame as it came off the wire, before netfilter.
 * It only reads: every path returns LNW_TC_PASS with the packet untouched.
 */
#include "common.bpf.h"
#include "loopback6.bpf.h"

/* TC_ACT_UNSPEC (clsact) and TCX_NEXT (tcx) are both -1: "as if absent". */
#define LNW_TC_PASS (-1)
#define LNW_ETH_P_IP 0x0800
#define LNW_ETH_P_8021Q 0x8100
#define LNW_ETH_P_8021AD 0x88A8
#define LNW_MAX_VLAN_TAGS 2

extern void *bpf_cast_to_kern_ctx(void *) __ksym __weak;

struct lnw_vlan_hdr {
	__be16 tci;
	__be16 encap_proto;
};

/* Devices without a link-layer header (tun, WireGuard, ipip, gre, sit,
 * ppp) hand tc the IP header at data: l3. The rest is Ethernet, with up
 * to two VLAN tags the device did not take off. */
static __always_inline int lnw_ingress(struct __sk_buff *ctx, bool use_kfunc, bool l3)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct lnw_inflight *in;
	struct sk_buff *skb;
	struct iphdr *iph;
	__u32 off = 0, zero = 0, ihl, ifindex;
	__u16 proto, *ports;
	int i;

	if (l3) {
		proto = ctx->protocol;
	} else {
		if ((void *)(eth + 1) > data_end)
			return LNW_TC_PASS;
		proto = eth->h_proto;
		off = sizeof(*eth);
	}
#pragma unroll
	for (i = 0; i < LNW_MAX_VLAN_TAGS && !l3; i++) {
		struct lnw_vlan_hdr *vh = data + off;

		if (proto != bpf_htons(LNW_ETH_P_8021Q) &&
		    proto != bpf_htons(LNW_ETH_P_8021AD))
			break;
		if ((void *)(vh + 1) > data_end)
			return LNW_TC_PASS;
		proto = vh->encap_proto;
		off += sizeof(*vh);
	}
	if (proto != bpf_htons(LNW_ETH_P_IP)) {
		if (proto == bpf_htons(LNW_ETH_P_IPV6))
			lnw_ingress6(ctx, data + off, data_end, off,
				     use_kfunc ? bpf_cast_to_kern_ctx(ctx) : NULL);
		return LNW_TC_PASS;
	}
	iph = data + off;
	if ((void *)(iph + 1) > data_end || iph->version != 4)
		return LNW_TC_PASS;
	ihl = iph->ihl * 4;
	if (ihl < sizeof(*iph))
		return LNW_TC_PASS;

	/* Every IPv4 packet is remembered: a DNAT in PREROUTING may still
	 * turn it into a packet to 127/8 before the route decision. */
	in = bpf_map_lookup_elem(&inflight, &zero);
	if (!in)
		return LNW_TC_PASS;
	/* ctx fields are read once: the verifier refuses ctx + offset loads */
	ifindex = ctx->ifindex;
	skb = use_kfunc ? bpf_cast_to_kern_ctx(ctx) : NULL;
	/* The same packet again, one device up (a bridge port then the
	 * bridge, a macvlan's lower then upper, a VLAN): counted once, and
	 * what the route decided for it already (br_netfilter routes it at
	 * the port) is kept. The route input is the upper device's. A reused
	 * sk_buff is another packet: its device, IP id or length tells. */
	if (skb && in->skb == (__u64)skb && in->state != LNW_IN_NONE &&
	    in->ifindex != ifindex && in->saddr == iph->saddr && in->ip_id == iph->id &&
	    in->len == ctx->len - off && in->proto == iph->protocol) {
		if (in->state == LNW_IN_ARRIVED)
			in->ifindex = ifindex;
		return LNW_TC_PASS;
	}
	in->skb = (__u64)skb;
	in->ip_id = iph->id;
	in->frag = (iph->frag_off & bpf_htons(LNW_IP_MF | LNW_IP_OFFSET)) != 0;
	in->ifindex = ifindex;
	in->saddr = iph->saddr;
	in->daddr = iph->daddr;
	in->len = ctx->len - off; /* IP length, as the verdicts count it */
	in->proto = iph->protocol;
	in->sport = 0;
	in->dport = 0;
	in->state = LNW_IN_ARRIVED;
	in->ts_ns = want_latency ? bpf_ktime_get_ns() : 0;
	ports = (void *)iph + ihl;
	if ((iph->protocol == IPPROTO_TCP || iph->protocol == IPPROTO_UDP) &&
	    !(iph->frag_off & bpf_htons(0x1fff)) &&
	    (void *)(ports + 2) <= data_end) {
		in->sport = bpf_ntohs(ports[0]);
		in->dport = bpf_ntohs(ports[1]);
	}

	if ((lnw_is_loopback(iph->daddr) || lnw_is_loopback(iph->saddr)) &&
	    !lnw_filtered(LNW_SEEN, iph->saddr, in->dport, in->dport))
		/* attached only to our namespace's devices: no need to read
		 * the device's (three probe reads per packet) */
		lnw_count(own_netns,
			  ifindex, LNW_SEEN, 0, in->len);
	return LNW_TC_PASS;
}

/* One program per (join, link layer): the loader loads the pair its kernel
 * can (the kfunc gives, on Linux >= 6.3, the sk_buff the tracepoints will
 * see; older kernels join by interface and addresses) and attaches each
 * device to the one for its link type. */
#define LNW_TC_PROG(name, use_kfunc, l3)			\
	SEC("tc") int name(struct __sk_buff *ctx)		\
	{							\
		return lnw_ingress(ctx, use_kfunc, l3);		\
	}

LNW_TC_PROG(lnw_tc_ingress, true, false)
LNW_TC_PROG(lnw_tc_ingress_l3, true, true)
LNW_TC_PROG(lnw_tc_ingress_compat, false, false)
LNW_TC_PROG(lnw_tc_ingress_l3_compat, false, true)

char LICENSE[] SEC("license") = "Dual BSD/GPL";

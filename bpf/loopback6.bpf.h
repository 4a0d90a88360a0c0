/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * IPv6 ::1 on a real device. ip6_rcv_core() drops a packet whose source or
 * destination is ::1 on any device that is neither loopback nor an L3
 * master (RFC 4291 2.5.3), counting it in Ip6InHdrErrors, with reason
 * IP_INHDR (>= 6.0; NOT_SPECIFIED or none before). No knob lets it in.
 * tc ingress notes the packet (lnw_ingress6); the kfree_skb programs join
 * its drop (lnw_loopback6_drop). IPv4's paths are untouched: tc reaches
 * this only for an IPv6 frame, kfree_skb only when the slot says so.
 */
#ifndef LNWATCH_LOOPBACK6_BPF_H
#define LNWATCH_LOOPBACK6_BPF_H

#include "common.bpf.h"

#define LNW_ETH_P_IPV6 0x86DD
#define LNW_IP6_ADDRS_OFF 8 /* offsetof(struct ipv6hdr, saddr) */

LNW_MAP(inflight6, BPF_MAP_TYPE_PERCPU_ARRAY, 1, __u32, struct lnw_inflight6);

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 18); /* rare events: IPv4's ring is resized */
} events6 SEC(".maps") __weak;

struct lnw_addrs6 {
	__u32 saddr[4];
	__u32 daddr[4];
};

static __always_inline bool lnw_is_loopback6(const __u32 *a)
{
	return !(a[0] | a[1] | a[2]) && a[3] == bpf_htonl(1);
}

static __always_inline bool lnw_eq6(const void *x, const void *y)
{
	const __u32 *a = x, *b = y;

	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3];
}

/* -s takes an IPv4 network: no IPv6 source is in it. */
static __always_inline bool lnw_filtered6(__u8 verdict, __u16 dport)
{
	return filter_src_mask || lnw_filtered(verdict, 0, dport, dport);
}

/* Up to this many extension headers are walked for the ports: a UDP
 * datagram behind a hop-by-hop header is still one to its port (-p). */
#define LNW_EXT6_MAX 4
#define LNW_NEXTHDR_HOP 0
#define LNW_NEXTHDR_ROUTING 43
#define LNW_NEXTHDR_FRAGMENT 44
#define LNW_NEXTHDR_DEST 60
#define LNW_NEXTHDR_NONE 59

/* len bytes at off: of tc's packet (ctx), or of kernel memory at kbase. */
static __always_inline int lnw_read6(struct __sk_buff *ctx, const void *kbase,
				     __u32 off, void *buf, __u32 len)
{
	if (ctx)
		return bpf_skb_load_bytes(ctx, off, buf, len);
	return bpf_probe_read_kernel(buf, len, kbase + off);
}

/* The transport behind the extension headers from off (nexthdr the
 * first): its protocol, and TCP's or UDP's ports (0 when unknown: a later
 * fragment, too many headers, a short packet). Returns the event's flags
 * for a fragment. */
static __always_inline __u8 lnw_l4_of6(struct __sk_buff *ctx, const void *kbase,
				       __u32 off, __u8 nexthdr, __u8 *proto,
				       __u16 *sport, __u16 *dport)
{
	__u8 h[4], flags = 0;
	__u16 p[2];
	int i;

	*sport = 0;
	*dport = 0;
#pragma unroll
	for (i = 0; i < LNW_EXT6_MAX; i++) {
		if (nexthdr != LNW_NEXTHDR_HOP && nexthdr != LNW_NEXTHDR_ROUTING &&
		    nexthdr != LNW_NEXTHDR_DEST && nexthdr != LNW_NEXTHDR_FRAGMENT)
			break;
		if (lnw_read6(ctx, kbase, off, h, sizeof(h)))
			break;
		if (nexthdr == LNW_NEXTHDR_FRAGMENT) {
			flags = LNW_EVF_FRAGMENT;
			if ((h[2] << 8 | h[3]) & ~7) {
				*proto = h[0]; /* the first fragment has the ports */
				return flags | LNW_EVF_PORTS_UNKNOWN;
			}
		}
		off += nexthdr == LNW_NEXTHDR_FRAGMENT ? 8 : (h[1] + 1) * 8;
		nexthdr = h[0];
	}
	*proto = nexthdr;
	if ((nexthdr == IPPROTO_TCP || nexthdr == IPPROTO_UDP) &&
	    !lnw_read6(ctx, kbase, off, p, sizeof(p))) {
		*sport = bpf_ntohs(p[0]);
		*dport = bpf_ntohs(p[1]);
	}
	return flags;
}

/* tc ingress, an IPv6 frame: ip6 is at data + off. skb: the kfunc's
 * sk_buff, or NULL (joined by device and addresses). */
static __always_inline void lnw_ingress6(struct __sk_buff *ctx, struct ipv6hdr *ip6,
					 void *data_end, __u32 off,
					 struct sk_buff *skb)
{
	struct lnw_inflight6 *in6;
	struct lnw_inflight *in;
	__u32 zero = 0, ifindex, len;

	if ((void *)(ip6 + 1) > data_end || ip6->version != 6)
		return;
	if (!lnw_is_loopback6(ip6->daddr.in6_u.u6_addr32) &&
	    !lnw_is_loopback6(ip6->saddr.in6_u.u6_addr32))
		return;
	in = bpf_map_lookup_elem(&inflight, &zero);
	in6 = bpf_map_lookup_elem(&inflight6, &zero);
	if (!in || !in6)
		return;
	ifindex = ctx->ifindex;
	len = ctx->len - off;
	/* The same packet again, one device up (a bridge port, then the
	 * bridge): counted once; the drop is the upper device's. */
	if (skb && in->state == LNW_IN_LOOPBACK6 && in6->skb == (__u64)skb &&
	    in6->ifindex != ifindex && in6->len == len &&
	    lnw_eq6(in6->saddr, &ip6->saddr) && lnw_eq6(in6->daddr, &ip6->daddr)) {
		in6->ifindex = ifindex;
		return;
	}
	in->state = LNW_IN_LOOPBACK6; /* IPv4's verdicts leave it alone */
	in->ts_ns = want_latency ? bpf_ktime_get_ns() : 0;
	in6->skb = (__u64)skb;
	in6->ifindex = ifindex;
	in6->len = len;
	__builtin_memcpy(in6->saddr, &ip6->saddr, 16);
	__builtin_memcpy(in6->daddr, &ip6->daddr, 16);
	in6->flags = lnw_l4_of6(ctx, NULL, off + sizeof(*ip6), ip6->nexthdr,
				&in6->proto, &in6->sport, &in6->dport);
	if (!lnw_filtered6(LNW_SEEN6, in6->dport))
		lnw_count(own_netns, ifindex, LNW_SEEN6, 0, len);
}

/* IPv6 addresses folded to IPv4's size, for the flow limiter's key (its
 * verdicts are IPv6's own: no IPv4 flow shares it). Two sources that fold
 * alike share a limit; the counts stay exact. */
static __always_inline __u32 lnw_fold6(const __u8 *a)
{
	const __u32 *w = (const __u32 *)a;

	return w[0] ^ w[1] ^ w[2] ^ w[3];
}

/* Filter, count, time and limit as IPv4's verdicts are (lnw_account_clock,
 * given the record's key fields); true when the event is to be sent. */
static __always_inline bool lnw_account6(struct lnw_event6 *e6,
					 const struct lnw_inflight *in)
{
	struct lnw_event e = {
		.netns = e6->netns, .ifindex = e6->ifindex,
		.saddr = lnw_fold6(e6->saddr), .daddr = lnw_fold6(e6->daddr),
		.dport = e6->dport, .orig_dport = e6->dport,
		.reason = e6->reason, .len = e6->len,
		.proto = e6->proto, .verdict = e6->verdict,
	};

	if (filter_src_mask)
		return false; /* lnw_filtered6: the fold must not be matched */
	e.orig_daddr = e.daddr;
	if (!lnw_account_clock(&e, in, true))
		return false;
	e6->ts_ns = e.ts_ns;
	e6->latency_ns = e.latency_ns;
	e6->suppressed = e.suppressed;
	return true;
}

/* Is this drop the one ip6_rcv_core() gives ::1 on a real device? Kernels
 * >= 6.0 say IP_INHDR; older ones NOT_SPECIFIED, or (< 5.17) nothing: then
 * it is inferred from the device. Any other reason: a plain drop. */
static __always_inline __u8 lnw_loopback6_why(struct net_device *dev,
					      __u32 reason, bool has_reason,
					      __u8 *verdict)
{
	if (has_reason && bpf_core_enum_value_exists(enum skb_drop_reason,
						     SKB_DROP_REASON_IP_INHDR) &&
	    reason == bpf_core_enum_value(enum skb_drop_reason,
					  SKB_DROP_REASON_IP_INHDR))
		return LNW_REASON_KERNEL;
	if ((!has_reason || reason == bpf_core_enum_value(enum skb_drop_reason,
							  SKB_DROP_REASON_NOT_SPECIFIED)) &&
	    !(dev->flags & LNW_IFF_LOOPBACK))
		return LNW_REASON_INFERRED;
	*verdict = LNW_DROP;
	return has_reason ? LNW_REASON_KERNEL : LNW_REASON_NONE;
}

/* Say skb's drop: lo6-dst or lo6-src with the kernel's reason (or a plain
 * drop, another reason's). e: its join, namespace and transport set. */
static __always_inline void lnw_loopback6_say(struct lnw_event6 *e,
					      const struct lnw_inflight *in,
					      struct sk_buff *skb,
					      struct net_device *dev,
					      const struct lnw_addrs6 *a,
					      __u32 reason, bool has_reason,
					      void *location)
{
	e->ifindex = dev->ifindex;
	e->verdict = lnw_is_loopback6(a->daddr) ? LNW_LO6_DST : LNW_LO6_SRC;
	e->reason_src = lnw_loopback6_why(dev, reason, has_reason, &e->verdict);
	e->reason = reason;
	__builtin_memcpy(e->saddr, a->saddr, 16);
	__builtin_memcpy(e->daddr, a->daddr, 16);
	e->len = skb->len;
	if (!lnw_account6(e, in))
		return;
	e->drop_loc = (__u64)location;
	__builtin_memcpy(e->ifname, dev->name, sizeof(e->ifname));
	if (bpf_ringbuf_output(&events6, e, sizeof(*e), 0))
		lnw_stat_inc(LNW_STAT_RB_LOST);
}

/* kfree_skb, the slot holding an IPv6 ::1 packet: is skb that packet (by
 * address, or without the kfunc by device; and by its addresses)? Then
 * its drop, said. Returns 1 when it was. */
static __always_inline int lnw_loopback6_drop(struct lnw_inflight *in,
					      struct sk_buff *skb, __u32 reason,
					      bool has_reason, void *location)
{
	struct lnw_inflight6 *in6;
	struct lnw_event6 e = {};
	struct lnw_addrs6 a;
	struct net_device *dev;
	__u32 zero = 0;

	in6 = bpf_map_lookup_elem(&inflight6, &zero);
	if (!in6 || (in6->skb && in6->skb != (__u64)skb) ||
	    skb->protocol != bpf_htons(LNW_ETH_P_IPV6))
		return 0;
	dev = skb->dev;
	if (!dev)
		return 0;
	if (!in6->skb && (__u32)dev->ifindex != in6->ifindex)
		return 0;
	if (bpf_probe_read_kernel(&a, sizeof(a), skb->head + skb->network_header +
				  LNW_IP6_ADDRS_OFF) ||
	    !lnw_eq6(a.saddr, in6->saddr) || !lnw_eq6(a.daddr, in6->daddr))
		return 0;
	in->state = LNW_IN_NONE;
	e.netns = dev->nd_net.net->ns.inum;
	if (!all_netns && e.netns != own_netns)
		return 1;
	e.flags = LNW_EVF_JOINED | (in6->skb ? LNW_EVF_JOIN_SKB : 0) |
		  in6->flags;
	e.proto = in6->proto;
	e.sport = in6->sport;
	e.dport = in6->dport;
	lnw_loopback6_say(&e, in, skb, dev, &a, reason, has_reason, location);
	return 1;
}

/* Could this be ip6_rcv_core()'s drop of ::1? Its reason (>= 6.0), or
 * NOT_SPECIFIED or none before. */
static __always_inline bool lnw_loopback6_reason(__u32 reason, bool has_reason)
{
	if (!has_reason)
		return true;
	if (bpf_core_enum_value_exists(enum skb_drop_reason, SKB_DROP_REASON_IP_INHDR))
		return reason == bpf_core_enum_value(enum skb_drop_reason,
						     SKB_DROP_REASON_IP_INHDR);
	return reason == bpf_core_enum_value(enum skb_drop_reason,
					     SKB_DROP_REASON_NOT_SPECIFIED);
}

/* A ::1 drop no tc program of ours saw: with --all-netns (another
 * namespace's device, or ours hidden from tc) said from the sk_buff's own
 * headers, as IPv4's martians are; else, in our namespace, counted as
 * hidden from tc (tc_missed). Returns 1 when it was a ::1 drop. */
static __always_inline int lnw_loopback6_unseen(struct sk_buff *skb,
						__u32 reason, bool has_reason,
						void *location)
{
	struct lnw_event6 e = {};
	struct lnw_addrs6 a;
	struct net_device *dev;
	unsigned char *nh;
	__u8 nexthdr;

	if (!lnw_loopback6_reason(reason, has_reason) ||
	    skb->protocol != bpf_htons(LNW_ETH_P_IPV6))
		return 0;
	dev = skb->dev;
	if (!dev || (dev->flags & LNW_IFF_LOOPBACK))
		return 0;
	nh = skb->head + skb->network_header;
	if (bpf_probe_read_kernel(&a, sizeof(a), nh + LNW_IP6_ADDRS_OFF) ||
	    (!lnw_is_loopback6(a.daddr) && !lnw_is_loopback6(a.saddr)))
		return 0;
	e.netns = dev->nd_net.net->ns.inum;
	if (!all_netns) {
		if (e.netns == own_netns)
			lnw_stat_inc(LNW_STAT_TC_MISSED);
		return 1;
	}
	if (bpf_probe_read_kernel(&nexthdr, 1, nh + 6)) /* ipv6hdr.nexthdr */
		nexthdr = LNW_NEXTHDR_NONE;
	e.flags = lnw_l4_of6(NULL, nh, sizeof(struct ipv6hdr), nexthdr, &e.proto,
			     &e.sport, &e.dport);
	lnw_loopback6_say(&e, NULL, skb, dev, &a, reason, has_reason, location);
	return 1;
}

#endif /* LNWATCH_LOOPBACK6_BPF_H */

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The route and what follows it: a drop with reason IP_LOCALNET (martian),
 * a FIB lookup for a 127/8 packet from a real device (accepted), any later
 * drop of that accepted packet (rp_filter, firewall, no socket, ...), and
 * an output route that will refuse a 127/8 source (reply refused).
 * Both tracepoints are global and hot: each leaves at its first compare.
 */
/* Linux < 5.12 refuses BPF's atomic exchange (BPF_XCHG: "BPF_STX uses
 * reserved fields", checked on every instruction, reachable or not), which
 * the rate limiter uses to take a flow's held-back count. These programs
 * run on those kernels (sk_data_ready's, 6.6+, keeps the atomic one): read
 * it, then zero it. A count another CPU adds between the two is lost from
 * that flow's next event's "suppressed" (the rate_limited total is a
 * per-CPU count, exact). */
#define __sync_lock_test_and_set(ptr, val)				\
	({ __typeof__(*(ptr)) __old = *(volatile __typeof__(*(ptr)) *)(ptr); \
	   *(volatile __typeof__(*(ptr)) *)(ptr) = (val);		\
	   __old; })
#include "common.bpf.h"
#include "loopback6.bpf.h"
#include <bpf/bpf_tracing.h>

/* Linux >= 6.2: a typed view of any kernel address, read by plain loads
 * (a fault reads 0) instead of a bpf_probe_read_kernel() call (~30 ns). */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;

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

/* Is skb the packet in this CPU's slot? By address, or without the kfunc
 * by receiving interface and source. */
static __always_inline bool lnw_is_inflight(const struct lnw_inflight *in,
					    struct sk_buff *skb, __u32 ifindex,
					    __u32 saddr)
{
	return in->skb ? in->skb == (__u64)skb :
			 in->ifindex == ifindex && in->saddr == saddr;
}

/* The accepted packet is dropped after all: its fate, reason by name. */
static __always_inline int lnw_fate_drop(struct lnw_inflight *in,
					 struct sk_buff *skb, __u32 reason,
					 __u8 reason_src, void *location)
{
	struct lnw_event e;

	if (!in->skb) {
		struct net_device *dev = BPF_CORE_READ(skb, dev);
		struct iphdr *iph = (void *)(BPF_CORE_READ(skb, head) +
					     BPF_CORE_READ(skb, network_header));

		if (!dev || !lnw_is_inflight(in, skb, BPF_CORE_READ(dev, ifindex),
					      BPF_CORE_READ(iph, saddr)))
			return 0;
	} else if (in->skb != (__u64)skb) {
		return 0;
	}
	if (!lnw_fate_begin(in, &e, LNW_DROP))
		return 0;
	e.reason = reason;
	e.reason_src = reason_src;
	e.drop_loc = (__u64)location;
	lnw_report_rx(&e, in);
	return 0;
}

/* A typed sk_buff's headers, as the route input saw them: with the kfunc
 * by plain loads, else by helper reads. */
static __always_inline void lnw_skb_tuple_typed(struct sk_buff *skb,
					      struct lnw_event *e, bool cast)
{
	unsigned char *head = skb->head;
	__u16 nh = skb->network_header, th = skb->transport_header;
	struct iphdr *iph;
	struct udphdr *ports;

	if (!cast) {
		lnw_read_tuple_at(head, nh, th, e);
		return;
	}
	iph = bpf_rdonly_cast(head + nh, bpf_core_type_id_kernel(struct iphdr));
	e->saddr = iph->saddr;
	e->daddr = iph->daddr;
	e->proto = iph->protocol;
	if (iph->frag_off & bpf_htons(LNW_IP_MF | LNW_IP_OFFSET))
		e->flags |= LNW_EVF_FRAGMENT;
	if (iph->frag_off & bpf_htons(LNW_IP_OFFSET)) {
		e->flags |= LNW_EVF_PORTS_UNKNOWN; /* the first fragment has them */
		return;
	}
	if ((e->proto != IPPROTO_TCP && e->proto != IPPROTO_UDP) || th == nh)
		return;
	/* TCP's ports are where UDP's are */
	ports = bpf_rdonly_cast(head + th, bpf_core_type_id_kernel(struct udphdr));
	e->sport = bpf_ntohs(ports->source);
	e->dport = bpf_ntohs(ports->dest);
}

/* 1 when the drop is a martian (said or only counted), 0 when it is not
 * one of ours: the caller then tries the other verdicts. The hot path of
 * a flood: skb is the tracepoint's typed pointer, so its fields (and the
 * device's) are plain loads, not helper reads; so are the headers with
 * the kfunc. What only an event needs is read after the limiter said send. */
static __always_inline int lnw_martian(struct sk_buff *skb, __u32 reason,
				       bool inferred, void *location, bool cast)
{
	struct lnw_event e = {};
	int send;
	struct lnw_inflight *in;
	struct net_device *dev;

	dev = skb->dev;
	if (!dev || (dev->flags & LNW_IFF_LOOPBACK))
		return 0;
	lnw_skb_tuple_typed(skb, &e, cast);
	if (lnw_is_loopback(e.daddr))
		e.verdict = LNW_MARTIAN_DST;
	else if (lnw_is_loopback(e.saddr))
		e.verdict = LNW_MARTIAN_SRC;
	else
		return 0;
	e.netns = dev->nd_net.net->ns.inum;
	if (!all_netns && e.netns != own_netns)
		return 0;
	e.ifindex = dev->ifindex;

	in = lnw_inflight_get();
	if (in && in->state == LNW_IN_ARRIVED &&
	    lnw_is_inflight(in, skb, e.ifindex, e.saddr))
		e.flags |= LNW_EVF_JOINED | (in->skb ? LNW_EVF_JOIN_SKB : 0);
	/* Outside --all-netns, only packets that crossed our tc program; one
	 * that did not was hidden from it: counted, for the summary to say */
	if (!all_netns && !(e.flags & LNW_EVF_JOINED)) {
		lnw_stat_inc(LNW_STAT_TC_MISSED);
		return 0;
	}

	if (inferred) {
		lnw_read_flags_typed(dev, &e);
		/* A martian drop happens before a route is attached, and only
		 * when the effective flag is off. */
		if (e.rl_eff || skb->_skb_refdst)
			return 0;
		e.reason_src = LNW_REASON_INFERRED;
	} else {
		e.reason_src = LNW_REASON_KERNEL;
	}
	e.reason = reason;
	e.len = skb->len;
	if ((e.flags & LNW_EVF_JOINED) && in) { /* older verifiers lose that flags implies in */
		lnw_orig_from_ingress(in, &e);
		in->state = LNW_IN_NONE;
	} else {
		lnw_read_ct_orig(skb, &e);
		in = NULL; /* no ingress time to measure from */
	}
	/* under a flood most are only counted: the rest is read after */
	send = lnw_account_clock(&e, in, true);
	if (!send)
		return 1;
	e.drop_loc = (__u64)location;
	if (!inferred)
		lnw_read_flags_typed(dev, &e);
	__builtin_memcpy(e.ifname, dev->name, sizeof(e.ifname));
	lnw_emit(&e, send);
	return 1;
}

/* Dropped between tc ingress and the route decision (raw, mangle or nat
 * PREROUTING, a netdev ingress rule, bad headers, another tc program): a
 * drop, with the kernel's reason, of a packet to or from 127/8 on the wire
 * or DNAT'd to it. The skb (or, without the kfunc, device and source) must
 * be the slot's, and so must its source: the route has not run yet. */
static __always_inline int lnw_preroute_drop(struct lnw_inflight *in,
					     struct sk_buff *skb, __u32 reason,
					     __u8 reason_src, void *location)
{
	struct lnw_event e = {};
	int send;
	struct net_device *dev;
	int handled;

	if (in->skb && in->skb != (__u64)skb)
		return 0;
	dev = BPF_CORE_READ(skb, dev);
	if (!dev)
		return 0;
	e.ifindex = BPF_CORE_READ(dev, ifindex);
	if (!in->skb && e.ifindex != in->ifindex)
		return 0; /* by address the device may be the port's bridge */
	lnw_read_skb_tuple(skb, &e);
	if (e.saddr != in->saddr ||
	    !(lnw_is_loopback(in->daddr) || lnw_is_loopback(in->saddr) ||
	      lnw_is_loopback(e.daddr)))
		return 0;
	e.netns = lnw_dev_netns(dev);
	if (!all_netns && e.netns != own_netns)
		return 0;
	in->state = LNW_IN_NONE;
	handled = 1;
	if (e.daddr == in->daddr) { /* no DNAT: the wire's ports, read at tc */
		e.proto = in->proto;
		e.sport = in->sport;
		e.dport = in->dport;
	}
	e.verdict = LNW_DROP;
	e.flags = LNW_EVF_JOINED | (in->skb ? LNW_EVF_JOIN_SKB : 0);
	e.reason = reason;
	e.reason_src = reason_src;
	e.drop_loc = (__u64)location;
	e.len = BPF_CORE_READ(skb, len);
	lnw_orig_from_ingress(in, &e);
	send = lnw_account(&e, in);
	if (!send)
		return handled;
	lnw_read_flags(dev, &e);
	BPF_CORE_READ_STR_INTO(&e.ifname, dev, name);
	lnw_emit(&e, send);
	return handled;
}

/* A local process's packet from 127/8 to a real address (a DNAT in nat
 * OUTPUT sent it off the host, as kube-proxy's localhost NodePorts do),
 * dropped before it left: ip_route_me_harder() found the output device's
 * route_localnet off and netfilter dropped it. It has no device yet, but
 * a socket; the device is found in user space from the destination. */
static __always_inline int lnw_local_refused(struct sk_buff *skb, __u32 reason,
					     __u8 reason_src, void *location)
{
	struct lnw_event e = {};
	int send;
	struct sock *sk;

	if (BPF_CORE_READ(skb, dev))
		return 0;
	sk = BPF_CORE_READ(skb, sk);
	if (!sk)
		return 0;
	lnw_read_skb_tuple(skb, &e);
	if (!lnw_is_loopback(e.saddr) || !e.daddr || lnw_is_loopback(e.daddr))
		return 0;
	e.netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	if (!all_netns && e.netns != own_netns)
		return 0;
	e.verdict = LNW_LOCAL_REFUSED;
	e.reason = reason;
	e.reason_src = reason_src;
	e.len = BPF_CORE_READ(skb, len);
	lnw_read_ct_orig(skb, &e);
	send = lnw_account(&e, NULL);
	if (!send)
		return 0;
	e.drop_loc = (__u64)location;
	e.rl_all = e.rl_dev = e.rl_eff = LNW_FLAG_UNKNOWN;
	/* the owner from the socket: a retransmit runs in no process of its */
	e.sock_ino = BPF_CORE_READ(sk, sk_socket, file, f_inode, i_ino);
	e.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	lnw_emit(&e, send);
	return 0;
}

/* Every drop: a martian first, then the followed packet's fate, a drop
 * before its route, or a local packet refused on its way out. Without a
 * reason argument (before 5.17) every drop is a martian candidate and its
 * inference decides; the other verdicts then carry no reason. */
static __always_inline int lnw_kfree(struct sk_buff *skb, void *location,
				     __u32 reason, bool has_reason, bool cast)
{
	__u8 src = has_reason ? LNW_REASON_KERNEL : LNW_REASON_NONE;
	struct lnw_inflight *in;
	bool inferred = true;

	if ((!has_reason || lnw_localnet_reason(reason, &inferred)) &&
	    lnw_martian(skb, reason, inferred, location, cast))
		return 0;
	in = lnw_inflight_get();
	if (in && in->state == LNW_IN_ACCEPTED)
		return lnw_fate_drop(in, skb, reason, src, location);
	/* dropped before its route, or DNAT'd away from 127/8 and dropped
	 * before it got there (a FORWARD or INPUT rule) */
	if (in && (in->state == LNW_IN_ARRIVED || in->state == LNW_IN_DNAT_AWAY) &&
	    lnw_preroute_drop(in, skb, reason, src, location))
		return 0;
	if (in && in->state == LNW_IN_LOOPBACK6 &&
	    lnw_loopback6_drop(in, skb, reason, has_reason, location))
		return 0;
	if (lnw_loopback6_unseen(skb, reason, has_reason, location))
		return 0;
	return lnw_local_refused(skb, reason, src, location);
}

SEC("tp_btf/kfree_skb")
int BPF_PROG(lnw_kfree_skb, struct sk_buff *skb, void *location,
	     enum skb_drop_reason reason)
{
	return lnw_kfree(skb, location, reason, true, true);
}

/* 5.17 to 6.1: the reason, but no bpf_rdonly_cast to read headers with. */
SEC("tp_btf/kfree_skb")
int BPF_PROG(lnw_kfree_skb_nocast, struct sk_buff *skb, void *location,
	     enum skb_drop_reason reason)
{
	return lnw_kfree(skb, location, reason, true, false);
}

/* The tracepoint before 5.17 (skb, location): reading a third argument
 * there is refused by the verifier. The loader picks one of the three from
 * the parameters of the kernel's btf_trace_kfree_skb and its kfuncs. */
SEC("tp_btf/kfree_skb")
int BPF_PROG(lnw_kfree_skb_noreason, struct sk_buff *skb, void *location)
{
	return lnw_kfree(skb, location, 0, false, false);
}

/* An accepted packet's peer, for telling a refused reply from a first
 * packet (lnw_reply_route). */
static __always_inline void lnw_peer_note(const struct lnw_event *e)
{
	struct lnw_peer_key k;
	__u8 one = 1;

	/* port 0: a DNAT may have moved the port the wire showed (no sk_buff
	 * to read it from, before 6.3): any port of that address */
	lnw_peer_key_of(&k, e->netns, e->daddr,
			e->flags & LNW_EVF_PORTS_UNKNOWN ? 0 : e->dport, e->saddr, e->proto);
	if (bpf_map_lookup_elem(&peers, &k)) /* and the LRU knows it is in use */
		return;
	if (!bpf_map_update_elem(&peers, &k, &one, BPF_NOEXIST))
		lnw_stat_inc(LNW_STAT_PEERS_NEW);
}

/* An output route from a 127/8 source to a real device whose flag is off:
 * __mkroute_output() will refuse it (-EINVAL), so the packet never leaves:
 * a refused reply, or a local process's own packet (local-refused). */
static __always_inline int lnw_reply_route(const struct flowi4 *flp,
					   const struct fib_nh_common *nhc)
{
	struct lnw_peer_key peer;
	struct lnw_event e = {};
	struct net_device *dev;

	/* Source validation looks up with protocol 0; sockets never do. */
	e.proto = flp->__fl_common.flowic_proto;
	if (!e.proto || !nhc)
		return 0;
	e.saddr = flp->saddr;
	e.daddr = flp->daddr;
	if (lnw_is_loopback(e.daddr))
		return 0;
	/* typed: plain loads (an ICMP error to a flood's source asks this
	 * for every packet, and the flag on ends it here) */
	dev = nhc->nhc_dev;
	if (!dev || (dev->flags & LNW_IFF_LOOPBACK))
		return 0;
	lnw_read_flags_typed(dev, &e);
	if (e.rl_eff)
		return 0;
	e.netns = dev->nd_net.net->ns.inum;
	if (!all_netns && e.netns != own_netns)
		return 0;
	lnw_peer_key_of(&peer, e.netns, e.saddr, bpf_ntohs(flp->uli.ports.sport),
			e.daddr, e.proto);
	/* to a peer whose packet to this address and port was accepted: a
	 * reply; else the process's own first packet (a UDP sendto from a
	 * 127.x-bound socket, refused before any sk_buff exists) */
	e.verdict = LNW_REPLY_REFUSED;
	if (!bpf_map_lookup_elem(&peers, &peer)) {
		peer.local_port = 0; /* noted without its port (lnw_peer_note) */
		if (!bpf_map_lookup_elem(&peers, &peer))
			e.verdict = LNW_LOCAL_REFUSED;
	}
	e.ifindex = dev->ifindex;
	e.fib_oif = e.ifindex;
	e.sport = bpf_ntohs(flp->uli.ports.sport);
	e.dport = bpf_ntohs(flp->uli.ports.dport);
	e.orig_daddr = e.daddr;
	e.orig_dport = e.dport;
	e.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	__builtin_memcpy(e.ifname, dev->name, sizeof(e.ifname));
	lnw_report(&e, NULL);
	return 0;
}

/* The route input found a route for a 127/8 packet: accepted. cast: the
 * followed sk_buff (an address in the slot) read through bpf_rdonly_cast
 * by plain loads (6.2+), else by helper reads. */
static __always_inline int lnw_fib(u32 tb_id, const struct flowi4 *flp,
				   const struct fib_nh_common *nhc, int err,
				   bool cast)
{
	struct lnw_event e = {};
	int send;
	struct lnw_inflight *in;
	struct net_device *dev;
	struct sk_buff *skb;
	__u32 iif = flp->__fl_common.flowic_iif;

	e.saddr = flp->saddr;
	e.daddr = flp->daddr;
	if (!lnw_is_loopback(e.saddr) && !lnw_is_loopback(e.daddr))
		return 0;
	if (err)
		return 0; /* policy routing tries the next table */
	/* Output routes and source validation use the loopback ifindex. */
	if (iif == LNW_LOOPBACK_IFINDEX)
		return lnw_is_loopback(e.saddr) ? lnw_reply_route(flp, nhc) : 0;
	in = lnw_inflight_get();
	/* with the sk_buff, its device is checked below: it may be the
	 * bridge above the port tc saw it on (br_netfilter routes there) */
	if (!in || in->state != LNW_IN_ARRIVED || (!in->skb && in->ifindex != iif) ||
	    in->saddr != e.saddr)
		return 0;

	e.verdict = LNW_ACCEPT;
	e.ifindex = iif;
	e.fib_table = tb_id;
	if (nhc && nhc->nhc_dev)
		e.fib_oif = nhc->nhc_dev->ifindex;
	skb = (struct sk_buff *)in->skb;
	if (skb && cast) {
		skb = bpf_rdonly_cast(skb, bpf_core_type_id_kernel(struct sk_buff));
		dev = skb->dev;
		/* A stale slot would name another device: refuse the join. */
		if (!dev || (__u32)dev->ifindex != iif)
			return 0;
		e.flags = LNW_EVF_JOINED | LNW_EVF_JOIN_SKB;
		lnw_skb_tuple_typed(skb, &e, true);
		e.len = skb->len;
		e.netns = dev->nd_net.net->ns.inum;
		lnw_read_flags_typed(dev, &e);
		__builtin_memcpy(e.ifname, dev->name, sizeof(e.ifname));
	} else if (skb) {
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
		if (in->frag)
			e.flags |= LNW_EVF_FRAGMENT;
		if (in->frag && !in->sport && !in->dport)
			e.flags |= LNW_EVF_PORTS_UNKNOWN; /* not the first fragment */
		e.len = in->len;
		e.netns = own_netns;
		/* The lookup itself proves all || dev; which one is unknown. */
		e.rl_all = e.rl_dev = LNW_FLAG_UNKNOWN;
		e.rl_eff = 1;
	}
	if (!all_netns && e.netns != own_netns)
		return 0;
	lnw_orig_from_ingress(in, &e);
	/* Follow it: its drop or its socket is the rest of the story. */
	lnw_accept_time(in, &e);
	in->state = LNW_IN_ACCEPTED;
	__builtin_memcpy(&in->acc, &e, sizeof(e));
	/* Without conntrack's defrag each fragment is routed: the datagram's
	 * accept is its first fragment's. The others are followed, unsaid:
	 * whichever completes the datagram carries it to its socket. */
	if ((e.flags & LNW_EVF_FRAGMENT) && (e.flags & LNW_EVF_PORTS_UNKNOWN))
		return 0;
	send = lnw_account_clock(&e, in, true);
	if (send) {
		lnw_peer_note(&e);
		lnw_emit(&e, send);
	} else if (lnw_filtered(e.verdict, e.saddr, e.dport, e.orig_dport)) {
		lnw_peer_note(&e); /* not shown, but its reply is still a reply */
	}
	return 0;
}

SEC("tp_btf/fib_table_lookup")
int BPF_PROG(lnw_fib_lookup, u32 tb_id, const struct flowi4 *flp,
	     const struct fib_nh_common *nhc, int err)
{
	return lnw_fib(tb_id, flp, nhc, err, true);
}

/* Before 6.2: no bpf_rdonly_cast. The loader picks one of the two. */
SEC("tp_btf/fib_table_lookup")
int BPF_PROG(lnw_fib_lookup_nocast, u32 tb_id, const struct flowi4 *flp,
	     const struct fib_nh_common *nhc, int err)
{
	return lnw_fib(tb_id, flp, nhc, err, false);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

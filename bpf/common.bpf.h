/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * State shared by the tc and tracepoint programs. The objects are linked
 * into one by `bpftool gen object`; __weak lets each file see one copy.
 */
#ifndef LNWATCH_COMMON_BPF_H
#define LNWATCH_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "lnwatch.h"

#define LNW_LOOPBACK_IFINDEX 1
#define LNW_IFF_LOOPBACK 0x8
#define LNW_NFCT_PTRMASK (~7UL)
#define LNW_IP_MF 0x2000     /* more fragments */
#define LNW_IP_OFFSET 0x1fff /* fragment offset, in 8-byte units */
/* Route to socket runs in one softirq: a fate later than this is not the
 * followed packet's (its sk_buff address may have been reused since). */
#define LNW_FATE_WINDOW_NS 10000000ULL

/* Settings, written by the loader before load. */
const volatile __u32 own_netns __weak = 0;     /* netns the loader watches */
const volatile bool all_netns __weak = false;  /* report every namespace */
const volatile bool force_infer __weak = false; /* test the pre-6.13 path */
const volatile __u32 wake_bytes __weak = 0;    /* wake reader past this */
/* IPV4_DEVCONF_ROUTE_LOCALNET - 1: the enum is anonymous, so CO-RE cannot
 * name it; the loader resolves it from the kernel's BTF. */
const volatile __u32 rl_devconf_idx __weak = 25;
const volatile bool want_latency __weak = false; /* ktime at tc ingress */
const volatile __u32 rate_per_flow __weak = 0;   /* events/s, 0: all */
/* ns per jiffy (the coarse clocks' resolution), 0 if unknown: a flood's
 * held-back packets are timed by jiffies, not by the clock (~40 ns a read
 * in a VM) */
const volatile __u32 tick_ns __weak = 0;
/* Filters, applied to counters and events alike (0: off). */
const volatile __u16 filter_port __weak = 0;    /* routed or original */
const volatile __u32 filter_src_net __weak = 0; /* network byte order */
const volatile __u32 filter_src_mask __weak = 0;
const volatile __u32 verdict_mask __weak = 0;   /* 1 << enum lnw_verdict */

/* The maps every program shares; __weak: one copy once the hook families'
 * objects are linked. */
#define LNW_MAP(name, kind, max, key_type, value_type)		\
	struct {						\
		__uint(type, kind);				\
		__uint(max_entries, max);			\
		__type(key, key_type);				\
		__type(value, value_type);			\
	} name SEC(".maps") __weak

LNW_MAP(inflight, BPF_MAP_TYPE_PERCPU_ARRAY, 1, __u32, struct lnw_inflight);

LNW_MAP(counters, BPF_MAP_TYPE_PERCPU_HASH, 16384, struct lnw_counter_key, struct lnw_counter_val);

LNW_MAP(counters_hot, BPF_MAP_TYPE_PERCPU_ARRAY, LNW_HOT_SLOTS, __u32, struct lnw_hot_counter);

LNW_MAP(stats, BPF_MAP_TYPE_PERCPU_ARRAY, LNW_STAT_MAX, __u32, __u64);

LNW_MAP(flows, BPF_MAP_TYPE_LRU_HASH, 8192, struct lnw_flow_key, struct lnw_flow_state);

/* Flows over their limit, until their window ends: a flood's packets are
 * held back here, by a compare, without hashing into "flows". A slot by a
 * cheap hash of the key; another flow over its limit takes it over. */
#define LNW_HELD_SLOTS 256
struct lnw_held {
	struct lnw_flow_key key;
	__u64 until_ns;   /* the flow's window end; 0: free */
	__u64 until_jiffies; /* jiffies before which it surely has not ended */
	__u64 held;       /* held back here, not yet in the flow's state */
};
LNW_MAP(flows_held, BPF_MAP_TYPE_ARRAY, LNW_HELD_SLOTS, __u32, struct lnw_held);

LNW_MAP(exposure_pkts, BPF_MAP_TYPE_PERCPU_HASH, 1024, struct lnw_exposure_key, __u64);

/* Peers whose packets to 127/8 were accepted, by namespace, local address
 * and port: an output route that refuses a 127/8 source towards one of
 * them is a reply; towards anyone else, the local process's own packet.
 * Noted with the accept's event (once a flow window), not per packet. */
struct lnw_peer_key {
	__u32 netns;
	__u32 local;
	__u32 peer;
	__u16 local_port;
	__u8 proto;
	__u8 pad;
};
LNW_MAP(peers, BPF_MAP_TYPE_LRU_HASH, LNW_PEERS_MAX, struct lnw_peer_key, __u8);

static __always_inline void lnw_peer_key_of(struct lnw_peer_key *k, __u32 netns,
					    __u32 local, __u16 local_port,
					    __u32 peer, __u8 proto)
{
	k->netns = netns;
	k->local = local;
	k->peer = peer;
	k->local_port = local_port;
	k->proto = proto;
	k->pad = 0;
}

/* log2 histogram of tc ingress -> verdict, per verdict */
LNW_MAP(latency, BPF_MAP_TYPE_PERCPU_ARRAY, LNW_VERDICT_MAX * LNW_LAT_SLOTS, __u32, __u64);

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20); /* resized by the loader */
} events SEC(".maps") __weak;

static __always_inline bool lnw_is_loopback(__u32 be_addr)
{
	return (bpf_ntohl(be_addr) >> 24) == 127;
}

static __always_inline void lnw_stat_inc(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	if (v)
		*v += 1;
}

/* Counted on the receive path only (BH off: nothing of ours nests there,
 * so claiming a free slot needs no atomics). */
static __always_inline bool lnw_hot_verdict(__u8 verdict)
{
	return verdict == LNW_SEEN || verdict == LNW_MARTIAN_DST ||
	       verdict == LNW_MARTIAN_SRC || verdict == LNW_ACCEPT;
}

/* The receive path's counters: the slot it was counted in, or NULL (the
 * key's slot is another key's: the caller counts it in the hash). */
static __always_inline struct lnw_hot_counter *
lnw_count_hot(__u32 netns, __u32 ifindex, __u8 verdict, __u16 reason, __u32 bytes)
{
	__u32 idx = LNW_HOT_SLOT(netns, ifindex, verdict, reason);
	struct lnw_hot_counter *h = bpf_map_lookup_elem(&counters_hot, &idx);

	if (!h)
		return NULL;
	if (!h->used) {
		h->key.netns = netns;
		h->key.ifindex = ifindex;
		h->key.verdict = verdict;
		h->key.reason = reason;
		h->val.packets = 1;
		h->val.bytes = bytes;
		h->used = 1;
		return h;
	}
	if (h->key.netns != netns || h->key.ifindex != ifindex ||
	    h->key.verdict != verdict || h->key.reason != reason)
		return NULL; /* another key's slot: the hash */
	h->val.packets += 1; /* per-CPU value: no atomics needed */
	h->val.bytes += bytes;
	return h;
}

/* Count a verdict; the per-CPU array slot it went to, if one. */
static __always_inline struct lnw_hot_counter *
lnw_count(__u32 netns, __u32 ifindex, __u8 verdict, __u16 reason, __u32 bytes)
{
	struct lnw_counter_key key = {
		.netns = netns, .ifindex = ifindex,
		.verdict = verdict, .reason = reason,
	};
	struct lnw_counter_val *val, init = { .packets = 1, .bytes = bytes };
	struct lnw_hot_counter *hot;

	if (lnw_hot_verdict(verdict)) {
		hot = lnw_count_hot(netns, ifindex, verdict, reason, bytes);
		if (hot)
			return hot;
	}
	val = bpf_map_lookup_elem(&counters, &key);
	if (val) {
		val->packets += 1; /* per-CPU value: no atomics needed */
		val->bytes += bytes;
		return NULL;
	}
	if (bpf_map_update_elem(&counters, &key, &init, BPF_NOEXIST)) {
		/* lost the race to another program on this CPU, or full */
		val = bpf_map_lookup_elem(&counters, &key);
		if (val) {
			val->packets += 1;
			val->bytes += bytes;
		} else {
			lnw_stat_inc(LNW_STAT_CNT_FULL);
		}
	}
	return NULL;
}

/* An observed exposure's packet, exactly: events are rate-limited, this
 * count is not. */
static __always_inline void lnw_count_exposure(const struct lnw_event *e)
{
	struct lnw_exposure_key key = {
		.netns = e->netns, .ifindex = e->ifindex, .saddr = e->saddr,
		.sock_addr = e->sock_addr, .sock_port = e->sock_port, .proto = e->proto,
	};
	__u64 *val, one = 1;

	val = bpf_map_lookup_elem(&exposure_pkts, &key);
	if (!val) {
		if (!bpf_map_update_elem(&exposure_pkts, &key, &one, BPF_NOEXIST))
			return;
		val = bpf_map_lookup_elem(&exposure_pkts, &key); /* raced, or full */
	}
	if (val)
		*val += 1; /* per-CPU value: no atomics needed */
	else
		lnw_stat_inc(LNW_STAT_CNT_FULL);
}

static __always_inline __u32 lnw_dev_netns(struct net_device *dev)
{
	return BPF_CORE_READ(dev, nd_net.net, ns.inum);
}

/* route_localnet exactly as ip_route_input_slow() evaluates it. */
static __always_inline void lnw_read_flags(struct net_device *dev,
					   struct lnw_event *e)
{
	__u32 idx = rl_devconf_idx;
	struct ipv4_devconf *all = BPF_CORE_READ(dev, nd_net.net, ipv4.devconf_all);
	struct in_device *in_dev = BPF_CORE_READ(dev, ip_ptr);
	unsigned long data_off = bpf_core_field_offset(struct ipv4_devconf, data);
	int v_all = 0, v_dev = 0;

	if (idx > 63)
		return;
	if (all)
		bpf_probe_read_kernel(&v_all, sizeof(v_all),
				      (char *)all + data_off + idx * sizeof(int));
	if (in_dev)
		bpf_probe_read_kernel(&v_dev, sizeof(v_dev),
				      (char *)in_dev +
				      bpf_core_field_offset(struct in_device, cnf) +
				      data_off + idx * sizeof(int));
	e->rl_all = v_all != 0;
	e->rl_dev = v_dev != 0;
	e->rl_eff = e->rl_all || e->rl_dev;
}

/* The same, from the tracepoint's typed device: plain loads (the index is
 * a read-only setting, so a constant offset to the verifier). */
static __always_inline void lnw_read_flags_typed(struct net_device *dev,
						 struct lnw_event *e)
{
	struct ipv4_devconf *all = dev->nd_net.net->ipv4.devconf_all;
	struct in_device *in_dev = dev->ip_ptr;
	__u32 idx = rl_devconf_idx;

	if (idx >= sizeof(all->data) / sizeof(all->data[0]))
		return;
	e->rl_all = all && all->data[idx];
	e->rl_dev = in_dev && in_dev->cnf.data[idx];
	e->rl_eff = e->rl_all || e->rl_dev;
}

/* Addresses and ports from the headers at head + nh and head + th: one
 * read when the ports follow a 20-byte IP header, as they nearly always do. */
static __always_inline void lnw_read_tuple_at(unsigned char *head, __u16 nh,
					      __u16 th, struct lnw_event *e)
{
	struct { struct iphdr iph; __u16 ports[2]; } h = {};
	bool ports_read = th == nh + sizeof(h.iph);

	if (bpf_probe_read_kernel(&h, ports_read ? sizeof(h) : sizeof(h.iph),
				  head + nh))
		return;
	e->saddr = h.iph.saddr;
	e->daddr = h.iph.daddr;
	e->proto = h.iph.protocol;
	if (h.iph.frag_off & bpf_htons(LNW_IP_MF | LNW_IP_OFFSET))
		e->flags |= LNW_EVF_FRAGMENT;
	if (h.iph.frag_off & bpf_htons(LNW_IP_OFFSET))
		e->flags |= LNW_EVF_PORTS_UNKNOWN; /* the first fragment has them */
	if ((h.iph.protocol != IPPROTO_TCP && h.iph.protocol != IPPROTO_UDP) ||
	    (h.iph.frag_off & bpf_htons(LNW_IP_OFFSET)) || th == nh)
		return;
	if (ports_read ||
	    !bpf_probe_read_kernel(h.ports, sizeof(h.ports), head + th)) {
		e->sport = bpf_ntohs(h.ports[0]);
		e->dport = bpf_ntohs(h.ports[1]);
	}
}

/* Addresses and ports from an skb whose headers ip_rcv_core() has set
 * (an address, not a typed pointer: every field a helper read). */
static __always_inline void lnw_read_skb_tuple(struct sk_buff *skb,
					       struct lnw_event *e)
{
	lnw_read_tuple_at(BPF_CORE_READ(skb, head), BPF_CORE_READ(skb, network_header),
			  BPF_CORE_READ(skb, transport_header), e);
}

/* Conntrack's original destination, when NAT rewrote the packet. */
static __always_inline void lnw_read_ct_orig(struct sk_buff *skb,
					     struct lnw_event *e)
{
	struct nf_conn *ct;
	__u32 daddr;
	__u16 dport;

	if (!bpf_core_type_exists(struct nf_conn))
		return;
	ct = (struct nf_conn *)(BPF_CORE_READ(skb, _nfct) & LNW_NFCT_PTRMASK);
	if (!ct)
		return;
	daddr = BPF_CORE_READ(ct, tuplehash[0].tuple.dst.u3.ip);
	dport = bpf_ntohs(BPF_CORE_READ(ct, tuplehash[0].tuple.dst.u.all));
	if (daddr && (daddr != e->daddr || dport != e->dport)) {
		e->orig_daddr = daddr;
		e->orig_dport = dport;
		e->orig_src = LNW_ORIG_CONNTRACK;
	}
}

/* The original destination is what tc ingress saw, if the join holds. */
static __always_inline void lnw_orig_from_ingress(const struct lnw_inflight *in,
						  struct lnw_event *e)
{
	/* a fragment after the first has no ports on the wire: only its
	 * address can tell a DNAT */
	if (in->daddr != e->daddr ||
	    (in->dport != e->dport && !(e->flags & LNW_EVF_PORTS_UNKNOWN) &&
	     !(in->frag && !in->dport))) {
		e->orig_daddr = in->daddr;
		e->orig_dport = in->dport;
		e->orig_src = LNW_ORIG_INGRESS;
	}
}

static __always_inline struct lnw_inflight *lnw_inflight_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&inflight, &zero);
}

/* -p, -s and --verdict: true when the user asked not to see this. */
static __always_inline bool lnw_filtered(__u8 verdict, __u32 saddr,
					 __u16 dport, __u16 orig_dport)
{
	if (verdict_mask && !(verdict_mask & (1U << verdict)))
		return true;
	if (filter_src_mask && (saddr & filter_src_mask) != filter_src_net)
		return true;
	return filter_port && dport != filter_port && orig_dport != filter_port;
}

static __always_inline __u32 lnw_log2(__u64 v)
{
	__u32 r = 0;

#pragma unroll
	for (int shift = 32; shift > 0; shift >>= 1) {
		if (v >= (1ULL << shift)) {
			v >>= shift;
			r += shift;
		}
	}
	return r;
}

/* Note when the followed packet was accepted: by jiffies where the loader
 * gave their length (a load, not a ~40 ns clock read), else the clock. */
static __always_inline void lnw_accept_time(struct lnw_inflight *in,
					    struct lnw_event *e)
{
	if (tick_ns)
		in->acc_jiffies = bpf_jiffies64();
	else
		e->ts_ns = bpf_ktime_get_ns();
}

/* The followed packet's fate starts from its accept event; false when the
 * slot is too old to be this packet's. The event's time is read when it
 * is sent (lnw_account). */
static __always_inline bool lnw_fate_begin(struct lnw_inflight *in,
					   struct lnw_event *e, __u8 verdict)
{
	in->state = LNW_IN_NONE;
	if (tick_ns) {
		/* a jiffy more: the accept may have been late in its tick */
		if (bpf_jiffies64() - in->acc_jiffies > LNW_FATE_WINDOW_NS / tick_ns + 1)
			return false;
	} else if (bpf_ktime_get_ns() - in->acc.ts_ns > LNW_FATE_WINDOW_NS) {
		return false;
	}
	__builtin_memcpy(e, &in->acc, sizeof(*e));
	e->verdict = verdict;
	e->ts_ns = 0;
	e->suppressed = 0;
	return true;
}

static __always_inline void lnw_latency_add(struct lnw_event *e,
					    const struct lnw_inflight *in)
{
	__u32 slot;
	__u64 *cnt;

	if (!want_latency || !in || !in->ts_ns || e->ts_ns < in->ts_ns)
		return;
	e->latency_ns = e->ts_ns - in->ts_ns;
	slot = lnw_log2(e->latency_ns);
	if (slot >= LNW_LAT_SLOTS)
		slot = LNW_LAT_SLOTS - 1;
	slot += (__u32)e->verdict * LNW_LAT_SLOTS;
	cnt = bpf_map_lookup_elem(&latency, &slot);
	if (cnt)
		*cnt += 1;
}

static __always_inline void lnw_flow_key_of(const struct lnw_event *e,
					    struct lnw_flow_key *k)
{
	k->netns = e->netns;
	k->ifindex = e->ifindex;
	k->saddr = e->saddr;
	k->daddr = e->daddr;
	k->orig_daddr = e->orig_daddr;
	k->dport = e->dport;
	k->proto = e->proto;
	k->verdict = e->verdict;
}

static __always_inline bool lnw_flow_key_eq(const struct lnw_flow_key *a,
					    const struct lnw_flow_key *b)
{
	return a->saddr == b->saddr && a->daddr == b->daddr &&
	       a->ifindex == b->ifindex && a->netns == b->netns &&
	       a->orig_daddr == b->orig_daddr && a->dport == b->dport &&
	       a->proto == b->proto && a->verdict == b->verdict;
}

static __always_inline struct lnw_held *lnw_held_slot(const struct lnw_flow_key *k)
{
	__u32 idx = (k->saddr ^ k->daddr ^ k->orig_daddr ^ k->ifindex ^
		     ((__u32)k->dport << 16 | (__u32)k->proto << 8 | k->verdict)) *
		    2654435761U >> 24;

	return bpf_map_lookup_elem(&flows_held, &idx);
}

/* When route_localnet was last written (lnw_sysctl, before the write
 * takes effect): a time cached before it would put a packet the write let
 * in before the write's own event. */
__u64 lnw_flag_write_ns __weak;

/* An event's time, to a jiffy where the caller is a tracing program (it
 * has bpf_jiffies64; the coarse clock's helper is refused there): one
 * clock read a tick per CPU and counter slot, kept beside its counts. A
 * TSC read costs ~50 ns in a VM, a third of an emitted event. Exact with
 * --latency. */
static __always_inline __u64 lnw_event_time(struct lnw_hot_counter *hot,
					    bool jiffies)
{
	__u64 j;

	if (!hot || !jiffies || !tick_ns || want_latency)
		return bpf_ktime_get_ns();
	j = bpf_jiffies64();
	if (j != hot->time_jiffies || hot->time_ns < lnw_flag_write_ns) {
		hot->time_ns = bpf_ktime_get_ns();
		hot->time_jiffies = j;
	}
	return hot->time_ns;
}

/* A jiffy read may lag the clock by a tick, and a tick may be late: the
 * last ticks of a window are left to the flow table. */
#define LNW_JIFFY_SLACK 2

/* The flow is known to be over its limit until its window ends: held
 * back. jiffies: timed by bpf_jiffies64() (a load) where the caller's
 * program type has it; else *now is the clock read (0 if not yet). */
static __always_inline bool lnw_held_back(struct lnw_held *h,
					  const struct lnw_flow_key *k,
					  __u64 *now, bool jiffies,
					  struct lnw_hot_counter *hot)
{
	if (!h->until_ns || !lnw_flow_key_eq(&h->key, k))
		return false;
	if (jiffies && tick_ns) {
		if (bpf_jiffies64() >= h->until_jiffies)
			return false; /* near or past the end: the flow table */
	} else {
		if (!*now)
			*now = bpf_ktime_get_ns();
		if (*now > h->until_ns)
			return false; /* a new window: the flow table decides */
	}
	__sync_fetch_and_add(&h->held, 1);
	if (hot)
		hot->rate_limited += 1; /* per-CPU, and already in cache */
	else
		lnw_stat_inc(LNW_STAT_RATE_LIMITED);
	return true;
}

/* What the held slot keeps for this flow, taken (for its next event). */
static __always_inline __u64 lnw_held_take(struct lnw_held *h,
					   const struct lnw_flow_key *k)
{
	if (!h || !h->until_ns || !lnw_flow_key_eq(&h->key, k) || !h->held)
		return 0;
	return __sync_lock_test_and_set(&h->held, 0);
}

/* The flow is over its limit until until_ns: hold its packets back in the
 * slot. Another flow's count there goes back to its state first. */
static __always_inline void lnw_held_claim(struct lnw_held *h,
					   const struct lnw_flow_key *k,
					   __u64 now_ns, __u64 until_ns)
{
	struct lnw_flow_state *old;
	struct lnw_flow_key prev;
	__u64 n, until_j = 0, ticks;

	if (!h)
		return;
	if (tick_ns && until_ns > now_ns) {
		ticks = (until_ns - now_ns) / tick_ns;
		if (ticks > LNW_JIFFY_SLACK)
			until_j = bpf_jiffies64() + ticks - LNW_JIFFY_SLACK;
	}
	if (h->until_ns && lnw_flow_key_eq(&h->key, k)) {
		h->until_ns = until_ns;
		h->until_jiffies = until_j;
		return;
	}
	if (h->until_ns && h->held) {
		__builtin_memcpy(&prev, &h->key, sizeof(prev));
		n = __sync_lock_test_and_set(&h->held, 0);
		old = bpf_map_lookup_elem(&flows, &prev);
		if (old && n)
			__sync_fetch_and_add(&old->suppressed, n);
	}
	h->until_ns = 0;
	__builtin_memcpy(&h->key, k, sizeof(*k));
	h->held = 0;
	h->until_jiffies = until_j;
	h->until_ns = until_ns;
}

/* Per-flow limit: true when this event is to be held back. */
static __always_inline bool lnw_rate_limited(struct lnw_event *e,
					     const struct lnw_flow_key *key,
					     struct lnw_held *h)
{
	struct lnw_flow_state *st, init = { .window_start_ns = e->ts_ns, .sent = 1 };

	st = bpf_map_lookup_elem(&flows, key);
	if (!st) {
		bpf_map_update_elem(&flows, key, &init, BPF_ANY);
		e->suppressed = lnw_held_take(h, key);
		return false;
	}
	if (e->ts_ns > st->window_start_ns + 1000000000ULL) {
		st->window_start_ns = e->ts_ns;
		st->sent = 0;
	}
	if (st->sent >= rate_per_flow) {
		__sync_fetch_and_add(&st->suppressed, 1);
		lnw_stat_inc(LNW_STAT_RATE_LIMITED);
		/* the rest of this window is held back without this lookup */
		lnw_held_claim(h, key, e->ts_ns, st->window_start_ns + 1000000000ULL);
		return true;
	}
	st->sent++;
	/* the held-back count rides on the next event of the flow */
	e->suppressed = __sync_lock_test_and_set(&st->suppressed, 0) +
			lnw_held_take(h, key);
	return false;
}

/* What lnw_account decided. An unlimited flood's events check the ring's
 * fill (for the reader's wakeup) one in LNW_WAKE_SAMPLE per CPU and
 * counter slot: the query is a fifth of an event's cost. */
enum lnw_send { LNW_HOLD = 0, LNW_SEND = 1, LNW_SEND_CHECK = 2 };
#define LNW_WAKE_SAMPLE 64

/* Every verdict goes through here: filter, count (exact), time, limit.
 * jiffies: the caller is a tracing program (it has bpf_jiffies64).
 * Non-zero (enum lnw_send) when the event is to be sent: only then is it
 * worth the caller's while to fill the fields the limiter's key does not
 * need, then lnw_emit.
 * A flood's packet is counted, then held back by compares (lnw_held_back):
 * no hashing, and the clock is jiffies where the caller can read them. */
static __always_inline int lnw_account_clock(struct lnw_event *e,
					     const struct lnw_inflight *in,
					     bool jiffies)
{
	struct lnw_hot_counter *hot;
	struct lnw_flow_key key;
	struct lnw_held *h;
	__u64 now = e->ts_ns; /* a path that read the clock already */

	if (lnw_filtered(e->verdict, e->saddr, e->dport, e->orig_dport))
		return LNW_HOLD;
	hot = lnw_count(e->netns, e->ifindex, e->verdict, e->reason, e->len);
	if (want_latency) {
		if (!e->ts_ns)
			e->ts_ns = now = bpf_ktime_get_ns();
		lnw_latency_add(e, in);
	}
	if (!rate_per_flow) {
		if (!e->ts_ns)
			e->ts_ns = lnw_event_time(hot, jiffies);
		return !hot || !(hot->val.packets & (LNW_WAKE_SAMPLE - 1)) ?
		       LNW_SEND_CHECK : LNW_SEND;
	}
	lnw_flow_key_of(e, &key);
	h = lnw_held_slot(&key);
	if (h && lnw_held_back(h, &key, &now, jiffies && !want_latency, hot))
		return LNW_HOLD;
	e->ts_ns = now ? now : lnw_event_time(hot, jiffies);
	return lnw_rate_limited(e, &key, h) ? LNW_HOLD : LNW_SEND_CHECK;
}

static __always_inline int lnw_account(struct lnw_event *e,
				       const struct lnw_inflight *in)
{
	return lnw_account_clock(e, in, false);
}

static __always_inline void lnw_emit(struct lnw_event *e, int send)
{
	struct lnw_event *slot;
	__u64 flags = BPF_RB_NO_WAKEUP;

	slot = bpf_ringbuf_reserve(&events, sizeof(*slot), 0);
	if (!slot) {
		lnw_stat_inc(LNW_STAT_RB_LOST);
		return;
	}
	__builtin_memcpy(slot, e, sizeof(*slot));
	/* No wakeup per event (it halves throughput); the reader drains on a
	 * timer and is woken past wake_bytes, by a sampled record (a wakeup
	 * costs microseconds: once a sample, not once a record). */
	if (wake_bytes && send == LNW_SEND_CHECK &&
	    bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wake_bytes)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(slot, flags);
}

static __always_inline void lnw_report(struct lnw_event *e,
				       const struct lnw_inflight *in)
{
	int send = lnw_account(e, in);

	if (send)
		lnw_emit(e, send);
}

/* The same, from a tracing program on the receive path: a held-back
 * event's time by jiffies (bpf_jiffies64: not every program type has it). */
static __always_inline void lnw_report_rx(struct lnw_event *e,
					  const struct lnw_inflight *in)
{
	int send = lnw_account_clock(e, in, true);

	if (send)
		lnw_emit(e, send);
}

#endif /* LNWATCH_COMMON_BPF_H */

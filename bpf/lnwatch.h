/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* What crosses the BPF/user boundary: fixed-width types only. */
#ifndef LNWATCH_H
#define LNWATCH_H

#define LNW_IFNAMSIZ 16
#define LNW_FLAG_UNKNOWN 0xff /* rl_* value the BPF side could not read */
#define LNW_KSYM_LEN 192      /* a kernel symbol, as %pS prints it */

/* Verdicts, as counted and as reported. */
enum lnw_verdict {
	LNW_SEEN = 0,        /* arrived at tc ingress with 127/8 on the wire */
	LNW_MARTIAN_DST = 1, /* route input dropped it: dst in 127/8, flag off */
	LNW_MARTIAN_SRC = 2, /* route input dropped it: src in 127/8, flag off */
	LNW_ACCEPT = 3,      /* route input looked it up: the flag let it in */
	LNW_DROP = 4,        /* accepted, then dropped (reason: rp_filter,
			      * firewall, no socket, ...) */
	LNW_DELIVERED = 5,   /* accepted, then queued to a socket */
	LNW_REPLY_REFUSED = 6, /* output route refused a 127/8 source on a
				* device whose flag is off */
	LNW_LOCAL_REFUSED = 7, /* a local process's packet from 127/8, sent
				* off the host (an OUTPUT DNAT), dropped on
				* its way out: the flag is off on the device */
	LNW_DNAT_EXPOSED = 8,  /* to 127/8 on the wire, DNAT'd to a real
				* address, and it got there (forwarded, or
				* delivered here): whatever route_localnet */
	LNW_SEEN6 = 9,       /* arrived at tc ingress with ::1 on the wire */
	LNW_LO6_DST = 10,    /* ip6_rcv_core dropped it: dst ::1 on a real
			      * device (RFC 4291; no knob lets it in) */
	LNW_LO6_SRC = 11,    /* the same, src ::1 */
	LNW_VERDICT_MAX,
};

/* How the martian reason was established (event.reason_src). */
enum lnw_reason_src {
	LNW_REASON_NONE = 0,     /* no drop reason: not a drop */
	LNW_REASON_KERNEL = 1,   /* the kernel passed it (IP_LOCALNET) */
	LNW_REASON_INFERRED = 2, /* kernel lacks IP_LOCALNET: inferred */
};

/* Where the original (pre-NAT) destination came from (event.orig_src). */
enum lnw_orig_src {
	LNW_ORIG_NONE = 0,      /* no NAT seen: original == current */
	LNW_ORIG_INGRESS = 1,   /* what tc ingress saw on the wire */
	LNW_ORIG_CONNTRACK = 2, /* conntrack's original tuple */
};

enum lnw_event_flags {
	LNW_EVF_JOINED = 1 << 0,        /* matched to what tc ingress saw */
	LNW_EVF_JOIN_SKB = 1 << 1,      /* ... by sk_buff address (exact) */
	LNW_EVF_PORTS_UNKNOWN = 1 << 2, /* NAT changed the packet and there
					 * was no sk_buff to read ports from,
					 * or a fragment after the first */
	LNW_EVF_FRAGMENT = 1 << 3,      /* a fragment, routed before its
					 * datagram was reassembled */
	LNW_EVF_FORWARDED = 1 << 4,     /* dnat-exposed: forwarded, out of
					 * fib_oif (else delivered here) */
};

struct lnw_counter_key {
	__u32 netns;   /* network namespace inode */
	__u32 ifindex; /* receiving device, in that namespace */
	__u8 verdict;  /* enum lnw_verdict */
	__u8 pad;
	__u16 reason;  /* kernel enum skb_drop_reason value, 0 if none */
};

struct lnw_counter_val {
	__u64 packets;
	__u64 bytes;
};

/* The receive path's counts (seen, martian, accept: one of each per
 * device in the common case) in a per-CPU array, not the hash: a slot by
 * a cheap hash of the key, the key kept in it; a key whose slot another
 * key holds goes to the hash. User space sums both into the same rows. */
#define LNW_HOT_SLOTS 1024
/* A key's slot (BPF counts there; tests take it on purpose). */
#define LNW_HOT_SLOT(netns, ifindex, verdict, reason)				\
	((((__u32)(ifindex) * LNW_VERDICT_MAX + (__u32)(verdict)) ^		\
	  ((__u32)(netns) * 2654435761U) ^ (__u32)(reason)) & (LNW_HOT_SLOTS - 1))
struct lnw_hot_counter {
	struct lnw_counter_key key;
	__u32 used;           /* 0: free */
	struct lnw_counter_val val;
	__u64 rate_limited;   /* of these, events held back: a part of the
			       * LNW_STAT_RATE_LIMITED total, kept on this
			       * cache line (the flood's) */
	__u64 time_ns;        /* the clock, read once a jiffy: events' time */
	__u64 time_jiffies;
};

/* Indexes into the per-CPU "stats" array: the tool's own health. */
/* The peers map (bpf/common.bpf.h): its size, and how many peers may be
 * noted before a miss there no longer proves a first packet. */
#define LNW_PEERS_MAX 16384
#define LNW_PEERS_SURE (LNW_PEERS_MAX / 2)

enum lnw_stat {
	LNW_STAT_RB_LOST = 0,     /* events that could not be reserved */
	LNW_STAT_CNT_FULL = 1,    /* counter map full: a key was not added */
	LNW_STAT_RATE_LIMITED = 2, /* events held back by the per-flow limit */
	LNW_STAT_TC_MISSED = 3,    /* martians in our namespace that our tc
				    * program never saw: something ahead of it
				    * hid them (or an unwatched device) */
	LNW_STAT_PEERS_NEW = 4,    /* peers noted for the first time: past
				    * LNW_PEERS_SURE a route-refused packet
				    * not from a noted peer may still be a
				    * reply (the LRU may have dropped it) */
	LNW_STAT_MAX,
};

#define LNW_LAT_SLOTS 40 /* log2 buckets of ns: up to ~550 s */

/* Packets delivered without NAT to a socket bound to 127/8, from a real
 * interface: the observed exposures, counted exactly (per-CPU hash). */
struct lnw_exposure_key {
	__u32 netns;
	__u32 ifindex;
	__u32 saddr;      /* who reached it */
	__u32 sock_addr;  /* the service */
	__u16 sock_port;
	__u8 proto;
	__u8 pad;
};

/* Per-flow event limit (LRU map): a fixed one-second window. */
struct lnw_flow_key {
	__u32 netns;
	__u32 ifindex;
	__u32 saddr;
	__u32 daddr;      /* as routed */
	__u32 orig_daddr;
	__u16 dport;      /* as routed; the source port is left out: a flood
			   * from random ports is still one flow */
	__u8 proto;
	__u8 verdict;
};

struct lnw_flow_state {
	__u64 window_start_ns;
	__u64 sent;       /* events sent in this window */
	__u64 suppressed; /* held back since the last event sent (64-bit:
			   * the atomics clang 14 emits for BPF v1) */
};

struct lnw_event {
	__u64 ts_ns;          /* CLOCK_MONOTONIC at the verdict: to a jiffy
			       * for the receive path's counted verdicts,
			       * exact with --latency */
	__u32 netns;
	__u32 ifindex;
	__u32 saddr;          /* network byte order, as routed */
	__u32 daddr;          /* network byte order, as routed (after DNAT) */
	__u32 orig_daddr;     /* network byte order, before DNAT */
	__u16 sport;          /* host byte order; 0 if not TCP/UDP */
	__u16 dport;
	__u16 orig_dport;
	__u16 reason;         /* kernel enum skb_drop_reason value */
	__u32 len;            /* skb->len at the verdict */
	__u32 fib_table;      /* accept: table that answered */
	__u32 fib_oif;        /* accept: ifindex of the result's device */
	__u64 latency_ns;     /* tc ingress -> this verdict; 0 if unknown */
	__u64 sock_ino;       /* delivered: socket inode (owner lookup) */
	__u64 drop_loc;       /* drops: kernel text address that freed the
			       * packet (kfree_skb's location), 0 if none */
	__u32 suppressed;     /* events of this flow held back before it */
	__u32 sock_addr;      /* delivered: socket's bound address */
	__u16 sock_port;      /* delivered: socket's local port */
	__u16 pad16;
	__u32 pid;            /* reply/local-refused: the current process */
	char comm[16];        /* reply/local-refused: its command name */
	__u8 proto;           /* IPPROTO_* */
	__u8 verdict;         /* enum lnw_verdict */
	__u8 reason_src;      /* enum lnw_reason_src */
	__u8 orig_src;        /* enum lnw_orig_src */
	__u8 rl_all;          /* net.ipv4.conf.all.route_localnet */
	__u8 rl_dev;          /* net.ipv4.conf.<dev>.route_localnet */
	__u8 rl_eff;          /* all || dev: what the route input uses */
	__u8 flags;           /* enum lnw_event_flags */
	char ifname[LNW_IFNAMSIZ];
};

/* A write of net.ipv4.conf.<dir>.route_localnet through /proc/sys, from
 * the cgroup/sysctl program (its own ring: "flag_events"). */
#define LNW_SYSCTL_NAME_LEN 64 /* "net/ipv4/conf/<16 bytes>/route_localnet" */
struct lnw_flag_event {
	__u64 ts_ns;
	__u32 netns;          /* the writer's network namespace */
	__u32 pid;
	__u32 uid;
	char comm[16];
	char name[LNW_SYSCTL_NAME_LEN]; /* as the kernel names it, '/' separated */
	char old_value[8];    /* as the kernel shows it: text, e.g. "0\n" */
	char new_value[24];   /* as written (the kernel parses at most 21) */
	__s32 new_len;        /* its bytes, or -E2BIG: longer than new_value */
	__u32 file_pos;       /* where in the file it was written */
};

/* The packet this CPU is receiving: set by tc ingress, advanced by the
 * verdict programs (the receive path runs to its end on one CPU). */
enum lnw_inflight_state {
	LNW_IN_NONE = 0,
	LNW_IN_ARRIVED = 1,  /* tc ingress saw it */
	LNW_IN_ACCEPTED = 2, /* the route input let it in; fate pending */
	LNW_IN_DNAT_AWAY = 3, /* to 127/8 on the wire, DNAT'd to a real
			       * address; where it goes is pending */
	LNW_IN_LOOPBACK6 = 4, /* IPv6 with ::1 on the wire: the packet is in
			       * the "inflight6" slot (struct lnw_inflight6) */
};

struct lnw_inflight {
	__u64 skb;            /* kernel sk_buff address, 0 without the kfunc */
	__u64 ts_ns;          /* tc ingress time (--latency only) */
	__u32 ifindex;
	__u32 saddr;
	__u32 daddr;          /* on the wire, before any DNAT */
	__u32 len;            /* IP length */
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 state;           /* enum lnw_inflight_state */
	__u16 ip_id;          /* with skb, saddr and len: the same packet again */
	__u8 frag;            /* a fragment on the wire: its ports may be absent */
	__u8 pad[7];
	__u64 acc_jiffies;    /* when it was accepted (acc.ts_ns without them) */
	struct lnw_event acc; /* accepted: its event, the base of its fate */
};

/* IPv6 with ::1 on the wire, as tc ingress saw it: its own per-CPU slot
 * ("inflight6"), so struct lnw_inflight keeps IPv4's size. */
struct lnw_inflight6 {
	__u64 skb;            /* kernel sk_buff address, 0 without the kfunc */
	__u32 ifindex;
	__u32 len;            /* IPv6 header and payload */
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 sport;          /* TCP/UDP's, behind any extension headers */
	__u16 dport;
	__u8 proto;           /* the transport (a later fragment's too) */
	__u8 flags;           /* LNW_EVF_FRAGMENT, LNW_EVF_PORTS_UNKNOWN */
	__u8 pad[2];
};

/* An IPv6 verdict (its own ring: "events6"); fields as struct lnw_event's.
 * IPv6 has no route_localnet and no NAT before the drop: no flags, no
 * original destination. */
struct lnw_event6 {
	__u64 ts_ns;
	__u64 latency_ns;
	__u64 drop_loc;
	__u32 netns;
	__u32 ifindex;
	__u8 saddr[16];
	__u8 daddr[16];
	__u32 len;
	__u32 suppressed;
	__u16 sport;
	__u16 dport;
	__u16 reason;         /* kernel enum skb_drop_reason value */
	__u8 proto;
	__u8 verdict;         /* enum lnw_verdict */
	__u8 reason_src;      /* enum lnw_reason_src */
	__u8 flags;           /* enum lnw_event_flags: the join */
	__u8 pad[6];
	char ifname[LNW_IFNAMSIZ];
};

#endif /* LNWATCH_H */

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The tc ingress programs in the running kernel, through BPF_PROG_TEST_RUN:
 * crafted frames in, then the packet (unchanged?), the return code, the
 * "counters" map and the per-CPU "inflight" slot are checked. Nothing is
 * attached; the tracepoint programs are only loaded.
 *
 * Output protocol (counted by tests/run-all.sh), one line per test case:
 *   ok - NAME | FAIL - NAME: WHY | SKIP - NAME: WHY
 * Exit status 1 if any case failed, else 0. Not root: every case SKIPs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/types.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lnwatch.h"
#include "watch/counters.h"
#include "watch/kernel.h"
#include "lnwatch.skel.h"
#include "check.h"
#include "testutil.h"

#define TC_PASS ((__u32)-1) /* TC_ACT_UNSPEC == TCX_NEXT */
#define FRAME_MAX 256
#define ETH_HLEN_ 14
#define MAX_CPUS 4096

/* ---- harness: tests/check.h ------------------------------------------- */

/* ---- frames ------------------------------------------------------------- */

enum l3 { L3_IPV4, L3_IPV6, L3_ARP };

struct frame_spec {
	enum l3 l3;
	__u16 tpids[3];      /* VLAN tags, outermost first; 0 ends */
	__u16 ethertype;     /* after the tags; 0: by l3 */
	__u8 version;        /* IPv4 header's version field; 0: 4 */
	__u8 ihl;            /* 0: 5; 16 for a field of 0 */
	__u8 proto;          /* 17 when 0 */
	const char *saddr, *daddr;
	__u16 frag_off;      /* host order, flags + offset */
	__u16 sport, dport;
	size_t cut;          /* truncate the frame to this many bytes; 0: no */
};

struct frame {
	__u8 b[FRAME_MAX];
	size_t len;
};

static void put16(__u8 *p, __u16 v)
{
	p[0] = (__u8)(v >> 8);
	p[1] = (__u8)v;
}

/* IPv4 header (+options), then an L4 header with the ports and a payload. */
static size_t put_ipv4(__u8 *p, const struct frame_spec *s)
{
	size_t ihl = (s->ihl ? s->ihl : 5) & 0xf, hl = ihl * 4, l4, i;
	__u8 proto = s->proto ? s->proto : 17;
	__u32 sa = ip4(s->saddr), da = ip4(s->daddr);

	l4 = (proto == 6 ? 20 : 8) + 16;
	if (hl < 20) /* a short ihl still has a full base header on the wire */
		hl = 20;
	p[0] = (__u8)(((s->version ? s->version : 4) << 4) | ihl);
	p[1] = 0;
	put16(p + 2, (__u16)(hl + l4));
	put16(p + 4, 0x1234);
	put16(p + 6, s->frag_off);
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, &sa, 4);
	memcpy(p + 16, &da, 4);
	for (i = 20; i < hl; i++)
		p[i] = 1; /* IPOPT_NOOP */
	put16(p + hl, s->sport);
	put16(p + hl + 2, s->dport);
	for (i = 4; i < l4; i++)
		p[hl + i] = (__u8)(0xa0 + i);
	return hl + l4;
}

static size_t put_ipv6(__u8 *p)
{
	memset(p, 0, 48);
	p[0] = 0x60;
	put16(p + 4, 8);
	p[6] = 17;
	p[7] = 64;
	p[23] = 1;  /* saddr ::1 */
	p[39] = 1;  /* daddr ::1 */
	put16(p + 40, 1234);
	put16(p + 42, 5001);
	put16(p + 44, 8);
	return 48;
}

static size_t put_arp(__u8 *p)
{
	static const __u8 arp[28] = {
		0, 1, 8, 0, 6, 4, 0, 1,                 /* request */
		2, 0, 0, 0, 0, 2, 10, 0, 0, 2,          /* sender */
		0, 0, 0, 0, 0, 0, 127, 0, 0, 1,         /* target 127.0.0.1 */
	};

	memcpy(p, arp, sizeof(arp));
	return sizeof(arp);
}

/* Where build() put the IPv4 header: after Ethernet and the tags. */
static size_t l3_off(const struct frame_spec *s)
{
	size_t n = 14;
	int i;

	for (i = 0; i < 3 && s->tpids[i]; i++)
		n += 4;
	return n;
}

/* What the tc program counts: the IP length, as the verdicts do (skb->len
 * there has no link-layer header), i.e. the frame less Ethernet and tags. */
static size_t ip_len(const struct frame_spec *s, const struct frame *f)
{
	return f->len - l3_off(s);
}

static void build(const struct frame_spec *s, struct frame *f)
{
	static const __u16 by_l3[] = {
		[L3_IPV4] = 0x0800, [L3_IPV6] = 0x86dd, [L3_ARP] = 0x0806,
	};
	__u8 *p = f->b;
	size_t i, n = 0;

	memset(f, 0, sizeof(*f));
	memcpy(p, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	n = 12;
	for (i = 0; i < 3 && s->tpids[i]; i++) {
		put16(p + n, s->tpids[i]);
		put16(p + n + 2, (__u16)(100 + i)); /* TCI: VLAN id */
		n += 4;
	}
	put16(p + n, s->ethertype ? s->ethertype : by_l3[s->l3]);
	n += 2;
	if (s->l3 == L3_IPV4)
		n += put_ipv4(p + n, s);
	else if (s->l3 == L3_IPV6)
		n += put_ipv6(p + n);
	else if (s->l3 == L3_ARP)
		n += put_arp(p + n);
	f->len = s->cut && s->cut < n ? s->cut : n;
}

/* ---- maps ----------------------------------------------------------------- */

static struct lnwatch_bpf *skel;
static int ncpus;
static __u32 own_netns;
static int run_cpu;

static void clear_counters(void)
{
	static struct lnw_hot_counter zero[MAX_CPUS];
	struct lnw_counter_key k, next;
	int fd = bpf_map__fd(skel->maps.counters);
	__u32 idx;

	while (!bpf_map_get_next_key(fd, NULL, &next)) {
		k = next;
		if (bpf_map_delete_elem(fd, &k))
			break;
	}
	fd = bpf_map__fd(skel->maps.counters_hot);
	for (idx = 0; idx < LNW_HOT_SLOTS; idx++)
		bpf_map_update_elem(fd, &idx, zero, BPF_ANY);
}

static void clear_inflight(void)
{
	static struct lnw_inflight zero[MAX_CPUS];
	__u32 key = 0;

	CHECK(!bpf_map_update_elem(bpf_map__fd(skel->maps.inflight), &key, zero,
				   BPF_ANY), "clear inflight: %s", strerror(errno));
}

/* Every counter key (both maps, as the summary reads them), summed. */
static int read_counters(struct lnw_counter_key *keys,
			 struct lnw_counter_val *vals, int max)
{
	struct lnw_counter_row *rows;
	size_t n, i;

	if (lnw_counters_read(bpf_map__fd(skel->maps.counters),
			      bpf_map__fd(skel->maps.counters_hot), &rows, &n))
		return 0;
	for (i = 0; i < n && (int)i < max; i++) {
		keys[i] = rows[i].key;
		vals[i] = rows[i].val;
	}
	free(rows);
	return (int)i;
}

static void read_inflight(struct lnw_inflight *out)
{
	__u32 key = 0;

	CHECK(!bpf_map_lookup_elem(bpf_map__fd(skel->maps.inflight), &key, out),
	      "read inflight: %s", strerror(errno));
}

/* ---- cases --------------------------------------------------------------- */

struct expect {
	bool count;   /* one LNW_SEEN packet counted */
	bool slot;    /* the inflight slot filled */
	bool ports;   /* ... with the frame's ports (else 0) */
	bool refuse;  /* the kernel may refuse to run it (EINVAL) */
	bool v6;      /* IPv6 ::1: seen6, and the packet in "inflight6" */
};

struct tc_case {
	const char *name;
	struct frame_spec spec;
	struct expect want;
};

#define UDP(s, d) .l3 = L3_IPV4, .saddr = s, .daddr = d, .sport = 40000, .dport = 5001
#define Q 0x8100
#define AD 0x88a8
#define HIT { .count = true, .slot = true, .ports = true }
#define MISS { .count = false, .slot = false }
/*
 * BPF_PROG_TEST_RUN (6.18) refuses, with EINVAL, a frame whose outer
 * ethertype is IPv4 (IPv6) but that is shorter than 14 + 20 (14 + 40)
 * bytes, and any frame under 14 bytes: such a refusal passes the case. The
 * same truncations behind an 802.1Q tag reach the program (the kernel does
 * not look past the tag), so the "802.1Q, ... cut" cases test the bounds
 * checks everywhere.
 */
#define REFUSED { .count = false, .slot = false, .refuse = true }

static const struct tc_case cases[] = {
	{ "udp to 127.0.0.1", { UDP("10.0.0.2", "127.0.0.1") }, HIT },
	{ "udp from 127.0.0.5 to 10.0.0.1", { UDP("127.0.0.5", "10.0.0.1") }, HIT },
	{ "udp 10.0.0.2 to 10.0.0.1 (slot only)", { UDP("10.0.0.2", "10.0.0.1") },
	  { .count = false, .slot = true, .ports = true } },
	{ "udp to 127.255.255.255", { UDP("10.0.0.2", "127.255.255.255") }, HIT },
	{ "udp to 128.0.0.1 (not 127/8)", { UDP("10.0.0.2", "128.0.0.1") },
	  { .count = false, .slot = true, .ports = true } },
	{ "tcp to 127.0.0.1:5001", { UDP("10.0.0.2", "127.0.0.1"), .proto = 6 }, HIT },
	{ "icmp to 127.0.0.1 (no ports)",
	  { UDP("10.0.0.2", "127.0.0.1"), .proto = 1 },
	  { .count = true, .slot = true, .ports = false } },
	{ "802.1Q to 127.0.0.1", { UDP("10.0.0.2", "127.0.0.1"), .tpids = { Q } }, HIT },
	{ "QinQ 802.1ad+802.1Q to 127.0.0.1",
	  { UDP("10.0.0.2", "127.0.0.1"), .tpids = { AD, Q } }, HIT },
	{ "three VLAN tags (not parsed)",
	  { UDP("10.0.0.2", "127.0.0.1"), .tpids = { AD, Q, Q } }, MISS },
	{ "ip options ihl=7 to 127.0.0.1",
	  { UDP("10.0.0.2", "127.0.0.1"), .ihl = 7 }, HIT },
	{ "ip options ihl=15 to 127.0.0.1",
	  { UDP("10.0.0.2", "127.0.0.1"), .ihl = 15 }, HIT },
	{ "ihl=4 (ignored)", { UDP("10.0.0.2", "127.0.0.1"), .ihl = 4 }, MISS },
	{ "ihl=0 (ignored)", { UDP("10.0.0.2", "127.0.0.1"), .ihl = 16 }, MISS },
	{ "first fragment MF (ports read)",
	  { UDP("10.0.0.2", "127.0.0.1"), .frag_off = 0x2000 }, HIT },
	{ "non-first fragment (ports 0)",
	  { UDP("10.0.0.2", "127.0.0.1"), .frag_off = 0x2000 | 185 },
	  { .count = true, .slot = true, .ports = false } },
	{ "fragment offset 8, no MF (ports 0)",
	  { UDP("10.0.0.2", "127.0.0.1"), .frag_off = 1 },
	  { .count = true, .slot = true, .ports = false } },
	{ "DF set (ports read)",
	  { UDP("10.0.0.2", "127.0.0.1"), .frag_off = 0x4000 }, HIT },
	{ "ethernet only, ethertype IPv4 (14 bytes)",
	  { UDP("10.0.0.2", "127.0.0.1"), .cut = 14 }, REFUSED },
	{ "ipv4 header cut at 30 bytes",
	  { UDP("10.0.0.2", "127.0.0.1"), .cut = 30 }, REFUSED },
	{ "ipv4 header one byte short (33 bytes)",
	  { UDP("10.0.0.2", "127.0.0.1"), .cut = 33 }, REFUSED },
	{ "802.1Q, ethertype IPv4, no IPv4 header (18 bytes)",
	  { UDP("10.0.0.2", "127.0.0.1"), .tpids = { Q }, .cut = 18 }, MISS },
	{ "802.1Q, ipv4 header cut at 34 bytes",
	  { UDP("10.0.0.2", "127.0.0.1"), .tpids = { Q }, .cut = 34 }, MISS },
	{ "802.1Q, ipv4 header one byte short (37 bytes)",
	  { UDP("10.0.0.2", "127.0.0.1"), .tpids = { Q }, .cut = 37 }, MISS },
	{ "802.1Q, udp header cut (counted, ports 0)",
	  { UDP("10.0.0.2", "127.0.0.1"), .tpids = { Q }, .cut = 18 + 20 + 3 },
	  { .count = true, .slot = true, .ports = false } },
	{ "QinQ, second tag cut (20 bytes)",
	  { UDP("10.0.0.2", "127.0.0.1"), .tpids = { AD, Q }, .cut = 20 }, MISS },
	{ "udp header cut (counted, ports 0)",
	  { UDP("10.0.0.2", "127.0.0.1"), .cut = 14 + 20 + 2 },
	  { .count = true, .slot = true, .ports = false } },
	{ "udp ports exactly at the end (38 bytes)",
	  { UDP("10.0.0.2", "127.0.0.1"), .cut = 14 + 20 + 4 }, HIT },
	{ "ip options past the end (ihl=15, 50 bytes)",
	  { UDP("10.0.0.2", "127.0.0.1"), .ihl = 15, .cut = 50 },
	  { .count = true, .slot = true, .ports = false } },
	{ "vlan tag cut (16 bytes)",
	  { UDP("10.0.0.2", "127.0.0.1"), .tpids = { Q }, .cut = 16 }, MISS },
	{ "ipv6 ::1 to ::1 (seen6, in inflight6)", { .l3 = L3_IPV6 },
	  { .count = true, .slot = true, .ports = true, .v6 = true } },
	{ "arp for 127.0.0.1 (ignored)", { .l3 = L3_ARP }, MISS },
	{ "version 6 with ethertype IPv4 (ignored)",
	  { UDP("10.0.0.2", "127.0.0.1"), .version = 6 }, MISS },
	{ "ethertype 0x86dd with an IPv4 header (ignored)",
	  { UDP("10.0.0.2", "127.0.0.1"), .ethertype = 0x86dd }, MISS },
};

/* Runs one frame through prog; returns bpf_prog_test_run_opts' result. */
static int test_run_n(struct bpf_program *prog, const struct frame *f,
		      __u32 *retval, __u8 *out, __u32 *out_len, __u32 ifindex, int repeat)
{
	struct __sk_buff ctx = { .ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = f->b,
		.data_size_in = (__u32)f->len,
		.data_out = out,
		.data_size_out = FRAME_MAX * 2,
		.repeat = repeat,
	);
	int err;

	if (ifindex) {
		opts.ctx_in = &ctx;
		opts.ctx_size_in = sizeof(ctx);
	}
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	*retval = opts.retval;
	*out_len = opts.data_size_out;
	return err ? -errno : 0;
}

static int test_run(struct bpf_program *prog, const struct frame *f,
		    __u32 *retval, __u8 *out, __u32 *out_len, __u32 ifindex)
{
	return test_run_n(prog, f, retval, out, out_len, ifindex, 1);
}

/* The same sk_buff, the same frame, the same device, again and again (a
 * flood of identical frames reuses freed sk_buffs): each one counted. Only
 * a packet met again one device up (a bridge over its port) is not. */
#define REPEAT_NAME "an identical frame in the same sk_buff, 1000 times: 1000 counted"
static void run_repeat(struct bpf_program *prog)
{
	struct frame_spec s = { UDP("10.0.0.2", "127.0.0.1") };
	struct lnw_counter_key k[1];
	struct lnw_counter_val v[1];
	__u8 out[FRAME_MAX * 2];
	__u32 retval = 0, out_len = 0;
	struct frame f;
	int err, n;

	build(&s, &f);
	clear_counters();
	clear_inflight();
	err = test_run_n(prog, &f, &retval, out, &out_len, 0, 1000);
	CHECK(!err, "test run: %s", strerror(-err));
	n = read_counters(k, v, 1);
	CHECK(n == 1 && v[0].packets == 1000, "%d rows, %llu packets, want 1000", n,
	      n ? (unsigned long long)v[0].packets : 0ULL);
}

/* The receive path counts in a per-CPU array slot by its key; a slot
 * another key holds sends it to the hash, and a key in both maps (or in
 * two CPUs' copies) is one row. */
#define TAKEN_NAME "a counter slot another key holds: counted in the hash, one row"
static void run_taken_slot(struct bpf_program *prog)
{
	static struct lnw_hot_counter hot[MAX_CPUS];
	struct frame_spec s = { UDP("10.0.0.2", "127.0.0.1") };
	__u32 idx = LNW_HOT_SLOT(own_netns, 1, LNW_SEEN, 0), other = (run_cpu + 1) % ncpus;
	struct lnw_counter_key k[4];
	struct lnw_counter_val v[4];
	__u8 out[FRAME_MAX * 2];
	__u32 retval = 0, out_len = 0;
	__u64 earlier = ncpus > 1 ? 5 : 0;
	struct frame f;
	int err, n;

	build(&s, &f);
	clear_counters();
	clear_inflight();
	memset(hot, 0, sizeof(hot));
	/* this CPU's copy held by device 999; another CPU's by ours */
	hot[run_cpu].key = (struct lnw_counter_key){ .netns = own_netns, .ifindex = 999 };
	hot[run_cpu].used = 1;
	hot[run_cpu].val.packets = 7;
	if (earlier) {
		hot[other].key = (struct lnw_counter_key){ .netns = own_netns, .ifindex = 1 };
		hot[other].used = 1;
		hot[other].val.packets = earlier;
	}
	CHECK(!bpf_map_update_elem(bpf_map__fd(skel->maps.counters_hot), &idx, hot,
				   BPF_ANY), "take slot %u: %s", idx, strerror(errno));
	err = test_run_n(prog, &f, &retval, out, &out_len, 0, 10);
	CHECK(!err, "test run: %s", strerror(-err));
	n = read_counters(k, v, 4);
	CHECK(n == 2 && k[0].ifindex == 1 && v[0].packets == 10 + earlier &&
	      k[1].ifindex == 999 && v[1].packets == 7,
	      "%d rows (%u: %llu, %u: %llu), want if 1: %llu, if 999: 7", n,
	      n > 0 ? k[0].ifindex : 0, n > 0 ? (unsigned long long)v[0].packets : 0ULL,
	      n > 1 ? k[1].ifindex : 0, n > 1 ? (unsigned long long)v[1].packets : 0ULL,
	      (unsigned long long)(10 + earlier));
	clear_counters();
}

/* An IPv6 ::1 packet (put_ipv6): the slot only says where it is. */
static void check_slot6(const struct lnw_inflight *in, const struct frame *f,
			bool kfunc, __u32 ifindex)
{
	static struct lnw_inflight6 slots6[MAX_CPUS];
	const struct lnw_inflight6 *in6 = &slots6[run_cpu];
	static const __u8 lo6[16] = { [15] = 1 };
	__u32 key = 0;

	CHECK(in->state == LNW_IN_LOOPBACK6 && !in->skb && !in->saddr,
	      "state %u, skb %#llx", in->state, (unsigned long long)in->skb);
	CHECK(!bpf_map_lookup_elem(bpf_map__fd(skel->maps.inflight6), &key, slots6),
	      "read inflight6: %s", strerror(errno));
	CHECK(kfunc ? in6->skb != 0 : in6->skb == 0, "skb6 %#llx",
	      (unsigned long long)in6->skb);
	CHECK(in6->ifindex == ifindex && in6->len == f->len - 14 && in6->proto == 17,
	      "ifindex %u len %u proto %u", in6->ifindex, in6->len, in6->proto);
	CHECK(!memcmp(in6->saddr, lo6, 16) && !memcmp(in6->daddr, lo6, 16),
	      "addresses not ::1");
	CHECK(in6->sport == 1234 && in6->dport == 5001, "ports %u > %u",
	      in6->sport, in6->dport);
}

static void check_slot(const struct lnw_inflight *slots, const struct tc_case *c,
		       const struct frame *f, bool kfunc, __u32 ifindex)
{
	const struct frame_spec *s = &c->spec;
	static const struct lnw_inflight zero;
	int cpu, armed = 0;
	__u16 ip_id;

	for (cpu = 0; cpu < ncpus; cpu++) {
		const struct lnw_inflight *in = &slots[cpu];

		if (!c->want.slot || cpu != run_cpu) {
			CHECK(!memcmp(in, &zero, sizeof(zero)),
			      "slot of cpu %d written (ran on %d)", cpu, run_cpu);
			continue;
		}
		armed++;
		if (c->want.v6) {
			check_slot6(in, f, kfunc, ifindex);
			continue;
		}
		CHECK(in->state == LNW_IN_ARRIVED, "state %u", in->state);
		CHECK(in->ts_ns == 0, "ts_ns %llu without --latency",
		      (unsigned long long)in->ts_ns);
		CHECK(kfunc ? in->skb != 0 : in->skb == 0, "skb %#llx",
		      (unsigned long long)in->skb);
		CHECK(in->ifindex == ifindex, "ifindex %u, want %u", in->ifindex,
		      ifindex);
		CHECK(in->saddr == ip4(s->saddr) && in->daddr == ip4(s->daddr),
		      "addresses %#x > %#x", ntohl(in->saddr), ntohl(in->daddr));
		CHECK(in->len == ip_len(s, f), "len %u, want %zu", in->len,
		      ip_len(s, f));
		CHECK(in->proto == f->b[l3_off(s) + 9], "proto %u", in->proto);
		CHECK(in->sport == (c->want.ports ? s->sport : 0) &&
		      in->dport == (c->want.ports ? s->dport : 0),
		      "ports %u > %u, want %u > %u", in->sport, in->dport,
		      c->want.ports ? s->sport : 0, c->want.ports ? s->dport : 0);
		memcpy(&ip_id, f->b + l3_off(s) + 4, sizeof(ip_id));
		CHECK(in->ip_id == ip_id, "IP id %#x, want %#x", in->ip_id, ip_id);
	}
	CHECK(armed == (c->want.slot ? 1 : 0), "%d armed slots, want %d",
	      armed, c->want.slot);
}

static void check_counters(const struct tc_case *c, const struct frame *f,
			   __u32 ifindex)
{
	struct lnw_counter_key keys[8];
	struct lnw_counter_val vals[8];
	int n = read_counters(keys, vals, 8);

	if (!c->want.count) {
		CHECK(n == 0, "%d counter keys, want none (first: verdict %u, "
		      "%llu packets)", n, n ? keys[0].verdict : 0,
		      n ? (unsigned long long)vals[0].packets : 0ULL);
		return;
	}
	CHECK(n == 1, "%d counter keys, want 1", n);
	if (n != 1)
		return;
	CHECK(keys[0].netns == own_netns, "netns %u, want %u", keys[0].netns,
	      own_netns);
	CHECK(keys[0].ifindex == ifindex, "ifindex %u, want %u", keys[0].ifindex,
	      ifindex);
	CHECK(keys[0].verdict == (c->want.v6 ? LNW_SEEN6 : LNW_SEEN) &&
	      keys[0].reason == 0 &&
	      keys[0].pad == 0, "verdict %u reason %u pad %u", keys[0].verdict,
	      keys[0].reason, keys[0].pad);
	CHECK(vals[0].packets == 1 && vals[0].bytes == ip_len(&c->spec, f),
	      "%llu packets %llu bytes, want 1 and %zu",
	      (unsigned long long)vals[0].packets,
	      (unsigned long long)vals[0].bytes, ip_len(&c->spec, f));
}

/* One frame through one program, every effect checked. */
static void run_case(struct bpf_program *prog, bool kfunc,
		     const struct tc_case *c, __u32 ifindex)
{
	static struct lnw_inflight slots[MAX_CPUS];
	__u8 out[FRAME_MAX * 2];
	struct frame f;
	__u32 retval = 0, out_len = 0, want_if = ifindex ? ifindex : 1;
	int err;

	build(&c->spec, &f);
	clear_counters();
	clear_inflight();
	memset(out, 0xee, sizeof(out));
	err = test_run(prog, &f, &retval, out, &out_len, ifindex);
	/* the kernel refusing it is the expected outcome; accepted, the
	 * checks below must hold as for any other frame */
	if (err == -EINVAL && c->want.refuse)
		return;
	CHECK(!err, "test run: %s", strerror(-err));
	if (err)
		return;
	CHECK(retval == TC_PASS, "retval %#x, want %#x", retval, TC_PASS);
	CHECK(out_len == f.len && !memcmp(out, f.b, f.len),
	      "packet changed (%u bytes out, %zu in)", out_len, f.len);
	check_counters(c, &f, want_if);
	read_inflight(slots);
	check_slot(slots, c, &f, kfunc, want_if);
}

/* The kernel wants at least an Ethernet header (bpf_test_init()). */
static void run_short(struct bpf_program *prog)
{
	struct frame_spec s = { UDP("10.0.0.2", "127.0.0.1"), .cut = 10 };
	__u8 out[FRAME_MAX * 2];
	struct frame f;
	__u32 retval = 0, out_len = 0;
	struct lnw_counter_key k[1];
	struct lnw_counter_val v[1];
	int err;

	build(&s, &f);
	clear_counters();
	err = test_run(prog, &f, &retval, out, &out_len, 0);
	CHECK(err == -EINVAL, "10-byte frame: %s, want EINVAL (kernel needs "
	      ">= ETH_HLEN)", err ? strerror(-err) : "accepted");
	if (!err)
		CHECK(retval == TC_PASS, "retval %#x", retval);
	CHECK(read_counters(k, v, 1) == 0, "10-byte frame counted");
}

/* ---- setup --------------------------------------------------------------- */

/* A non-loopback interface, to check ctx->ifindex is what gets counted. */
static __u32 other_ifindex(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	__u32 idx = 0;

	for (i = ifs; i && i->if_index; i++)
		if (i->if_index != 1) {
			idx = i->if_index;
			break;
		}
	if (ifs)
		if_freenameindex(ifs);
	return idx;
}

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static const char *const prog_names[] = { "lnw_tc_ingress", "lnw_tc_ingress_compat" };

#define LOAD_NAME "load skeleton (all four programs)"
#define SHORT_NAME "10-byte frame rejected"
#define CTX_NAME "ctx ifindex counted"

/* Every per-program case SKIPs, under the names a real run uses. */
static void skip_case(const char *name, const char *why)
{
	begin();
	cur_skip = why;
	end(name);
}

static void skip_cases(const char *why)
{
	char name[256];
	size_t p, i;

	for (p = 0; p < 2; p++) {
		snprintf(name, sizeof(name), "%s: %s", prog_names[p], SHORT_NAME);
		skip_case(name, why);
		snprintf(name, sizeof(name), "%s: %s", prog_names[p], REPEAT_NAME);
		skip_case(name, why);
		snprintf(name, sizeof(name), "%s: %s", prog_names[p], TAKEN_NAME);
		skip_case(name, why);
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			snprintf(name, sizeof(name), "%s: %s", prog_names[p], cases[i].name);
			skip_case(name, why);
		}
		snprintf(name, sizeof(name), "%s: %s", prog_names[p], CTX_NAME);
		skip_case(name, why);
	}
}

int main(void)
{
	struct bpf_program *progs[2];
	char name[256];
	struct stat st;
	__u32 oif;
	size_t p, i;
	int err;

	if (geteuid() != 0) {
		static const char why[] =
			"not root (loading and BPF_PROG_TEST_RUN need privileges)";

		skip_case(LOAD_NAME, why);
		skip_cases(why);
		return 0;
	}
	libbpf_set_print(libbpf_quiet);
	begin();
	ncpus = libbpf_num_possible_cpus();
	CHECK(ncpus > 0 && ncpus <= MAX_CPUS, "possible cpus: %d", ncpus);
	CHECK(!stat("/proc/self/ns/net", &st), "stat netns: %s", strerror(errno));
	own_netns = (__u32)st.st_ino;
	run_cpu = pin_cpu();
	CHECK(run_cpu >= 0 && run_cpu < ncpus, "pin to a cpu: %s", strerror(errno));
	if (!cur_failed) {
		skel = lnwatch_bpf__open();
		CHECK(skel, "open: %s", strerror(errno));
	}
	if (skel) {
		skel->rodata->own_netns = own_netns;
		struct lnw_kernel k;
		char kerr[256];

		skel->rodata->rl_devconf_idx = 25;
		/* load only what this kernel can: as the loader does */
		if (!lnw_kernel_probe(&k, NULL, kerr, sizeof(kerr))) {
			CHECK(!lnw_kernel_autoload(skel, &k, 0, kerr, sizeof(kerr)),
			      "autoload: %s", kerr);
			/* the compat programs load on every kernel: test them too */
			bpf_program__set_autoload(skel->progs.lnw_tc_ingress_compat, true);
			bpf_program__set_autoload(skel->progs.lnw_tc_ingress_l3_compat, true);
			lnw_kernel_release(&k);
		}
		err = lnwatch_bpf__load(skel);
		CHECK(!err, "load: %s", strerror(-err));
	}
	end(LOAD_NAME);
	if (cur_failed) {
		skip_cases("skeleton not loaded");
		lnwatch_bpf__destroy(skel);
		return 1;
	}

	progs[0] = skel->progs.lnw_tc_ingress;
	progs[1] = skel->progs.lnw_tc_ingress_compat;
	oif = other_ifindex();
	for (p = 0; p < 2; p++) {
		if (!bpf_program__autoload(progs[p])) {
			snprintf(name, sizeof(name), "%s: not loaded: this kernel lacks what it "
				 "needs", prog_names[p]);
			begin();
			end(name);
			continue;
		}
		snprintf(name, sizeof(name), "%s: %s", prog_names[p], SHORT_NAME);
		begin();
		run_short(progs[p]);
		end(name);
		snprintf(name, sizeof(name), "%s: %s", prog_names[p], REPEAT_NAME);
		begin();
		run_repeat(progs[p]);
		end(name);
		snprintf(name, sizeof(name), "%s: %s", prog_names[p], TAKEN_NAME);
		begin();
		run_taken_slot(progs[p]);
		end(name);
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			snprintf(name, sizeof(name), "%s: %s", prog_names[p],
				 cases[i].name);
			begin();
			run_case(progs[p], p == 0, &cases[i], 0);
			end(name);
		}
		snprintf(name, sizeof(name), "%s: %s", prog_names[p], CTX_NAME);
		if (!oif) {
			skip_case(name, "no non-loopback interface");
			continue;
		}
		begin();
		run_case(progs[p], p == 0, &cases[0], oif);
		end(name);
	}
	lnwatch_bpf__destroy(skel);
	return n_failed ? 1 : 0;
}

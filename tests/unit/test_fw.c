// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of the firewall evaluation (user/audit/fw.h): a neighbour's
 * first packet through the compiled fixtures, hook by hook, three-valued.
 * Every expected fate is what the kernel does with that packet: the hooks
 * in priority order, conntrack at -200, DNAT at -100, goto and return as
 * nft_do_chain() runs them. No kernel.
 */
#include "unit.h"
#include "audit/matrix.h"
#include <linux/netfilter.h>

/* The verdict for f: its fate, and the rule (handle, 0: the policy) and
 * chain (NULL: any) it names. */
static void check_fate(int line, const char *what, const struct lnw_nft_ruleset *rs,
		       const struct lnw_fw_flow *f, enum lnw_fw_fate want,
		       unsigned long long hnd, const char *chain)
{
	struct lnw_fw_verdict v;

	lnw_fw_eval(rs, f, &v);
	CHECK(v.fate == want && (v.rule ? v.rule->handle : 0) == hnd &&
	      (!chain || (v.chain && !strcmp(v.chain->name, chain))),
	      "line %d, %s: %s by #%llu of %s, want %s by #%llu of %s", line, what,
	      fate_names[v.fate], v.rule ? v.rule->handle : 0, v.chain ? v.chain->name : "-",
	      fate_names[want], hnd, chain ? chain : "-");
}

#define FATE_IS(rs, f, want, hnd, chain) check_fate(__LINE__, #f, rs, f, want, hnd, chain)

#define APPLIES(r, f, base, want) do { \
	enum lnw_tv t_ = (r) && (base) ? lnw_fw_rule_applies(r, f, base) : LNW_MAYBE; \
	CHECK(t_ == (want), "#%llu for %s: %s, want %s", (r) ? (r)->handle : 0, #f, \
	      tv_names[t_], tv_names[want]); \
} while (0)

static void t_flows(void)
{
	struct net_fx n;
	struct lnw_fw_flow f, s;

	net_init(&n);
	f = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.1", 5000, false);
	s = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.1", 5000, true);
	CHECK(f.saddr.n == 2 && f.saddr.r[0].lo == 0 && f.saddr.r[0].hi == 0x7effffff &&
	      f.saddr.r[1].lo == 0x80000000 && f.saddr.r[1].hi == 0xffffffff,
	      "a neighbour's own source: every address but 127/8");
	CHECK(s.saddr.n == 1 && s.saddr.r[0].lo == 0x7f000000 && s.saddr.r[0].hi == 0x7fffffff,
	      "a forged source: 127/8");
	CHECK(f.sport.n == 1 && f.sport.r[0].lo == 1 && f.sport.r[0].hi == 65535 &&
	      f.daddr_wire.n == 1 && f.daddr_wire.r[0].lo == 0x7f000001 &&
	      f.daddr.r[0].lo == 0x7f000001 && f.dport_wire.r[0].lo == 5000 &&
	      f.dport.r[0].hi == 5000 && f.to_local && !f.dnat && f.l4proto == IPPROTO_UDP &&
	      !strcmp(f.iifname, "eth0") && f.net == &n.net, "direct flow fields");
}

/* raw PREROUTING sees the wire: every 127/8 destination, no DNAT'd one. */
static void t_raw_guard(void)
{
	struct lnw_nft_ruleset rs;
	struct net_fx n;
	struct lnw_fw_flow f, s, lo, d;
	const struct lnw_nft_chain *c;
	struct lnw_fw_verdict v;
	char where[256];

	if (!fx_load("raw_guard", NULL, &rs))
		return;
	net_init(&n);
	c = fx_chain(&rs, "ip", "raw", "PREROUTING");
	f = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.1", 5000, false);
	s = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.5", 5000, true);
	lo = flow_to(&n, "lo", IPPROTO_TCP, "127.0.0.1", 5001, false);
	d = flow_dnat(&n, "eth0", IPPROTO_TCP, "10.0.0.1", 8080, "127.0.0.1", 5001);
	FATE_IS(&rs, &f, LNW_FW_DROPS, 2, "PREROUTING");
	FATE_IS(&rs, &s, LNW_FW_DROPS, 2, "PREROUTING");
	FATE_IS(&rs, &lo, LNW_FW_PASSES, 0, NULL);
	FATE_IS(&rs, &d, LNW_FW_PASSES, 0, NULL);
	APPLIES(fx_rule(c, 2, 0), &f, c, LNW_YES);
	APPLIES(fx_rule(c, 2, 0), &d, c, LNW_NO);
	lnw_fw_eval(&rs, &f, &v);
	lnw_fw_verdict_where(&v, where, sizeof(where));
	/* iptables' table, a counter on every rule: named by line */
	CHECK(!strcmp(where, "ip raw PREROUTING #1"), "where '%s'", where);
	lnw_nft_free(&rs);
}

/* The policy decides what no rule takes. */
static void t_policy_drop(void)
{
	struct lnw_nft_ruleset rs;
	struct net_fx n;
	struct lnw_fw_flow udp, ssh, web, icmp, fwd;
	struct lnw_fw_verdict v;
	char where[256];

	if (!fx_load("default_deny", NULL, &rs))
		return;
	net_init(&n);
	udp = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.1", 5000, false);
	ssh = flow_to(&n, "eth0", IPPROTO_TCP, "127.0.0.1", 22, false);
	web = flow_to(&n, "eth0", IPPROTO_TCP, "127.0.0.1", 8080, false);
	icmp = flow_to(&n, "eth0", IPPROTO_ICMP, "127.0.0.1", 0, false);
	fwd = flow_to(&n, "eth0", IPPROTO_TCP, "172.17.0.2", 80, false);
	fwd.to_local = false;
	FATE_IS(&rs, &udp, LNW_FW_DROPS, 0, "input");
	FATE_IS(&rs, &ssh, LNW_FW_PASSES, 0, NULL);
	FATE_IS(&rs, &web, LNW_FW_DROPS, 0, "input");
	FATE_IS(&rs, &icmp, LNW_FW_PASSES, 0, NULL);
	FATE_IS(&rs, &fwd, LNW_FW_DROPS, 0, "forward");
	lnw_fw_eval(&rs, &udp, &v);
	lnw_fw_verdict_where(&v, where, sizeof(where));
	CHECK(!strcmp(where, "policy drop of inet filter input"), "where '%s'", where);
	v = (struct lnw_fw_verdict){ .fate = LNW_FW_PASSES };
	lnw_fw_verdict_where(&v, where, sizeof(where));
	CHECK(!strcmp(where, "-"), "nothing drops: '%s'", where);
	lnw_nft_free(&rs);
}

/* goto leaves for good: the end of a goto'd chain is the base chain's
 * policy; return from a jump'd one comes back to the next rule. */
static void t_goto_and_jump(void)
{
	struct lnw_nft_ruleset rs;
	struct net_fx n;
	struct lnw_fw_flow wan, lan, dns, other, lo, ssh;
	const struct lnw_nft_chain *c;

	if (!fx_load("zones", NULL, &rs))
		return;
	net_init(&n);
	c = fx_chain(&rs, "inet", "fw", "input");
	MATCH_IS(fx_rule(c, 5, 0), 0, LNW_KEY_IIFNAME, LNW_OP_IN, "lo");
	MATCH_IS(fx_rule(c, 5, 1), 0, LNW_KEY_IIFNAME, LNW_OP_IN, "eth0");
	CHECK(fx_rule(c, 5, 1) && fx_rule(c, 5, 1)->verdict == LNW_V_GOTO &&
	      fx_rule(c, 5, 2) && fx_rule(c, 5, 2)->verdict == LNW_V_JUMP, "goto, jump");
	wan = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.1", 5000, false);
	ssh = flow_to(&n, "eth0", IPPROTO_TCP, "127.0.0.1", 22, false);
	lan = flow_to(&n, "eth1", IPPROTO_UDP, "127.0.0.1", 5000, false);
	dns = flow_to(&n, "eth1", IPPROTO_UDP, "127.0.0.53", 53, false);
	other = flow_to(&n, "wg0", IPPROTO_UDP, "127.0.0.1", 5000, false);
	lo = flow_to(&n, "lo", IPPROTO_UDP, "127.0.0.1", 5000, false);
	FATE_IS(&rs, &wan, LNW_FW_PASSES, 0, NULL);
	FATE_IS(&rs, &ssh, LNW_FW_PASSES, 0, NULL);
	FATE_IS(&rs, &lan, LNW_FW_DROPS, 6, "input");
	FATE_IS(&rs, &dns, LNW_FW_PASSES, 0, NULL);
	FATE_IS(&rs, &other, LNW_FW_DROPS, 6, "input");
	FATE_IS(&rs, &lo, LNW_FW_PASSES, 0, NULL);
	lnw_nft_free(&rs);

	if (!fx_load("firewalld", NULL, &rs))
		return;
	lan = flow_to(&n, "eth1", IPPROTO_UDP, "127.0.0.1", 5000, false);   /* trusted */
	ssh = flow_to(&n, "eth0", IPPROTO_TCP, "127.0.0.1", 22, false);
	dns = flow_dnat(&n, "eth0", IPPROTO_UDP, "10.0.0.1", 53, "127.0.0.53", 53);
	FATE_IS(&rs, &lan, LNW_FW_PASSES, 0, NULL);
	FATE_IS(&rs, &ssh, LNW_FW_PASSES, 0, NULL);
	FATE_IS(&rs, &dns, LNW_FW_PASSES, 0, NULL); /* ct status dnat accept */
	lnw_nft_free(&rs);
}

/* Where a guard runs decides what it sees: conntrack, DNAT, the wire. */
static void t_guard_views(void)
{
	struct lnw_nft_ruleset rs;
	struct net_fx n;
	struct lnw_fw_flow f, s, d, wg, lo, fwd;
	const struct lnw_nft_chain *in, *post, *mangle, *raw;

	if (!fx_load("nft_guards", NULL, &rs))
		return;
	net_init(&n);
	in = fx_chain(&rs, "inet", "guards", "input");
	post = fx_chain(&rs, "inet", "guards", "pre_after_dnat");
	mangle = fx_chain(&rs, "inet", "guards", "pre_mangle");
	raw = fx_chain(&rs, "inet", "guards", "pre_raw");
	f = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.1", 5000, false);
	s = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.5", 5000, true);
	d = flow_dnat(&n, "eth0", IPPROTO_TCP, "10.0.0.1", 8080, "127.0.0.1", 5001);
	wg = flow_to(&n, "wg0", IPPROTO_UDP, "127.0.0.1", 5000, false);
	lo = flow_to(&n, "lo", IPPROTO_UDP, "127.0.0.1", 5000, false);
	fwd = f;
	fwd.to_local = false;
	/* ct status & dnat == 0: the neighbour's own source, not forged, not DNAT'd */
	APPLIES(fx_rule(in, 5, 0), &f, in, LNW_YES);
	APPLIES(fx_rule(in, 5, 0), &s, in, LNW_NO);
	APPLIES(fx_rule(in, 5, 0), &d, in, LNW_NO);
	APPLIES(fx_rule(in, 5, 0), &lo, in, LNW_NO);
	APPLIES(fx_rule(in, 5, 0), &fwd, in, LNW_NO); /* forwarded: input never sees it */
	/* ct status != dnat: DNAT_DONE is set too, so DNAT'd traffic drops as well */
	APPLIES(fx_rule(in, 6, 0), &f, in, LNW_YES);
	APPLIES(fx_rule(in, 6, 0), &d, in, LNW_YES);
	APPLIES(fx_rule(in, 7, 0), &d, in, LNW_YES);  /* ct state new */
	APPLIES(fx_rule(in, 8, 0), &f, in, LNW_YES);  /* ct direction original */
	/* prerouting after DNAT (priority 0) sees the new destination */
	APPLIES(fx_rule(post, 9, 0), &d, post, LNW_YES);
	/* between conntrack and DNAT (-150): conntrack's state, the wire's address */
	APPLIES(fx_rule(mangle, 10, 0), &f, mangle, LNW_YES);
	APPLIES(fx_rule(mangle, 10, 0), &d, mangle, LNW_NO);
	APPLIES(fx_rule(mangle, 11, 0), &f, mangle, LNW_YES); /* 127/8 is local */
	/* raw (-300), before conntrack: every packet is "invalid", none "new" */
	APPLIES(fx_rule(raw, 12, 0), &f, raw, LNW_YES);
	APPLIES(fx_rule(raw, 13, 0), &f, raw, LNW_NO);
	APPLIES(fx_rule(raw, 12, 0), &wg, raw, LNW_NO); /* not eth* */
	/* the whole ruleset: raw first, then mangle, then after DNAT */
	FATE_IS(&rs, &f, LNW_FW_DROPS, 12, "pre_raw");
	FATE_IS(&rs, &wg, LNW_FW_DROPS, 10, "pre_mangle");
	FATE_IS(&rs, &d, LNW_FW_DROPS, 9, "pre_after_dnat");
	FATE_IS(&rs, &lo, LNW_FW_PASSES, 0, NULL);
	lnw_nft_free(&rs);
}

static void t_ingress(void)
{
	struct lnw_nfnl_ruleset nl = { 0 };
	struct lnw_nft_ruleset rs;
	struct net_fx n;
	struct lnw_fw_flow e0, e1, wg, s;

	nl_devs(&nl, NFPROTO_NETDEV, "early", "eth0_in", "eth0");
	nl_devs(&nl, NFPROTO_INET, "early", "eth1_in", "eth1");
	nl_done(&nl);
	if (fx_load("ingress_guard", &nl, &rs)) {
		net_init(&n);
		e0 = flow_to(&n, "eth0", IPPROTO_TCP, "127.0.0.1", 5001, false);
		e1 = flow_to(&n, "eth1", IPPROTO_UDP, "127.0.0.1", 5000, false);
		wg = flow_to(&n, "wg0", IPPROTO_UDP, "127.0.0.1", 5000, false);
		s = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.9", 5000, true);
		FATE_IS(&rs, &e0, LNW_FW_DROPS, 5, "eth0_v4");
		FATE_IS(&rs, &e1, LNW_FW_DROPS, 4, "eth1_v4");
		FATE_IS(&rs, &s, LNW_FW_DROPS, 5, "eth0_v4");
		FATE_IS(&rs, &wg, LNW_FW_PASSES, 0, NULL); /* bound to other devices */
		lnw_nft_free(&rs);
	}
	lnw_nfnl_free(&nl);
}

/* yes when every value the flow may carry matches, no when none, else maybe */
static void t_three_valued(void)
{
	struct lnw_nft_ruleset rs;
	struct net_fx n;
	struct lnw_fw_flow f;
	const struct lnw_nft_chain *c;
	const struct lnw_nft_rule *admin, *th, *nodeport, *bcast, *pkt;

	if (!fx_load("host_firewall", NULL, &rs))
		return;
	net_init(&n);
	c = fx_chain(&rs, "inet", "filter", "input");
	admin = fx_rule(c, 15, 0);    /* tcp dport @admin_ports ip saddr @admin_nets */
	th = fx_rule(c, 22, 0);       /* meta l4proto { tcp, udp } th dport 5201 */
	nodeport = fx_rule(c, 19, 0); /* tcp dport 30000-32767 */
	bcast = fx_rule(c, 14, 0);    /* fib daddr type broadcast */
	pkt = fx_rule(c, 13, 0);      /* meta pkttype { broadcast, multicast } */
	f = flow_to(&n, "eth0", IPPROTO_TCP, "127.0.0.1", 22, false);
	APPLIES(admin, &f, c, LNW_MAYBE); /* some sources are admins */
	lnw_rset_one(&f.saddr, ntohl(ip4("192.168.1.5")), ntohl(ip4("192.168.1.5")));
	APPLIES(admin, &f, c, LNW_YES);
	lnw_rset_one(&f.saddr, ntohl(ip4("10.8.0.0")), ntohl(ip4("10.8.0.255")));
	APPLIES(admin, &f, c, LNW_YES);
	lnw_rset_one(&f.saddr, ntohl(ip4("10.8.0.0")), ntohl(ip4("10.8.1.0")));
	APPLIES(admin, &f, c, LNW_MAYBE);
	lnw_rset_one(&f.saddr, ntohl(ip4("172.16.0.1")), ntohl(ip4("172.16.0.1")));
	APPLIES(admin, &f, c, LNW_NO);
	f = flow_to(&n, "eth0", IPPROTO_TCP, "127.0.0.1", 9090, false);
	lnw_rset_one(&f.saddr, ntohl(ip4("192.168.1.5")), ntohl(ip4("192.168.1.5")));
	APPLIES(admin, &f, c, LNW_YES);
	f.dport.r[0].lo = 9089; /* 9089-9090: one of them */
	APPLIES(admin, &f, c, LNW_MAYBE);
	f = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.1", 5201, false);
	APPLIES(th, &f, c, LNW_YES);
	f.l4proto = IPPROTO_ICMP;
	APPLIES(th, &f, c, LNW_NO);
	f = flow_to(&n, "eth0", IPPROTO_TCP, "127.0.0.1", 30080, false);
	APPLIES(nodeport, &f, c, LNW_YES);
	f.l4proto = IPPROTO_UDP; /* a udp packet has no tcp dport */
	APPLIES(nodeport, &f, c, LNW_NO);
	/* fib daddr type: 127/8 and the addresses of the interfaces are local */
	APPLIES(bcast, &f, c, LNW_NO);
	f = flow_to(&n, "eth0", IPPROTO_UDP, "8.8.8.8", 53, false);
	APPLIES(bcast, &f, c, LNW_MAYBE); /* not local; which other type is not known */
	/* udp: the neighbour may send to our MAC or to broadcast (both
	 * delivered); tcp takes pkttype host only */
	APPLIES(pkt, &f, c, LNW_MAYBE);
	f.l4proto = IPPROTO_TCP;
	APPLIES(pkt, &f, c, LNW_NO);
	lnw_nft_free(&rs);

	if (!fx_load("nft_guards", NULL, &rs))
		return;
	c = fx_chain(&rs, "inet", "guards", "pre_mangle");
	f = flow_to(&n, "eth0", IPPROTO_UDP, "10.0.0.1", 5000, false);
	lnw_rset_one(&f.daddr_wire, ntohl(ip4("10.0.0.1")), ntohl(ip4("10.0.0.1")));
	APPLIES(fx_rule(c, 11, 0), &f, c, LNW_NO); /* local, but not in 127/8 */
	lnw_rset_one(&f.daddr_wire, ntohl(ip4("127.0.0.0")), ntohl(ip4("127.0.0.255")));
	APPLIES(fx_rule(c, 11, 0), &f, c, LNW_YES);
	lnw_rset_one(&f.daddr_wire, ntohl(ip4("126.255.255.255")), ntohl(ip4("127.0.0.1")));
	APPLIES(fx_rule(c, 11, 0), &f, c, LNW_MAYBE);
	lnw_nft_free(&rs);
}

static void t_host_firewall(void)
{
	struct lnw_nft_ruleset rs;
	struct net_fx n;
	struct lnw_fw_flow web, ssh, ntp, icmp, d;

	if (!fx_load("host_firewall", NULL, &rs))
		return;
	net_init(&n);
	web = flow_to(&n, "eth0", IPPROTO_TCP, "127.0.0.1", 443, false);
	icmp = flow_to(&n, "eth0", IPPROTO_ICMP, "127.0.0.1", 0, false);
	d = flow_dnat(&n, "eth0", IPPROTO_TCP, "10.0.0.1", 8080, "127.0.0.1", 5001);
	/* admins get in to ssh; others hit "ip daddr & 255.0.255.0 == 127.0.0.0" */
	ssh = flow_to(&n, "eth0", IPPROTO_TCP, "127.0.0.1", 22, false);
	/* "udp sport 123 udp dport > 1023 accept": source port 123 gets in */
	ntp = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.1", 5000, false);
	FATE_IS(&rs, &web, LNW_FW_PASSES, 0, NULL);
	FATE_IS(&rs, &icmp, LNW_FW_PASSES, 0, NULL);
	FATE_IS(&rs, &d, LNW_FW_PASSES, 0, NULL); /* ct status dnat accept */
	FATE_IS(&rs, &ssh, LNW_FW_MAY_DROP, 27, "input");
	FATE_IS(&rs, &ntp, LNW_FW_MAY_DROP, 27, "input");
	lnw_rset_one(&ntp.sport, 40000, 40000);
	{
		struct lnw_fw_verdict v;

		/* "meta pkttype { broadcast, multicast } accept": a datagram
		 * to the broadcast MAC gets in; a SYN cannot */
		lnw_fw_eval(&rs, &ntp, &v);
		CHECK(v.fate == LNW_FW_MAY_DROP, "udp from port 40000: %s", fate_names[v.fate]);
		ntp.l4proto = IPPROTO_TCP;
		lnw_fw_eval(&rs, &ntp, &v);
		CHECK(v.fate == LNW_FW_DROPS && v.chain && !strcmp(v.chain->name, "input"),
		      "tcp from port 40000: %s", fate_names[v.fate]);
	}
	lnw_nft_free(&rs);
}

/* A protocol name lnw_protos lacks ("ipv6-icmp"): "meta l4proto ipv6-icmp
 * accept" never matches an IPv4 packet, and what follows decides. */
static void t_unknown_proto_name(void)
{
	struct lnw_nft_ruleset rs;
	struct net_fx n;
	struct lnw_fw_flow f;

	net_init(&n);
	f = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.1", 5000, false);
	if (fx_load("arch_default", NULL, &rs)) {
		/* pkttype host limit ... reject, or the policy: dropped either way */
		struct lnw_fw_verdict v;

		lnw_fw_eval(&rs, &f, &v);
		CHECK(v.fate == LNW_FW_DROPS, "arch_default: %s", fate_names[v.fate]);
		lnw_nft_free(&rs);
	}
	if (fx_load("firewalld", NULL, &rs)) {
		/* filter_IN_public ends, filter_INPUT rejects */
		FATE_IS(&rs, &f, LNW_FW_DROPS, 12, "filter_INPUT");
		lnw_nft_free(&rs);
	}
}

/* A drop by a rule after a may-drop rule is named (host_firewall's chain
 * ends with reject: its policy never decides). */
static void t_drop_named_policy(void)
{
	struct lnw_nft_ruleset rs;
	struct net_fx n;
	struct lnw_fw_flow f;
	struct lnw_fw_verdict v;

	if (!fx_load("host_firewall", NULL, &rs))
		return;
	net_init(&n);
	f = flow_to(&n, "eth0", IPPROTO_TCP, "127.0.0.1", 5001, false);
	lnw_fw_eval(&rs, &f, &v);
	CHECK(v.fate == LNW_FW_DROPS && v.rule &&
	      (v.rule->handle == 27 || v.rule->handle == 28 || v.rule->handle == 29),
	      "%s by #%llu (0: the policy), want a drop by #27, #28 or #29",
	      fate_names[v.fate], v.rule ? v.rule->handle : 0);
	lnw_nft_free(&rs);
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "fw: a neighbour's flow, direct and forged", t_flows },
		{ "fw: raw PREROUTING guard drops on the wire, not after DNAT", t_raw_guard },
		{ "fw: the policy drops what no rule takes", t_policy_drop },
		{ "fw: goto ends at the policy, return comes back", t_goto_and_jump },
		{ "fw: guards in input, after DNAT, mangle, raw", t_guard_views },
		{ "fw: ingress chains on their devices only", t_ingress },
		{ "fw: yes, no, maybe by the values a flow may carry", t_three_valued },
		{ "fw: a host firewall, accepted, maybe and dropped", t_host_firewall },
		{ "fw: ipv6-icmp, igmp...: names lnw_protos lacks are known", t_unknown_proto_name },
		{ "fw: a rule's drop after a may-drop is named, not the policy",
		  t_drop_named_policy },
	};

	return run_all(tests, N(tests));
}

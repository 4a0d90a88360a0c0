// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of the nftables compiler (user/audit/nft/compile.c via
 * lnw_nft_compile_json): captured `nft -j list ruleset` documents of
 * tests/unit/fixtures into chains, matches and verdicts. No kernel.
 */
#include "unit.h"
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/rtnetlink.h>

#define CT_BIT(ctinfo) NF_CT_STATE_BIT(ctinfo)

/* A rule: its verdict and how many matches it kept. */
#define RULE_IS(r, v, n) \
	CHECK((r) && (r)->verdict == (v) && (r)->n_m == (n), \
	      "#%llu: verdict %d with %d matches, want %d with %d (%s)", \
	      (r) ? (r)->handle : 0, (r) ? (int)(r)->verdict : -1, (r) ? (r)->n_m : -1, \
	      v, n, (r) && (r)->text ? (r)->text : "-")

#define BITS_ARE(r, i, k, o, b) \
	CHECK((r) && (i) < (r)->n_m && (r)->m[i].key == (k) && (r)->m[i].op == (o) && \
	      (r)->m[i].bits == (uint32_t)(b), "#%llu match %d: key %d op %d bits %#x, want %d %d %#x", \
	      (r) ? (r)->handle : 0, i, (r) && (i) < (r)->n_m ? (int)(r)->m[i].key : -1, \
	      (r) && (i) < (r)->n_m ? (int)(r)->m[i].op : -1, \
	      (r) && (i) < (r)->n_m ? (r)->m[i].bits : 0, k, o, (uint32_t)(b))

#define NAT_IS(r, k, alo, ahi, aport) \
	CHECK((r) && (r)->verdict == LNW_V_NAT && (r)->nat.kind == (k) && \
	      (!(alo) || ((r)->nat.has_addr && (r)->nat.addr.lo == ntohl(ip4(alo)) && \
			  (r)->nat.addr.hi == ntohl(ip4(ahi)))) && \
	      ((r)->nat.has_port ? (r)->nat.port.lo == (aport) && (r)->nat.port.hi == (aport) : \
	       (aport) == 0), "#%llu: nat %d addr %d %#x-%#x port %d %u, want %d %s-%s:%u", \
	      (r) ? (r)->handle : 0, (r) ? (int)(r)->nat.kind : -1, (r) ? (r)->nat.has_addr : 0, \
	      (r) ? (r)->nat.addr.lo : 0, (r) ? (r)->nat.addr.hi : 0, (r) ? (r)->nat.has_port : 0, \
	      (r) ? (r)->nat.port.lo : 0, k, (alo) ? (alo) : "-", (ahi) ? (ahi) : "-", \
	      (unsigned)(aport))

static void t_compile_rejects(void)
{
	static const char *const bad[] = { "", "{}", "[]", "not json", "{\"nftables\": 1}" };
	struct lnw_nft_ruleset rs;
	char err[256];
	size_t i;
	int ret;

	for (i = 0; i < N(bad); i++) {
		err[0] = '\0';
		ret = lnw_nft_compile_json(bad[i], &(struct lnw_nfnl_ruleset){ 0 }, &rs, err,
					   sizeof(err));
		CHECK(ret == -EPROTO && err[0] && !rs.n_chains && !rs.chains,
		      "'%s' -> %d '%s', %d chains", bad[i], ret, err, rs.n_chains);
	}
	ret = lnw_nft_compile_json("{\"nftables\": []}", &(struct lnw_nfnl_ruleset){ 0 }, &rs,
				   err, sizeof(err));
	CHECK(ret == 0 && rs.n_chains == 0 && rs.n_undecoded == 0, "empty ruleset -> %d", ret);
	lnw_nft_free(&rs);
}

static void t_chains(void)
{
	struct lnw_nft_ruleset rs;
	const struct lnw_nft_chain *in, *in6;

	if (!fx_load("host_firewall", NULL, &rs))
		return;
	in = fx_chain(&rs, "inet", "filter", "input");
	in6 = fx_chain(&rs, "inet", "filter", "input6");
	CHECK(rs.n_chains == 2 && rs.n_undecoded == 0 && !rs.legacy_tables[0],
	      "%d chains, %d undecoded", rs.n_chains, rs.n_undecoded);
	CHECK(in && in->base && in->hook == LNW_HOOK_INPUT && !strcmp(in->hook_name, "input") &&
	      in->prio == 0 && !strcmp(in->type, "filter") && in->policy_drop && in->n_devs == 0,
	      "input: base %d hook %d prio %d type %s drop %d", in ? in->base : -1,
	      in ? (int)in->hook : -1, in ? in->prio : -1, in ? in->type : "-",
	      in ? in->policy_drop : -1);
	/* the vmap's three elements are three rules; 19 more */
	CHECK(in && in->n_rules == 22, "input has %d rules", in ? in->n_rules : -1);
	CHECK(in6 && !in6->base && in6->hook == LNW_HOOK_OTHER && !in6->hook_name[0] &&
	      in6->n_rules == 1 && !in6->policy_drop, "input6 is a regular chain");
	if (in && in6) {
		const struct lnw_nft_rule *j = fx_rule(in, 10, 0);

		RULE_IS(j, LNW_V_JUMP, 1);
		CHECK(j && j->target == in6 && !strcmp(j->target_name, "input6"),
		      "jump input6 resolved");
		CHECK(j && j->chain == in && j->handle == 10, "rule knows its chain");
	}
	lnw_nft_free(&rs);
	CHECK(rs.n_chains == 0 && !rs.chains, "freed");
}

static void t_sets_prefixes_ranges(void)
{
	struct lnw_nft_ruleset rs;
	const struct lnw_nft_chain *c;
	const struct lnw_nft_rule *r;

	if (!fx_load("host_firewall", NULL, &rs))
		return;
	c = fx_chain(&rs, "inet", "filter", "input");
	r = fx_rule(c, 15, 0); /* tcp dport @admin_ports ip saddr @admin_nets */
	RULE_IS(r, LNW_V_ACCEPT, 2);
	MATCH_IS(r, 0, LNW_KEY_DPORT, LNW_OP_IN, "22,9090");
	MATCH_IS(r, 1, LNW_KEY_SADDR, LNW_OP_IN, "10.8.0.0-10.8.0.255,192.168.1.0-192.168.1.255");
	CHECK(r && r->m[0].l4proto == IPPROTO_TCP, "admin ports read tcp");
	r = fx_rule(c, 17, 0); /* tcp dport { 80, 443 } accept comment "web" */
	MATCH_IS(r, 0, LNW_KEY_DPORT, LNW_OP_IN, "80,443");
	CHECK(r && r->comment && !strcmp(r->comment, "web"), "comment 'web'");
	r = fx_rule(c, 18, 0); /* udp dport 60000-61000 */
	MATCH_IS(r, 0, LNW_KEY_DPORT, LNW_OP_IN, "60000-61000");
	CHECK(r && r->m[0].l4proto == IPPROTO_UDP && !r->comment, "udp range");
	r = fx_rule(c, 19, 0); /* tcp dport >= 30000 tcp dport <= 32767: nft merges */
	RULE_IS(r, LNW_V_ACCEPT, 1);
	MATCH_IS(r, 0, LNW_KEY_DPORT, LNW_OP_IN, "30000-32767");
	r = fx_rule(c, 24, 0); /* ip saddr 192.168.1.0/24 tcp dport < 1024 */
	MATCH_IS(r, 0, LNW_KEY_SADDR, LNW_OP_IN, "192.168.1.0-192.168.1.255");
	MATCH_IS(r, 1, LNW_KEY_DPORT, LNW_OP_IN, "0-1023");
	r = fx_rule(c, 25, 0); /* udp sport 123 udp dport > 1023 */
	MATCH_IS(r, 0, LNW_KEY_SPORT, LNW_OP_IN, "123");
	MATCH_IS(r, 1, LNW_KEY_DPORT, LNW_OP_IN, "1024-65535");
	r = fx_rule(c, 9, 0); /* ip saddr @blocked: a named set with no element */
	RULE_IS(r, LNW_V_DROP, 1);
	MATCH_IS(r, 0, LNW_KEY_SADDR, LNW_OP_IN, "");
	r = fx_rule(c, 22, 0); /* meta l4proto { tcp, udp } th dport 5201 */
	MATCH_IS(r, 0, LNW_KEY_L4PROTO, LNW_OP_IN, "6,17");
	MATCH_IS(r, 1, LNW_KEY_DPORT, LNW_OP_IN, "5201");
	CHECK(r && r->m[1].l4proto == LNW_L4_TH, "th dport reads any transport header");
	lnw_nft_free(&rs);
}

static void t_vmap_and_ct(void)
{
	static const struct { unsigned int bit; enum lnw_nft_verdict v; const char *text; } vm[] = {
		{ NF_CT_STATE_INVALID_BIT, LNW_V_DROP, "ct state invalid drop" },
		{ CT_BIT(IP_CT_ESTABLISHED), LNW_V_ACCEPT, "ct state established accept" },
		{ CT_BIT(IP_CT_RELATED), LNW_V_ACCEPT, "ct state related accept" },
	};
	struct lnw_nft_ruleset rs;
	const struct lnw_nft_chain *c;
	const struct lnw_nft_rule *r;
	size_t i;

	if (!fx_load("host_firewall", NULL, &rs))
		return;
	c = fx_chain(&rs, "inet", "filter", "input");
	/* one rule per element; a lookup of the packet's one state bit */
	for (i = 0; i < N(vm); i++) {
		r = fx_rule(c, 7, (int)i);
		RULE_IS(r, vm[i].v, 1);
		BITS_ARE(r, 0, LNW_KEY_CT_STATE, LNW_OP_EQ, vm[i].bit);
		CHECK(r && r->text && !strcmp(r->text, vm[i].text), "vmap %zu: '%s'", i,
		      r && r->text ? r->text : "-");
	}
	BITS_ARE(fx_rule(c, 26, 0), 0, LNW_KEY_CT_STATUS, LNW_OP_ANY_BIT, IPS_DST_NAT);
	lnw_nft_free(&rs);

	if (!fx_load("default_deny", NULL, &rs))
		return;
	c = fx_chain(&rs, "inet", "filter", "input");
	BITS_ARE(fx_rule(c, 3, 0), 0, LNW_KEY_CT_STATE, LNW_OP_ANY_BIT,
		 CT_BIT(IP_CT_ESTABLISHED) | CT_BIT(IP_CT_RELATED));
	BITS_ARE(fx_rule(c, 8, 0), 1, LNW_KEY_CT_STATE, LNW_OP_ANY_BIT, CT_BIT(IP_CT_NEW));
	lnw_nft_free(&rs);

	if (!fx_load("firewalld", NULL, &rs))
		return;
	c = fx_chain(&rs, "inet", "firewalld", "filter_IN_public_allow");
	/* "== { new, untracked }": a set lookup, any of its bits */
	BITS_ARE(fx_rule(c, 20, 0), 1, LNW_KEY_CT_STATE, LNW_OP_ANY_BIT,
		 CT_BIT(IP_CT_NEW) | NF_CT_STATE_UNTRACKED_BIT);
	lnw_nft_free(&rs);

	if (!fx_load("nft_guards", NULL, &rs))
		return;
	c = fx_chain(&rs, "inet", "guards", "input");
	/* "ct status & dnat == 0" is nft's "!": no bit; "!= dnat" compares it all */
	BITS_ARE(fx_rule(c, 5, 0), 3, LNW_KEY_CT_STATUS, LNW_OP_NO_BIT, IPS_DST_NAT);
	BITS_ARE(fx_rule(c, 6, 0), 2, LNW_KEY_CT_STATUS, LNW_OP_NE, IPS_DST_NAT);
	BITS_ARE(fx_rule(c, 7, 0), 2, LNW_KEY_CT_STATE, LNW_OP_ANY_BIT, CT_BIT(IP_CT_NEW));
	MATCH_IS(fx_rule(c, 8, 0), 2, LNW_KEY_CT_DIRECTION, LNW_OP_IN, "0");
	r = fx_rule(c, 5, 0);
	CHECK(r && r->text && !strcmp(r->text, "iifname != \"lo\" ip saddr != 127.0.0.0/8 "
				      "ip daddr 127.0.0.0/8 ct status & dnat == 0 drop"),
	      "text '%s'", r && r->text ? r->text : "-");
	lnw_nft_free(&rs);
}

static void t_meta_fib_and_unknown(void)
{
	struct lnw_nft_ruleset rs;
	const struct lnw_nft_chain *c;
	const struct lnw_nft_rule *r;

	if (!fx_load("host_firewall", NULL, &rs))
		return;
	c = fx_chain(&rs, "inet", "filter", "input");
	MATCH_IS(fx_rule(c, 8, 0), 0, LNW_KEY_IIFNAME, LNW_OP_IN, "lo");       /* iif "lo" */
	MATCH_IS(fx_rule(c, 20, 0), 0, LNW_KEY_IIFNAME, LNW_OP_IN, "wg*");
	MATCH_IS(fx_rule(c, 10, 0), 0, LNW_KEY_FALSE, LNW_OP_IN, "");      /* nfproto ipv6 */
	MATCH_IS(fx_rule(c, 11, 0), 0, LNW_KEY_L4PROTO, LNW_OP_IN, "1");   /* l4proto icmp */
	MATCH_IS(fx_rule(c, 13, 0), 0, LNW_KEY_PKTTYPE, LNW_OP_IN, "1,2");
	MATCH_IS(fx_rule(c, 14, 0), 0, LNW_KEY_FIB_DADDR_TYPE, LNW_OP_IN, "3"); /* broadcast */
	r = fx_rule(c, 23, 0); /* tcp dport 25 limit rate 10/minute: may stop the rule */
	RULE_IS(r, LNW_V_ACCEPT, 2);
	MATCH_IS(r, 1, LNW_KEY_UNKNOWN, LNW_OP_IN, "");
	CHECK(r && r->m[1].text && !strcmp(r->m[1].text, "limit rate 10/minute"),
	      "limit kept as text: '%s'", r && r->n_m > 1 ? r->m[1].text : "-");
	/* a mask that is no prefix, a field the model does not read */
	MATCH_IS(fx_rule(c, 27, 0), 0, LNW_KEY_UNKNOWN, LNW_OP_IN, "");
	MATCH_IS(fx_rule(c, 28, 0), 0, LNW_KEY_UNKNOWN, LNW_OP_IN, "");
	RULE_IS(fx_rule(c, 29, 0), LNW_V_DROP, 0); /* counter reject */
	lnw_nft_free(&rs);

	if (!fx_load("arch_default", NULL, &rs))
		return;
	c = fx_chain(&rs, "inet", "filter", "input");
	MATCH_IS(fx_rule(c, 7, 0), 0, LNW_KEY_L4PROTO, LNW_OP_IN, "1"); /* ip protocol icmp */
	/* a protocol name outside lnw_protos: known all the same */
	MATCH_IS(fx_rule(c, 8, 0), 0, LNW_KEY_L4PROTO, LNW_OP_IN, "58");
	r = fx_rule(c, 10, 0); /* meta pkttype host limit ... reject */
	RULE_IS(r, LNW_V_DROP, 2);
	MATCH_IS(r, 0, LNW_KEY_PKTTYPE, LNW_OP_IN, "0");
	RULE_IS(fx_rule(c, 11, 0), LNW_V_CONTINUE, 0); /* counter alone */
	r = fx_rule(c, 6, 0);
	CHECK(r && r->comment && !strcmp(r->comment, "allow from loopback"), "comment");
	lnw_nft_free(&rs);

	if (!fx_load("nft_guards", NULL, &rs))
		return;
	c = fx_chain(&rs, "inet", "guards", "pre_mangle");
	MATCH_IS(fx_rule(c, 11, 0), 1, LNW_KEY_FIB_DADDR_TYPE, LNW_OP_IN, "2"); /* local */
	c = fx_chain(&rs, "inet", "guards", "pre_raw");
	MATCH_IS(fx_rule(c, 12, 0), 0, LNW_KEY_IIFNAME, LNW_OP_IN, "eth*");
	CHECK(c && c->base && c->hook == LNW_HOOK_PREROUTING && c->prio == -300, "pre_raw hook");
	lnw_nft_free(&rs);

	if (!fx_load("raw_guard", NULL, &rs))
		return;
	r = fx_rule(fx_chain(&rs, "ip", "raw", "PREROUTING"), 2, 0);
	RULE_IS(r, LNW_V_DROP, 2);
	MATCH_IS(r, 0, LNW_KEY_IIFNAME, LNW_OP_NOT_IN, "lo");
	MATCH_IS(r, 1, LNW_KEY_DADDR, LNW_OP_IN, "127.0.0.0-127.255.255.255");
	CHECK(r && r->text && !strcmp(r->text, "iifname != \"lo\" ip daddr 127.0.0.0/8 drop"),
	      "text '%s'", r && r->text ? r->text : "-");
	if (r) {
		char where[128];

		lnw_nft_rule_where(r, where, sizeof(where));
		CHECK(!strcmp(where, "ip raw PREROUTING #1") && r->line == 1 && r->handle == 2,
		      "where '%s'", where);
	}
	lnw_nft_free(&rs);
}

static void t_ingress(void)
{
	struct lnw_nfnl_ruleset nl = { 0 };
	struct lnw_nft_ruleset rs;
	const struct lnw_nft_chain *c;

	/* libnftables 1.0 leaves the devices out of the JSON */
	if (fx_load("ingress_guard", NULL, &rs)) {
		c = fx_chain(&rs, "netdev", "early", "eth0_in");
		CHECK(c && c->base && c->hook == LNW_HOOK_INGRESS && c->prio == -500 &&
		      c->n_devs == 0, "netdev ingress chain without its device");
		lnw_nft_free(&rs);
	}
	nl_devs(&nl, NFPROTO_NETDEV, "early", "eth0_in", "eth0");
	nl_devs(&nl, NFPROTO_INET, "early", "eth1_in", "eth1");
	nl_done(&nl);
	if (fx_load("ingress_guard", &nl, &rs)) {
		const struct lnw_nft_rule *r;

		c = fx_chain(&rs, "netdev", "early", "eth0_in");
		CHECK(c && c->n_devs == 1 && !strcmp(c->devs[0], "eth0"), "eth0_in on eth0");
		r = fx_rule(c, 3, 0); /* meta protocol ip jump eth0_v4 */
		RULE_IS(r, LNW_V_JUMP, 1);
		MATCH_IS(r, 0, LNW_KEY_TRUE, LNW_OP_IN, "");
		MATCH_IS(fx_rule(c, 4, 0), 0, LNW_KEY_FALSE, LNW_OP_IN, ""); /* protocol ip6 */
		c = fx_chain(&rs, "inet", "early", "eth1_in");
		CHECK(c && c->n_devs == 1 && !strcmp(c->devs[0], "eth1") &&
		      c->hook == LNW_HOOK_INGRESS, "inet ingress on eth1");
		MATCH_IS(fx_rule(c, 3, 0), 0, LNW_KEY_TRUE, LNW_OP_IN, ""); /* nfproto ipv4 */
		lnw_nft_free(&rs);
	}
	lnw_nfnl_free(&nl);
}

static void t_nat_forms(void)
{
	struct lnw_nft_ruleset rs;
	const struct lnw_nft_chain *c, *web, *tls;
	const struct lnw_nft_rule *r;

	if (!fx_load("loopback_dnat", NULL, &rs))
		return;
	c = fx_chain(&rs, "ip", "nat", "prerouting");
	web = fx_chain(&rs, "ip", "nat", "web");
	tls = fx_chain(&rs, "ip", "nat", "tls");
	CHECK(c && c->n_rules == 10 && !strcmp(c->type, "nat") && c->prio == -100,
	      "prerouting: %d rules", c ? c->n_rules : -1);
	r = fx_rule(c, 6, 0);
	NAT_IS(r, LNW_NAT_DNAT, "127.0.0.1", "127.0.0.1", 5001);
	MATCH_IS(r, 0, LNW_KEY_IIFNAME, LNW_OP_IN, "eth0");
	MATCH_IS(r, 1, LNW_KEY_DPORT, LNW_OP_IN, "8080");
	CHECK(r && r->text && !strcmp(r->text, "iifname \"eth0\" tcp dport 8080 "
				      "dnat to 127.0.0.1:5001"), "text '%s'", r ? r->text : "-");
	NAT_IS(fx_rule(c, 7, 0), LNW_NAT_DNAT, "127.0.0.53", "127.0.0.53", 53);
	/* tcp dport vmap { 80 : jump web, 443 : goto tls } */
	r = fx_rule(c, 9, 0);
	RULE_IS(r, LNW_V_JUMP, 1);
	MATCH_IS(r, 0, LNW_KEY_DPORT, LNW_OP_IN, "80");
	CHECK(r && r->target == web, "vmap jump web");
	r = fx_rule(c, 9, 1);
	RULE_IS(r, LNW_V_GOTO, 1);
	MATCH_IS(r, 0, LNW_KEY_DPORT, LNW_OP_IN, "443");
	CHECK(r && r->target == tls, "vmap goto tls");
	/* dnat to tcp dport map { 3000 : 127.0.0.1, 3001 : 127.0.0.2 } */
	r = fx_rule(c, 11, 0);
	NAT_IS(r, LNW_NAT_DNAT, "127.0.0.1", "127.0.0.1", 0);
	MATCH_IS(r, 0, LNW_KEY_DPORT, LNW_OP_IN, "3000");
	r = fx_rule(c, 11, 1);
	NAT_IS(r, LNW_NAT_DNAT, "127.0.0.2", "127.0.0.2", 0);
	MATCH_IS(r, 0, LNW_KEY_DPORT, LNW_OP_IN, "3001");
	/* the same with the named map @loopback_ports */
	r = fx_rule(c, 12, 0);
	NAT_IS(r, LNW_NAT_DNAT, "127.0.0.1", "127.0.0.1", 0);
	MATCH_IS(r, 0, LNW_KEY_DPORT, LNW_OP_IN, "8081");
	r = fx_rule(c, 12, 1);
	NAT_IS(r, LNW_NAT_DNAT, "10.0.0.9", "10.0.0.9", 0);
	MATCH_IS(r, 0, LNW_KEY_DPORT, LNW_OP_IN, "8082");
	NAT_IS(fx_rule(c, 13, 0), LNW_NAT_REDIRECT, NULL, NULL, 22);
	r = fx_rule(c, 14, 0);
	NAT_IS(r, LNW_NAT_DNAT, "10.0.0.2", "10.0.0.2", 9000);
	MATCH_IS(r, 0, LNW_KEY_DADDR, LNW_OP_IN, "127.0.0.1");
	NAT_IS(fx_rule(web, 15, 0), LNW_NAT_DNAT, "127.0.0.1", "127.0.0.1", 8000);
	RULE_IS(fx_rule(web, 16, 0), LNW_V_RETURN, 0);
	NAT_IS(fx_rule(tls, 17, 0), LNW_NAT_DNAT, "127.0.0.1", "127.0.0.3", 8443);
	lnw_nft_free(&rs);

	/* systemd-nspawn: "l4proto . th dport" -> "addr . port", one rule each */
	if (!fx_load("systemd_nspawn", NULL, &rs))
		return;
	c = fx_chain(&rs, "ip", "io.systemd.nat", "prerouting");
	CHECK(c && c->n_rules == 2 && c->prio == -99, "nspawn prerouting: %d rules",
	      c ? c->n_rules : -1);
	r = fx_rule(c, 6, 0);
	NAT_IS(r, LNW_NAT_DNAT, "192.168.159.201", "192.168.159.201", 22);
	MATCH_IS(r, 0, LNW_KEY_FIB_DADDR_TYPE, LNW_OP_IN, "2");
	/* a concatenation: one match per part */
	MATCH_IS(r, 1, LNW_KEY_L4PROTO, LNW_OP_IN, "6");
	MATCH_IS(r, 2, LNW_KEY_DPORT, LNW_OP_IN, "2222");
	NAT_IS(fx_rule(c, 6, 1), LNW_NAT_DNAT, "192.168.159.202", "192.168.159.202", 53);
	CHECK(fx_chain(&rs, "ip", "io.systemd.nat", "output")->n_rules == 2, "output: 2 rules");
	NAT_IS(fx_rule(fx_chain(&rs, "ip", "io.systemd.nat", "postrouting"), 8, 0),
	       LNW_NAT_OTHER, NULL, NULL, 0); /* masquerade */
	lnw_nft_free(&rs);
}

/* iptables-nft's xt statements without what nfnetlink adds: names only. */
static void t_xt_undecoded(void)
{
	struct lnw_nft_ruleset rs;
	const struct lnw_nft_rule *r;

	if (!fx_load("kube_proxy", NULL, &rs))
		return;
	CHECK(rs.n_undecoded == 27, "%d xt statements undecoded, want 27", rs.n_undecoded);
	r = fx_rule(fx_chain(&rs, "ip", "filter", "KUBE-FIREWALL"), 7, 0);
	RULE_IS(r, LNW_V_DROP, 4);
	MATCH_IS(r, 2, LNW_KEY_UNKNOWN, LNW_OP_IN, "");
	CHECK(r && r->m[3].text && !strcmp(r->m[3].text, "conntrack"), "named only");
	/* a DNAT target whose payload is unknown may do anything */
	RULE_IS(fx_rule(fx_chain(&rs, "ip", "nat", "KUBE-SEP-WEB1"), 32, 0), LNW_V_MAYBE, 3);
	RULE_IS(fx_rule(fx_chain(&rs, "ip", "nat", "KUBE-MARK-MASQ"), 18, 0), LNW_V_CONTINUE, 0);
	RULE_IS(fx_rule(fx_chain(&rs, "ip", "nat", "KUBE-POSTROUTING"), 20, 0), LNW_V_NAT, 0);
	lnw_nft_free(&rs);
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "compile: documents without an nftables array refused", t_compile_rejects },
		{ "compile: chains, hooks, policy, jump targets", t_chains },
		{ "compile: named and anonymous sets, prefixes, ranges, < >", t_sets_prefixes_ranges },
		{ "compile: ct state vmap, ct state/status/direction ops", t_vmap_and_ct },
		{ "compile: meta, fib, limit, unknown matches, reject", t_meta_fib_and_unknown },
		{ "compile: ingress chains and their devices from nfnetlink", t_ingress },
		{ "compile: dnat, dnat maps, vmaps, ranges, redirect, concat maps", t_nat_forms },
		{ "compile: xt statements without payloads", t_xt_undecoded },
	};

	return run_all(tests, N(tests));
}

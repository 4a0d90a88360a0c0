// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of the ruleset's structure (user/audit/nft/ruleset.h): DNAT
 * paths from the nat base chains through jumps, gotos and maps; the filter
 * base chain a guard runs under; whether a flow takes a path, and the values
 * a path constrains (user/audit/fw.h). Captured fixtures, no kernel.
 */
#include "unit.h"
#include <linux/netfilter.h>

/* Path i: the rule (handle, nth of it) it ends in and the handles it goes
 * through ("9" or "" for none). */
static void check_path(int line, const struct lnw_nft_path *p, int n, int i, const char *chain,
		       unsigned long long h, int nth, const char *via)
{
	char got[128] = "";
	size_t o = 0;
	int k;

	if (i >= n) {
		CHECK(false, "line %d: no path %d (%d paths)", line, i, n);
		return;
	}
	p += i;
	for (k = 0; k < p->n_via; k++)
		o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%llu", k ? "," : "",
				      p->via[k]->handle);
	CHECK(p->rule->handle == h && !strcmp(p->rule->chain->name, chain) && !strcmp(got, via) &&
	      p->rule == fx_rule(p->rule->chain, h, nth) && p->base && p->base->base &&
	      !strcmp(p->base->type, "nat"),
	      "line %d: path %d ends in %s #%llu via '%s', want %s #%llu/%d via '%s'", line, i,
	      p->rule->chain->name, p->rule->handle, got, chain, h, nth, via);
}

#define PATH_IS(p, n, i, chain, h, nth, via) check_path(__LINE__, p, n, i, chain, h, nth, via)

#define TV_IS(expr, want) do { \
	enum lnw_tv t_ = (expr); \
	CHECK(t_ == (want), "%s: %s, want %s", #expr, tv_names[t_], tv_names[want]); \
} while (0)

/* The values a path allows for key, as fx_values() prints them; NULL: none. */
static const char *path_values(const struct lnw_nft_path *p, enum lnw_nft_key key)
{
	struct lnw_nft_match m = { .key = key };
	static struct lnw_rset s;

	if (!lnw_fw_path_values(p, key, &s))
		return NULL;
	m.ranges = s.r;
	m.n_ranges = s.n;
	return fx_values(&m);
}

static bool same_text(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

#define VALUES_ARE(p, key, want) do { \
	const char *v_ = path_values(p, key); \
	CHECK(same_text(v_, want), "%s %s: '%s', want '%s'", #p, #key, v_ ? v_ : "(none)", \
	      (want) ? (const char *)(want) : "(none)"); \
} while (0)

static void t_dnat_paths(void)
{
	struct lnw_nft_ruleset rs;
	struct lnw_nft_path *p = NULL;
	int n;

	if (!fx_load("loopback_dnat", NULL, &rs))
		return;
	n = lnw_nft_dnat_paths(&rs, "prerouting", &p);
	CHECK(n == 10, "%d prerouting paths, want 10", n);
	/* in rule order; a jump or goto is followed where it stands; a
	 * redirect (to the interface's own address) is one: a 127.x
	 * destination may take it */
	PATH_IS(p, n, 0, "prerouting", 6, 0, "");
	PATH_IS(p, n, 1, "prerouting", 7, 0, "");
	PATH_IS(p, n, 2, "web", 15, 0, "9");
	PATH_IS(p, n, 3, "tls", 17, 0, "9");
	PATH_IS(p, n, 4, "prerouting", 11, 0, "");
	PATH_IS(p, n, 5, "prerouting", 11, 1, "");
	PATH_IS(p, n, 6, "prerouting", 12, 0, "");
	PATH_IS(p, n, 7, "prerouting", 12, 1, "");
	PATH_IS(p, n, 8, "prerouting", 13, 0, "");
	PATH_IS(p, n, 9, "prerouting", 14, 0, "");
	if (n == 10) {
		CHECK(p[2].via[0] == fx_rule(fx_chain(&rs, "ip", "nat", "prerouting"), 9, 0) &&
		      p[3].via[0] == fx_rule(fx_chain(&rs, "ip", "nat", "prerouting"), 9, 1),
		      "the vmap's elements lead: jump web, goto tls");
		CHECK(p[0].base == fx_chain(&rs, "ip", "nat", "prerouting"), "base");
	}
	free(p);
	n = lnw_nft_dnat_paths(&rs, "output", &p);
	CHECK(n == 1, "%d output paths", n);
	PATH_IS(p, n, 0, "output", 18, 0, "");
	free(p);
	n = lnw_nft_dnat_paths(&rs, "input", &p);
	CHECK(n == 0 && !p, "%d input paths", n);
	free(p);
	lnw_nft_free(&rs);

	if (!fx_load("systemd_nspawn", NULL, &rs))
		return;
	n = lnw_nft_dnat_paths(&rs, "prerouting", &p);
	CHECK(n == 2, "nspawn: %d prerouting paths", n);
	PATH_IS(p, n, 0, "prerouting", 6, 0, "");
	PATH_IS(p, n, 1, "prerouting", 6, 1, "");
	free(p);
	n = lnw_nft_dnat_paths(&rs, "output", &p);
	CHECK(n == 2, "nspawn: %d output paths", n);
	free(p);
	lnw_nft_free(&rs);

	/* filter chains hold no DNAT */
	if (!fx_load("zones", NULL, &rs))
		return;
	n = lnw_nft_dnat_paths(&rs, "prerouting", &p);
	CHECK(n == 0, "zones: %d paths", n);
	free(p);
	lnw_nft_free(&rs);
}

static void t_path_applies(void)
{
	struct lnw_nft_ruleset rs;
	struct lnw_nft_path *p = NULL;
	struct net_fx n;
	struct lnw_fw_flow f;
	int np;

	if (!fx_load("loopback_dnat", NULL, &rs))
		return;
	net_init(&n);
	np = lnw_nft_dnat_paths(&rs, "prerouting", &p);
	if (np != 10) {
		CHECK(false, "%d paths", np);
		free(p);
		lnw_nft_free(&rs);
		return;
	}
	/* iifname "eth0" tcp dport 8080 dnat to 127.0.0.1:5001 */
	f = flow_to(&n, "eth0", IPPROTO_TCP, "10.0.0.1", 8080, false);
	TV_IS(lnw_fw_path_applies(&p[0], &f), LNW_YES);
	f.iifname = "eth1";
	TV_IS(lnw_fw_path_applies(&p[0], &f), LNW_NO);
	f = flow_to(&n, "eth0", IPPROTO_UDP, "10.0.0.1", 8080, false);
	TV_IS(lnw_fw_path_applies(&p[0], &f), LNW_NO);
	/* iifname "wg*" */
	f = flow_to(&n, "wg0", IPPROTO_UDP, "10.8.0.1", 53, false);
	TV_IS(lnw_fw_path_applies(&p[1], &f), LNW_YES);
	/* vmap 80 : jump web; web: ip saddr 10.0.0.0/8 meta l4proto tcp dnat */
	f = flow_to(&n, "eth0", IPPROTO_TCP, "10.0.0.1", 80, false);
	TV_IS(lnw_fw_path_applies(&p[2], &f), LNW_MAYBE);
	lnw_rset_one(&f.saddr, ntohl(ip4("10.1.2.3")), ntohl(ip4("10.1.2.3")));
	TV_IS(lnw_fw_path_applies(&p[2], &f), LNW_YES);
	lnw_rset_one(&f.saddr, ntohl(ip4("192.168.1.1")), ntohl(ip4("192.168.1.1")));
	TV_IS(lnw_fw_path_applies(&p[2], &f), LNW_NO);
	f.dport_wire.r[0].lo = f.dport_wire.r[0].hi = 443; /* goto tls */
	TV_IS(lnw_fw_path_applies(&p[3], &f), LNW_YES);
	TV_IS(lnw_fw_path_applies(&p[2], &f), LNW_NO);
	/* ip daddr 127.0.0.1 tcp dport 9000: on the wire, before the DNAT */
	f = flow_to(&n, "eth0", IPPROTO_TCP, "127.0.0.1", 9000, false);
	TV_IS(lnw_fw_path_applies(&p[9], &f), LNW_YES);
	f = flow_to(&n, "eth0", IPPROTO_TCP, "10.0.0.1", 9000, false);
	TV_IS(lnw_fw_path_applies(&p[9], &f), LNW_NO);
	free(p);
	lnw_nft_free(&rs);

	/* nspawn: fib daddr type local, then "meta l4proto . th dport" */
	if (!fx_load("systemd_nspawn", NULL, &rs))
		return;
	np = lnw_nft_dnat_paths(&rs, "prerouting", &p);
	if (np == 2) {
		f = flow_to(&n, "eth0", IPPROTO_TCP, "10.0.0.1", 2222, false);
		TV_IS(lnw_fw_path_applies(&p[0], &f), LNW_YES);
		f = flow_to(&n, "eth0", IPPROTO_UDP, "10.0.0.1", 2222, false);
		TV_IS(lnw_fw_path_applies(&p[0], &f), LNW_NO);
		f = flow_to(&n, "eth0", IPPROTO_TCP, "8.8.8.8", 2222, false); /* not local */
		TV_IS(lnw_fw_path_applies(&p[0], &f), LNW_NO);
	}
	free(p);
	lnw_nft_free(&rs);
}

static void t_path_values(void)
{
	struct lnw_nft_ruleset rs;
	struct lnw_nft_path *p = NULL;
	int np;

	if (!fx_load("loopback_dnat", NULL, &rs))
		return;
	np = lnw_nft_dnat_paths(&rs, "prerouting", &p);
	if (np == 10) {
		VALUES_ARE(&p[0], LNW_KEY_DPORT, "8080");
		VALUES_ARE(&p[0], LNW_KEY_DADDR, NULL);
		VALUES_ARE(&p[0], LNW_KEY_L4PROTO, NULL); /* "tcp dport" says it; no match does */
		VALUES_ARE(&p[2], LNW_KEY_DPORT, "80");   /* from the vmap element */
		VALUES_ARE(&p[2], LNW_KEY_SADDR, "10.0.0.0-10.255.255.255");
		VALUES_ARE(&p[2], LNW_KEY_L4PROTO, "6");
		VALUES_ARE(&p[4], LNW_KEY_DPORT, "3000");
		VALUES_ARE(&p[9], LNW_KEY_DADDR, "127.0.0.1");
		VALUES_ARE(&p[9], LNW_KEY_DPORT, "9000");
	} else {
		CHECK(false, "%d paths", np);
	}
	free(p);
	lnw_nft_free(&rs);
}

static void t_input_base_of(void)
{
	struct lnw_nfnl_ruleset nl = { 0 };
	struct lnw_nft_ruleset rs;
	const struct lnw_nft_chain *c;

	if (fx_load("nft_guards", NULL, &rs)) {
		/* a base filter chain of the receive path is its own */
		c = fx_chain(&rs, "inet", "guards", "pre_raw");
		CHECK(c && lnw_nft_input_base_of(&rs, c) == c, "pre_raw");
		c = fx_chain(&rs, "inet", "guards", "input");
		CHECK(c && lnw_nft_input_base_of(&rs, c) == c, "input");
		lnw_nft_free(&rs);
	}
	if (fx_load("zones", NULL, &rs)) {
		const struct lnw_nft_chain *in = fx_chain(&rs, "inet", "fw", "input");

		CHECK(lnw_nft_input_base_of(&rs, fx_chain(&rs, "inet", "fw", "input_wan")) == in,
		      "goto from a vmap");
		CHECK(lnw_nft_input_base_of(&rs, fx_chain(&rs, "inet", "fw", "input_lan")) == in,
		      "jump from a vmap");
		lnw_nft_free(&rs);
	}
	if (fx_load("firewalld", NULL, &rs)) {
		CHECK(lnw_nft_input_base_of(&rs, fx_chain(&rs, "inet", "firewalld",
							  "filter_IN_public_allow")) ==
		      fx_chain(&rs, "inet", "firewalld", "filter_INPUT"), "three levels down");
		lnw_nft_free(&rs);
	}
	nl_devs(&nl, NFPROTO_NETDEV, "early", "eth0_in", "eth0");
	nl_done(&nl);
	if (fx_load("ingress_guard", &nl, &rs)) {
		CHECK(lnw_nft_input_base_of(&rs, fx_chain(&rs, "netdev", "early", "eth0_v4")) ==
		      fx_chain(&rs, "netdev", "early", "eth0_in"), "under ingress");
		lnw_nft_free(&rs);
	}
	lnw_nfnl_free(&nl);
	if (fx_load("loopback_dnat", NULL, &rs)) {
		/* under nat chains only: not a filter of the receive path */
		CHECK(!lnw_nft_input_base_of(&rs, fx_chain(&rs, "ip", "nat", "web")), "nat");
		lnw_nft_free(&rs);
	}
	if (fx_load("docker", NULL, &rs)) {
		/* under FORWARD only */
		CHECK(!lnw_nft_input_base_of(&rs, fx_chain(&rs, "ip", "filter", "DOCKER")),
		      "forward");
		lnw_nft_free(&rs);
	}
	if (fx_load("kube_proxy", NULL, &rs)) {
		/* KUBE-FIREWALL: from INPUT and from OUTPUT; INPUT receives */
		c = lnw_nft_input_base_of(&rs, fx_chain(&rs, "ip", "filter", "KUBE-FIREWALL"));
		CHECK(c && c->hook == LNW_HOOK_INPUT && !strcmp(c->name, "INPUT"), "%s",
		      c ? c->name : "none");
		lnw_nft_free(&rs);
	}
}

/* 8 jumps to the next chain, 16 deep (as the fuzzer found): 8^16 paths to
 * the DNAT, so the walk stops and says so (-E2BIG) within a bound, and a
 * chain's base is found without walking every path. */
static void t_jump_fanout(void)
{
	const struct lnw_nft_chain *c;
	struct lnw_nft_ruleset rs;
	struct lnw_nft_path *p = NULL;
	struct timespec t0, t1;
	double s;
	int n;

	if (!fx_load("jump_fanout", NULL, &rs))
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = lnw_nft_dnat_paths(&rs, "prerouting", &p);
	c = lnw_nft_input_base_of(&rs, fx_chain(&rs, "ip", "filter", "f15"));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	CHECK(n == -E2BIG && !p, "%d paths, want -E2BIG and none", n);
	CHECK(c && !strcmp(c->name, "in"), "base %s, want in (16 jumps)", c ? c->name : "none");
	CHECK(s < 5, "%.1f s, want a bounded walk", s); /* ASan; was hours */
	if (n >= 0)
		free(p);
	lnw_nft_free(&rs);
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "paths: DNATs through jumps, gotos, vmaps and maps", t_dnat_paths },
		{ "paths: which flows take them, before the DNAT", t_path_applies },
		{ "paths: the values they constrain", t_path_values },
		{ "paths: the filter base chain a chain runs under", t_input_base_of },
		{ "paths: jumps fanning out 8 x 16 deep: bounded, said", t_jump_fanout },
	};

	return run_all(tests, N(tests));
}

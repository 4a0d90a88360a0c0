// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of the audit's verdict (user/audit/matrix.h): who reaches what
 * on 127.0.0.0/8, from a namespace built by hand (unit.h's net_fx: lo,
 * eth0, eth1, wg0, docker0), its loopback sockets and a captured ruleset.
 * route_localnet on a device lets a neighbour's 127.x in; a DNAT to 127.x
 * needs it, a DNAT of 127.x on the wire to elsewhere does not. No kernel.
 */
#include "unit.h"

static bool load_empty(struct lnw_nft_ruleset *rs)
{
	char err[128];

	return !lnw_nft_compile_json("{\"nftables\": []}", &(struct lnw_nfnl_ruleset){ 0 }, rs,
				     err, sizeof(err));
}

static bool analyse(struct lnw_audit_report *rep, const struct net_fx *n, struct socks_fx *s,
		    const struct lnw_nft_ruleset *rs)
{
	char err[256] = "";
	int ret = lnw_audit_analyse(rep, &n->net, &s->s, rs, err, sizeof(err));

	CHECK(ret == 0, "analyse -> %d (%s)", ret, err);
	return ret == 0;
}

static const char *const reach_names[] = { "exposed", "spoofable", "guarded" };

#define ROW_IS(rep, ifname, proto, port, want, fix_text) do { \
	const struct lnw_exposure_row *r_ = row_of(rep, ifname, proto, port); \
	CHECK(r_ && r_->status == (want) && !strcmp(r_->fix, fix_text), \
	      "row %s %u/%u: %s, fix '%s'; want %s, '%s'", ifname, proto, port, \
	      r_ ? reach_names[r_->status] : "missing", r_ ? r_->fix : "-", \
	      reach_names[want], fix_text); \
} while (0)

static void t_names(void)
{
	CHECK(!strcmp(lnw_reach_name(LNW_REACH_EXPOSED), "exposed") &&
	      !strcmp(lnw_reach_name(LNW_REACH_SPOOFABLE), "spoofable") &&
	      !strcmp(lnw_reach_name(LNW_REACH_GUARDED), "guarded"), "reach names");
	CHECK(!strcmp(lnw_path_state_name(LNW_PATH_WORKS), "works") &&
	      !strcmp(lnw_path_state_name(LNW_PATH_MARTIAN), "martian-dropped") &&
	      !strcmp(lnw_path_state_name(LNW_PATH_BLOCKED), "blocked") &&
	      !strcmp(lnw_path_state_name(LNW_PATH_REACHABLE), "reachable") &&
	      !strcmp(lnw_path_state_name(LNW_PATH_NOT_FORWARDED), "not-forwarded"),
	      "path state names");
	CHECK(!strcmp(lnw_l4_name(0), "any") && !strcmp(lnw_l4_name(IPPROTO_TCP), "tcp") &&
	      !strcmp(lnw_l4_name(IPPROTO_UDP), "udp") && !strcmp(lnw_l4_name(47), "?"),
	      "l4 names");
}

/* No ruleset: the flag alone decides, device by device. */
static void t_flag_alone(void)
{
	struct lnw_nft_ruleset rs;
	struct lnw_audit_report rep;
	struct socks_fx s;
	struct net_fx n;
	static const char eth0_off[] = "sysctl -w net.ipv4.conf.eth0.route_localnet=0";
	static const char all_off[] = "sysctl -w net.ipv4.conf.all.route_localnet=0";

	if (!load_empty(&rs))
		return;
	net_init(&n);
	socks_init(&s);
	if (analyse(&rep, &n, &s, &rs)) {
		CHECK(!rep.n_rows && !rep.n_paths && !rep.n_guards && !rep.n_advice &&
		      !rep.n_exposed && !rep.output_dnat, "flag off: nothing to say");
		lnw_audit_report_free(&rep);
	}
	net_set(&n, "eth0", LNW_CONF_ROUTE_LOCALNET, 1);
	if (analyse(&rep, &n, &s, &rs)) {
		/* 0.0.0.0:22 is not loopback-only; 127.0.0.1:8000 is bound to eth1 */
		CHECK(rep.n_rows == 3 && rep.n_exposed == 3, "%d rows, %d exposed", rep.n_rows,
		      rep.n_exposed);
		ROW_IS(&rep, "eth0", IPPROTO_TCP, 5001, LNW_REACH_EXPOSED, eth0_off);
		ROW_IS(&rep, "eth0", IPPROTO_UDP, 5000, LNW_REACH_EXPOSED, eth0_off);
		ROW_IS(&rep, "eth0", IPPROTO_UDP, 53, LNW_REACH_EXPOSED, eth0_off);
		/* sorted: tcp before udp, then by address */
		CHECK(rep.n_rows == 3 && rep.rows[0].sock == &s.v[1] && rep.rows[1].sock == &s.v[0] &&
		      rep.rows[2].sock == &s.v[3], "row order");
		CHECK(rep.n_rows && rep.rows[0].guard.fate == LNW_FW_PASSES && !rep.rows[0].guard.rule,
		      "nothing drops");
		CHECK(rep.n_advice == 1 && rep.advice[0].iface == net_if(&n, "eth0") &&
		      !strcmp(rep.advice[0].text, "route_localnet is on for eth0, and no DNAT "
			      "to 127.0.0.0/8 arrives on it") &&
		      !strcmp(rep.advice[0].fix, eth0_off), "advice: %d '%s'", rep.n_advice,
		      rep.n_advice ? rep.advice[0].text : "-");
		lnw_audit_report_free(&rep);
	}
	/* a name with a dot takes sysctl's slash form */
	snprintf(n.ifs[3].link.name, sizeof(n.ifs[3].link.name), "eth0.100");
	net_set(&n, "eth0", LNW_CONF_ROUTE_LOCALNET, 0);
	net_set(&n, "eth0.100", LNW_CONF_ROUTE_LOCALNET, 1);
	if (analyse(&rep, &n, &s, &rs)) {
		ROW_IS(&rep, "eth0.100", IPPROTO_UDP, 5000, LNW_REACH_EXPOSED,
		       "sysctl -w net/ipv4/conf/eth0.100/route_localnet=0");
		CHECK(rep.n_rows == 3 && !row_of(&rep, "eth0", IPPROTO_UDP, 5000), "eth0 is off");
		lnw_audit_report_free(&rep);
	}
	/* all=1 (kube-proxy's setting) and default=1; eth1 a bridge port */
	net_init(&n);
	net_set(&n, "all", LNW_CONF_ROUTE_LOCALNET, 1);
	net_set(&n, "default", LNW_CONF_ROUTE_LOCALNET, 1);
	n.ifs[2].link.master = 5;
	if (analyse(&rep, &n, &s, &rs)) {
		CHECK(rep.n_rows == 9 && rep.n_exposed == 9, "%d rows", rep.n_rows);
		ROW_IS(&rep, "docker0", IPPROTO_TCP, 5001, LNW_REACH_EXPOSED, all_off);
		ROW_IS(&rep, "wg0", IPPROTO_UDP, 53, LNW_REACH_EXPOSED, all_off);
		CHECK(!row_of(&rep, "eth1", IPPROTO_UDP, 5000) &&
		      !row_of(&rep, "lo", IPPROTO_UDP, 5000), "no row for a port, nor lo");
		CHECK(rep.n_advice == 2 && !rep.advice[0].iface &&
		      !strcmp(rep.advice[0].text, "all=1 turns route_localnet on for every "
			      "device; no DNAT to 127.0.0.0/8 needs it") &&
		      !strcmp(rep.advice[0].fix, all_off) && !rep.advice[1].iface &&
		      !strcmp(rep.advice[1].text, "default=1: every device created from now on "
			      "starts with route_localnet on") &&
		      !strcmp(rep.advice[1].fix, "sysctl -w net.ipv4.conf.default.route_localnet=0"),
		      "advice: %d", rep.n_advice);
		lnw_audit_report_free(&rep);
	}
	n.ifs[2].link.master = 0;
	if (analyse(&rep, &n, &s, &rs)) {
		/* SO_BINDTODEVICE: 127.0.0.1:8000 only sees eth1's packets */
		ROW_IS(&rep, "eth1", IPPROTO_TCP, 8000, LNW_REACH_EXPOSED, all_off);
		CHECK(rep.n_rows == 13 && !row_of(&rep, "eth0", IPPROTO_TCP, 8000), "%d rows",
		      rep.n_rows);
		lnw_audit_report_free(&rep);
	}
	lnw_nft_free(&rs);
}

/* raw PREROUTING drops 127/8 whatever the source: guarded, forged or not. */
static void t_raw_guard(void)
{
	struct lnw_nft_ruleset rs;
	struct lnw_audit_report rep;
	struct socks_fx s;
	struct net_fx n;
	char where[256];

	if (!fx_load("raw_guard", NULL, &rs))
		return;
	net_init(&n);
	socks_init(&s);
	net_set(&n, "eth0", LNW_CONF_ROUTE_LOCALNET, 1);
	if (analyse(&rep, &n, &s, &rs)) {
		ROW_IS(&rep, "eth0", IPPROTO_TCP, 5001, LNW_REACH_GUARDED, "");
		ROW_IS(&rep, "eth0", IPPROTO_UDP, 5000, LNW_REACH_GUARDED, "");
		CHECK(rep.n_rows == 3 && rep.n_exposed == 0, "%d exposed", rep.n_exposed);
		if (rep.n_rows) {
			lnw_fw_verdict_where(&rep.rows[0].guard, where, sizeof(where));
			CHECK(!strcmp(where, "ip raw PREROUTING #1"), "guard '%s'", where);
		}
		CHECK(rep.n_guards == 1 && rep.guards[0].rule->handle == 2 &&
		      rep.guards[0].base == fx_chain(&rs, "ip", "raw", "PREROUTING") &&
		      rep.guards[0].n_ifs == 4 && rep.guards[0].ifs[0] == net_if(&n, "eth0") &&
		      rep.guards[0].ifs[3] == net_if(&n, "docker0") &&
		      rep.guards[0].drops_spoofed == LNW_YES && rep.guards[0].drops_dnat == LNW_NO,
		      "guard: %d, %d interfaces, spoofed %d, dnat %d", rep.n_guards,
		      rep.n_guards ? rep.guards[0].n_ifs : -1,
		      rep.n_guards ? (int)rep.guards[0].drops_spoofed : -1,
		      rep.n_guards ? (int)rep.guards[0].drops_dnat : -1);
		lnw_audit_report_free(&rep);
	}
	lnw_nft_free(&rs);
}

/* Which guard drops what: where it runs, what it compares. */
static void t_guards(void)
{
	static const struct {
		unsigned long long handle; const char *base, *ifs; enum lnw_tv spoofed, dnat;
	} want[] = {
		{ 5, "input", "", LNW_NO, LNW_NO },     /* ct status & dnat == 0, ! 127/8 source */
		{ 6, "input", "", LNW_YES, LNW_YES },   /* ct status != dnat */
		{ 7, "input", "", LNW_YES, LNW_YES },   /* ct state new */
		{ 8, "input", "", LNW_YES, LNW_YES },   /* ct direction original */
		{ 9, "pre_after_dnat", "", LNW_YES, LNW_YES },
		{ 10, "pre_mangle", "wg0,docker0", LNW_YES, LNW_NO },
		{ 11, "pre_mangle", "", LNW_YES, LNW_NO },
		{ 12, "pre_raw", "eth0,eth1", LNW_YES, LNW_NO }, /* iifname "eth*" */
		{ 13, "pre_raw", "", LNW_NO, LNW_NO },  /* no conntrack yet: never new */
	};
	struct lnw_nft_ruleset rs;
	struct lnw_audit_report rep;
	struct socks_fx s;
	struct net_fx n;
	size_t i;
	int k;

	if (!fx_load("nft_guards", NULL, &rs))
		return;
	net_init(&n);
	socks_init(&s);
	net_set(&n, "eth0", LNW_CONF_ROUTE_LOCALNET, 1);
	if (!analyse(&rep, &n, &s, &rs)) {
		lnw_nft_free(&rs);
		return;
	}
	CHECK(rep.n_guards == (int)N(want), "%d guards", rep.n_guards);
	for (i = 0; i < N(want) && (int)i < rep.n_guards; i++) {
		const struct lnw_guard *g = &rep.guards[i];
		char ifs[64] = "";
		size_t o = 0;

		for (k = 0; k < g->n_ifs; k++)
			o += (size_t)snprintf(ifs + o, sizeof(ifs) - o, "%s%s", k ? "," : "",
					      g->ifs[k]->link.name);
		CHECK(g->rule->handle == want[i].handle && !strcmp(g->base->name, want[i].base) &&
		      !strcmp(ifs, want[i].ifs) && g->drops_spoofed == want[i].spoofed &&
		      g->drops_dnat == want[i].dnat,
		      "guard %zu: #%llu in %s on '%s', spoofed %d dnat %d; want #%llu %s '%s' %d %d",
		      i, g->rule->handle, g->base->name, ifs, g->drops_spoofed, g->drops_dnat,
		      want[i].handle, want[i].base, want[i].ifs, want[i].spoofed, want[i].dnat);
	}
	/* raw drops the neighbour and the forger alike */
	ROW_IS(&rep, "eth0", IPPROTO_UDP, 5000, LNW_REACH_GUARDED, "");
	CHECK(row_of(&rep, "eth0", IPPROTO_UDP, 5000) &&
	      row_of(&rep, "eth0", IPPROTO_UDP, 5000)->guard.rule->handle == 12, "by #12");
	lnw_audit_report_free(&rep);
	lnw_nft_free(&rs);
}

static const char *const state_names[] = {
	"works", "martian", "blocked", "reachable", "not-forwarded",
};

/* Path i: its kind, summary and each interface's state ("eth0:works,..."). */
static void check_nat_path(int line, const struct lnw_audit_report *rep, int i, unsigned long long h,
		       enum lnw_path_kind kind, unsigned char l4, const char *summary,
		       const char *ifs, const struct lnw_audit_sock *sock, const char *fix)
{
	const struct lnw_nat_path *p;
	char got[256] = "";
	size_t o = 0;
	int k;

	if (i >= rep->n_paths) {
		CHECK(false, "line %d: no path %d", line, i);
		return;
	}
	p = &rep->paths[i];
	for (k = 0; k < p->n_ifs; k++)
		o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%s:%s%s", k ? "," : "",
				      p->ifs[k].iface->link.name, state_names[p->ifs[k].state],
				      p->ifs[k].applies == LNW_MAYBE ? "?" : "");
	CHECK(p->path->rule->handle == h && p->kind == kind && p->l4proto == l4 &&
	      !strcmp(p->summary, summary) && !strcmp(got, ifs) && p->sock == sock &&
	      !strcmp(p->fix, fix),
	      "line %d: path %d #%llu kind %d l4 %u %s [%s] sock port %d fix '%s'", line, i,
	      p->path->rule->handle, p->kind, p->l4proto, p->summary, got,
	      p->sock ? p->sock->port : -1, p->fix);
}

#define NAT_PATH_IS(rep, i, h, kind, l4, summary, ifs, sock, fix) \
	check_nat_path(__LINE__, rep, i, h, kind, l4, summary, ifs, sock, fix)

#define TO LNW_PATH_TO_LOOPBACK
#define FROM LNW_PATH_FROM_LOOPBACK
#define GUARD_ETH0 "iptables -t raw -I PREROUTING -i eth0 -d 127.0.0.0/8 -j DROP"
#define MARTIAN_FIX(dev) "if it should work: sysctl -w net.ipv4.conf." dev \
	".route_localnet=1, and guard the device"

/* DNATs to 127.0.0.0/8 work only where the flag is on; a DNAT of
 * 127.0.0.1 on the wire to another host needs no flag at all. */
static void t_dnat_paths(void)
{
	struct lnw_nft_ruleset rs;
	struct lnw_audit_report rep;
	struct socks_fx s;
	struct net_fx n;

	if (!fx_load("loopback_dnat", NULL, &rs))
		return;
	net_init(&n);
	socks_init(&s);
	net_set(&n, "eth0", LNW_CONF_ROUTE_LOCALNET, 1);
	net_set(&n, "eth0", LNW_CONF_FORWARDING, 1);
	if (analyse(&rep, &n, &s, &rs)) {
		CHECK(rep.n_paths == 10 && rep.output_dnat, "%d paths", rep.n_paths);
		NAT_PATH_IS(&rep, 0, 6, TO, IPPROTO_TCP, "works", "eth0:works", &s.v[1], "");
		NAT_PATH_IS(&rep, 1, 7, TO, IPPROTO_UDP, "broken", "wg0:martian", &s.v[3],
			MARTIAN_FIX("wg0"));
		/* ip saddr 10.0.0.0/8: some neighbours only; the socket bound to eth1 */
		NAT_PATH_IS(&rep, 2, 15, TO, IPPROTO_TCP, "partial",
			"eth0:works?,eth1:martian?,wg0:martian?,docker0:martian?", &s.v[4],
			MARTIAN_FIX("eth1"));
		NAT_PATH_IS(&rep, 3, 17, TO, IPPROTO_TCP, "partial",
			"eth0:works,eth1:martian,wg0:martian,docker0:martian", NULL,
			MARTIAN_FIX("eth1"));
		NAT_PATH_IS(&rep, 4, 11, TO, IPPROTO_TCP, "partial",
			"eth0:works,eth1:martian,wg0:martian,docker0:martian", NULL,
			MARTIAN_FIX("eth1"));
		/* 8082 to 10.0.0.9, no destination match: 127.x:8082 takes it */
		NAT_PATH_IS(&rep, 7, 12, FROM, IPPROTO_TCP, "exposed",
			"eth0:reachable,eth1:not-forwarded,wg0:not-forwarded,docker0:not-forwarded",
			NULL, LNW_FIX_RAW_LOOPBACK);
		/* a redirect: to the device's own address, no forwarding */
		NAT_PATH_IS(&rep, 8, 13, FROM, IPPROTO_TCP, "exposed",
			"eth0:reachable,eth1:reachable,wg0:reachable,docker0:reachable",
			NULL, LNW_FIX_RAW_LOOPBACK);
		NAT_PATH_IS(&rep, 9, 14, FROM, IPPROTO_TCP, "exposed",
			"eth0:reachable,eth1:not-forwarded,wg0:not-forwarded,docker0:not-forwarded",
			NULL, LNW_FIX_RAW_LOOPBACK);
		if (rep.n_paths == 10) {
			const struct lnw_nat_path *p = &rep.paths[9];

			CHECK(p->daddr.n == 1 && p->daddr.r[0].lo == 0x7f000001 && p->dport.n == 1 &&
			      p->dport.r[0].lo == 9000, "from 127.0.0.1:9000");
			p = &rep.paths[0];
			CHECK(p->daddr.n == 0 && p->dport.n == 1 && p->dport.r[0].lo == 8080,
			      "any address, port 8080");
		}
		/* eth0 needs the flag: the fix is a guard, not turning it off */
		ROW_IS(&rep, "eth0", IPPROTO_UDP, 5000, LNW_REACH_EXPOSED, GUARD_ETH0);
		ROW_IS(&rep, "eth0", IPPROTO_TCP, 5001, LNW_REACH_EXPOSED, GUARD_ETH0);
		CHECK(rep.n_rows == 3 && rep.n_exposed == 6 && rep.n_advice == 0,
		      "%d rows, %d exposed, %d advice", rep.n_rows, rep.n_exposed, rep.n_advice);
		lnw_audit_report_free(&rep);
	}
	/* all=1: the fix keeps the flag where a DNAT to 127/8 arrives */
	net_init(&n);
	net_set(&n, "all", LNW_CONF_ROUTE_LOCALNET, 1);
	if (analyse(&rep, &n, &s, &rs)) {
		NAT_PATH_IS(&rep, 1, 7, TO, IPPROTO_UDP, "works", "wg0:works", &s.v[3], "");
		NAT_PATH_IS(&rep, 9, 14, FROM, IPPROTO_TCP, "not-forwarded",
			"eth0:not-forwarded,eth1:not-forwarded,wg0:not-forwarded,"
			"docker0:not-forwarded", NULL, "");
		CHECK(rep.n_advice == 1 && !strcmp(rep.advice[0].text, "all=1 turns "
			"route_localnet on for every device; a DNAT to 127.0.0.0/8 needs it only "
			"on eth0, eth1, wg0, docker0") &&
		      !strcmp(rep.advice[0].fix, "sysctl -w net.ipv4.conf.all.route_localnet=0 "
			      "net.ipv4.conf.eth0.route_localnet=1 net.ipv4.conf.eth1.route_localnet=1 "
			      "net.ipv4.conf.wg0.route_localnet=1 "
			      "net.ipv4.conf.docker0.route_localnet=1"),
		      "advice '%s' fix '%s'", rep.n_advice ? rep.advice[0].text : "-",
		      rep.n_advice ? rep.advice[0].fix : "-");
		lnw_audit_report_free(&rep);
	}
	lnw_nft_free(&rs);
}

/* Arch's shipped nftables.conf and firewalld both accept "ipv6-icmp" by
 * name (lnw_protos lacks it; the audit knows it): a service the kernel
 * surely drops (reject or policy) is guarded, not exposed. */
static void t_unknown_proto_exposed(void)
{
	static const char *const fixtures[] = { "arch_default", "firewalld" };
	struct lnw_nft_ruleset rs;
	struct lnw_audit_report rep;
	struct socks_fx s;
	struct net_fx n;
	size_t i;

	socks_init(&s);
	net_init(&n);
	net_set(&n, "eth0", LNW_CONF_ROUTE_LOCALNET, 1);
	for (i = 0; i < N(fixtures); i++) {
		if (!fx_load(fixtures[i], NULL, &rs))
			continue;
		if (analyse(&rep, &n, &s, &rs)) {
			const struct lnw_exposure_row *r = row_of(&rep, "eth0", IPPROTO_UDP, 5000);

			CHECK(r && r->status == LNW_REACH_GUARDED && rep.n_exposed == 0,
			      "%s: udp 127.0.0.1:5000 on eth0 %s, %d exposed", fixtures[i],
			      r ? reach_names[r->status] : "missing", rep.n_exposed);
			lnw_audit_report_free(&rep);
		}
		lnw_nft_free(&rs);
	}
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "matrix: reach, path state and protocol names", t_names },
		{ "matrix: no ruleset, the flag per device, all, default, ports", t_flag_alone },
		{ "matrix: a raw guard guards every device, forged or not", t_raw_guard },
		{ "matrix: guards, where they run and what they let through", t_guards },
		{ "matrix: DNAT paths to and from 127.0.0.0/8, fixes and advice", t_dnat_paths },
		{ "matrix: a service behind Arch's or firewalld's rules is guarded",
		  t_unknown_proto_exposed },
	};

	return run_all(tests, N(tests));
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of iptables-nft's translations (user/audit/nft/xt.h): the
 * xtables structs nfnetlink returns, decoded by lnw_xt_match/lnw_xt_target,
 * then kube-proxy's, Docker's and CNI portmap's captured rules with those
 * payloads, built here as iptables 1.8.9 installs them (revisions and
 * layouts read back from a kernel once), through the audit. No kernel.
 */
#include "unit.h"
#include <linux/netfilter/xt_iprange.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter/xt_u32.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/xt_addrtype.h>
#include <linux/netfilter/xt_comment.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_mark.h>
#include <linux/netfilter/xt_multiport.h>
#include <linux/netfilter/xt_state.h>
#include <linux/netfilter/xt_statistic.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter/xt_u32.h>
#include "audit/nft/xt.h"

#define XT_LEN(s) ((sizeof(s) + 7) & ~(size_t)7) /* XT_ALIGN on x86-64 */
#define ESTABLISHED_RELATED (XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED) | \
			     XT_CONNTRACK_STATE_BIT(IP_CT_RELATED))

/* ---- payloads ------------------------------------------------------------ */

/* One extension's struct in an XT_ALIGN'ed, zeroed buffer. */
struct xt_buf {
	unsigned char b[2048]; /* struct xt_u32 is the largest */
	size_t len;
};

static struct lnw_nfnl_xt xt_of(const char *name, unsigned int rev, struct xt_buf *p)
{
	struct lnw_nfnl_xt x = { .rev = rev, .info = p->b, .info_len = p->len };

	snprintf(x.name, sizeof(x.name), "%s", name);
	return x;
}

static struct xt_buf comment(const char *text)
{
	struct xt_buf p = { .len = XT_LEN(struct xt_comment_info) };

	snprintf((char *)p.b, XT_MAX_COMMENT_LEN, "%s", text);
	return p;
}

/* -m conntrack, revision 1 (__u8 masks) or 2 and 3 (__u16). */
static struct xt_buf conntrack(unsigned int rev, uint16_t flags, uint16_t invert, uint16_t state,
			       uint16_t status)
{
	struct xt_buf p = { 0 };

	if (rev == 1) {
		struct xt_conntrack_mtinfo1 i = { .match_flags = flags, .invert_flags = invert,
						  .state_mask = (uint8_t)state,
						  .status_mask = (uint8_t)status };

		memcpy(p.b, &i, sizeof(i));
		p.len = XT_LEN(i);
	} else {
		struct xt_conntrack_mtinfo3 i = { .match_flags = flags, .invert_flags = invert,
						  .state_mask = state, .status_mask = status };

		memcpy(p.b, &i, rev == 2 ? sizeof(struct xt_conntrack_mtinfo2) : sizeof(i));
		p.len = rev == 2 ? XT_LEN(struct xt_conntrack_mtinfo2) : XT_LEN(i);
	}
	return p;
}

static struct xt_buf addrtype(uint16_t src, uint16_t dst, uint32_t flags)
{
	struct xt_addrtype_info_v1 i = { .source = src, .dest = dst, .flags = flags };
	struct xt_buf p = { .len = XT_LEN(i) };

	memcpy(p.b, &i, sizeof(i));
	return p;
}

/* -j DNAT --to-destination addr:port: revision 2 (nf_nat_range2), 1, 0. */
static struct xt_buf dnat(unsigned int rev, const char *addr, uint16_t port)
{
	unsigned int flags = NF_NAT_RANGE_MAP_IPS | (port ? NF_NAT_RANGE_PROTO_SPECIFIED : 0);
	struct xt_buf p = { 0 };

	if (rev == 0) {
		struct nf_nat_ipv4_multi_range_compat i = { .rangesize = 1 };

		i.range[0] = (struct nf_nat_ipv4_range){ .flags = flags, .min_ip = ip4(addr),
							 .max_ip = ip4(addr) };
		i.range[0].min.all = i.range[0].max.all = htons(port);
		memcpy(p.b, &i, sizeof(i));
		p.len = XT_LEN(i);
	} else {
		struct nf_nat_range2 i = { .flags = flags };

		i.min_addr.ip = i.max_addr.ip = ip4(addr);
		i.min_proto.all = i.max_proto.all = htons(port);
		memcpy(p.b, &i, sizeof(i));
		p.len = rev == 1 ? XT_LEN(struct nf_nat_range) : XT_LEN(i);
	}
	return p;
}

/* -j REDIRECT --to-ports port; -j MASQUERADE (port 0) */
static struct xt_buf redirect(uint16_t port)
{
	struct nf_nat_ipv4_multi_range_compat i = { .rangesize = 1 };
	struct xt_buf p = { .len = XT_LEN(i) };

	i.range[0].flags = port ? NF_NAT_RANGE_PROTO_SPECIFIED : 0;
	i.range[0].min.all = i.range[0].max.all = htons(port);
	memcpy(p.b, &i, sizeof(i));
	return p;
}

static struct xt_buf mark(uint32_t bits)
{
	struct xt_mark_tginfo2 i = { .mark = bits, .mask = bits };
	struct xt_buf p = { .len = XT_LEN(i) };

	memcpy(p.b, &i, sizeof(i));
	return p;
}

/* -m tcp / -m udp without options: every port */
static struct xt_buf any_port(void)
{
	struct xt_udp i = { .spts = { 0, 0xffff }, .dpts = { 0, 0xffff } };
	struct xt_buf p = { .len = XT_LEN(struct xt_tcp) };

	memcpy(p.b, &i, sizeof(i));
	return p;
}

static struct xt_buf statistic_half(void)
{
	struct xt_statistic_info i = { .mode = XT_STATISTIC_MODE_RANDOM,
				       .u.random.probability = 0x40000000 };
	struct xt_buf p = { .len = XT_LEN(i) };

	i.u.nth.count = 0x40000000; /* as iptables 1.8.9 leaves it */
	memcpy(p.b, &i, sizeof(i));
	return p;
}

static struct xt_buf multiport_dst(uint16_t port)
{
	struct xt_multiport_v1 i = { .flags = XT_MULTIPORT_DESTINATION, .count = 1,
				     .ports = { port } };
	struct xt_buf p = { .len = XT_LEN(i) };

	memcpy(p.b, &i, sizeof(i));
	return p;
}

#define M(nl, t, c, h, name, rev, buf) do { struct xt_buf b_ = buf; \
	nl_xt(nl, t, c, h, false, name, rev, b_.b, b_.len); } while (0)
#define T(nl, t, c, h, name, rev, buf) do { struct xt_buf b_ = buf; \
	nl_xt(nl, t, c, h, true, name, rev, b_.b, b_.len); } while (0)

/* What nfnetlink returns for kube_proxy.rules, rule by rule, in order. */
static void nl_kube_proxy(struct lnw_nfnl_ruleset *nl)
{
	static const char dns[] = "kube-system/kube-dns:dns", web[] = "default/web:http";
	static const char *const once[][3] = {
		{ "PREROUTING", "15", "kubernetes service portals" },
		{ "OUTPUT", "16", "kubernetes service portals" },
		{ "POSTROUTING", "17", "kubernetes postrouting rules" },
		{ "KUBE-SERVICES", "21", "kube-system/kube-dns:dns cluster IP" },
		{ "KUBE-SVC-TCOU7JCQXEZGVUNU", "23", "kube-system/kube-dns:dns cluster IP" },
		{ "KUBE-SVC-TCOU7JCQXEZGVUNU", "24", "kube-system/kube-dns:dns -> 10.244.0.5:53" },
		{ "KUBE-SEP-YIL6JZP7A3QYXJU2", "25", dns },
		{ "KUBE-NODEPORTS", "27", web },
		{ "KUBE-EXT-WEB", "28", "masquerade traffic for default/web:http external "
					"destinations" },
		{ "KUBE-SVC-WEB", "31", "default/web:http -> 10.244.0.8:8080" },
	};
	size_t i;

	M(nl, "filter", "KUBE-FIREWALL", 7, "comment", 0,
	  comment("block incoming localnet connections"));
	M(nl, "filter", "KUBE-FIREWALL", 7, "conntrack", 3,
	  conntrack(3, XT_CONNTRACK_STATE, XT_CONNTRACK_STATE,
		    ESTABLISHED_RELATED | XT_CONNTRACK_STATE_DNAT, 0));
	for (i = 0; i < N(once); i++)
		M(nl, "nat", once[i][0], strtoull(once[i][1], NULL, 10), "comment", 0,
		  comment(once[i][2]));
	T(nl, "nat", "KUBE-MARK-MASQ", 18, "MARK", 2, mark(0x4000));
	T(nl, "nat", "KUBE-POSTROUTING", 20, "MASQUERADE", 0, redirect(0));
	M(nl, "nat", "KUBE-SERVICES", 22, "comment", 0, comment("kubernetes service nodeports; "
	  "NOTE: this must be the last rule in this chain"));
	M(nl, "nat", "KUBE-SERVICES", 22, "addrtype", 1, addrtype(0, XT_ADDRTYPE_LOCAL, 0));
	M(nl, "nat", "KUBE-SEP-YIL6JZP7A3QYXJU2", 26, "comment", 0, comment(dns));
	M(nl, "nat", "KUBE-SEP-YIL6JZP7A3QYXJU2", 26, "udp", 0, any_port());
	T(nl, "nat", "KUBE-SEP-YIL6JZP7A3QYXJU2", 26, "DNAT", 2, dnat(2, "10.244.0.5", 53));
	M(nl, "nat", "KUBE-SVC-WEB", 30, "comment", 0,
	  comment("default/web:http -> 10.244.0.7:8080"));
	M(nl, "nat", "KUBE-SVC-WEB", 30, "statistic", 0, statistic_half());
	M(nl, "nat", "KUBE-SEP-WEB1", 32, "comment", 0, comment(web));
	M(nl, "nat", "KUBE-SEP-WEB1", 32, "tcp", 0, any_port());
	T(nl, "nat", "KUBE-SEP-WEB1", 32, "DNAT", 2, dnat(2, "10.244.0.7", 8080));
	M(nl, "nat", "KUBE-SEP-WEB2", 33, "comment", 0, comment(web));
	M(nl, "nat", "KUBE-SEP-WEB2", 33, "tcp", 0, any_port());
	T(nl, "nat", "KUBE-SEP-WEB2", 33, "DNAT", 2, dnat(2, "10.244.0.8", 8080));
	nl_done(nl);
}

static void nl_docker(struct lnw_nfnl_ruleset *nl)
{
	M(nl, "nat", "PREROUTING", 6, "addrtype", 1, addrtype(0, XT_ADDRTYPE_LOCAL, 0));
	M(nl, "nat", "OUTPUT", 7, "addrtype", 1, addrtype(0, XT_ADDRTYPE_LOCAL, 0));
	T(nl, "nat", "POSTROUTING", 8, "MASQUERADE", 0, redirect(0));
	M(nl, "filter", "FORWARD", 10, "conntrack", 3,
	  conntrack(3, XT_CONNTRACK_STATE, 0, ESTABLISHED_RELATED, 0));
	T(nl, "nat", "DOCKER", 10, "DNAT", 2, dnat(2, "172.17.0.2", 80));
	T(nl, "nat", "DOCKER", 11, "DNAT", 2, dnat(2, "172.17.0.3", 80));
	nl_done(nl);
}

static void nl_cni_portmap(struct lnw_nfnl_ruleset *nl)
{
	static const char dn[] = "CNI-DN-5d1d2c3b4a5f6e7d8c9b0";

	M(nl, "nat", "PREROUTING", 8, "addrtype", 1, addrtype(0, XT_ADDRTYPE_LOCAL, 0));
	M(nl, "nat", "OUTPUT", 9, "addrtype", 1, addrtype(0, XT_ADDRTYPE_LOCAL, 0));
	M(nl, "nat", "POSTROUTING", 10, "comment", 0, comment("CNI portfwd requiring masquerade"));
	T(nl, "nat", "CNI-HOSTPORT-MASQ", 11, "MASQUERADE", 0, redirect(0));
	M(nl, "nat", "CNI-HOSTPORT-SETMARK", 12, "comment", 0,
	  comment("CNI portfwd masquerade mark"));
	T(nl, "nat", "CNI-HOSTPORT-SETMARK", 12, "MARK", 2, mark(0x2000));
	M(nl, "nat", "CNI-HOSTPORT-DNAT", 13, "comment", 0,
	  comment("dnat name: \"cbr0\" id: \"5d1d2c3b\""));
	M(nl, "nat", "CNI-HOSTPORT-DNAT", 13, "multiport", 1, multiport_dst(8080));
	T(nl, "nat", dn, 16, "DNAT", 2, dnat(2, "10.88.0.5", 80));
	nl_done(nl);
}

/* ---- lnw_xt_match, lnw_xt_target ------------------------------------------ */

/* The values of the last match_of, as fx_values writes them. */
static char match_values[256];

/* Decode -m name: key, text, match_values; the match's memory released. */
static enum lnw_nft_key match_of(const char *name, unsigned int rev, struct xt_buf p,
				 struct lnw_nft_match *m, char *text, size_t len, char **cmt)
{
	struct lnw_nfnl_xt x = xt_of(name, rev, &p);
	int ret = lnw_xt_match(&x, m, cmt);

	CHECK(ret == 0, "-m %s: %d", name, ret);
	snprintf(text, len, "%s", m->text ? m->text : "(null)");
	snprintf(match_values, sizeof(match_values), "%s", fx_values(m));
	free(m->text);
	free(m->ranges);
	m->text = NULL;
	m->ranges = NULL;
	return m->key;
}

static void t_match_conntrack(void)
{
	static const unsigned int revs[] = { 1, 2, 3 };
	struct lnw_nft_match m;
	char text[128];
	size_t i;

	for (i = 0; i < N(revs); i++) {
		enum lnw_nft_key k = match_of("conntrack", revs[i],
			conntrack(revs[i], XT_CONNTRACK_STATE, XT_CONNTRACK_STATE,
				  ESTABLISHED_RELATED | XT_CONNTRACK_STATE_DNAT, 0),
			&m, text, sizeof(text), NULL);

		CHECK(k == LNW_KEY_XT_CONNTRACK && m.xt.ct.match_flags == XT_CONNTRACK_STATE &&
		      m.xt.ct.invert_flags == XT_CONNTRACK_STATE && m.xt.ct.state_mask == 0x86 &&
		      !strcmp(text, "-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT"),
		      "rev %u: key %d flags %#x/%#x state %#x '%s'", revs[i], k,
		      m.xt.ct.match_flags, m.xt.ct.invert_flags, m.xt.ct.state_mask, text);
	}
	/* -m state --state NEW is the conntrack match with the alias flag */
	CHECK(match_of("conntrack", 3, conntrack(3, XT_CONNTRACK_STATE | XT_CONNTRACK_STATE_ALIAS, 0,
						 XT_CONNTRACK_STATE_BIT(IP_CT_NEW), 0),
		       &m, text, sizeof(text), NULL) == LNW_KEY_XT_CONNTRACK &&
	      !strcmp(text, "-m conntrack --ctstate NEW"), "alias: '%s'", text);
	CHECK(match_of("conntrack", 3, conntrack(3, XT_CONNTRACK_STATUS, XT_CONNTRACK_STATUS, 0,
						 IPS_SEEN_REPLY | IPS_ASSURED),
		       &m, text, sizeof(text), NULL) == LNW_KEY_XT_CONNTRACK &&
	      m.xt.ct.status_mask == (IPS_SEEN_REPLY | IPS_ASSURED) &&
	      !strcmp(text, "-m conntrack ! --ctstatus SEEN_REPLY,ASSURED"), "status: '%s'", text);
	CHECK(match_of("conntrack", 3, conntrack(3, XT_CONNTRACK_STATE | XT_CONNTRACK_ORIGDST, 0,
						 XT_CONNTRACK_STATE_INVALID, 0),
		       &m, text, sizeof(text), NULL) == LNW_KEY_XT_CONNTRACK &&
	      !strcmp(text, "-m conntrack --ctstate INVALID ..."), "more: '%s'", text);
	/* an unknown revision, a short payload: named only */
	CHECK(match_of("conntrack", 4, conntrack(3, XT_CONNTRACK_STATE, 0, 8, 0), &m, text,
		       sizeof(text), NULL) == LNW_KEY_UNKNOWN && !strcmp(text, "-m conntrack"),
	      "rev 4: '%s'", text);
	{
		struct xt_buf p = conntrack(3, XT_CONNTRACK_STATE, 0, 8, 0);

		p.len = sizeof(struct xt_conntrack_mtinfo1) - 1;
		CHECK(match_of("conntrack", 1, p, &m, text, sizeof(text), NULL) == LNW_KEY_UNKNOWN,
		      "short payload decoded");
	}
}

static void t_match_others(void)
{
	struct lnw_nft_match m;
	char text[128], *cmt = strdup("old");
	struct xt_buf st = { .len = XT_LEN(struct xt_state_info) };

	/* -m comment: always true; its text is the rule's comment */
	CHECK(match_of("comment", 0, comment("block incoming localnet connections"), &m, text,
		       sizeof(text), &cmt) == LNW_KEY_TRUE && !text[0] && cmt &&
	      !strcmp(cmt, "block incoming localnet connections"), "comment '%s'", cmt);
	free(cmt);
	((struct xt_state_info *)(void *)st.b)->statemask = XT_CONNTRACK_STATE_BIT(IP_CT_NEW);
	CHECK(match_of("state", 0, st, &m, text, sizeof(text), NULL) == LNW_KEY_XT_STATE &&
	      m.xt.ct.state_mask == XT_CONNTRACK_STATE_BIT(IP_CT_NEW) &&
	      !strcmp(text, "-m state --state NEW"), "state '%s'", text);
	CHECK(match_of("addrtype", 1, addrtype(0, XT_ADDRTYPE_LOCAL, 0), &m, text, sizeof(text),
		       NULL) == LNW_KEY_XT_ADDRTYPE && m.xt.addrtype.dest == XT_ADDRTYPE_LOCAL &&
	      !m.xt.addrtype.source && !strcmp(text, "-m addrtype --dst-type LOCAL"),
	      "addrtype '%s'", text);
	CHECK(match_of("addrtype", 1, addrtype(0, XT_ADDRTYPE_LOCAL, XT_ADDRTYPE_INVERT_DEST), &m,
		       text, sizeof(text), NULL) == LNW_KEY_XT_ADDRTYPE &&
	      m.xt.addrtype.flags == XT_ADDRTYPE_INVERT_DEST &&
	      !strcmp(text, "-m addrtype ! --dst-type LOCAL"), "inverted '%s'", text);
	CHECK(match_of("addrtype", 1, addrtype(XT_ADDRTYPE_LOCAL, XT_ADDRTYPE_UNICAST, 0), &m, text,
		       sizeof(text), NULL) == LNW_KEY_XT_ADDRTYPE &&
	      !strcmp(text, "-m addrtype --src-type 0x4 --dst-type 0x2"), "src '%s'", text);
	CHECK(match_of("addrtype", 0, addrtype(0, XT_ADDRTYPE_LOCAL, 0), &m, text, sizeof(text),
		       NULL) == LNW_KEY_UNKNOWN && !strcmp(text, "-m addrtype"), "rev 0 '%s'", text);
	CHECK(match_of("multiport", 1, multiport_dst(8080), &m, text, sizeof(text), NULL) ==
	      LNW_KEY_DPORT && m.op == LNW_OP_IN && !strcmp(match_values, "8080") &&
	      !strcmp(text, "-m multiport --dports 8080"), "multiport '%s' '%s'", text,
	      match_values);
	{
		struct xt_udp u = { .spts = { 0, 0xffff }, .dpts = { 5000, 5002 },
				    .invflags = XT_UDP_INV_DSTPT };
		struct xt_tcp t = { .spts = { 0, 0xffff }, .dpts = { 0, 0xffff },
				    .flg_mask = 0x17, .flg_cmp = 0x02 };
		struct xt_iprange_mtinfo r = { .flags = IPRANGE_DST };
		struct xt_buf b = { .len = XT_LEN(u) };

		memcpy(b.b, &u, sizeof(u));
		CHECK(match_of("udp", 0, b, &m, text, sizeof(text), NULL) == LNW_KEY_DPORT &&
		      m.op == LNW_OP_NOT_IN && m.l4proto == IPPROTO_UDP &&
		      !strcmp(match_values, "5000-5002") &&
		      !strcmp(text, "-m udp ! --dport 5000:5002"), "udp '%s'", text);
		b = (struct xt_buf){ .len = XT_LEN(t) }; /* --syn: SYN,RST,ACK,FIN == SYN */
		memcpy(b.b, &t, sizeof(t));
		CHECK(match_of("tcp", 0, b, &m, text, sizeof(text), NULL) == LNW_KEY_TCP_FLAGS &&
		      m.op == LNW_OP_IN && m.bits == 0x17 && !strcmp(match_values, "2") &&
		      !strcmp(text, "-m tcp --syn"), "tcp --syn '%s'", text);
		r.dst_min.ip = htonl(0x7f000001);
		r.dst_max.ip = htonl(0x7f0000ff);
		b = (struct xt_buf){ .len = XT_LEN(r) };
		memcpy(b.b, &r, sizeof(r));
		CHECK(match_of("iprange", 1, b, &m, text, sizeof(text), NULL) == LNW_KEY_DADDR &&
		      m.op == LNW_OP_IN && !strcmp(match_values, "127.0.0.1-127.0.0.255") &&
		      !strcmp(text, "-m iprange --dst-range 127.0.0.1-127.0.0.255"),
		      "iprange '%s' '%s'", text, match_values);
		r.flags = IPRANGE_DST | IPRANGE_SRC; /* two conditions: not read */
		memcpy(b.b, &r, sizeof(r));
		CHECK(match_of("iprange", 1, b, &m, text, sizeof(text), NULL) == LNW_KEY_UNKNOWN,
		      "iprange both '%s'", text);
	}
	{
		/* -m u32 "16&0xff000000=0x7f000000": the daddr in 127.0.0.0/8 */
		static struct xt_u32 u = { .ntests = 1, .tests = { { .nnums = 2, .nvalues = 1,
			.location = { { 16, 0 }, { 0xff000000, XT_U32_AND } },
			.value = { { 0x7f000000, 0x7f000000 } } } } };
		struct xt_buf b = { .len = XT_LEN(u) };

		memcpy(b.b, &u, sizeof(u));
		CHECK(match_of("u32", 0, b, &m, text, sizeof(text), NULL) == LNW_KEY_DADDR &&
		      m.op == LNW_OP_IN && !strcmp(match_values, "127.0.0.0-127.255.255.255") &&
		      !strcmp(text, "-m u32 --u32 16&0xff000000=0x7f000000"), "u32 '%s' '%s'",
		      text, match_values);
		u.tests[0].location[1].nextop = XT_U32_LEFTSH; /* a shift: not read */
		memcpy(b.b, &u, sizeof(u));
		CHECK(match_of("u32", 0, b, &m, text, sizeof(text), NULL) == LNW_KEY_UNKNOWN,
		      "u32 shift '%s'", text);
	}
}

/* Decode -j name into a rule; its text. */
static struct lnw_nft_rule target_of(const char *name, unsigned int rev, struct xt_buf *p,
				     char *text, size_t len)
{
	struct lnw_nft_rule r = { .verdict = LNW_V_CONTINUE };
	struct lnw_nfnl_xt x = p ? xt_of(name, rev, p) : (struct lnw_nfnl_xt){ 0 };
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	if (!f)
		abort();
	lnw_xt_target(name, p ? &x : NULL, &r, f);
	fclose(f);
	snprintf(text, len, "%s", buf ? buf : "");
	free(buf);
	return r;
}

static void t_targets(void)
{
	static const unsigned int revs[] = { 0, 1, 2 };
	static const struct { const char *name; enum lnw_nft_verdict v; } plain[] = {
		{ "REJECT", LNW_V_DROP }, { "MARK", LNW_V_CONTINUE }, { "LOG", LNW_V_CONTINUE },
		{ "CT", LNW_V_CONTINUE }, { "MASQUERADE", LNW_V_NAT }, { "SNAT", LNW_V_NAT },
		{ "NFQUEUE", LNW_V_MAYBE }, { "TPROXY", LNW_V_MAYBE }, { "DNAT", LNW_V_MAYBE },
	};
	struct lnw_nft_rule r;
	struct xt_buf p;
	char text[128], want[64];
	size_t i;

	for (i = 0; i < N(revs); i++) {
		p = dnat(revs[i], "10.244.0.5", 53);
		r = target_of("DNAT", revs[i], &p, text, sizeof(text));
		CHECK(r.verdict == LNW_V_NAT && r.nat.kind == LNW_NAT_DNAT && r.nat.has_addr &&
		      r.nat.addr.lo == 0x0af40005 && r.nat.addr.hi == 0x0af40005 && r.nat.has_port &&
		      r.nat.port.lo == 53 && !strcmp(text, "-j DNAT --to-destination 10.244.0.5:53"),
		      "DNAT rev %u: %d %d '%s'", revs[i], r.verdict, r.nat.kind, text);
	}
	p = dnat(2, "127.0.0.1", 0);
	r = target_of("DNAT", 2, &p, text, sizeof(text));
	CHECK(r.nat.has_addr && !r.nat.has_port && r.nat.addr.lo == 0x7f000001 &&
	      !strcmp(text, "-j DNAT --to-destination 127.0.0.1"), "no port: '%s'", text);
	p = redirect(5353);
	r = target_of("REDIRECT", 0, &p, text, sizeof(text));
	CHECK(r.verdict == LNW_V_NAT && r.nat.kind == LNW_NAT_REDIRECT && !r.nat.has_addr &&
	      r.nat.has_port && r.nat.port.lo == 5353 &&
	      !strcmp(text, "-j REDIRECT --to-ports 5353"), "REDIRECT '%s'", text);
	p = dnat(3, "10.0.0.1", 80); /* a revision not known */
	r = target_of("DNAT", 3, &p, text, sizeof(text));
	CHECK(r.verdict == LNW_V_MAYBE && !strcmp(text, "-j DNAT"), "rev 3: '%s'", text);
	for (i = 0; i < N(plain); i++) {
		r = target_of(plain[i].name, 0, NULL, text, sizeof(text));
		snprintf(want, sizeof(want), "-j %s", plain[i].name);
		CHECK(r.verdict == plain[i].v && !strcmp(text, want) &&
		      (r.verdict != LNW_V_NAT || r.nat.kind == LNW_NAT_OTHER),
		      "%s: verdict %d '%s'", plain[i].name, r.verdict, text);
		free(r.unmodelled);
	}
}

/* ---- the captured rules, decoded --------------------------------------- */

static void t_kube_proxy_decoded(void)
{
	struct lnw_nfnl_ruleset nl = { 0 };
	struct lnw_nft_ruleset rs;
	const struct lnw_nft_rule *r;

	nl_kube_proxy(&nl);
	if (fx_load("kube_proxy", &nl, &rs)) {
		CHECK(rs.n_undecoded == 0, "%d undecoded", rs.n_undecoded);
		r = fx_rule(fx_chain(&rs, "ip", "filter", "KUBE-FIREWALL"), 7, 0);
		MATCH_IS(r, 0, LNW_KEY_SADDR, LNW_OP_NOT_IN, "127.0.0.0-127.255.255.255");
		MATCH_IS(r, 1, LNW_KEY_DADDR, LNW_OP_IN, "127.0.0.0-127.255.255.255");
		MATCH_IS(r, 2, LNW_KEY_TRUE, LNW_OP_IN, "");
		MATCH_IS(r, 3, LNW_KEY_XT_CONNTRACK, LNW_OP_IN, "");
		CHECK(r && r->verdict == LNW_V_DROP && r->comment &&
		      !strcmp(r->comment, "block incoming localnet connections") && r->text &&
		      !strcmp(r->text, "ip saddr != 127.0.0.0/8 ip daddr 127.0.0.0/8 -m conntrack "
			      "! --ctstate RELATED,ESTABLISHED,DNAT drop"), "'%s'", r ? r->text : "-");
		r = fx_rule(fx_chain(&rs, "ip", "nat", "KUBE-SEP-YIL6JZP7A3QYXJU2"), 26, 0);
		CHECK(r && r->verdict == LNW_V_NAT && r->nat.kind == LNW_NAT_DNAT &&
		      r->nat.addr.lo == 0x0af40005 && r->nat.port.lo == 53 && r->comment &&
		      !strcmp(r->comment, "kube-system/kube-dns:dns") &&
		      !strcmp(r->text, "meta l4proto udp -m udp -j DNAT --to-destination "
			      "10.244.0.5:53"), "'%s'", r ? r->text : "-");
		MATCH_IS(r, 2, LNW_KEY_TRUE, LNW_OP_IN, ""); /* -m udp, no port */
		r = fx_rule(fx_chain(&rs, "ip", "nat", "KUBE-SERVICES"), 22, 0);
		MATCH_IS(r, 1, LNW_KEY_XT_ADDRTYPE, LNW_OP_IN, "");
		r = fx_rule(fx_chain(&rs, "ip", "nat", "KUBE-MARK-MASQ"), 18, 0);
		CHECK(r && r->verdict == LNW_V_CONTINUE && r->mark_set != LNW_MARK_KEEP &&
		      !strncmp(r->text, "-j MARK", 7), "MARK '%s'", r ? r->text : "-");
		/* the nat chains set marks: a DNAT'd flow's mark is not known */
		CHECK(fx_chain(&rs, "ip", "nat", "PREROUTING")->sets_mark &&
		      !fx_chain(&rs, "ip", "filter", "KUBE-FIREWALL")->sets_mark, "sets_mark");
		lnw_nft_free(&rs);
	}
	lnw_nfnl_free(&nl);
	/* a payload under another name than the JSON's: the two reads disagree */
	M(&nl, "filter", "KUBE-FIREWALL", 7, "comment", 0, comment("x"));
	M(&nl, "filter", "KUBE-FIREWALL", 7, "state", 0, comment("y"));
	nl_done(&nl);
	if (fx_load("kube_proxy", &nl, &rs)) {
		r = fx_rule(fx_chain(&rs, "ip", "filter", "KUBE-FIREWALL"), 7, 0);
		MATCH_IS(r, 3, LNW_KEY_UNKNOWN, LNW_OP_IN, "");
		CHECK(rs.n_undecoded == 26 && r && r->comment && !strcmp(r->comment, "x"),
		      "%d undecoded", rs.n_undecoded);
		lnw_nft_free(&rs);
	}
	lnw_nfnl_free(&nl);
}

/* kube-proxy's guard: the neighbour's own source, not a forged one, not DNAT. */
static void t_kube_firewall(void)
{
	struct lnw_nfnl_ruleset nl = { 0 };
	struct lnw_nft_ruleset rs, raw;
	struct lnw_fw_verdict v;
	struct lnw_fw_flow f, s, d;
	struct net_fx n;
	char where[256];

	net_init(&n);
	f = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.1", 5000, false);
	s = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.5", 5000, true);
	d = flow_dnat(&n, "eth0", IPPROTO_TCP, "10.0.0.1", 8080, "127.0.0.1", 5001);
	nl_kube_proxy(&nl);
	if (fx_load("kube_proxy", &nl, &rs)) {
		lnw_fw_eval(&rs, &f, &v);
		lnw_fw_verdict_where(&v, where, sizeof(where));
		CHECK(v.fate == LNW_FW_DROPS && v.rule && v.rule->handle == 7 &&
		      !strcmp(where, "ip filter KUBE-FIREWALL #1 \"block incoming localnet "
			      "connections\""), "%s: %s", fate_names[v.fate], where);
		lnw_fw_eval(&rs, &s, &v);
		CHECK(v.fate == LNW_FW_PASSES, "forged: %s", fate_names[v.fate]);
		lnw_fw_eval(&rs, &d, &v);
		CHECK(v.fate == LNW_FW_PASSES, "DNAT'd: %s", fate_names[v.fate]);
		lnw_nft_free(&rs);
	}
	lnw_nfnl_free(&nl);
	/* without the payload the conntrack match may or may not hold */
	if (fx_load("kube_proxy", NULL, &raw)) {
		lnw_fw_eval(&raw, &f, &v);
		CHECK(v.fate == LNW_FW_MAY_DROP && v.rule && v.rule->handle == 7, "undecoded: %s",
		      fate_names[v.fate]);
		lnw_nft_free(&raw);
	}
}

/* kube-proxy's node with route_localnet=1 everywhere: TCP guarded; UDP
 * spoofable while rp_filter lets a forged 127.x source in. */
static void t_kube_matrix(void)
{
	static const char all_off[] = "sysctl -w net.ipv4.conf.all.route_localnet=0";
	static const struct { int rpf; enum lnw_reach udp; int exposed; } cases[] = {
		{ 0, LNW_REACH_SPOOFABLE, 8 }, { 1, LNW_REACH_GUARDED, 0 },
		{ 2, LNW_REACH_GUARDED, 0 },
	};
	struct lnw_nfnl_ruleset nl = { 0 };
	struct lnw_nft_ruleset rs;
	struct lnw_audit_report rep;
	struct socks_fx s;
	struct net_fx n;
	char err[256];
	size_t i;

	nl_kube_proxy(&nl);
	if (!fx_load("kube_proxy", &nl, &rs)) {
		lnw_nfnl_free(&nl);
		return;
	}
	socks_init(&s);
	for (i = 0; i < N(cases); i++) {
		const struct lnw_exposure_row *tcp, *udp;

		net_init(&n);
		net_set(&n, "all", LNW_CONF_ROUTE_LOCALNET, 1);
		net_set(&n, "all", LNW_CONF_RP_FILTER, cases[i].rpf);
		if (lnw_audit_analyse(&rep, &n.net, &s.s, &rs, err, sizeof(err))) {
			CHECK(false, "analyse: %s", err);
			continue;
		}
		tcp = row_of(&rep, "eth1", IPPROTO_TCP, 5001);
		udp = row_of(&rep, "eth1", IPPROTO_UDP, 5000);
		CHECK(rep.n_rows == 13 && tcp && tcp->status == LNW_REACH_GUARDED && !tcp->fix[0] &&
		      udp && udp->status == cases[i].udp && rep.n_exposed == cases[i].exposed &&
		      !strcmp(udp->fix, cases[i].exposed ? all_off : ""),
		      "rp_filter %d: %d rows, tcp %d, udp %d '%s', %d exposed", cases[i].rpf,
		      rep.n_rows, tcp ? (int)tcp->status : -1, udp ? (int)udp->status : -1,
		      udp ? udp->fix : "-", rep.n_exposed);
		CHECK(rep.n_guards == 1 && rep.guards[0].rule->handle == 7 &&
		      !strcmp(rep.guards[0].base->name, "INPUT") && rep.guards[0].n_ifs == 4 &&
		      rep.guards[0].drops_spoofed == LNW_NO && rep.guards[0].drops_dnat == LNW_NO,
		      "guard");
		/* the NodePort's two endpoints, behind addrtype LOCAL: 127.x
		 * takes them (not forwarded here); the ClusterIP's does not */
		CHECK(rep.n_paths == 2 && rep.output_dnat &&
		      rep.paths[0].kind == LNW_PATH_FROM_LOOPBACK &&
		      rep.paths[0].daddr.n == 1 && rep.paths[0].daddr.r[0].lo == 0x7f000000 &&
		      rep.paths[0].daddr.r[0].hi == 0x7fffffff &&
		      !strcmp(rep.paths[0].summary, "not-forwarded"), "%d paths", rep.n_paths);
		lnw_audit_report_free(&rep);
	}
	lnw_nft_free(&rs);
	lnw_nfnl_free(&nl);
}

static void t_dnat_paths(void)
{
	struct lnw_nfnl_ruleset nl = { 0 };
	struct lnw_nft_ruleset rs;
	struct lnw_nft_path *p = NULL;
	struct lnw_fw_flow f;
	struct net_fx n;
	int np;

	net_init(&n);
	if (fx_load("kube_proxy", NULL, &rs)) {
		np = lnw_nft_dnat_paths(&rs, "prerouting", &p);
		CHECK(np == 0, "undecoded DNAT targets make %d paths", np); /* may do anything */
		free(p);
		lnw_nft_free(&rs);
	}
	nl_kube_proxy(&nl);
	if (fx_load("kube_proxy", &nl, &rs)) {
		np = lnw_nft_dnat_paths(&rs, "prerouting", &p);
		CHECK(np == 3 && p[0].rule->handle == 26 && p[0].n_via == 3 &&
		      p[0].via[2]->handle == 24 && p[1].rule->handle == 32 && p[1].n_via == 5 &&
		      p[1].via[1]->handle == 22 && p[1].via[4]->handle == 30 &&
		      p[2].rule->handle == 33 && p[2].via[4]->handle == 31,
		      "%d paths", np);
		if (np == 3) {
			f = flow_to(&n, "eth0", IPPROTO_UDP, "10.96.0.10", 53, false);
			CHECK(lnw_fw_path_applies(&p[0], &f) == LNW_YES, "dns: -m udp --dport 53 read");
			f.l4proto = IPPROTO_TCP;
			CHECK(lnw_fw_path_applies(&p[0], &f) == LNW_NO, "dns over tcp");
			/* --dst-type LOCAL: the node's addresses and 127/8 */
			f = flow_to(&n, "eth0", IPPROTO_TCP, "10.0.0.1", 30080, false);
			CHECK(lnw_fw_path_applies(&p[1], &f) == LNW_MAYBE, "nodeport");
			f = flow_to(&n, "eth0", IPPROTO_TCP, "8.8.8.8", 30080, false);
			CHECK(lnw_fw_path_applies(&p[1], &f) == LNW_NO, "not local");
		}
		free(p);
		np = lnw_nft_dnat_paths(&rs, "output", &p);
		CHECK(np == 3, "%d output paths", np);
		free(p);
		lnw_nft_free(&rs);
	}
	lnw_nfnl_free(&nl);
	nl_cni_portmap(&nl);
	if (fx_load("cni_portmap", &nl, &rs)) {
		np = lnw_nft_dnat_paths(&rs, "prerouting", &p);
		CHECK(np == 1 && p[0].rule->handle == 16 && p[0].n_via == 2 &&
		      p[0].rule->nat.addr.lo == 0x0a580005 && p[0].rule->nat.port.lo == 80,
		      "%d paths", np);
		if (np == 1) {
			f = flow_to(&n, "eth0", IPPROTO_TCP, "10.0.0.1", 8080, false);
			CHECK(lnw_fw_path_applies(&p[0], &f) == LNW_YES, "-m multiport --dports 8080");
			f = flow_to(&n, "eth0", IPPROTO_TCP, "10.0.0.1", 8081, false);
			CHECK(lnw_fw_path_applies(&p[0], &f) == LNW_NO, "tcp dport 8080");
		}
		free(p);
		lnw_nft_free(&rs);
	}
	lnw_nfnl_free(&nl);
}

/* Docker's -p 127.0.0.1:9090:80: DNAT'd before routing, then forwarded; a
 * neighbour reaches the container through 127.0.0.1 with no flag at all. */
static void t_docker_localhost_publish(void)
{
	struct lnw_nfnl_ruleset nl = { 0 };
	struct lnw_nft_ruleset rs;
	struct lnw_audit_report rep;
	struct socks_fx s;
	struct net_fx n;
	char err[256], where[256];

	nl_docker(&nl);
	if (!fx_load("docker", &nl, &rs)) {
		lnw_nfnl_free(&nl);
		return;
	}
	net_init(&n);
	socks_init(&s);
	net_set(&n, "eth0", LNW_CONF_FORWARDING, 1);
	net_set(&n, "docker0", LNW_CONF_FORWARDING, 1);
	if (!lnw_audit_analyse(&rep, &n.net, &s.s, &rs, err, sizeof(err))) {
		const struct lnw_nat_path *p = rep.n_paths == 2 ? &rep.paths[1] : NULL;
		const struct lnw_nat_path *all = p ? &rep.paths[0] : NULL;

		CHECK(p && p->path->rule->handle == 11 && p->kind == LNW_PATH_FROM_LOOPBACK &&
		      p->l4proto == IPPROTO_TCP && p->dport.n == 1 && p->dport.r[0].lo == 9090 &&
		      !strcmp(p->summary, "exposed") && !strcmp(p->guard_word, "conditional") &&
		      rep.n_exposed == 2 && rep.n_rows == 0, "%d paths, %d exposed, %s", rep.n_paths,
		      rep.n_exposed, p ? p->summary : "-");
		/* -p 8080:80, every address: addrtype LOCAL lets 127.0.0.0/8 in */
		CHECK(all && all->kind == LNW_PATH_FROM_LOOPBACK && all->dport.n == 1 &&
		      all->dport.r[0].lo == 8080 && all->daddr.n == 1 &&
		      all->daddr.r[0].lo == 0x7f000000 && all->daddr.r[0].hi == 0x7fffffff &&
		      !strcmp(all->summary, "exposed") && !strcmp(all->fix, LNW_FIX_RAW_LOOPBACK),
		      "-p 8080:80 from 127.0.0.0/8");
		/* ! -i docker0; eth1, wg0 do not forward */
		CHECK(p && p->n_ifs == 3 && p->ifs[0].iface == net_if(&n, "eth0") &&
		      p->ifs[0].applies == LNW_YES && p->ifs[0].state == LNW_PATH_REACHABLE &&
		      p->ifs[1].state == LNW_PATH_NOT_FORWARDED &&
		      p->ifs[2].iface == net_if(&n, "wg0") &&
		      !strcmp(p->fix, LNW_FIX_RAW_LOOPBACK), "interfaces, fix");
		if (p && p->n_ifs) {
			/* FORWARD: -o docker0 is not modelled; the policy may drop */
			lnw_fw_verdict_where(&p->ifs[0].guard, where, sizeof(where));
			CHECK(p->ifs[0].guard.fate == LNW_FW_MAY_DROP &&
			      !strcmp(where, "policy drop of ip filter FORWARD"), "'%s'", where);
		}
		lnw_audit_report_free(&rep);
	} else {
		CHECK(false, "analyse: %s", err);
	}
	lnw_nft_free(&rs);
	lnw_nfnl_free(&nl);
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "xt: -m conntrack revisions 1-3, state, status, others", t_match_conntrack },
		{ "xt: -m comment, state, addrtype, undecoded matches", t_match_others },
		{ "xt: -j DNAT revisions 0-2, REDIRECT, passive and unknown targets", t_targets },
		{ "xt: kube-proxy's rules decoded from their payloads", t_kube_proxy_decoded },
		{ "xt: KUBE-FIREWALL drops the neighbour, not forged or DNAT'd", t_kube_firewall },
		{ "xt: kube-proxy node, all=1: tcp guarded, udp by rp_filter", t_kube_matrix },
		{ "xt: kube-proxy and CNI portmap DNAT paths", t_dnat_paths },
		{ "xt: Docker publish on 127.0.0.1 reachable from the link", t_docker_localhost_publish },
	};

	return run_all(tests, N(tests));
}

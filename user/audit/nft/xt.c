// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* xtables extensions in nf_tables rules (iptables-nft): libnftables' JSON
 * names them only; their structs, as the kernel holds them, say what they
 * match and where a DNAT goes. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/xt_addrtype.h>
#include <linux/netfilter/xt_comment.h>
#include <linux/netfilter/xt_conntrack.h>
#include <linux/netfilter/xt_iprange.h>
#include <linux/netfilter/xt_mark.h>
#include <linux/netfilter/xt_multiport.h>
#include <linux/netfilter/xt_pkttype.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter/xt_u32.h>
#include <linux/netfilter/xt_CT.h>
#include <linux/netfilter/xt_state.h>

#include "lib/text.h"
#include "lib/util.h"
#include "model.h"
#include "xt.h"

static void print_ct_bits(FILE *f, uint16_t mask, bool state)
{
	static const struct lnw_named states[] = {
		{ "INVALID", XT_CONNTRACK_STATE_INVALID },
		{ "NEW", XT_CONNTRACK_STATE_BIT(IP_CT_NEW) },
		{ "RELATED", XT_CONNTRACK_STATE_BIT(IP_CT_RELATED) },
		{ "ESTABLISHED", XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED) },
		{ "SNAT", XT_CONNTRACK_STATE_SNAT }, { "DNAT", XT_CONNTRACK_STATE_DNAT },
		{ "UNTRACKED", XT_CONNTRACK_STATE_UNTRACKED },
	};
	static const struct lnw_named statuses[] = {
		{ "EXPECTED", IPS_EXPECTED }, { "SEEN_REPLY", IPS_SEEN_REPLY },
		{ "ASSURED", IPS_ASSURED }, { "CONFIRMED", IPS_CONFIRMED },
	};
	const struct lnw_named *t = state ? states : statuses;
	size_t n = state ? LNW_ARRAY_SIZE(states) :
		   LNW_ARRAY_SIZE(statuses), i;
	bool first = true;

	for (i = 0; i < n; i++)
		if (mask & t[i].val) {
			fprintf(f, "%s%s", first ? "" : ",", t[i].name);
			first = false;
		}
}

static bool decode_conntrack(const struct lnw_nfnl_xt *xt, struct lnw_nft_xt_ct *ct)
{
	if (xt->rev == 1 && xt->info_len >= sizeof(struct xt_conntrack_mtinfo1)) {
		const struct xt_conntrack_mtinfo1 *i = (const void *)xt->info;

		*ct = (struct lnw_nft_xt_ct){ i->match_flags, i->invert_flags,
					      i->state_mask, i->status_mask };
		return true;
	}
	if ((xt->rev == 2 || xt->rev == 3) &&
	    xt->info_len >= sizeof(struct xt_conntrack_mtinfo2)) {
		const struct xt_conntrack_mtinfo2 *i = (const void *)xt->info;

		*ct = (struct lnw_nft_xt_ct){ i->match_flags, i->invert_flags,
					      i->state_mask, i->status_mask };
		return true;
	}
	return false;
}

/* One port range (lo..hi, inverted or not) of xt tcp/udp as a match on
 * key; false when it constrains nothing. */
static bool port_range(struct lnw_nft_match *m, enum lnw_nft_key key, uint8_t l4,
		       const uint16_t pts[2], bool inv)
{
	if (pts[0] == 0 && pts[1] == 0xffff && !inv)
		return false;
	m->key = key;
	m->l4proto = l4;
	m->op = inv ? LNW_OP_NOT_IN : LNW_OP_IN;
	return true;
}

/* -m tcp, -m udp (port ranges only: TCP flags and options are not read),
 * -m multiport, -m iprange, one direction each: a match, or false. */
static bool decode_ranges(const struct lnw_nfnl_xt *xt, struct lnw_nft_match *m, FILE *f)
{
	const uint16_t *sp = NULL, *dp = NULL;
	uint8_t inv = 0, l4 = 0;
	int i, ret = 0;

	if (!strcmp(xt->name, "udp") && xt->info_len >= sizeof(struct xt_udp)) {
		const struct xt_udp *u = (const void *)xt->info;

		sp = u->spts, dp = u->dpts, inv = u->invflags, l4 = IPPROTO_UDP;
	} else if (!strcmp(xt->name, "tcp") && xt->info_len >= sizeof(struct xt_tcp)) {
		const struct xt_tcp *t = (const void *)xt->info;

		if (t->option)
			return false;
		if (t->flg_mask) { /* --tcp-flags, --syn: ports must be any */
			if (t->spts[0] || t->spts[1] != 0xffff || t->dpts[0] ||
			    t->dpts[1] != 0xffff || (t->invflags & ~XT_TCP_INV_FLAGS))
				return false;
			m->key = LNW_KEY_TCP_FLAGS;
			m->l4proto = IPPROTO_TCP;
			m->xt_hotdrop = true;
			m->op = t->invflags & XT_TCP_INV_FLAGS ? LNW_OP_NOT_IN : LNW_OP_IN;
			m->bits = t->flg_mask;
			if (t->flg_mask == 0x17 && t->flg_cmp == 0x02)
				fprintf(f, "-m tcp %s--syn", m->op == LNW_OP_NOT_IN ? "! " : "");
			else
				fprintf(f, "-m tcp %s--tcp-flags 0x%x 0x%x",
					m->op == LNW_OP_NOT_IN ? "! " : "", t->flg_mask,
					t->flg_cmp);
			return !lnw_nft_range_push(m, t->flg_cmp, t->flg_cmp);
		}
		sp = t->spts, dp = t->dpts, inv = t->invflags, l4 = IPPROTO_TCP;
	}
	if (sp) {
		bool s = sp[0] != 0 || sp[1] != 0xffff || (inv & XT_UDP_INV_SRCPT);
		bool d = dp[0] != 0 || dp[1] != 0xffff || (inv & XT_UDP_INV_DSTPT);

		if (s && d)
			return false; /* two conditions: not one match */
		if (!(d ? port_range(m, LNW_KEY_DPORT, l4, dp, inv & XT_UDP_INV_DSTPT) :
		      port_range(m, LNW_KEY_SPORT, l4, sp, inv & XT_UDP_INV_SRCPT))) {
			m->key = LNW_KEY_TRUE; /* -m udp alone: the protocol's own check */
			fprintf(f, "-m %s", xt->name);
			return true;
		}
		fprintf(f, "-m %s %s--%cport %u:%u", xt->name, m->op == LNW_OP_NOT_IN ? "! " : "",
			d ? 'd' : 's', d ? dp[0] : sp[0], d ? dp[1] : sp[1]);
		return !lnw_nft_range_push(m, d ? dp[0] : sp[0], d ? dp[1] : sp[1]);
	}
	if (!strcmp(xt->name, "multiport") && xt->rev == 1 &&
	    xt->info_len >= sizeof(struct xt_multiport_v1)) {
		const struct xt_multiport_v1 *mp = (const void *)xt->info;

		if (mp->flags == XT_MULTIPORT_EITHER || mp->count > XT_MULTI_PORTS)
			return false;
		m->key = mp->flags == XT_MULTIPORT_SOURCE ? LNW_KEY_SPORT : LNW_KEY_DPORT;
		m->l4proto = LNW_L4_TH;
		m->op = mp->invert ? LNW_OP_NOT_IN : LNW_OP_IN;
		fprintf(f, "-m multiport %s--%cports ", mp->invert ? "! " : "",
			mp->flags == XT_MULTIPORT_SOURCE ? 's' : 'd');
		for (i = 0; i < mp->count && !ret; i++) {
			uint16_t lo = mp->ports[i], hi = lo;

			if (mp->pflags[i] && i + 1 < mp->count)
				hi = mp->ports[++i];
			fprintf(f, "%s%u", m->n_ranges ? "," : "", lo);
			if (hi != lo)
				fprintf(f, ":%u", hi);
			ret = lnw_nft_range_push(m, lo, hi);
		}
		return !ret;
	}
	if (!strcmp(xt->name, "u32") && xt->info_len >= sizeof(struct xt_u32)) {
		/* one test of the 32 bits at 12 (saddr) or 16 (daddr) of the IP
		 * header, alone or and'ed with a prefix mask: an address match;
		 * any other form is not read */
		const struct xt_u32 *u = (const void *)xt->info;
		const struct xt_u32_test *t = &u->tests[0];
		uint32_t at = t->location[0].number, mask = UINT32_MAX;

		if (t->nnums == 2 && t->location[1].nextop == XT_U32_AND)
			mask = t->location[1].number; /* "16&0xff000000=0x7f000000" */
		if (u->ntests != 1 || t->nnums < 1 || t->nnums > 2 ||
		    (t->nnums == 2 && t->location[1].nextop != XT_U32_AND) ||
		    (mask & (~mask >> 1)) || (at != 12 && at != 16) || !t->nvalues ||
		    t->nvalues > XT_U32_MAXSIZE + 1)
			return false;
		for (i = 0; i < t->nvalues; i++) /* masked: one value in the prefix */
			if (t->value[i].min > t->value[i].max ||
			    (mask != UINT32_MAX && (t->value[i].min != t->value[i].max ||
						    (t->value[i].min & ~mask))))
				return false;
		m->key = at == 12 ? LNW_KEY_SADDR : LNW_KEY_DADDR;
		m->op = u->invert ? LNW_OP_NOT_IN : LNW_OP_IN;
		fprintf(f, "-m u32 %s--u32 %u", u->invert ? "! " : "", at);
		if (mask != UINT32_MAX)
			fprintf(f, "&0x%x", mask);
		for (i = 0; i < t->nvalues && !ret; i++) {
			const struct xt_u32_value_element *v = &t->value[i];

			fprintf(f, "%s0x%x", i ? "," : "=", v->min);
			if (v->max != v->min)
				fprintf(f, ":0x%x", v->max);
			ret = lnw_nft_range_push(m, v->min, mask == UINT32_MAX ? v->max :
						 v->min | ~mask);
		}
		return !ret;
	}
	if (!strcmp(xt->name, "iprange") && xt->rev == 1 &&
	    xt->info_len >= sizeof(struct xt_iprange_mtinfo)) {
		const struct xt_iprange_mtinfo *r = (const void *)xt->info;
		bool src = r->flags & IPRANGE_SRC, dst = r->flags & IPRANGE_DST;
		const union nf_inet_addr *lo = src ? &r->src_min : &r->dst_min;
		const union nf_inet_addr *hi = src ? &r->src_max : &r->dst_max;
		char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

		if (src == dst)
			return false;
		m->key = src ? LNW_KEY_SADDR : LNW_KEY_DADDR;
		m->op = r->flags & (src ? IPRANGE_SRC_INV : IPRANGE_DST_INV) ? LNW_OP_NOT_IN :
			LNW_OP_IN;
		inet_ntop(AF_INET, &lo->in, a, sizeof(a));
		inet_ntop(AF_INET, &hi->in, b, sizeof(b));
		fprintf(f, "-m iprange %s--%s-range %s-%s", m->op == LNW_OP_NOT_IN ? "! " : "",
			src ? "src" : "dst", a, b);
		return !lnw_nft_range_push(m, ntohl(lo->ip), ntohl(hi->ip));
	}
	return false;
}

int lnw_xt_match(const struct lnw_nfnl_xt *xt, struct lnw_nft_match *m, char **comment)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	memset(m, 0, sizeof(*m));
	m->key = LNW_KEY_UNKNOWN;
	f = open_memstream(&buf, &len);
	if (!f)
		return -ENOMEM;
	if (!strcmp(xt->name, "comment") && xt->info_len >= sizeof(struct xt_comment_info)) {
		const struct xt_comment_info *c = (const void *)xt->info;

		m->key = LNW_KEY_TRUE;
		free(*comment);
		*comment = strndup(c->comment, sizeof(c->comment));
	} else if (!strcmp(xt->name, "conntrack") && decode_conntrack(xt, &m->xt.ct)) {
		const struct lnw_nft_xt_ct *ct = &m->xt.ct;

		m->key = LNW_KEY_XT_CONNTRACK;
		fprintf(f, "-m conntrack");
		if (ct->match_flags & XT_CONNTRACK_STATE) {
			fprintf(f, " %s--ctstate ", ct->invert_flags & XT_CONNTRACK_STATE ? "! " : "");
			print_ct_bits(f, ct->state_mask, true);
		}
		if (ct->match_flags & XT_CONNTRACK_STATUS) {
			fprintf(f, " %s--ctstatus ", ct->invert_flags & XT_CONNTRACK_STATUS ? "! " : "");
			print_ct_bits(f, ct->status_mask, false);
		}
		if (ct->match_flags & ~(XT_CONNTRACK_STATE | XT_CONNTRACK_STATUS |
					XT_CONNTRACK_STATE_ALIAS))
			fprintf(f, " ...");
	} else if (!strcmp(xt->name, "pkttype") && xt->info_len >= sizeof(struct xt_pkttype_info) &&
		   ((const struct xt_pkttype_info *)xt->info)->pkttype >= 0) {
		const struct xt_pkttype_info *pt = (const void *)xt->info;
		static const char *const names[] = { "unicast", "broadcast", "multicast" };

		m->key = LNW_KEY_PKTTYPE;
		m->op = pt->invert ? LNW_OP_NOT_IN : LNW_OP_IN;
		if (pt->pkttype < 3)
			fprintf(f, "-m pkttype %s--pkt-type %s", pt->invert ? "! " : "",
				names[pt->pkttype]);
		else
			fprintf(f, "-m pkttype %s--pkt-type %d", pt->invert ? "! " : "", pt->pkttype);
		if (lnw_nft_range_push(m, (uint32_t)pt->pkttype, (uint32_t)pt->pkttype)) {
			fclose(f);
			free(buf);
			return -ENOMEM;
		}
	} else if ((!strcmp(xt->name, "mark") || !strcmp(xt->name, "connmark")) && xt->rev == 1 &&
		   xt->info_len >= sizeof(struct xt_mark_mtinfo1)) {
		const struct xt_mark_mtinfo1 *mk = (const void *)xt->info;

		/* xt_connmark_mtinfo1 has xt_mark_mtinfo1's layout */
		m->key = xt->name[0] == 'm' ? LNW_KEY_MARK : LNW_KEY_CT_MARK;
		m->op = mk->invert ? LNW_OP_NOT_IN : LNW_OP_IN;
		m->bits = mk->mask;
		fprintf(f, "-m %s %s--mark 0x%x/0x%x", xt->name, mk->invert ? "! " : "", mk->mark,
			mk->mask);
		if (lnw_nft_range_push(m, mk->mark & mk->mask, mk->mark & mk->mask)) {
			fclose(f);
			free(buf);
			return -ENOMEM;
		}
	} else if (!strcmp(xt->name, "state") && xt->info_len >= sizeof(struct xt_state_info)) {
		m->key = LNW_KEY_XT_STATE;
		m->xt.ct.state_mask = (uint16_t)((const struct xt_state_info *)xt->info)->statemask;
		fprintf(f, "-m state --state ");
		print_ct_bits(f, m->xt.ct.state_mask, true);
	} else if (!strcmp(xt->name, "addrtype") && xt->rev == 1 &&
		   xt->info_len >= sizeof(struct xt_addrtype_info_v1)) {
		const struct xt_addrtype_info_v1 *a = (const void *)xt->info;

		m->key = LNW_KEY_XT_ADDRTYPE;
		m->xt.addrtype = (struct lnw_nft_xt_addrtype){ a->source, a->dest, a->flags };
		fprintf(f, "-m addrtype");
		if (a->source)
			fprintf(f, " %s--src-type 0x%x", a->flags & XT_ADDRTYPE_INVERT_SOURCE ?
				"! " : "", a->source);
		if (a->dest == XT_ADDRTYPE_LOCAL)
			fprintf(f, " %s--dst-type LOCAL", a->flags & XT_ADDRTYPE_INVERT_DEST ? "! " : "");
		else if (a->dest)
			fprintf(f, " %s--dst-type 0x%x", a->flags & XT_ADDRTYPE_INVERT_DEST ?
				"! " : "", a->dest);
	} else if (!decode_ranges(xt, m, f)) {
		free(m->ranges);
		m->ranges = NULL;
		m->n_ranges = 0;
		m->cap_ranges = 0;
		m->op = LNW_OP_IN;
		m->key = LNW_KEY_UNKNOWN;
		fprintf(f, "-m %s", xt->name);
	}
	fclose(f);
	m->text = buf;
	return buf ? 0 : -ENOMEM;
}

static void set_nat_range(struct lnw_nft_nat *nat, unsigned int flags, uint32_t amin,
			  uint32_t amax, uint16_t pmin, uint16_t pmax)
{
	nat->has_addr = flags & NF_NAT_RANGE_MAP_IPS;
	nat->addr.lo = ntohl(amin);
	nat->addr.hi = ntohl(amax);
	nat->has_port = flags & NF_NAT_RANGE_PROTO_SPECIFIED;
	nat->port.lo = ntohs(pmin);
	nat->port.hi = ntohs(pmax);
}

static bool decode_nat_target(const struct lnw_nfnl_xt *xt, struct lnw_nft_nat *nat)
{
	if (xt->rev == 0 && xt->info_len >= sizeof(struct nf_nat_ipv4_multi_range_compat)) {
		const struct nf_nat_ipv4_range *r =
			((const struct nf_nat_ipv4_multi_range_compat *)(const void *)xt->info)->range;

		set_nat_range(nat, r->flags, r->min_ip, r->max_ip, r->min.all, r->max.all);
		return true;
	}
	/* nf_nat_range2 starts with nf_nat_range */
	if ((xt->rev == 1 || xt->rev == 2) && xt->info_len >= sizeof(struct nf_nat_range)) {
		const struct nf_nat_range *r = (const void *)xt->info;

		set_nat_range(nat, r->flags, r->min_addr.ip, r->max_addr.ip,
			      r->min_proto.all, r->max_proto.all);
		return true;
	}
	return false;
}

void lnw_xt_target(const char *name, const struct lnw_nfnl_xt *xt, struct lnw_nft_rule *r,
		   FILE *text)
{
	static const char *const passive[] = {
		"LOG", "NFLOG", "MARK", "CONNMARK", "CT", "TRACE", "TCPMSS",
		"CLASSIFY", "DSCP", "TOS", "TTL", "CHECKSUM", "SECMARK", "CONNSECMARK",
		"AUDIT", "IDLETIMER", "LED", "RATEEST", "HMARK", "SET", NULL,
	};
	static const char *const nat_other[] = { "SNAT", "MASQUERADE", "NETMAP", NULL };
	if ((!strcmp(name, "DNAT") || !strcmp(name, "REDIRECT")) && xt &&
	    decode_nat_target(xt, &r->nat)) {
		char a[INET_ADDRSTRLEN] = "";
		struct in_addr ia = { htonl(r->nat.addr.lo) };

		r->verdict = LNW_V_NAT;
		r->nat.kind = !strcmp(name, "DNAT") ? LNW_NAT_DNAT : LNW_NAT_REDIRECT;
		if (r->nat.has_addr)
			inet_ntop(AF_INET, &ia, a, sizeof(a));
		if (r->nat.kind == LNW_NAT_DNAT)
			fprintf(text, "-j DNAT --to-destination %s", a);
		else
			fprintf(text, "-j REDIRECT%s", r->nat.has_port ? " --to-ports " : "");
		if (r->nat.has_port)
			fprintf(text, "%s%u", r->nat.kind == LNW_NAT_DNAT ? ":" : "", r->nat.port.lo);
		return;
	}
	fprintf(text, "-j %s", name);
	/* an untracked packet is one the model does not follow (ct state
	 * untracked, no NAT): -j NOTRACK, -j CT --notrack (or unread) */
	if (!strcmp(name, "NOTRACK") ||
	    (!strcmp(name, "CT") && (!xt || xt->info_len < sizeof(uint16_t) ||
				     (*(const uint16_t *)(const void *)xt->info & XT_CT_NOTRACK)))) {
		free(r->unmodelled);
		r->unmodelled = strdup(!strcmp(name, "CT") ? "-j CT --notrack" : "-j NOTRACK");
		r->verdict = r->unmodelled ? LNW_V_CONTINUE : LNW_V_MAYBE;
		return;
	}
	if (!strcmp(name, "MARK") && xt && xt->rev == 2 &&
	    xt->info_len >= sizeof(struct xt_mark_tginfo2)) {
		const struct xt_mark_tginfo2 *mk = (const void *)xt->info;

		r->mark_set = LNW_MARK_SET;
		r->mark_mask = mk->mask;
		r->mark_xor = mk->mark;
		fprintf(text, " --set-xmark 0x%x/0x%x", mk->mark, mk->mask);
	} else if (!strcmp(name, "MARK") || !strcmp(name, "CONNMARK") || !strcmp(name, "HMARK")) {
		r->mark_set = LNW_MARK_ANY; /* from ct mark, a hash: not followed */
	}
	/* CONNMARK may set the connection's mark; so may CT (--ctmark... ) */
	r->sets_ct_mark = r->sets_ct_mark || !strcmp(name, "CONNMARK") || !strcmp(name, "CT");
	if (!strcmp(name, "REJECT"))
		r->verdict = LNW_V_DROP;
	else if (lnw_nft_str_in(name, passive))
		r->verdict = LNW_V_CONTINUE;
	else if (lnw_nft_str_in(name, nat_other)) {
		r->verdict = LNW_V_NAT;
		r->nat.kind = LNW_NAT_OTHER;
	} else {
		r->verdict = LNW_V_MAYBE; /* NFQUEUE, TPROXY...: anything */
	}
}

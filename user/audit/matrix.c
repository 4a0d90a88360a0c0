// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The exposure matrix. A neighbour's frame to 127.x on a device is routed
 * (not martian-dropped) when the device's effective route_localnet is on;
 * then every socket bound to 127.x is reachable unless a filter rule drops
 * the packet. With rp_filter 0 a forged 127.x source passes the route too,
 * which the usual guard (! -s 127.0.0.0/8) lets through: one way, so it
 * matters to UDP. A DNAT to 127.x needs the flag on its ingress device; a
 * DNAT of 127.x on the wire to elsewhere needs nothing at all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "lib/text.h"
#include "lib/util.h"
#include "matrix.h"
#include "matrix_int.h"


const char *lnw_reach_name(enum lnw_reach e)
{
	static const char *const names[] = {
		[LNW_REACH_EXPOSED] = "exposed", [LNW_REACH_SPOOFABLE] = "spoofable",
		[LNW_REACH_GUARDED] = "guarded", [LNW_REACH_UNKNOWN] = "unknown",
	};

	return names[e];
}

const char *lnw_path_state_name(enum lnw_path_state s)
{
	static const char *const names[] = {
		[LNW_PATH_WORKS] = "works", [LNW_PATH_MARTIAN] = "martian-dropped",
		[LNW_PATH_BLOCKED] = "blocked", [LNW_PATH_REACHABLE] = "reachable",
		[LNW_PATH_NOT_FORWARDED] = "not-forwarded",
	};

	return names[s];
}

const char *lnw_l4_name(unsigned char l4proto)
{
	return l4proto ? lnw_proto_name(l4proto, NULL, 0) : "any";
}

void lnw_fw_verdict_where(const struct lnw_fw_verdict *v, char *buf, size_t len)
{
	char where[320];

	if (!v->chain) {
		snprintf(buf, len, "-");
	} else if (!v->rule) {
		snprintf(buf, len, "policy drop of %s %s %s", v->chain->family,
			 v->chain->table, v->chain->name);
	} else {
		lnw_nft_rule_where(v->rule, where, sizeof(where));
		if (v->rule->comment)
			snprintf(buf, len, "%s \"%s\"", where, v->rule->comment);
		else
			snprintf(buf, len, "%s", where);
	}
}

bool lnw_fw_verdict_unknown(const struct lnw_fw_verdict *v, char *buf, size_t len)
{
	char where[320];

	if (v->over_budget) {
		snprintf(buf, len, "the ruleset is too large to evaluate within %llu rules "
			 "per flow", (unsigned long long)LNW_FW_WORK_BUDGET);
		return true;
	}
	if (!v->unmodelled)
		return false;
	lnw_nft_rule_where(v->unmodelled, where, sizeof(where));
	snprintf(buf, len, "%s has \"%s\", which the audit does not model", where,
		 v->unmodelled->unmodelled);
	return true;
}

const char *lnw_fw_verdict_condition(const struct lnw_fw_verdict *v)
{
	int i;

	for (i = 0; v->fate == LNW_FW_MAY_DROP && v->rule && i < v->rule->n_m; i++)
		if (v->rule->m[i].key == LNW_KEY_UNKNOWN && v->rule->m[i].text)
			return v->rule->m[i].text;
	return NULL;
}

/* Count a verdict that cannot be told; true if it cannot. */
bool lnw_audit_count_unknown(struct lnw_audit_report *rep, const struct lnw_fw_verdict *v)
{
	char why[512];

	if (!lnw_fw_verdict_unknown(v, why, sizeof(why)))
		return false;
	if (!rep->n_unknown++)
		snprintf(rep->cannot_tell, sizeof(rep->cannot_tell), "%.*s",
			 (int)sizeof(rep->cannot_tell) - 1, why);
	return true;
}

/* ---- fixes ------------------------------------------------------------ */

/* "net.ipv4.conf.eth0.route_localnet"; a name with dots takes the slash
 * form sysctl(8) reads literally. */
int lnw_audit_sysctl_key(char *buf, size_t len, const char *dev, const char *knob)
{
	char name[4 * IF_NAMESIZE + 1];

	lnw_name_printable(dev, name, sizeof(name));
	return snprintf(buf, len, strchr(name, '.') ? "net/ipv4/conf/%s/%s" :
			"net.ipv4.conf.%s.%s", name, knob);
}

/* Does a DNAT to 127.0.0.0/8 arrive on it (it needs the flag)? */
static bool needs_flag(const struct lnw_audit_report *rep, const struct lnw_audit_iface *it)
{
	int p, i;

	for (p = 0; p < rep->n_paths; p++) {
		const struct lnw_nat_path *np = &rep->paths[p];

		if (np->kind != LNW_PATH_TO_LOOPBACK)
			continue;
		for (i = 0; i < np->n_ifs; i++)
			if (np->ifs[i].iface == it)
				return true;
	}
	return false;
}

static void fix_guard(char *fix, size_t len, const struct lnw_audit_iface *it)
{
	char name[4 * IF_NAMESIZE + 1];

	lnw_name_printable(it->link.name, name, sizeof(name));
	/* raw PREROUTING sees the wire's destination: a DNAT'd packet is not
	 * matched, a forged 127.x source is */
	snprintf(fix, len, "iptables -t raw -I PREROUTING -i %s -d 127.0.0.0/8 -j DROP", name);
}

/* Turn route_localnet off for it, keeping it on where a DNAT needs it. */
static void fix_flag_off(const struct lnw_audit_report *rep,
			 const struct lnw_audit_iface *it, char *fix, size_t len)
{
	const struct lnw_audit_net *net = rep->net;
	size_t o;
	int i;

	o = (size_t)snprintf(fix, len, "sysctl -w ");
	if (!net->all[LNW_CONF_ROUTE_LOCALNET]) {
		lnw_audit_sysctl_key(fix + o, len - o, it->link.name, "route_localnet=0");
		return;
	}
	o += (size_t)snprintf(fix + o, len - o, "net.ipv4.conf.all.route_localnet=0");
	if (it->dev[LNW_CONF_ROUTE_LOCALNET] && o + 1 < len) {
		fix[o++] = ' ';
		o += (size_t)lnw_audit_sysctl_key(fix + o, len - o, it->link.name, "route_localnet=0");
	}
	for (i = 0; i < net->n_ifs && o + 1 < len; i++) {
		const struct lnw_audit_iface *j = &net->ifs[i];

		if (j->dev[LNW_CONF_ROUTE_LOCALNET] || !needs_flag(rep, j))
			continue;
		fix[o++] = ' ';
		o += (size_t)lnw_audit_sysctl_key(fix + o, len - o, j->link.name, "route_localnet=1");
	}
}

static void fix_for_iface(const struct lnw_audit_report *rep,
			  const struct lnw_audit_iface *it, char *fix, size_t len)
{
	if (needs_flag(rep, it))
		fix_guard(fix, len, it);
	else
		fix_flag_off(rep, it, fix, len);
}

/* ---- the matrix -------------------------------------------------------- */

/* Can a forged 127.x source pass the route input's source validation?
 * With rp_filter 0 only the device's own addresses are refused (127.0.0.1
 * is, 127.0.0.5 is not); with loose mode, accept_local lets it in. */
static bool spoof_passes_rpf(const struct lnw_audit_iface *it)
{
	int rpf = it->eff[LNW_CONF_RP_FILTER];

	return rpf == 0 || (rpf == 2 && it->eff[LNW_CONF_ACCEPT_LOCAL]);
}

static void analyse_row(struct lnw_audit_report *rep, const struct lnw_audit_iface *it,
			struct lnw_audit_sock *s)
{
	struct lnw_exposure_row *row = &rep->rows[rep->n_rows++];
	struct lnw_fw_flow f;

	memset(row, 0, sizeof(*row));
	row->iface = it;
	row->sock = s;
	lnw_fw_flow_direct(&f, rep->net, it->link.name, s->proto, ntohl(s->addr.s_addr),
			   s->port, false);
	lnw_fw_eval(rep->rs, &f, &row->guard);
	if (s->proto == IPPROTO_UDP && spoof_passes_rpf(it)) {
		/* TCP needs the SYN-ACK back: a forged source cannot connect */
		lnw_fw_flow_direct(&f, rep->net, it->link.name, s->proto,
				   ntohl(s->addr.s_addr), s->port, true);
		lnw_fw_eval(rep->rs, &f, &row->spoof);
		row->spoof_read = true;
	}
	if (row->guard.fate != LNW_FW_DROPS) {
		row->status = LNW_REACH_EXPOSED;
	} else if (row->spoof_read) {
		row->status = row->spoof.fate == LNW_FW_DROPS ? LNW_REACH_GUARDED : LNW_REACH_SPOOFABLE;
	} else {
		row->status = LNW_REACH_GUARDED;
	}
	if (lnw_audit_count_unknown(rep, &row->guard) ||
	    (row->status == LNW_REACH_GUARDED && lnw_audit_count_unknown(rep, &row->spoof)))
		row->status = LNW_REACH_UNKNOWN;
	if (row->status != LNW_REACH_GUARDED) {
		fix_for_iface(rep, it, row->fix, sizeof(row->fix));
		rep->n_exposed += row->status != LNW_REACH_UNKNOWN;
	}
}

static int row_cmp(const void *a, const void *b)
{
	const struct lnw_exposure_row *x = a, *y = b;

	if (x->status != y->status)
		return (int)x->status - (int)y->status;
	if (x->iface->link.ifindex != y->iface->link.ifindex)
		return x->iface->link.ifindex - y->iface->link.ifindex;
	if (x->sock->proto != y->sock->proto)
		return x->sock->proto - y->sock->proto;
	if (x->sock->addr.s_addr != y->sock->addr.s_addr)
		return ntohl(x->sock->addr.s_addr) < ntohl(y->sock->addr.s_addr) ? -1 : 1;
	return x->sock->port - y->sock->port;
}

static int analyse_rows(struct lnw_audit_report *rep)
{
	size_t n_loop = 0, k;
	int i;

	for (k = 0; k < rep->socks->n; k++)
		n_loop += lnw_audit_sock_loopback_only(&rep->socks->v[k]);
	rep->rows = calloc((size_t)rep->net->n_ifs * n_loop + 1, sizeof(*rep->rows));
	if (!rep->rows)
		return -ENOMEM;
	for (i = 0; i < rep->net->n_ifs; i++) {
		const struct lnw_audit_iface *it = &rep->net->ifs[i];

		if (!lnw_audit_iface_routes_input(it) || !it->eff[LNW_CONF_ROUTE_LOCALNET])
			continue;
		for (k = 0; k < rep->socks->n; k++) {
			struct lnw_audit_sock *s = &rep->socks->v[k];

			/* SO_BINDTODEVICE elsewhere: it never sees this device's packets */
			if (!lnw_audit_sock_loopback_only(s) ||
			    (s->bound_ifindex && s->bound_ifindex != it->link.ifindex))
				continue;
			analyse_row(rep, it, s);
		}
	}
	qsort(rep->rows, (size_t)rep->n_rows, sizeof(*rep->rows), row_cmp);
	return 0;
}

/* ---- guards ------------------------------------------------------------ */

/* A drop rule whose destination match lies within 127.0.0.0/8. */
static bool guard_like(const struct lnw_nft_rule *r)
{
	int i, j;

	if (r->verdict != LNW_V_DROP)
		return false;
	for (i = 0; i < r->n_m; i++) {
		const struct lnw_nft_match *m = &r->m[i];
		bool inside = m->key == LNW_KEY_DADDR && m->op == LNW_OP_IN && m->n_ranges;

		for (j = 0; inside && j < m->n_ranges; j++)
			inside = lnw_is_loopback_host(m->ranges[j].lo) && lnw_is_loopback_host(m->ranges[j].hi);
		if (inside)
			return true;
	}
	return false;
}

static uint32_t guard_probe_daddr(const struct lnw_nft_rule *r)
{
	int i;

	for (i = 0; i < r->n_m; i++)
		if (r->m[i].key == LNW_KEY_DADDR && r->m[i].op == LNW_OP_IN && r->m[i].n_ranges)
			return r->m[i].ranges[0].lo == LNW_LOOPBACK_NET ? LNW_LOOPBACK_NET + 1 :
			       r->m[i].ranges[0].lo;
	return 0x7f000001u;
}

/* A neighbour's packet to 127.x the rule is about (its port and protocol,
 * if it names them). */
static void guard_probe(const struct lnw_audit_report *rep, const struct lnw_nft_rule *r,
			const struct lnw_audit_iface *it, bool spoof, struct lnw_fw_flow *f)
{
	struct lnw_nft_path self = { .rule = r };
	struct lnw_rset ports;
	unsigned char proto = lnw_audit_path_l4proto(&self);

	lnw_fw_flow_direct(f, rep->net, it->link.name, proto ? proto : IPPROTO_TCP,
			   guard_probe_daddr(r), 0, spoof);
	if (lnw_fw_path_values(&self, LNW_KEY_DPORT, &ports))
		f->dport_wire = ports;
	else
		lnw_rset_one(&f->dport_wire, 1, 65535);
	f->dport = f->dport_wire;
}

static int add_guard(struct lnw_audit_report *rep, const struct lnw_nft_rule *r, size_t *cap)
{
	const struct lnw_nft_chain *base = lnw_nft_input_base_of(rep->rs, r->chain);
	const struct lnw_audit_iface *probe_if = NULL;
	struct lnw_fw_verdict v;
	struct lnw_fw_flow f;
	struct lnw_guard *g;
	int i;

	if (!base)
		return 0; /* not on the receive path (OUTPUT only, or unreachable) */
	if (lnw_grow(&rep->guards, cap, (size_t)rep->n_guards + 1, sizeof(*rep->guards)))
		return -ENOMEM;
	g = &rep->guards[rep->n_guards++];
	memset(g, 0, sizeof(*g));
	g->rule = r;
	g->base = base;
	g->ifs = calloc((size_t)rep->net->n_ifs + 1, sizeof(*g->ifs));
	if (!g->ifs)
		return -ENOMEM;
	g->covers_unknown = rep->n_guards > LNW_MAX_GUARD_EVALS;
	for (i = 0; i < rep->net->n_ifs; i++) {
		const struct lnw_audit_iface *it = &rep->net->ifs[i];

		if (!lnw_audit_iface_routes_input(it))
			continue;
		if (!probe_if)
			probe_if = it;
		if (g->covers_unknown)
			break;
		guard_probe(rep, r, it, false, &f);
		lnw_fw_eval(rep->rs, &f, &v);
		if (v.fate == LNW_FW_DROPS && v.rule == r)
			g->ifs[g->n_ifs++] = it;
	}
	if (g->n_ifs)
		probe_if = g->ifs[0];
	g->drops_dnat = g->drops_spoofed = LNW_MAYBE;
	if (probe_if) {
		/* what the rule itself does, should a packet reach it */
		guard_probe(rep, r, probe_if, true, &f);
		g->drops_spoofed = lnw_fw_rule_applies(r, &f, base);
		guard_probe(rep, r, probe_if, false, &f);
		lnw_rset_not_loopback(&f.daddr_wire);
		f.dnat = true;
		g->drops_dnat = lnw_fw_rule_applies(r, &f, base);
	}
	return 0;
}

static int analyse_guards(struct lnw_audit_report *rep)
{
	size_t cap = 0;
	int c, i, ret;

	for (c = 0; c < rep->rs->n_chains; c++) {
		const struct lnw_nft_chain *ch = &rep->rs->chains[c];

		for (i = 0; i < ch->n_rules; i++)
			if (guard_like(&ch->rules[i])) {
				ret = add_guard(rep, &ch->rules[i], &cap);
				if (ret)
					return ret;
			}
	}
	return 0;
}

/* ---- advice: the flag on where nothing needs it -------------------------- */

static struct lnw_advice *add_advice(struct lnw_audit_report *rep)
{
	struct lnw_advice *a = &rep->advice[rep->n_advice++];

	memset(a, 0, sizeof(*a));
	return a;
}

static int analyse_advice(struct lnw_audit_report *rep)
{
	const struct lnw_audit_net *net = rep->net;
	char name[4 * IF_NAMESIZE + 1], key[128];
	char needers[128] = "";
	size_t o = 0;
	int i;

	rep->advice = calloc((size_t)net->n_ifs + 3, sizeof(*rep->advice));
	if (!rep->advice)
		return -ENOMEM;
	for (i = 0; i < net->n_ifs && o + sizeof(name) < sizeof(needers); i++)
		if (lnw_audit_iface_routes_input(&net->ifs[i]) && needs_flag(rep, &net->ifs[i])) {
			lnw_name_printable(net->ifs[i].link.name, name, sizeof(name));
			o += (size_t)snprintf(needers + o, sizeof(needers) - o, "%s%s",
					      o ? ", " : "", name);
		}
	if (net->all[LNW_CONF_ROUTE_LOCALNET]) {
		struct lnw_advice *a = add_advice(rep);

		snprintf(a->text, sizeof(a->text), "all=1 turns route_localnet on for every "
			 "device; %s%s", o ? "a DNAT to 127.0.0.0/8 needs it only on " :
			 "no DNAT to 127.0.0.0/8 needs it", needers);
		fix_flag_off(rep, &(struct lnw_audit_iface){ .link.name = "all" }, a->fix,
			     sizeof(a->fix));
	}
	for (i = 0; i < net->n_ifs; i++) {
		const struct lnw_audit_iface *it = &net->ifs[i];
		struct lnw_advice *a;

		if (!lnw_audit_iface_routes_input(it) || !it->dev[LNW_CONF_ROUTE_LOCALNET] ||
		    needs_flag(rep, it))
			continue;
		a = add_advice(rep);
		a->iface = it;
		lnw_name_printable(it->link.name, name, sizeof(name));
		snprintf(a->text, sizeof(a->text), "route_localnet is on for %s, and no DNAT "
			 "to 127.0.0.0/8 arrives on it", name);
		lnw_audit_sysctl_key(key, sizeof(key), it->link.name, "route_localnet=0");
		snprintf(a->fix, sizeof(a->fix), "sysctl -w %s", key);
	}
	if (net->dflt[LNW_CONF_ROUTE_LOCALNET]) {
		struct lnw_advice *a = add_advice(rep);

		snprintf(a->text, sizeof(a->text), "default=1: every device created from now "
			 "on starts with route_localnet on");
		snprintf(a->fix, sizeof(a->fix), "sysctl -w net.ipv4.conf.default.route_localnet=0");
	}
	return 0;
}

int lnw_audit_analyse(struct lnw_audit_report *rep, const struct lnw_audit_net *net,
		      struct lnw_audit_socks *socks, const struct lnw_nft_ruleset *rs,
		      char *err, size_t len)
{
	int ret;

	memset(rep, 0, sizeof(*rep));
	rep->net = net;
	rep->socks = socks;
	rep->rs = rs;
	ret = lnw_audit_analyse_paths(rep); /* first: the fixes ask which devices need the flag */
	if (!ret)
		ret = analyse_rows(rep);
	if (!ret)
		ret = analyse_guards(rep);
	if (!ret)
		ret = analyse_advice(rep);
	/* DNATs out of sight: never "nothing exposed" */
	if (!ret && rs->legacy_nat_rules > 0 && !rep->n_unknown++)
		snprintf(rep->cannot_tell, sizeof(rep->cannot_tell),
			 "iptables-legacy's nat table holds %d entries (rules, chains) the "
			 "audit cannot read: a DNAT there may take 127.x (as Docker's does "
			 "on a legacy host)", rs->legacy_nat_rules);
	else if (!ret && rs->legacy_nat_rules < 0 && !rep->n_unknown++)
		snprintf(rep->cannot_tell, sizeof(rep->cannot_tell),
			 "iptables-legacy's nat table exists and could not be asked (%s): "
			 "a DNAT there may take 127.x", strerror(-rs->legacy_nat_rules));
	if (ret) {
		snprintf(err, len, "analysing: %s", ret == -E2BIG ?
			 "jumps between nat chains fan out into more paths to a DNAT "
			 "than the audit follows (65536): cannot tell" : strerror(-ret));
		lnw_audit_report_free(rep);
	}
	return ret;
}

void lnw_audit_report_free(struct lnw_audit_report *rep)
{
	int i;

	for (i = 0; i < rep->n_paths; i++)
		free(rep->paths[i].ifs);
	for (i = 0; i < rep->n_guards; i++)
		free(rep->guards[i].ifs);
	free(rep->paths);
	free(rep->nft_paths);
	free(rep->rows);
	free(rep->guards);
	free(rep->advice);
	memset(rep, 0, sizeof(*rep));
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * DNAT paths to and from 127.0.0.0/8. A DNAT to 127.x works only where
 * the ingress device has route_localnet on. A DNAT a 127.x destination
 * takes (addrtype LOCAL, fib daddr type local, no destination match, a
 * set holding 127.x) translates it before the route's martian check: it
 * reaches its target whatever route_localnet says, unless a guard drops
 * 127.0.0.0/8 before the DNAT.
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

unsigned char lnw_audit_path_l4proto(const struct lnw_nft_path *p)
{
	struct lnw_rset s;
	int i, j;

	if (lnw_fw_path_values(p, LNW_KEY_L4PROTO, &s) && s.n == 1 && s.r[0].lo == s.r[0].hi)
		return (unsigned char)s.r[0].lo;
	for (i = -1; i < p->n_via; i++) {
		const struct lnw_nft_rule *r = i < 0 ? p->rule : p->via[i];

		for (j = 0; j < r->n_m; j++)
			if ((r->m[j].key == LNW_KEY_DPORT || r->m[j].key == LNW_KEY_SPORT) &&
			    r->m[j].l4proto != LNW_L4_TH)
				return r->m[j].l4proto;
	}
	return 0;
}

static bool rset_loopback(const struct lnw_rset *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!lnw_is_loopback_host(s->r[i].lo) || !lnw_is_loopback_host(s->r[i].hi))
			return false;
	return s->n > 0;
}

/* The flow a neighbour on it sends down path p. */
static void path_flow(const struct lnw_audit_report *rep, const struct lnw_nat_path *np,
		      const struct lnw_audit_iface *it, struct lnw_fw_flow *f)
{
	const struct lnw_nft_nat *nat = &np->path->rule->nat;

	memset(f, 0, sizeof(*f));
	f->net = rep->net;
	f->iifname = it->link.name;
	f->l4proto = np->l4proto ? np->l4proto : IPPROTO_TCP;
	lnw_rset_not_loopback(&f->saddr);
	lnw_rset_one(&f->sport, 1, 65535);
	if (np->daddr.n)
		f->daddr_wire = np->daddr;
	else
		lnw_rset_not_loopback(&f->daddr_wire);
	if (np->dport.n)
		f->dport_wire = np->dport;
	else
		lnw_rset_one(&f->dport_wire, 1, 65535);
	if (nat->has_addr)
		lnw_rset_one(&f->daddr, nat->addr.lo, nat->addr.hi);
	else if (it->n_addrs) /* a redirect: to the device's first address */
		lnw_rset_one(&f->daddr, ntohl(it->addrs[0].addr.s_addr),
			     ntohl(it->addrs[0].addr.s_addr));
	else
		lnw_rset_not_loopback(&f->daddr);
	if (nat->has_port)
		lnw_rset_one(&f->dport, nat->port.lo, nat->port.hi);
	else
		f->dport = f->dport_wire;
	f->dnat = true;
	f->to_local = np->kind == LNW_PATH_TO_LOOPBACK || !nat->has_addr ||
		      (nat->addr.lo == nat->addr.hi &&
		       lnw_audit_is_local_addr(rep->net, (struct in_addr){ htonl(nat->addr.lo) }));
}

/* The local socket a path delivers to (whether it works or not). */
static struct lnw_audit_sock *path_service(const struct lnw_audit_report *rep,
					   const struct lnw_nat_path *np,
					   const struct lnw_fw_flow *f,
					   const struct lnw_audit_iface *it)
{
	const struct lnw_nft_nat *nat = &np->path->rule->nat;
	struct lnw_audit_sock *s;
	uint32_t port = nat->has_port ? nat->port.lo :
			np->dport.n == 1 && np->dport.r[0].lo == np->dport.r[0].hi ?
			np->dport.r[0].lo : 0;

	if (!f->to_local || !nat->has_addr || nat->addr.lo != nat->addr.hi || !port)
		return NULL;
	s = lnw_audit_socks_lookup(rep->socks, f->l4proto, (struct in_addr){ htonl(nat->addr.lo) },
				   (unsigned short)port, it->link.ifindex);
	if (s)
		lnw_audit_sock_resolve_owner(s);
	return s;
}

static const char *path_summary(const struct lnw_nat_path *np)
{
	int count[LNW_PATH_NOT_FORWARDED + 1] = { 0 }, i;

	if (!np->n_ifs)
		return "unused";
	for (i = 0; i < np->n_ifs; i++)
		count[np->ifs[i].state]++;
	if (np->kind == LNW_PATH_FROM_LOOPBACK)
		return count[LNW_PATH_REACHABLE] ? "exposed" : count[LNW_PATH_BLOCKED] ?
		       "guarded" : "not-forwarded";
	if (count[LNW_PATH_WORKS] == np->n_ifs)
		return "works";
	if (count[LNW_PATH_MARTIAN] == np->n_ifs)
		return "broken";
	if (count[LNW_PATH_BLOCKED] == np->n_ifs)
		return "blocked";
	return "partial";
}

static void path_fix(struct lnw_nat_path *np)
{
	char key[128];
	int i;

	for (i = 0; i < np->n_ifs; i++) {
		const struct lnw_path_iface *pi = &np->ifs[i];

		if (pi->state == LNW_PATH_REACHABLE) {
			/* newer Docker's guard, for every 127.x and every port: the
			 * wire's destination, before any DNAT; lo keeps its own */
			snprintf(np->fix, sizeof(np->fix), "%s", LNW_FIX_RAW_LOOPBACK);
			return;
		}
		if (pi->state == LNW_PATH_MARTIAN) {
			/* only if it is meant to work: it opens the device to 127.x */
			lnw_audit_sysctl_key(key, sizeof(key), pi->iface->link.name, "route_localnet=1");
			snprintf(np->fix, sizeof(np->fix), "if it should work: sysctl -w %s, "
				 "and guard the device", key);
			return;
		}
	}
}

/* The 127.0.0.0/8 destinations among a path's own daddr values (all of
 * 127.0.0.0/8 when it names none); false when it names only others. */
static bool loopback_part(const struct lnw_rset *daddr, struct lnw_rset *out)
{
	int i;

	out->n = 0;
	if (!daddr->n) {
		lnw_rset_one(out, LNW_LOOPBACK_NET, LNW_LOOPBACK_LAST);
		return true;
	}
	for (i = 0; i < daddr->n; i++) {
		uint32_t lo = daddr->r[i].lo > LNW_LOOPBACK_NET ? daddr->r[i].lo : LNW_LOOPBACK_NET;
		uint32_t hi = daddr->r[i].hi < LNW_LOOPBACK_LAST ? daddr->r[i].hi :
			      LNW_LOOPBACK_LAST;

		if (lo <= hi)
			out->r[out->n++] = (struct lnw_range){ lo, hi };
	}
	return out->n > 0;
}

/* Is a guard there for a from-loopback path: on every device that takes
 * it surely (present), on none, or one that may drop (conditional)? */
static void path_guard(struct lnw_nat_path *np)
{
	int i;

	np->guard_word = "none";
	for (i = 0; i < np->n_ifs; i++) {
		const struct lnw_path_iface *pi = &np->ifs[i];

		if (pi->state == LNW_PATH_BLOCKED && !np->guard) {
			np->guard_word = "present";
			np->guard = &pi->guard;
		}
		if (pi->state != LNW_PATH_REACHABLE)
			continue;
		np->guard_word = pi->guard.fate == LNW_FW_MAY_DROP ? "conditional" : "none";
		np->guard = pi->guard.fate == LNW_FW_MAY_DROP ? &pi->guard : NULL;
		return;
	}
}

static int analyse_path(struct lnw_audit_report *rep, const struct lnw_nft_path *p)
{
	const struct lnw_nft_nat *nat = &p->rule->nat;
	struct lnw_nat_path *np;
	struct lnw_rset daddr = { .n = 0 };
	int i;

	lnw_fw_path_values(p, LNW_KEY_DADDR, &daddr);
	if (!nat->has_addr && nat->kind != LNW_NAT_REDIRECT)
		return 0;
	np = &rep->paths[rep->n_paths];
	memset(np, 0, sizeof(*np));
	if (nat->has_addr && lnw_is_loopback_host(nat->addr.lo) &&
	    lnw_is_loopback_host(nat->addr.hi)) {
		np->kind = LNW_PATH_TO_LOOPBACK;
		np->daddr = daddr;
	} else if (loopback_part(&daddr, &np->daddr)) {
		/* 127.x is a local address: addrtype LOCAL, fib daddr type
		 * local, no destination match at all let it in, and the DNAT
		 * happens before the route's martian check */
		np->kind = LNW_PATH_FROM_LOOPBACK;
	} else {
		return 0; /* an ordinary DNAT: no 127.0.0.0/8 destination takes it */
	}
	np->path = p;
	lnw_fw_path_values(p, LNW_KEY_DPORT, &np->dport);
	np->l4proto = lnw_audit_path_l4proto(p);
	np->ifs = calloc((size_t)rep->net->n_ifs + 1, sizeof(*np->ifs));
	if (!np->ifs)
		return -ENOMEM;
	for (i = 0; i < rep->net->n_ifs; i++) {
		const struct lnw_audit_iface *it = &rep->net->ifs[i];
		struct lnw_path_iface *pi = &np->ifs[np->n_ifs];
		struct lnw_fw_flow f;

		if (!lnw_audit_iface_routes_input(it))
			continue;
		path_flow(rep, np, it, &f);
		pi->applies = lnw_fw_path_taken(rep->rs, p, &f);
		if (pi->applies == LNW_NO)
			continue;
		pi->iface = it;
		np->n_ifs++;
		if (!np->sock)
			np->sock = path_service(rep, np, &f, it);
		if (np->kind == LNW_PATH_TO_LOOPBACK && !it->eff[LNW_CONF_ROUTE_LOCALNET]) {
			pi->state = LNW_PATH_MARTIAN;
			continue;
		}
		if (!f.to_local && !it->eff[LNW_CONF_FORWARDING]) {
			pi->state = LNW_PATH_NOT_FORWARDED;
			continue;
		}
		lnw_fw_eval(rep->rs, &f, &pi->guard);
		lnw_audit_count_unknown(rep, &pi->guard);
		if (pi->guard.fate == LNW_FW_DROPS)
			pi->state = LNW_PATH_BLOCKED;
		else
			pi->state = np->kind == LNW_PATH_TO_LOOPBACK ? LNW_PATH_WORKS :
				    LNW_PATH_REACHABLE;
	}
	if (np->kind == LNW_PATH_FROM_LOOPBACK && !np->n_ifs && !rset_loopback(&daddr)) {
		free(np->ifs); /* no 127.x destination takes it on any device */
		return 0;
	}
	rep->n_paths++;
	np->summary = path_summary(np);
	if (np->kind == LNW_PATH_FROM_LOOPBACK)
		path_guard(np);
	path_fix(np);
	if (!strcmp(np->summary, "exposed"))
		rep->n_exposed++;
	return 0;
}

int lnw_audit_analyse_paths(struct lnw_audit_report *rep)
{
	struct lnw_nft_path *out = NULL;
	int n = lnw_nft_dnat_paths(rep->rs, "prerouting", &rep->nft_paths), i, ret;

	if (n < 0)
		return n;
	rep->paths = calloc((size_t)n + 1, sizeof(*rep->paths));
	if (!rep->paths)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		ret = analyse_path(rep, &rep->nft_paths[i]);
		if (ret)
			return ret;
	}
	n = lnw_nft_dnat_paths(rep->rs, "output", &out);
	if (n < 0)
		return n;
	rep->output_dnat = n > 0;
	free(out);
	return 0;
}


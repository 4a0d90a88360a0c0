// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The audit, for people (aligned sections, exposed rows first, each with
 * its fix) and for programs (one JSON document, json-c). */
#define _GNU_SOURCE /* vasprintf */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <json-c/json.h>

#include "lib/json.h"
#include "lib/table.h"
#include "lib/text.h"
#include "report.h"

#define NAME_LEN LNW_PRINTABLE_LEN(IF_NAMESIZE)

/* ---- formatting pieces ------------------------------------------------ */

static void iface_name(const struct lnw_audit_iface *it, char *buf, size_t len)
{
	lnw_name_printable(it->link.name, buf, len);
}

static void service_str(const struct lnw_audit_sock *s, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &s->addr, a, sizeof(a));
	snprintf(buf, len, "%s %s:%u", lnw_l4_name(s->proto), a, s->port);
}

/* Why a socket's owner is not shown: a capability, or where it lives. */
static const char *owner_hint(const struct lnw_audit_sock *s)
{
	if (s->owner.pid > 0)
		return NULL;
	return s->owner.unreadable ? "owner unseen: needs CAP_SYS_PTRACE" :
	       "owner unseen: not in this PID namespace";
}

static void process_str(const struct lnw_audit_sock *s, char *buf, size_t len)
{
	char user[64], comm[4 * sizeof(s->owner.comm) + 1];

	lnw_audit_user_name(s->uid, user, sizeof(user));
	if (s->owner.pid > 0) {
		lnw_name_printable(s->owner.comm, comm, sizeof(comm));
		snprintf(buf, len, "%s[%d] %s", comm, s->owner.pid, user);
	} else {
		snprintf(buf, len, "%s (%s)", user, owner_hint(s));
	}
}

static void flag_source(const struct lnw_audit_report *rep, const struct lnw_audit_iface *it,
			char *buf, size_t len)
{
	bool all = rep->net->all[LNW_CONF_ROUTE_LOCALNET];
	bool dev = it->dev[LNW_CONF_ROUTE_LOCALNET];

	snprintf(buf, len, "%s%s%s", all ? "all=1" : "", all && dev ? " " : "", dev ? "dev=1" : "");
}

/* The prefix length of an aligned block of more than one address, or -1. */
static int cidr_len(const struct lnw_range *r)
{
	uint64_t n = (uint64_t)r->hi - r->lo + 1;
	int bits = 0;

	if (n < 2 || (n & (n - 1)) || (r->lo & (n - 1)))
		return -1;
	while ((1ull << bits) < n)
		bits++;
	return 32 - bits;
}

static void rset_str(const struct lnw_rset *s, bool addr, char *buf, size_t len)
{
	size_t o = 0;
	int i;

	if (!s->n) {
		snprintf(buf, len, "*");
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < s->n && o + 40 < len; i++) {
		char lo[INET_ADDRSTRLEN], hi[INET_ADDRSTRLEN];

		if (addr && cidr_len(&s->r[i]) >= 0) {
			lnw_format_addr(lo, sizeof(lo), htonl(s->r[i].lo), 0, 0);
			o += (size_t)snprintf(buf + o, len - o, "%s%s/%d", i ? "," : "", lo,
					      cidr_len(&s->r[i]));
			continue;
		}
		if (addr) {
			lnw_format_addr(lo, sizeof(lo), htonl(s->r[i].lo), 0, 0);
			lnw_format_addr(hi, sizeof(hi), htonl(s->r[i].hi), 0, 0);
		} else {
			snprintf(lo, sizeof(lo), "%u", s->r[i].lo);
			snprintf(hi, sizeof(hi), "%u", s->r[i].hi);
		}
		o += (size_t)snprintf(buf + o, len - o, "%s%s%s%s", i ? "," : "", lo,
				      s->r[i].lo == s->r[i].hi ? "" : "-",
				      s->r[i].lo == s->r[i].hi ? "" : hi);
	}
}

/* "tcp *:8080 > 127.0.0.1:5001" */
static void path_str(const struct lnw_nat_path *np, char *buf, size_t len)
{
	const struct lnw_nft_nat *nat = &np->path->rule->nat;
	char daddr[96], dport[96], to[INET_ADDRSTRLEN], port[16] = "";

	rset_str(&np->daddr, true, daddr, sizeof(daddr));
	rset_str(&np->dport, false, dport, sizeof(dport));
	lnw_format_addr(to, sizeof(to), htonl(nat->addr.lo), 0, 0);
	if (nat->has_port)
		snprintf(port, sizeof(port), ":%u", nat->port.lo);
	snprintf(buf, len, "%s %s:%s > %s%s%s", lnw_l4_name(np->l4proto), daddr, dport, to,
		 nat->addr.hi != nat->addr.lo ? "+" : "", port);
}

static const char *tv_word(enum lnw_tv v, const char *yes, const char *no)
{
	return v == LNW_YES ? yes : v == LNW_NO ? no : "may";
}

static const char *status_label(enum lnw_reach r)
{
	return r == LNW_REACH_EXPOSED ? "EXPOSED" : r == LNW_REACH_SPOOFABLE ? "SPOOFABLE" :
	       r == LNW_REACH_UNKNOWN ? "UNKNOWN" : "GUARDED";
}

/* ---- human sections ----------------------------------------------------- */

static void print_exposure(FILE *f, const struct lnw_audit_report *rep)
{
	struct lnw_tbl t = { .hdr = { "IFACE", "FLAG", "SERVICE", "PROCESS", "STATUS" }, .ncols = 5 };
	char name[NAME_LEN], flag[32], svc[64], proc[160], why[512], where[400];
	bool any_on = false, from_lo = false;
	int i;

	fprintf(f, "\nEXPOSURE: devices with route_localnet on x loopback-only services\n");
	for (i = 0; i < rep->net->n_ifs; i++)
		any_on |= lnw_audit_iface_routes_input(&rep->net->ifs[i]) &&
			  rep->net->ifs[i].eff[LNW_CONF_ROUTE_LOCALNET];
	if (!rep->n_rows) {
		for (i = 0; i < rep->n_paths && !from_lo; i++)
			from_lo = rep->paths[i].kind == LNW_PATH_FROM_LOOPBACK && rep->paths[i].n_ifs;
		fprintf(f, "%s%s\n", any_on ? "route_localnet is on, but no service is bound to "
			"127.0.0.0/8" : "route_localnet is off on every device: a neighbour's "
			"packet to 127.0.0.0/8 is dropped as martian", from_lo && !any_on ?
			",\nunless a DNAT below takes it before the route" : "");
		return;
	}
	for (i = 0; i < rep->n_rows; i++) {
		const struct lnw_exposure_row *row = &rep->rows[i];
		struct lnw_tbl_row *r;

		iface_name(row->iface, name, sizeof(name));
		flag_source(rep, row->iface, flag, sizeof(flag));
		service_str(row->sock, svc, sizeof(svc));
		process_str(row->sock, proc, sizeof(proc));
		lnw_fw_verdict_where(&row->guard, where, sizeof(where));
		if (row->status == LNW_REACH_UNKNOWN &&
		    (lnw_fw_verdict_unknown(&row->guard, where, sizeof(where)) ||
		     lnw_fw_verdict_unknown(&row->spoof, where, sizeof(where))))
			snprintf(why, sizeof(why), "cannot tell: %s", where);
		else if (row->status == LNW_REACH_GUARDED)
			snprintf(why, sizeof(why), "dropped by %s", where);
		else if (row->status == LNW_REACH_SPOOFABLE)
			snprintf(why, sizeof(why), "a forged 127.x source (one way, rp_filter %d) "
				 "passes %s", row->iface->eff[LNW_CONF_RP_FILTER], where);
		else if (lnw_fw_verdict_condition(&row->guard))
			snprintf(why, sizeof(why), "exposed unless \"%s\" holds: %s",
				 lnw_fw_verdict_condition(&row->guard), where);
		else if (row->guard.fate == LNW_FW_MAY_DROP)
			snprintf(why, sizeof(why), "no rule surely drops it; this one may: %s", where);
		else
			snprintf(why, sizeof(why), "no rule drops it");
		r = lnw_tbl_add(&t, name, flag, svc, proc, status_label(row->status));
		lnw_tbl_note(r, "%s", why);
		if (row->fix[0])
			lnw_tbl_note(r, "fix: %s", row->fix);
	}
	lnw_tbl_print(f, &t);
	lnw_tbl_free(&t);
}

/* A DNAT a 127.x destination takes: why it is reached whatever
 * route_localnet says, and whether a guard stops it. */
static void print_path_guard(struct lnw_tbl_row *r, const struct lnw_nat_path *np)
{
	char where[400] = "";

	lnw_tbl_note(r, "127.x on the wire is a local address: DNAT'd before the "
		     "martian check");
	if (np->guard)
		lnw_fw_verdict_where(np->guard, where, sizeof(where));
	if (!strcmp(np->guard_word, "present"))
		lnw_tbl_note(r, "guard: present, %s", where);
	else if (!strcmp(np->guard_word, "conditional"))
		lnw_tbl_note(r, "guard: conditional, not sure to drop: %s", where);
	else
		lnw_tbl_note(r, "guard: none (a raw prerouting drop of 127.0.0.0/8 "
			     "from every device but lo)");
}

static void print_paths(FILE *f, const struct lnw_audit_report *rep)
{
	struct lnw_tbl t = { .hdr = { "PATH", "IFACE", "RL", "STATE", "SERVICE" }, .ncols = 5 };
	char where[400], path[256], name[NAME_LEN], rl[8], state[512], proc[160], svc[256];
	int p, i;

	fprintf(f, "\nDNAT PATHS to and from 127.0.0.0/8\n");
	if (!rep->n_paths) {
		fprintf(f, "no DNAT to or from 127.0.0.0/8\n");
		return;
	}
	for (p = 0; p < rep->n_paths; p++) {
		const struct lnw_nat_path *np = &rep->paths[p];
		struct lnw_tbl_row *r = NULL;

		path_str(np, path, sizeof(path));
		if (np->sock) {
			service_str(np->sock, svc, sizeof(svc));
			process_str(np->sock, proc, sizeof(proc));
			snprintf(svc + strlen(svc), sizeof(svc) - strlen(svc), " %s", proc);
		} else {
			snprintf(svc, sizeof(svc), np->kind == LNW_PATH_TO_LOOPBACK ?
				 "no listener" : "-");
		}
		for (i = 0; i < np->n_ifs || (!i && !np->n_ifs); i++) {
			const struct lnw_path_iface *pi = i < np->n_ifs ? &np->ifs[i] : NULL;

			if (pi) {
				iface_name(pi->iface, name, sizeof(name));
				snprintf(rl, sizeof(rl), "%d", pi->iface->eff[LNW_CONF_ROUTE_LOCALNET]);
				snprintf(state, sizeof(state), "%s%s", lnw_path_state_name(pi->state),
					 pi->applies == LNW_MAYBE ? " (if it matches)" : "");
				if (pi->state == LNW_PATH_BLOCKED) {
					lnw_fw_verdict_where(&pi->guard, where, sizeof(where));
					snprintf(state, sizeof(state), "blocked by %s", where);
				}
			}
			r = lnw_tbl_add(&t, i ? "" : path, pi ? name : "(none)", pi ? rl : "-",
				    pi ? state : "no device matches", i ? "" : svc);
		}
		lnw_nft_rule_where(np->path->rule, where, sizeof(where));
		lnw_tbl_note(r, "%s: %s", where, np->path->rule->text);
		if (np->guard_word)
			print_path_guard(r, np);
		if (np->fix[0])
			lnw_tbl_note(r, "fix: %s", np->fix);
	}
	lnw_tbl_print(f, &t);
	lnw_tbl_free(&t);
}

static void print_interfaces(FILE *f, const struct lnw_audit_report *rep)
{
	struct lnw_tbl t = { .hdr = { "IFACE", "STATE", "RL_DEV", "RL_EFF", "RP_FILTER", "LOG_MARTIANS",
			   "ADDRESSES" }, .ncols = 7 };
	static const char *const rpf[] = { "0 off", "1 strict", "2 loose" };
	const struct lnw_audit_net *net = rep->net;
	char name[NAME_LEN], state[64], dev[8], eff[8], rp[16], lm[8], addrs[256];
	int i, a;

	fprintf(f, "\nINTERFACES: route_localnet all=%d default=%d\n",
		net->all[LNW_CONF_ROUTE_LOCALNET], net->dflt[LNW_CONF_ROUTE_LOCALNET]);
	for (i = 0; i < net->n_ifs; i++) {
		const struct lnw_audit_iface *it = &net->ifs[i];
		const struct lnw_audit_iface *master = lnw_audit_iface_by_index(net, it->link.master);
		char mname[NAME_LEN] = "?";
		size_t o = 0;
		int rp_eff = it->eff[LNW_CONF_RP_FILTER];

		iface_name(it, name, sizeof(name));
		if (master)
			iface_name(master, mname, sizeof(mname));
		snprintf(state, sizeof(state), "%s%s%s%s", it->link.flags & IFF_UP ? "up" : "down",
			 it->link.flags & IFF_LOOPBACK ? ", loopback" : "",
			 !it->ipv4 ? ", no IPv4" : "", it->link.master ? ", port of " : "");
		if (it->link.master)
			snprintf(state + strlen(state), sizeof(state) - strlen(state), "%s", mname);
		snprintf(dev, sizeof(dev), "%d", it->dev[LNW_CONF_ROUTE_LOCALNET]);
		snprintf(eff, sizeof(eff), "%d", it->eff[LNW_CONF_ROUTE_LOCALNET]);
		snprintf(rp, sizeof(rp), "%s", rp_eff >= 0 && rp_eff <= 2 ? rpf[rp_eff] : "?");
		snprintf(lm, sizeof(lm), "%d", it->eff[LNW_CONF_LOG_MARTIANS]);
		addrs[0] = '\0';
		for (a = 0; a < it->n_addrs && o + 24 < sizeof(addrs); a++) {
			char ip[INET_ADDRSTRLEN];

			inet_ntop(AF_INET, &it->addrs[a].addr, ip, sizeof(ip));
			o += (size_t)snprintf(addrs + o, sizeof(addrs) - o, "%s%s/%u", a ? " " : "",
					      ip, it->addrs[a].prefixlen);
		}
		if (it->ipv4)
			lnw_tbl_add(&t, name, state, dev, eff, rp, lm, addrs[0] ? addrs : "-");
		else
			lnw_tbl_add(&t, name, state, "-", "-", "-", "-", "-");
	}
	lnw_tbl_print(f, &t);
	lnw_tbl_free(&t);
}

static void print_services(FILE *f, const struct lnw_audit_report *rep)
{
	struct lnw_tbl t = { .hdr = { "SERVICE", "PID", "COMM", "USER", "NOTE" }, .ncols = 5 };
	char svc[64], pid[16], comm[64], user[64], note[64];
	size_t k;

	fprintf(f, "\nLOOPBACK-ONLY SERVICES: TCP listeners and unconnected UDP sockets on "
		"127.0.0.0/8\n");
	for (k = 0; k < rep->socks->n; k++) {
		const struct lnw_audit_sock *s = &rep->socks->v[k];
		const struct lnw_audit_iface *bound = lnw_audit_iface_by_index(rep->net,
									       s->bound_ifindex);
		char bname[NAME_LEN] = "?";

		if (!lnw_audit_sock_loopback_only(s))
			continue;
		if (bound)
			iface_name(bound, bname, sizeof(bname));
		service_str(s, svc, sizeof(svc));
		snprintf(pid, sizeof(pid), "%d", s->owner.pid);
		lnw_name_printable(s->owner.pid > 0 ? s->owner.comm : "?", comm, sizeof(comm));
		lnw_audit_user_name(s->uid, user, sizeof(user));
		snprintf(note, sizeof(note), "%s%s%s", s->v6 ? "IPv6 socket" : "",
			 s->v6 && s->bound_ifindex ? ", " : "",
			 s->bound_ifindex ? "bound to " : "");
		if (s->bound_ifindex)
			snprintf(note + strlen(note), sizeof(note) - strlen(note), "%s", bname);
		if (owner_hint(s))
			snprintf(note + strlen(note), sizeof(note) - strlen(note), "%s%s",
				 note[0] ? ", " : "", owner_hint(s));
		lnw_tbl_add(&t, svc, s->owner.pid > 0 ? pid : "-", s->owner.pid > 0 ? comm : "-",
			    user, note[0] ? note : "");
	}
	if (t.n)
		lnw_tbl_print(f, &t);
	else
		fprintf(f, "none\n");
	lnw_tbl_free(&t);
}

static void print_guards(FILE *f, const struct lnw_audit_report *rep)
{
	struct lnw_tbl t = { .hdr = { "HOOK", "COVERS", "DNAT-TO-127", "FORGED-SRC", "RULE" }, .ncols = 5 };
	char where[512], hook[64], covers[256], name[NAME_LEN];
	int g, i;

	fprintf(f, "\nGUARDS: filter rules that drop traffic to 127.0.0.0/8\n");
	for (g = 0; g < rep->n_guards; g++) {
		const struct lnw_guard *gd = &rep->guards[g];
		struct lnw_fw_verdict v = { .fate = LNW_FW_DROPS, .rule = gd->rule,
					   .chain = gd->rule->chain };
		struct lnw_tbl_row *r;
		size_t o = 0;

		lnw_fw_verdict_where(&v, where, sizeof(where));
		snprintf(hook, sizeof(hook), "%s %d", gd->base->hook_name, gd->base->prio);
		covers[0] = '\0';
		for (i = 0; i < gd->n_ifs && o + NAME_LEN < sizeof(covers); i++) {
			iface_name(gd->ifs[i], name, sizeof(name));
			o += (size_t)snprintf(covers + o, sizeof(covers) - o, "%s%s", i ? "," : "", name);
		}
		r = lnw_tbl_add(&t, hook, covers[0] ? covers : gd->covers_unknown ? "?" : "-",
			    tv_word(gd->drops_dnat, "dropped", "passes"),
			    tv_word(gd->drops_spoofed, "dropped", "passes"), where);
		lnw_tbl_note(r, "%s", gd->rule->text);
	}
	if (t.n)
		lnw_tbl_print(f, &t);
	else
		fprintf(f, "none\n");
	lnw_tbl_free(&t);
}

static void print_advice(FILE *f, const struct lnw_audit_report *rep)
{
	int i;

	if (!rep->n_advice)
		return;
	fprintf(f, "\nADVICE: route_localnet on where nothing needs it\n");
	for (i = 0; i < rep->n_advice; i++)
		fprintf(f, "%s\n    fix: %s\n", rep->advice[i].text, rep->advice[i].fix);
}

/* Caveats: what the audit could not see. */
static int notes(const struct lnw_audit_report *rep, char out[][LNW_FIX_LEN], int max)
{
	int n = 0, i;
	bool may = false;

	for (i = 0; i < rep->n_rows; i++)
		may |= rep->rows[i].guard.fate == LNW_FW_MAY_DROP;
	if (rep->rs->legacy_tables[0] && n < max)
		snprintf(out[n++], LNW_FIX_LEN, "iptables-legacy tables exist (%s): their rules "
			 "are not read, so a guard there is not seen", rep->rs->legacy_tables);
	if (rep->rs->dormant_tables[0] && n < max)
		snprintf(out[n++], LNW_FIX_LEN, "dormant tables (flags dormant: their chains "
			 "do not run, a guard there guards nothing): %.160s",
			 rep->rs->dormant_tables);
	if (rep->rs->n_undecoded && n < max)
		snprintf(out[n++], LNW_FIX_LEN, "%d xtables extension(s) could not be decoded: "
			 "their rules are taken as may-match", rep->rs->n_undecoded);
	if (may && n < max)
		snprintf(out[n++], LNW_FIX_LEN, "a rule may drop some exposed rows under a "
			 "condition not modelled (marks, limits, sets): they count as exposed");
	if (rep->output_dnat && rep->n_advice && n < max)
		snprintf(out[n++], LNW_FIX_LEN, "an output DNAT exists: loopback-sourced "
			 "packets it sends out (kube-proxy localhost NodePorts) need "
			 "route_localnet on their egress device");
	return n;
}

void lnw_audit_print(FILE *f, const struct lnw_audit_report *rep,
		     const struct lnw_audit_target *t)
{
	char nb[8][LNW_FIX_LEN];
	int n = notes(rep, nb, 8), i;

	if (t->netns)
		fprintf(f, "lnwatch audit of network namespace %s (inode %llu)\n", t->netns,
			t->inode);
	else
		fprintf(f, "lnwatch audit of this process's network namespace (inode %llu)\n",
			t->inode);
	if (rep->n_exposed)
		fprintf(f, "verdict: EXPOSED, %d exposure%s, fixes below (exit status 1)\n",
			rep->n_exposed, rep->n_exposed > 1 ? "s" : "");
	else if (rep->n_unknown)
		fprintf(f, "verdict: COULD NOT TELL, %s (exit status 2)\n", rep->cannot_tell);
	else
		fprintf(f, "verdict: nothing exposed (exit status 0)\n");
	print_exposure(f, rep);
	print_paths(f, rep);
	print_advice(f, rep);
	print_interfaces(f, rep);
	print_services(f, rep);
	print_guards(f, rep);
	if (n) {
		fprintf(f, "\nNOTES\n");
		for (i = 0; i < n; i++)
			fprintf(f, "%s\n", nb[i]);
	}
}

/* ---- JSON ----------------------------------------------------------------- */

static json_object *j_tv(enum lnw_tv v)
{
	return v == LNW_MAYBE ? NULL : json_object_new_boolean(v == LNW_YES);
}

static json_object *j_rule(const struct lnw_nft_rule *r)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "family", json_object_new_string(r->chain->family));
	json_object_object_add(o, "table", json_object_new_string(r->chain->table));
	json_object_object_add(o, "chain", json_object_new_string(r->chain->name));
	json_object_object_add(o, "handle", json_object_new_uint64(r->handle));
	json_object_object_add(o, "line", json_object_new_int(r->line));
	json_object_object_add(o, "comment", lnw_json_str(r->comment));
	json_object_object_add(o, "text", lnw_json_str(r->text));
	return o;
}

/* The rule (or policy) a flow meets, or null when nothing drops it. */
static json_object *j_verdict(const struct lnw_fw_verdict *v)
{
	json_object *o;

	if (v->fate == LNW_FW_PASSES || !v->chain)
		return NULL;
	if (v->rule) {
		o = j_rule(v->rule);
	} else {
		o = json_object_new_object();
		json_object_object_add(o, "family", json_object_new_string(v->chain->family));
		json_object_object_add(o, "table", json_object_new_string(v->chain->table));
		json_object_object_add(o, "chain", json_object_new_string(v->chain->name));
		json_object_object_add(o, "policy", json_object_new_string("drop"));
	}
	json_object_object_add(o, "certain", json_object_new_boolean(v->fate == LNW_FW_DROPS));
	return o;
}

static json_object *j_service(const struct lnw_audit_sock *s, const struct lnw_audit_net *net)
{
	json_object *o = json_object_new_object();
	const struct lnw_audit_iface *bound = lnw_audit_iface_by_index(net, s->bound_ifindex);
	char a[INET_ADDRSTRLEN], user[64], comm[4 * sizeof(s->owner.comm) + 1];

	inet_ntop(AF_INET, &s->addr, a, sizeof(a));
	lnw_audit_user_name(s->uid, user, sizeof(user));
	json_object_object_add(o, "proto", json_object_new_string(lnw_l4_name(s->proto)));
	json_object_object_add(o, "addr", json_object_new_string(a));
	json_object_object_add(o, "port", json_object_new_int(s->port));
	json_object_object_add(o, "ipv6_socket", json_object_new_boolean(s->v6));
	json_object_object_add(o, "bound_dev", bound ? lnw_json_name(bound->link.name) : NULL);
	json_object_object_add(o, "uid", json_object_new_int64(s->uid));
	json_object_object_add(o, "user", json_object_new_string(user));
	json_object_object_add(o, "pid", s->owner.pid > 0 ? json_object_new_int(s->owner.pid) : NULL);
	if (s->owner.pid > 0)
		lnw_name_utf8(s->owner.comm, comm, sizeof(comm));
	json_object_object_add(o, "comm", s->owner.pid > 0 ? json_object_new_string(comm) : NULL);
	json_object_object_add(o, "owner_hint", lnw_json_str(owner_hint(s)));
	json_object_object_add(o, "inode", json_object_new_uint64(s->inode));
	return o;
}

static json_object *j_conf(const struct lnw_audit_net *net, const struct lnw_audit_iface *it,
			   enum lnw_conf_knob k)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "all", json_object_new_int(net->all[k]));
	json_object_object_add(o, "default", json_object_new_int(net->dflt[k]));
	json_object_object_add(o, "dev", json_object_new_int(it->dev[k]));
	json_object_object_add(o, "effective", json_object_new_int(it->eff[k]));
	return o;
}

static json_object *j_interfaces(const struct lnw_audit_net *net)
{
	json_object *arr = json_object_new_array();
	int i, a, k;

	for (i = 0; i < net->n_ifs; i++) {
		const struct lnw_audit_iface *it = &net->ifs[i];
		const struct lnw_audit_iface *master = lnw_audit_iface_by_index(net, it->link.master);
		json_object *o = json_object_new_object(), *addrs = json_object_new_array();

		json_object_object_add(o, "ifindex", json_object_new_int(it->link.ifindex));
		json_object_object_add(o, "ifname", lnw_json_name(it->link.name));
		json_object_object_add(o, "up", json_object_new_boolean(it->link.flags & IFF_UP));
		json_object_object_add(o, "loopback",
				       json_object_new_boolean(it->link.flags & IFF_LOOPBACK));
		json_object_object_add(o, "master", master ? lnw_json_name(master->link.name) : NULL);
		json_object_object_add(o, "ipv4", json_object_new_boolean(it->ipv4));
		for (a = 0; a < it->n_addrs; a++) {
			char ip[INET_ADDRSTRLEN + 4];

			inet_ntop(AF_INET, &it->addrs[a].addr, ip, sizeof(ip));
			snprintf(ip + strlen(ip), sizeof(ip) - strlen(ip), "/%u", it->addrs[a].prefixlen);
			json_object_array_add(addrs, json_object_new_string(ip));
		}
		json_object_object_add(o, "addresses", addrs);
		for (k = 0; k < LNW_CONF_N && it->ipv4; k++)
			json_object_object_add(o, lnw_conf_name(k), j_conf(net, it, k));
		json_object_array_add(arr, o);
	}
	return arr;
}

/* ["8080", "9000-9010"]; null: any */
static json_object *j_rset(const struct lnw_rset *s, bool addr)
{
	json_object *arr;
	char buf[64];
	int i;

	if (!s->n)
		return NULL;
	arr = json_object_new_array();
	for (i = 0; i < s->n; i++) {
		struct lnw_rset one = { .r = { s->r[i] }, .n = 1 };

		rset_str(&one, addr, buf, sizeof(buf));
		json_object_array_add(arr, json_object_new_string(buf));
	}
	return arr;
}

static json_object *j_paths(const struct lnw_audit_report *rep)
{
	json_object *arr = json_object_new_array();
	int p, i;

	for (p = 0; p < rep->n_paths; p++) {
		const struct lnw_nat_path *np = &rep->paths[p];
		const struct lnw_nft_nat *nat = &np->path->rule->nat;
		json_object *o = json_object_new_object(), *to = json_object_new_object();
		json_object *ifs = json_object_new_array();

		json_object_object_add(o, "kind", json_object_new_string(
			np->kind == LNW_PATH_TO_LOOPBACK ? "to-loopback" : "from-loopback"));
		json_object_object_add(o, "rule", j_rule(np->path->rule));
		json_object_object_add(o, "proto", json_object_new_string(lnw_l4_name(np->l4proto)));
		json_object_object_add(o, "daddr", j_rset(&np->daddr, true));
		json_object_object_add(o, "dport", j_rset(&np->dport, false));
		json_object_object_add(to, "addr", lnw_json_addr(htonl(nat->addr.lo)));
		json_object_object_add(to, "addr_last", lnw_json_addr(htonl(nat->addr.hi)));
		json_object_object_add(to, "port", nat->has_port ?
				       json_object_new_int((int)nat->port.lo) : NULL);
		json_object_object_add(o, "to", to);
		json_object_object_add(o, "service", np->sock ? j_service(np->sock, rep->net) : NULL);
		json_object_object_add(o, "status", json_object_new_string(np->summary));
		json_object_object_add(o, "guard", lnw_json_str(np->guard_word));
		for (i = 0; i < np->n_ifs; i++) {
			const struct lnw_path_iface *pi = &np->ifs[i];
			json_object *x = json_object_new_object();

			json_object_object_add(x, "ifname", lnw_json_name(pi->iface->link.name));
			json_object_object_add(x, "route_localnet",
				json_object_new_int(pi->iface->eff[LNW_CONF_ROUTE_LOCALNET]));
			json_object_object_add(x, "certain", json_object_new_boolean(pi->applies == LNW_YES));
			json_object_object_add(x, "state",
					       json_object_new_string(lnw_path_state_name(pi->state)));
			json_object_object_add(x, "guard", j_verdict(&pi->guard));
			json_object_array_add(ifs, x);
		}
		json_object_object_add(o, "interfaces", ifs);
		json_object_object_add(o, "fix", np->fix[0] ? json_object_new_string(np->fix) : NULL);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* A forged 127.x source to a UDP service (an exposed one's too): null
 * for TCP, which cannot connect with it. */
static const char *spoof_word(const struct lnw_exposure_row *row)
{
	if (row->sock->proto != IPPROTO_UDP)
		return NULL;
	if (!row->spoof_read)
		return "rp_filter";
	return row->spoof.fate == LNW_FW_DROPS ? "dropped" : "passes";
}

static json_object *j_rows(const struct lnw_audit_report *rep)
{
	json_object *arr = json_object_new_array();
	int i;

	for (i = 0; i < rep->n_rows; i++) {
		const struct lnw_exposure_row *row = &rep->rows[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "ifname", lnw_json_name(row->iface->link.name));
		json_object_object_add(o, "ifindex", json_object_new_int(row->iface->link.ifindex));
		json_object_object_add(o, "service", j_service(row->sock, rep->net));
		json_object_object_add(o, "status", json_object_new_string(lnw_reach_name(row->status)));
		json_object_object_add(o, "guard", j_verdict(&row->guard));
		json_object_object_add(o, "spoofed_source", lnw_json_str(spoof_word(row)));
		json_object_object_add(o, "fix", row->fix[0] ? json_object_new_string(row->fix) : NULL);
		json_object_array_add(arr, o);
	}
	return arr;
}

static json_object *j_guards(const struct lnw_audit_report *rep)
{
	json_object *arr = json_object_new_array();
	int g, i;

	for (g = 0; g < rep->n_guards; g++) {
		const struct lnw_guard *gd = &rep->guards[g];
		json_object *o = json_object_new_object(), *ifs = json_object_new_array();

		json_object_object_add(o, "rule", j_rule(gd->rule));
		json_object_object_add(o, "hook", json_object_new_string(gd->base->hook_name));
		json_object_object_add(o, "priority", json_object_new_int(gd->base->prio));
		for (i = 0; i < gd->n_ifs; i++)
			json_object_array_add(ifs, lnw_json_name(gd->ifs[i]->link.name));
		if (gd->covers_unknown) { /* not worked out: null, never [] */
			json_object_put(ifs);
			ifs = NULL;
		}
		json_object_object_add(o, "interfaces", ifs);
		json_object_object_add(o, "drops_dnat", j_tv(gd->drops_dnat));
		json_object_object_add(o, "drops_spoofed_source", j_tv(gd->drops_spoofed));
		json_object_array_add(arr, o);
	}
	return arr;
}

struct json_object *lnw_audit_json(const struct lnw_audit_report *rep,
				   const struct lnw_audit_target *t)
{
	json_object *o = json_object_new_object(), *ns = json_object_new_object();
	json_object *advice = json_object_new_array(), *nts = json_object_new_array();
	char nb[8][LNW_FIX_LEN];
	int n = notes(rep, nb, 8), i;

	json_object_object_add(o, "type", json_object_new_string("audit"));
	json_object_object_add(ns, "name", lnw_json_str(t->netns));
	json_object_object_add(ns, "inode", json_object_new_uint64(t->inode));
	json_object_object_add(o, "netns", ns);
	json_object_object_add(o, "verdict", json_object_new_string(rep->n_exposed ? "exposed" :
								       rep->n_unknown ? "unknown" :
								       "clean"));
	json_object_object_add(o, "exposed", json_object_new_int(rep->n_exposed));
	json_object_object_add(o, "dormant_tables", lnw_json_str(rep->rs->dormant_tables[0] ?
								rep->rs->dormant_tables : NULL));
	/* DNATs out of sight (-errno: present, not readable) */
	json_object_object_add(o, "legacy_nat_entries", rep->rs->legacy_nat_rules ?
			       json_object_new_int(rep->rs->legacy_nat_rules) : NULL);
	json_object_object_add(o, "cannot_tell", rep->n_unknown ?
			       json_object_new_string(rep->cannot_tell) : NULL);
	json_object_object_add(o, "exposure", j_rows(rep));
	json_object_object_add(o, "nat_paths", j_paths(rep));
	json_object_object_add(o, "interfaces", j_interfaces(rep->net));
	{
		json_object *svcs = json_object_new_array();
		size_t k;

		for (k = 0; k < rep->socks->n; k++)
			if (lnw_audit_sock_loopback_only(&rep->socks->v[k]))
				json_object_array_add(svcs, j_service(&rep->socks->v[k], rep->net));
		json_object_object_add(o, "services", svcs);
	}
	json_object_object_add(o, "guards", j_guards(rep));
	for (i = 0; i < rep->n_advice; i++) {
		json_object *a = json_object_new_object();

		json_object_object_add(a, "ifname", rep->advice[i].iface ?
				       lnw_json_name(rep->advice[i].iface->link.name) : NULL);
		json_object_object_add(a, "text", json_object_new_string(rep->advice[i].text));
		json_object_object_add(a, "fix", json_object_new_string(rep->advice[i].fix));
		json_object_array_add(advice, a);
	}
	json_object_object_add(o, "advice", advice);
	for (i = 0; i < n; i++)
		json_object_array_add(nts, json_object_new_string(nb[i]));
	json_object_object_add(o, "notes", nts);
	return o;
}

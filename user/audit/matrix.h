/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_MATRIX_H
#define LNW_AUDIT_MATRIX_H

#include <stdbool.h>
#include <stddef.h>

#include "fw.h"
#include "net.h"
#include "nft/ruleset.h"
#include "sockets.h"

/* The verdict of an audit: who reaches what on 127.0.0.0/8, and why. */

#define LNW_FIX_LEN 256
/* The guard that stops every DNAT a 127.x destination can take. */
#define LNW_FIX_RAW_LOOPBACK "iptables -t raw -I PREROUTING ! -i lo -d 127.0.0.0/8 -j DROP"

enum lnw_reach {
	LNW_REACH_EXPOSED,   /* any neighbour on the link reaches it, both ways */
	LNW_REACH_SPOOFABLE, /* guarded against the neighbour's own address, not
			* against a forged 127.x source: UDP, one way */
	LNW_REACH_GUARDED,   /* a rule drops it */
	LNW_REACH_UNKNOWN,   /* cannot be told: a rule on its way does what the
			      * audit does not model, or past the work budget */
};

/* An interface with route_localnet on x a loopback-only service. */
struct lnw_exposure_row {
	const struct lnw_audit_iface *iface;
	struct lnw_audit_sock *sock;
	enum lnw_reach status;
	struct lnw_fw_verdict guard;   /* on the neighbour's own address */
	struct lnw_fw_verdict spoof;   /* on a forged 127.x source (UDP) */
	bool spoof_read;               /* spoof worked out (rp_filter lets it in) */
	char fix[LNW_FIX_LEN];
};

enum lnw_path_kind {
	LNW_PATH_TO_LOOPBACK,   /* DNAT to 127.0.0.0/8: needs route_localnet */
	LNW_PATH_FROM_LOOPBACK, /* DNAT of 127.0.0.0/8 on the wire elsewhere:
				 * routed whatever route_localnet says */
};

enum lnw_path_state {
	LNW_PATH_WORKS,         /* to loopback, flag on: delivered */
	LNW_PATH_MARTIAN,       /* to loopback, flag off: dropped as martian */
	LNW_PATH_BLOCKED,       /* a filter rule drops it after the DNAT */
	LNW_PATH_REACHABLE,     /* from loopback: any neighbour reaches it */
	LNW_PATH_NOT_FORWARDED, /* from loopback, to another host, forwarding 0 */
};

struct lnw_path_iface {
	const struct lnw_audit_iface *iface;
	enum lnw_tv applies;           /* YES, or MAYBE (matches not modelled) */
	enum lnw_path_state state;
	struct lnw_fw_verdict guard;
};

struct lnw_nat_path {
	const struct lnw_nft_path *path;
	enum lnw_path_kind kind;
	unsigned char l4proto;         /* 0: any */
	struct lnw_rset daddr;         /* before the DNAT; n 0: any */
	struct lnw_rset dport;         /* n 0: any */
	struct lnw_audit_sock *sock;   /* who takes it after the DNAT, or NULL */
	struct lnw_path_iface *ifs;
	int n_ifs;
	const char *summary;           /* works | broken | partial | blocked |
					* exposed | guarded | not-forwarded | unused */
	const char *guard_word;        /* from loopback: none | conditional |
					* present; NULL: to loopback */
	const struct lnw_fw_verdict *guard; /* the rule that (may) stop it */
	char fix[LNW_FIX_LEN];
};

/* A rule that drops traffic to 127.0.0.0/8, and what it covers. */
struct lnw_guard {
	const struct lnw_nft_rule *rule;
	const struct lnw_nft_chain *base; /* the hook it runs in */
	const struct lnw_audit_iface **ifs; /* where it is what drops a neighbour */
	int n_ifs;
	enum lnw_tv drops_dnat;           /* traffic DNAT'd to 127.0.0.0/8 */
	enum lnw_tv drops_spoofed;        /* a forged 127.x source */
	bool covers_unknown;              /* past LNW_MAX_GUARD_EVALS: ifs not
					   * worked out */
};

/* Guards whose coverage is worked out (an evaluation each per device):
 * beyond, a ruleset of thousands of guard-like rules would be quadratic. */
#define LNW_MAX_GUARD_EVALS 256

struct lnw_advice {
	const struct lnw_audit_iface *iface; /* NULL: net.ipv4.conf.all */
	char text[LNW_FIX_LEN];
	char fix[LNW_FIX_LEN];
};

struct lnw_audit_report {
	const struct lnw_audit_net *net;
	struct lnw_audit_socks *socks;
	const struct lnw_nft_ruleset *rs;
	struct lnw_exposure_row *rows;
	int n_rows;
	struct lnw_nft_path *nft_paths;
	struct lnw_nat_path *paths;
	int n_paths;
	struct lnw_guard *guards;
	int n_guards;
	struct lnw_advice *advice;
	int n_advice;
	bool output_dnat;         /* an output-hook DNAT exists (localhost NodePorts) */
	int n_exposed;            /* rows and paths that make the verdict "exposed" */
	int n_unknown;            /* rows and paths that cannot be told */
	char cannot_tell[LNW_FIX_LEN]; /* why, for the first of them */
};

/* Returns 0, or -errno with err set. */
int lnw_audit_analyse(struct lnw_audit_report *rep, const struct lnw_audit_net *net,
		      struct lnw_audit_socks *socks, const struct lnw_nft_ruleset *rs,
		      char *err, size_t len);
void lnw_audit_report_free(struct lnw_audit_report *rep);

const char *lnw_reach_name(enum lnw_reach e);
const char *lnw_path_state_name(enum lnw_path_state s);
/* "tcp", "udp", ...; "any" for 0 */
const char *lnw_l4_name(unsigned char l4proto);
/* Why v cannot be told ("ip raw pre #2 has notrack, which ..."); false
 * when it can. */
bool lnw_fw_verdict_unknown(const struct lnw_fw_verdict *v, char *buf, size_t len);
/* The condition under which v's rule may drop ("ct count over 100"), or
 * NULL. */
const char *lnw_fw_verdict_condition(const struct lnw_fw_verdict *v);
/* "ip filter KUBE-FIREWALL #4 \"comment\"", or "policy drop of ..." */
void lnw_fw_verdict_where(const struct lnw_fw_verdict *v, char *buf, size_t len);

#endif

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_ATTACH_H
#define LNW_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>

#include "lib/links.h"

enum lnw_attach_kind { LNW_ATT_NONE, LNW_ATT_TCX, LNW_ATT_CLSACT };

#define LNW_ATT_ERR_LEN 256 /* room for why a device is not watched */

/* Where tc ingress hands lnwatch a device's packet: at an Ethernet header,
 * or at the IP header (devices without a link layer: tun, WireGuard, ipip,
 * gre, sit, ppp). Other link types are not parsed. */
enum lnw_link_layer { LNW_LL_ETHER, LNW_LL_IP, LNW_LL_OTHER };

enum lnw_link_layer lnw_link_layer_of(unsigned short arphrd);
const char *lnw_link_layer_name(enum lnw_link_layer ll);

/* One tc ingress attachment, and exactly what we must undo. */
struct lnw_tc_att {
	int ifindex;
	char ifname[IF_NAMESIZE];
	enum lnw_attach_kind kind;
	int link_fd;          /* tcx: the link; closing it detaches */
	bool qdisc_created;   /* clsact: we made the qdisc, we remove it */
	unsigned int handle;  /* clsact: our filter */
	unsigned int priority;
};

/* Undo exactly what attaching did. Safe to call twice. */
void lnw_tc_detach(struct lnw_tc_att *att);
const char *lnw_attach_kind_name(enum lnw_attach_kind kind);

/* Every interface we are attached to, in ifindex order; grows as
 * interfaces appear. */
struct lnw_tc_set {
	struct lnw_tc_att *atts;
	int n;
	size_t cap;
	int prog_fd[2];            /* by enum lnw_link_layer: ETHER, IP */
	bool try_tcx;              /* the kernel has tcx, --attach allows it */
	int tcx_max;               /* past this many devices, clsact (save on a
				    * device another tcx program is on); 0: none */
	bool scaled;               /* past tcx_max: clsact from then on */
	bool said_fds_short;       /* fds ran short for tcx links: said once */
	bool used[LNW_ATT_CLSACT + 1]; /* kinds attached this run (the summary
					* names them after the detach) */
	unsigned int gen;          /* changes whenever a device comes or goes */
};

/* --attach auto: a tcx link and its release each wait an RCU grace
 * period under RTNL (~12 ms): this many keeps start and stop under 1 s. */
#define LNW_TCX_AUTO_MAX 64

bool lnw_tc_set_has(const struct lnw_tc_set *set, int ifindex);
/* What this run attached through: "tcx", "clsact", "tcx+clsact" or
 * "none". */
const char *lnw_tc_set_kind_name(const struct lnw_tc_set *set);
/* Attach the program for its link type; -EPROTONOSUPPORT (err set) for a
 * link type lnwatch does not parse. */
int lnw_tc_set_add(struct lnw_tc_set *set, const struct lnw_iface *it,
		   char *err, size_t errlen);
/* Attach to each of its[0..n) not in the set yet (tcx one after another,
 * clsact in netlink batches), then added(ctx, it, 0 or -errno, why) for
 * each tried. 0, or -ENOMEM when none could be tried. */
typedef void (*lnw_tc_added_fn)(void *ctx, const struct lnw_iface *it, int ret,
				const char *err);
int lnw_tc_set_add_many(struct lnw_tc_set *set, const struct lnw_iface *its, int n,
			lnw_tc_added_fn added, void *ctx);
/* The device is gone (or to be left): undo and forget it. */
void lnw_tc_set_remove(struct lnw_tc_set *set, int ifindex);
/* Detach everything and free; the set can be reused after. */
void lnw_tc_set_clear(struct lnw_tc_set *set);

#endif

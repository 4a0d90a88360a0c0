/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_EXPOSURES_H
#define LNW_WATCH_EXPOSURES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "lnwatch.h"

/* A loopback-only service reached from a real interface without NAT, seen
 * live: what `lnwatch audit` calls EXPOSED, confirmed by a packet. */
struct lnw_exposure {
	/* who reached which service, on which device: the key BPF counts its
	 * packets under (exposure_pkts) */
	struct lnw_exposure_key key;
	char ifname[LNW_IFNAMSIZ];
	int pid;
	char comm[16];
	unsigned long long packets; /* exact: from BPF, at the summary */
	/* route_localnet of `all` and of ifname when it was reached, on
	 * (or unread) for any of its packets: the knobs its fix turns off */
	bool rl_all, rl_dev;
	/* dnat-exposed: reached through the host's 127.x:port, a DNAT sent it
	 * to the service (a container's, mostly); route_localnet plays no part */
	bool via_dnat;
	__u32 orig_daddr;
	__u16 orig_dport;
};

#define LNW_MAX_EXPOSURES 64

/* One entry per (source, interface, service), for the summary. */
struct lnw_exposures {
	struct lnw_exposure v[LNW_MAX_EXPOSURES];
	size_t n;
};

/* Delivered, without NAT, to a socket bound to 127.0.0.0/8: decided once
 * per event, here, and carried in the event's view from then on. */
bool lnw_is_exposure(const struct lnw_event *e);
/* Count e (and the packets held back with it) under its entry. */
void lnw_exposures_note(struct lnw_exposures *t, const struct lnw_event *e,
			const char *ifname, int pid, const char *comm);

#endif

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Exposures seen live: which events are one, and the table of them. */
#include <stdio.h>
#include <string.h>

#include "lib/text.h"
#include "exposures.h"

bool lnw_is_exposure(const struct lnw_event *e)
{
	/* a DNAT from 127/8 to a real address that got there: whatever the
	 * flag, what a neighbour reaches through the host's 127.0.0.1 */
	if (e->verdict == LNW_DNAT_EXPOSED)
		return true;
	return e->verdict == LNW_DELIVERED && e->orig_src == LNW_ORIG_NONE &&
	       lnw_is_loopback4(e->sock_addr);
}

void lnw_exposures_note(struct lnw_exposures *t, const struct lnw_event *e,
			const char *ifname, int pid, const char *comm)
{
	const struct lnw_exposure_key key = {
		.netns = e->netns, .ifindex = e->ifindex, .saddr = e->saddr,
		.sock_addr = e->sock_addr, .sock_port = e->sock_port, .proto = e->proto,
	};
	struct lnw_exposure *x;
	size_t i;

	for (i = 0; i < t->n; i++) {
		x = &t->v[i];
		if (!memcmp(&x->key, &key, sizeof(key))) {
			x->packets += 1 + e->suppressed;
			x->rl_all |= e->rl_all != 0; /* LNW_FLAG_UNKNOWN: maybe */
			x->rl_dev |= e->rl_dev != 0;
			return;
		}
	}
	if (t->n == LNW_MAX_EXPOSURES)
		return;
	x = &t->v[t->n++];
	memset(x, 0, sizeof(*x));
	x->key = key;
	snprintf(x->ifname, sizeof(x->ifname), "%s", ifname);
	x->pid = pid;
	snprintf(x->comm, sizeof(x->comm), "%s", comm ? comm : "");
	x->packets = 1 + e->suppressed;
	x->rl_all = e->rl_all != 0;
	x->rl_dev = e->rl_dev != 0;
	x->via_dnat = e->verdict == LNW_DNAT_EXPOSED;
	x->orig_daddr = e->orig_daddr;
	x->orig_dport = e->orig_dport;
}

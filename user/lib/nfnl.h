/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_LIB_NFNL_H
#define LNW_LIB_NFNL_H

#include <stdbool.h>
#include <libmnl/libmnl.h>

/* An nf_tables request of type msg (NFT_MSG_*) for every family, in buf
 * (MNL_SOCKET_BUFFER_SIZE). */
struct nlmsghdr *lnw_nfnl_put_request(char *buf, int msg, unsigned short flags);
/* The ruleset generation: equal before and after two reads means both
 * read the same ruleset. Returns 0 or -errno. */
int lnw_nfnl_genid(unsigned int *genid);
/* Is there a nat chain on PREROUTING (nftables ip or inet, iptables-nft,
 * or iptables-legacy's nat table) in this namespace: can a DNAT happen
 * before the route? Returns 0 or -errno. */
int lnw_nfnl_prerouting_nat(bool *present);

#endif

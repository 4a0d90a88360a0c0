/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_LIB_LINKS_ALL_H
#define LNW_LIB_LINKS_ALL_H

#include "links.h"

/* Every interface of the current network namespace, however many: *out
 * is malloc'd (free it). Returns the count or -errno. */
int lnw_ifaces_list_all(struct lnw_iface **out);

#endif

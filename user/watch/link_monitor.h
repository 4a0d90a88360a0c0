/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_LINK_MONITOR_H
#define LNW_WATCH_LINK_MONITOR_H

#include <stdbool.h>

#include "lib/links.h"

/* Links appearing and going while we watch (rtnetlink RTMGRP_LINK). Open
 * it before listing, so nothing created in between is missed. */
struct lnw_link_monitor;
typedef void (*lnw_link_cb)(void *ctx, const struct lnw_iface *it, bool added);

int lnw_link_monitor_open(struct lnw_link_monitor **out);
int lnw_link_monitor_fd(const struct lnw_link_monitor *m);
/* Read what is pending without blocking; cb for each link event.
 * Returns 0, or -ENOBUFS when events were lost (the caller relists). */
int lnw_link_monitor_read(struct lnw_link_monitor *m, lnw_link_cb cb, void *ctx);
void lnw_link_monitor_close(struct lnw_link_monitor *m);

#endif

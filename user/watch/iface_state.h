/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_IFACE_STATE_H
#define LNW_WATCH_IFACE_STATE_H

#include <stdbool.h>

/* -i names: is name one of names[0..n)? (n == 0: every interface is) */
bool lnw_iface_wanted(const char *const *names, int n, const char *name);

/* An -i interface went away, or one of that name came back and is
 * watched again: said on stderr, and in -j mode as a line
 * {"type":"warning","ifname":...,"ifindex":...,"state":"gone"|"watched",
 *  "message":...} on standard output. */
void lnw_iface_report(bool json, const char *ifname, int ifindex, bool gone);

#endif

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_LIB_CAPS_H
#define LNW_LIB_CAPS_H

#include <stdbool.h>
#include <linux/capability.h> /* CAP_* for callers */

/* Capabilities by name, for messages that say which one an operation
 * refused with EPERM lacked (shared by the watch and the audit). */

/* "CAP_NET_ADMIN"; "CAP_?" for one lnwatch never asks for. */
const char *lnw_cap_name(int cap);
/* Is cap in this process's effective set? */
bool lnw_cap_effective(int cap);
/* For a message after strerror(): ": it needs CAP_X" when err is -EPERM
 * (or -EACCES) and cap is not effective now, else "". */
const char *lnw_cap_needed(int err, int cap);

#endif

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_VERDICT_H
#define LNW_WATCH_VERDICT_H

#include <linux/types.h>
#include "lnwatch.h"

/* "martian-dst", "accept", ... for enum lnw_verdict; "unknown" past it. */
const char *lnw_verdict_name(unsigned int verdict);

/* Why lo6-dst and lo6-src cannot be helped: the summary and the first
 * such event say it. */
#define LNW_LO6_NOTE "IPv6 has no route_localnet: ::1 on a wire is always " \
	"dropped (RFC 4291)"

#endif

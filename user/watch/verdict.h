/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_VERDICT_H
#define LNW_WATCH_VERDICT_H

#include <linux/types.h>
#include "lnwatch.h"

/* "martian-dst", "accept", ... for enum lnw_verdict; "unknown" past it. */
const char *lnw_verdict_name(unsigned int verdict);

#endif

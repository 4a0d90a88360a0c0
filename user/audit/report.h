/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_REPORT_H
#define LNW_AUDIT_REPORT_H

#include <stdio.h>

#include "matrix.h"

struct json_object;

/* Which namespace was audited. */
struct lnw_audit_target {
	const char *netns;        /* --netns as given, or NULL: our own */
	unsigned long long inode; /* of /proc/self/ns/net after entering it */
};

/* Short sections, aligned columns, exposed rows first with their fix. */
void lnw_audit_print(FILE *f, const struct lnw_audit_report *rep,
		     const struct lnw_audit_target *t);
/* The whole report as one JSON document. */
struct json_object *lnw_audit_json(const struct lnw_audit_report *rep,
				   const struct lnw_audit_target *t);

#endif

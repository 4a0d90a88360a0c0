/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_PROM_TEXTFILE_H
#define LNW_AUDIT_PROM_TEXTFILE_H

#include <stddef.h>

struct json_object;

/* `lnwatch audit --prometheus FILE`: the audit as node_exporter's textfile
 * collector reads it, written whole or not at all (a temporary file in
 * FILE's directory, fsync, rename). status is the audit's exit status;
 * report its JSON document (lnw_audit_json), or NULL when the audit could
 * not run: then only the status and the time are written, so that an
 * alert sees the failure. A FILE that exists and is not a regular file is
 * refused. Returns 0, or -errno with err set. */
int lnw_audit_prom_write(const char *path, int status, struct json_object *report,
			 char *err, size_t len);

#endif

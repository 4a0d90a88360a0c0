/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_MATRIX_INT_H
#define LNW_AUDIT_MATRIX_INT_H

/* Shared by matrix.c and paths.c only. */

#include "matrix.h"

/* Count a verdict that cannot be told; true if it cannot. */
bool lnw_audit_count_unknown(struct lnw_audit_report *rep, const struct lnw_fw_verdict *v);
/* "net.ipv4.conf.eth0.KNOB"; a name with dots takes the slash form. */
int lnw_audit_sysctl_key(char *buf, size_t len, const char *dev, const char *knob);
/* The protocol a path (or a lone rule) is about, 0 when any. */
unsigned char lnw_audit_path_l4proto(const struct lnw_nft_path *p);
/* Every DNAT path of prerouting to or from 127.0.0.0/8: rep->paths. */
int lnw_audit_analyse_paths(struct lnw_audit_report *rep);

#endif

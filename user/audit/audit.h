/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_AUDIT_H
#define LNW_AUDIT_H

/* Exit codes of `lnwatch audit`, documented for CI and compliance gates. */
#define LNW_AUDIT_CLEAN 0   /* nothing exposed */
#define LNW_AUDIT_EXPOSED 1 /* something exposed */
#define LNW_AUDIT_ERROR 2   /* could not tell: never a silent "clean" */

/* `lnwatch audit [...]`: argv[0] is "audit". No BPF is loaded. */
int lnw_audit_main(int argc, char **argv);

#endif

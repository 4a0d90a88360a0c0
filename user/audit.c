// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* lnwatch audit: placeholder until the audit lands. */
#include <stdio.h>

#include "audit.h"

int lnw_audit_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "lnwatch audit: not implemented yet\n");
	return LNW_AUDIT_ERROR;
}

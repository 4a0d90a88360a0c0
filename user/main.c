// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lnwatch's entry: a command table, as bpftool's. `lnwatch audit ...` runs
 * the audit (user/audit); anything else is the live watch (user/watch),
 * whose options are the top-level ones.
 */
#include <string.h>

#include "audit/audit.h"
#include "lib/util.h"
#include "watch/watch.h"

struct lnw_cmd {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the command's name */
};

static const struct lnw_cmd commands[] = {
	{ "audit", lnw_audit_main },
};

int main(int argc, char **argv)
{
	size_t i;

	for (i = 0; argc > 1 && i < LNW_ARRAY_SIZE(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	return lnw_watch_main(argc, argv);
}

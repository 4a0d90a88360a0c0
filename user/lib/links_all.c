// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The interface list without a cap: lnw_ifaces_list() fills what it is
 * given, so a full answer is asked again with twice the room. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

#include "links_all.h"

int lnw_ifaces_list_all(struct lnw_iface **out)
{
	struct lnw_iface *v = NULL, *nv;
	int max = 256, n;

	for (;;) {
		nv = realloc(v, (size_t)max * sizeof(*v));
		if (!nv) {
			free(v);
			return -ENOMEM;
		}
		v = nv;
		n = lnw_ifaces_list(v, max);
		if (n < 0 || n < max) {
			if (n < 0)
				free(v);
			else
				*out = v;
			return n;
		}
		if (max > INT_MAX / 2) {
			free(v);
			return -E2BIG;
		}
		max *= 2;
	}
}

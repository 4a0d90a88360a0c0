// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* -i interfaces that go away and come back while lnwatch watches. */
#include <stdio.h>
#include <string.h>
#include <net/if.h>

#include "lib/json.h"
#include "lib/text.h"
#include "iface_state.h"

bool lnw_iface_wanted(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return n == 0;
}

void lnw_iface_report(bool json, const char *ifname, int ifindex, bool gone)
{
	char name[LNW_PRINTABLE_LEN(IF_NAMESIZE)], msg[160];
	json_object *o;

	lnw_name_printable(ifname, name, sizeof(name));
	if (gone)
		snprintf(msg, sizeof(msg), "interface %s is gone: not watched until "
			 "one of that name comes back", name);
	else
		snprintf(msg, sizeof(msg), "interface %s is back (ifindex %d): watched "
			 "again", name, ifindex);
	fprintf(stderr, "lnwatch: %s\n", msg);
	if (!json)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string("warning"));
	json_object_object_add(o, "ifname", lnw_json_name(ifname));
	json_object_object_add(o, "ifindex", json_object_new_int(ifindex));
	json_object_object_add(o, "state", json_object_new_string(gone ? "gone" : "watched"));
	json_object_object_add(o, "message", json_object_new_string(msg));
	lnw_json_emit(stdout, o);
	fflush(stdout);
}

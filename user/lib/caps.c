// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Capabilities by name: libcap reads the sets (see README, Running in
 * production); the names are ours, in the kernel's spelling. */
#include <errno.h>
#include <stddef.h>
#include <sys/capability.h>

#include "caps.h"

#define NEEDS(c) [c] = ": it needs " #c
#define NEEDS_PREFIX_LEN (sizeof(": it needs ") - 1)

/* only the capabilities lnwatch asks for have a name here */
static const char *const needs[] = {
	NEEDS(CAP_BPF), NEEDS(CAP_PERFMON), NEEDS(CAP_NET_ADMIN),
	NEEDS(CAP_SYS_ADMIN), NEEDS(CAP_SYS_PTRACE), NEEDS(CAP_DAC_READ_SEARCH),
	NEEDS(CAP_SYSLOG),
};

const char *lnw_cap_name(int cap)
{
	if (cap < 0 || (size_t)cap >= sizeof(needs) / sizeof(needs[0]) || !needs[cap])
		return "CAP_?";
	return needs[cap] + NEEDS_PREFIX_LEN;
}

bool lnw_cap_effective(int cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (!caps)
		return false;
	if (cap_get_flag(caps, (cap_value_t)cap, CAP_EFFECTIVE, &v))
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}

const char *lnw_cap_needed(int err, int cap)
{
	if ((err != -EPERM && err != -EACCES) || lnw_cap_effective(cap))
		return "";
	return cap < (int)(sizeof(needs) / sizeof(needs[0])) && cap >= 0 && needs[cap] ?
	       needs[cap] : "";
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Verdict names, as every output and --verdict spell them. */
#include "verdict.h"

const char *lnw_verdict_name(unsigned int verdict)
{
	static const char *const names[LNW_VERDICT_MAX] = {
		[LNW_SEEN] = "seen",
		[LNW_MARTIAN_DST] = "martian-dst",
		[LNW_MARTIAN_SRC] = "martian-src",
		[LNW_ACCEPT] = "accept",
		[LNW_DROP] = "drop",
		[LNW_DELIVERED] = "delivered",
		[LNW_REPLY_REFUSED] = "reply-refused",
		[LNW_LOCAL_REFUSED] = "local-refused",
		[LNW_DNAT_EXPOSED] = "dnat-exposed",
		[LNW_SEEN6] = "seen6",
		[LNW_LO6_DST] = "lo6-dst",
		[LNW_LO6_SRC] = "lo6-src",
	};

	return verdict < LNW_VERDICT_MAX ? names[verdict] : "unknown";
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target: iptables-nft's xtables payloads (user/audit/nft/xt.c),
 * the structs nfnetlink returns for -m NAME and -j NAME. Input: byte 0
 * picks the name (and match or target), byte 1 is the revision, the rest
 * the payload, in a buffer of exactly that length so a read past it is
 * caught.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/nft/model.h"
#include "audit/nft/xt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
	"comment", "conntrack", "state", "addrtype", "iprange", "tcp", "udp",
	"multiport", "mark", "statistic", "DNAT", "REDIRECT", "CT", "NOTRACK",
	"REJECT", "LOG", "SNAT", "MASQUERADE", "NFQUEUE", "",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const size_t n_names = sizeof(names) / sizeof(names[0]);
	struct lnw_nfnl_xt xt = { 0 };
	struct lnw_nft_match m;
	struct lnw_nft_rule r = { 0 };
	char *comment = NULL, *text = NULL;
	size_t text_len = 0;
	FILE *f;

	if (size < 2)
		return 0;
	xt.target = data[0] & 1;
	snprintf(xt.name, sizeof(xt.name), "%s", names[(data[0] >> 1) % n_names]);
	xt.rev = data[1];
	xt.info_len = size - 2;
	xt.info = malloc(xt.info_len ? xt.info_len : 1);
	if (!xt.info)
		return 0;
	memcpy(xt.info, data + 2, xt.info_len);
	if (xt.target) {
		f = open_memstream(&text, &text_len);
		if (f) {
			lnw_xt_target(xt.name, &xt, &r, f);
			lnw_xt_target(xt.name, NULL, &r, f); /* payload unread */
			fclose(f);
		}
		free(text);
		lnw_nft_rule_free(&r);
	} else if (!lnw_xt_match(&xt, &m, &comment)) {
		if (m.text && strlen(m.text) > 4096)
			abort();
		lnw_nft_match_free(&m);
	}
	free(comment);
	free(xt.info);
	return 0;
}

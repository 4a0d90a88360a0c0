// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target: the audit's ruleset loader (user/audit/nft/load.c,
 * compile.c, stmt.c): `nft -j list ruleset` text -> the model, as
 * lnw_nft_load compiles it (here without the nfnetlink part: no xt
 * payloads, no ingress devices), then the walks the audit runs on it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/nft/nfnl.h"
#include "audit/nft/ruleset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const hooks[] = { "prerouting", "output" };
	struct lnw_nfnl_ruleset nl = { 0 };
	struct lnw_nft_ruleset rs;
	struct lnw_nft_path *paths;
	char *json, err[256], where[128];
	int i, j, n;

	json = malloc(size + 1);
	if (!json)
		return 0;
	memcpy(json, data, size);
	json[size] = '\0';
	if (!lnw_nft_compile_json(json, &nl, &rs, err, sizeof(err))) {
		for (i = 0; i < 2; i++) {
			n = lnw_nft_dnat_paths(&rs, hooks[i], &paths);
			for (j = 0; j < n; j++)
				lnw_nft_rule_where(paths[j].rule, where, sizeof(where));
			if (n >= 0)
				free(paths);
		}
		for (i = 0; i < rs.n_chains; i++) {
			lnw_nft_input_base_of(&rs, &rs.chains[i]);
			for (j = 0; j < rs.chains[i].n_rules; j++)
				lnw_nft_rule_where(&rs.chains[i].rules[j], where, sizeof(where));
		}
		lnw_nft_free(&rs);
	}
	free(json);
	return 0;
}

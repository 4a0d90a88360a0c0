// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of the statements that are not matches (user/audit/nft/stmt.c)
 * and of the evaluation's bounds (user/audit/fw.c): the fixture
 * statements.nft holds the rulesets the audit once called guarded while
 * the kernel delivered (ct count, a rate limit in a set update, a meter, a
 * full set), neutral statements, and statements it cannot follow. No
 * kernel.
 */
#include "unit.h"
#include "audit/matrix.h"
#include <linux/netfilter/xt_CT.h>

#include "audit/nft/xt.h"

/* r is a drop that holds only under a condition, named by text. */
static void check_cond(int line, const struct lnw_nft_rule *r, const char *text)
{
	int i, unknown = 0;
	const char *seen = "-";

	for (i = 0; r && i < r->n_m; i++)
		if (r->m[i].key == LNW_KEY_UNKNOWN) {
			unknown++;
			seen = r->m[i].text ? r->m[i].text : "(null)";
		}
	CHECK(r && r->verdict == LNW_V_DROP && unknown == 1 && !r->unmodelled &&
	      (!text || !strcmp(seen, text)),
	      "line %d: #%llu: %d conditions ('%s'), want 1 ('%s')", line, r ? r->handle : 0,
	      unknown, seen, text ? text : "any");
}

#define COND(r, text) check_cond(__LINE__, r, text)

static void t_conditions(void)
{
	struct lnw_nft_ruleset rs;
	const struct lnw_nft_chain *c;

	if (!fx_load("statements", NULL, &rs))
		return;
	c = fx_chain(&rs, "ip", "cond", "input");
	COND(fx_rule(c, 9, 0), "ct count over 100");
	COND(fx_rule(c, 10, 0), "update @s { limit rate over 1000/second }");
	COND(fx_rule(c, 12, 0), "meter m");
	COND(fx_rule(c, 13, 0), "add @s { ct count over 50 }");
	COND(fx_rule(c, 14, 0), "add @full { ... }");          /* size 1: may be full */
	COND(fx_rule(c, 15, 0), NULL);                    /* @allow is written by a rule */
	COND(fx_rule(c, 16, 0), NULL);                    /* @ban: elements time out */
	COND(fx_rule(c, 17, 0), "quota");
	COND(fx_rule(c, 18, 0), NULL);                    /* numgen */
	COND(fx_rule(c, 19, 0), "limit rate over 5/second");
	c = fx_chain(&rs, "ip", "cond", "other");
	COND(fx_rule(c, 22, 0), "add @nosize { ... }");        /* nft gives it size 65535 */
	lnw_nft_free(&rs);
}

static void t_neutral_and_unmodelled(void)
{
	struct lnw_nft_ruleset rs;
	const struct lnw_nft_chain *c;
	const struct lnw_nft_rule *r;

	if (!fx_load("statements", NULL, &rs))
		return;
	c = fx_chain(&rs, "ip", "cond", "other");
	/* meta mark set, counter, log, nftrace; ct mark, dscp, priority: a
	 * certain drop (a later match on the mark is unknown anyway) */
	r = fx_rule(c, 20, 0);
	CHECK(r && r->verdict == LNW_V_DROP && r->n_m == 0 && !r->unmodelled, "#20 neutral");
	r = fx_rule(c, 21, 0);
	CHECK(r && r->verdict == LNW_V_DROP && r->n_m == 0 && !r->unmodelled, "#21 neutral");
	r = fx_rule(c, 23, 0); /* update @allow: no verdict, a condition of nothing */
	CHECK(r && r->verdict == LNW_V_CONTINUE && !r->unmodelled, "#23 continue");
	MATCH_IS(fx_rule(c, 24, 0), 0, LNW_KEY_SADDR, LNW_OP_NOT_IN, "10.99.0.9"); /* fixed set */
	r = fx_rule(c, 25, 0);
	CHECK(r && r->unmodelled && !strcmp(r->unmodelled, "ip daddr set ..."), "#25: '%s'",
	      r && r->unmodelled ? r->unmodelled : "-");
	r = fx_rule(c, 26, 0);
	CHECK(r && r->unmodelled && !strcmp(r->unmodelled, "notrack"), "#26: '%s'",
	      r && r->unmodelled ? r->unmodelled : "-");
	MATCH_IS(fx_rule(c, 27, 0), 0, LNW_KEY_L4PROTO, LNW_OP_IN, "2");  /* igmp */
	MATCH_IS(fx_rule(c, 28, 0), 0, LNW_KEY_L4PROTO, LNW_OP_IN, "58"); /* ipv6-icmp */
	lnw_nft_free(&rs);
}

/* The conditional drops never make a certain one; a notrack the flow may
 * meet makes it one that cannot be told; so does the work budget. */
static void t_fates(void)
{
	struct lnw_nft_ruleset rs;
	struct lnw_fw_verdict v;
	struct lnw_fw_flow f;
	struct net_fx n;

	if (!fx_load("statements", NULL, &rs))
		return;
	net_init(&n);
	f = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.1", 5000, false);
	lnw_fw_eval(&rs, &f, &v);
	CHECK(v.fate == LNW_FW_MAY_DROP && v.rule && v.rule->handle == 9 && !v.unmodelled &&
	      !v.over_budget, "udp 5000: %s by #%llu, unmodelled %d", fate_names[v.fate],
	      v.rule ? v.rule->handle : 0, v.unmodelled != NULL);
	f = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.1", 53, false);
	lnw_fw_eval(&rs, &f, &v);
	CHECK(v.fate == LNW_FW_MAY_DROP && v.unmodelled && v.unmodelled->handle == 2,
	      "udp 53: %s, unmodelled #%llu", fate_names[v.fate],
	      v.unmodelled ? v.unmodelled->handle : 0);
	/* past the work budget: cannot tell, never a drop */
	f = flow_to(&n, "eth0", IPPROTO_UDP, "127.0.0.1", 5000, false);
	lnw_fw_set_budget(3);
	lnw_fw_eval(&rs, &f, &v);
	CHECK(v.over_budget && v.fate == LNW_FW_MAY_DROP && v.work == 4,
	      "budget 3: over %d, %s, %llu rules", v.over_budget, fate_names[v.fate], v.work);
	lnw_fw_set_budget(0);
	lnw_fw_eval(&rs, &f, &v);
	CHECK(!v.over_budget, "default budget: over %d", v.over_budget);
	lnw_nft_free(&rs);
}

/* iptables' untracking targets are not modelled; -j CT --zone is neutral. */
static void t_xt_notrack(void)
{
	struct xt_ct_target_info notrack = { .flags = XT_CT_NOTRACK }, zone = { .zone = 1 };
	const struct { const char *name; void *info; const char *want; } cases[] = {
		{ "NOTRACK", NULL, "-j NOTRACK" }, { "CT", NULL, "-j CT --notrack" },
		{ "CT", &notrack, "-j CT --notrack" }, { "CT", &zone, NULL },
	};
	FILE *devnull = fopen("/dev/null", "w");
	size_t i;

	for (i = 0; devnull && i < N(cases); i++) {
		struct lnw_nfnl_xt x = { .rev = 0, .info = cases[i].info,
					 .info_len = sizeof(struct xt_ct_target_info) };
		struct lnw_nft_rule r = { .verdict = LNW_V_CONTINUE };

		snprintf(x.name, sizeof(x.name), "%s", cases[i].name);
		lnw_xt_target(cases[i].name, cases[i].info ? &x : NULL, &r, devnull);
		CHECK(r.verdict == LNW_V_CONTINUE && (cases[i].want ?
		      r.unmodelled && !strcmp(r.unmodelled, cases[i].want) : !r.unmodelled),
		      "case %zu: %s: '%s'", i, cases[i].name, r.unmodelled ? r.unmodelled : "-");
		free(r.unmodelled);
	}
	if (devnull)
		fclose(devnull);
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "stmt: ct count, limits in set updates, meters, full sets are conditions",
		  t_conditions },
		{ "stmt: counter, log, mark set are neutral; notrack, ip daddr set are not "
		  "modelled", t_neutral_and_unmodelled },
		{ "stmt: a conditional drop is a may-drop; notrack and the work budget cannot "
		  "be told", t_fates },
		{ "stmt: -j NOTRACK, -j CT --notrack are not modelled", t_xt_notrack },
	};

	return run_all(tests, N(tests));
}

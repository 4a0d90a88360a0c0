// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The ruleset model's parts: built, copied and freed here only. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>

#include "lib/text.h"
#include "lib/util.h"
#include "model.h"

int lnw_nft_family_code(const char *family)
{
	/* ip6, arp, bridge: never route IPv4 input */
	static const struct lnw_named families[] = {
		{ "ip", NFPROTO_IPV4 }, { "inet", NFPROTO_INET }, { "netdev", NFPROTO_NETDEV },
	};
	uint32_t code;

	return family && lnw_named_find(families, LNW_ARRAY_SIZE(families), family, &code) ?
	       (int)code : -1;
}

const char *lnw_nft_family_code_name(int code)
{
	return code == NFPROTO_IPV4 ? "ip" : code == NFPROTO_INET ? "inet" :
	       code == NFPROTO_NETDEV ? "netdev" : NULL;
}

bool lnw_nft_str_in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

int lnw_nft_range_push(struct lnw_nft_match *m, uint32_t lo, uint32_t hi)
{
	if (lnw_grow(&m->ranges, &m->cap_ranges, (size_t)m->n_ranges + 1, sizeof(*m->ranges)))
		return -ENOMEM;
	m->ranges[m->n_ranges].lo = lo < hi ? lo : hi;
	m->ranges[m->n_ranges].hi = lo < hi ? hi : lo;
	m->n_ranges++;
	return 0;
}

int lnw_nft_name_push(struct lnw_nft_match *m, const char *name)
{
	if (lnw_grow(&m->names, &m->cap_names, (size_t)m->n_names + 1, sizeof(*m->names)))
		return -ENOMEM;
	m->names[m->n_names] = strdup(name);
	if (!m->names[m->n_names])
		return -ENOMEM;
	m->n_names++;
	return 0;
}

void lnw_nft_match_free(struct lnw_nft_match *m)
{
	lnw_free_strv(m->names, m->n_names);
	free(m->ranges);
	free(m->text);
	memset(m, 0, sizeof(*m));
}

int lnw_nft_match_copy(struct lnw_nft_match *dst, const struct lnw_nft_match *src)
{
	int i;

	*dst = *src;
	dst->ranges = NULL;
	dst->names = NULL;
	dst->n_ranges = dst->n_names = 0;
	dst->cap_ranges = dst->cap_names = 0;
	dst->text = src->text ? strdup(src->text) : NULL;
	for (i = 0; i < src->n_ranges; i++)
		if (lnw_nft_range_push(dst, src->ranges[i].lo, src->ranges[i].hi))
			return -ENOMEM;
	for (i = 0; i < src->n_names; i++)
		if (lnw_nft_name_push(dst, src->names[i]))
			return -ENOMEM;
	return src->text && !dst->text ? -ENOMEM : 0;
}

void lnw_nft_rule_free(struct lnw_nft_rule *r)
{
	int i;

	for (i = 0; i < r->n_m; i++)
		lnw_nft_match_free(&r->m[i]);
	free(r->m);
	free(r->comment);
	free(r->target_name);
	free(r->unmodelled);
	free(r->text);
}

int lnw_nft_rule_push_match(struct lnw_nft_rule *r, struct lnw_nft_match *m)
{
	if (lnw_grow(&r->m, &r->cap_m, (size_t)r->n_m + 1, sizeof(*r->m)))
		return -ENOMEM;
	r->m[r->n_m++] = *m;
	memset(m, 0, sizeof(*m));
	return 0;
}

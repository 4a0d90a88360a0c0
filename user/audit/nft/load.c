// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The nftables ruleset, read with libnftables in JSON mode (never by
 * parsing nft's text) and compiled into matches and verdicts. iptables-nft
 * rules use xtables extensions that the JSON names but does not describe
 * (-m conntrack, -j DNAT): their payload comes from nfnetlink, read in the
 * same ruleset generation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <json-c/json.h>
#include <nftables/libnftables.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter_ipv4/ip_tables.h>

#include "lib/json.h"
#include "lib/nfnl.h"
#include "lib/util.h"
#include "compile.h"
#include "nfnl.h"
#include "stmt.h"
#include "text.h"
#include "ruleset.h"

#define GEN_RETRIES 5 /* a ruleset rewritten this often while we read it */

static enum lnw_nft_hook hook_code(const char *hook)
{
	static const struct { const char *name; enum lnw_nft_hook hook; } hooks[] = {
		{ "ingress", LNW_HOOK_INGRESS },
		{ "prerouting", LNW_HOOK_PREROUTING },
		{ "input", LNW_HOOK_INPUT },
		{ "forward", LNW_HOOK_FORWARD },
	};
	size_t i;

	for (i = 0; hook && i < LNW_ARRAY_SIZE(hooks); i++)
		if (!strcmp(hook, hooks[i].name))
			return hooks[i].hook;
	return LNW_HOOK_OTHER;
}

/* ---- chains --------------------------------------------------------------- */

static void chain_free(struct lnw_nft_chain *c)
{
	int i;

	for (i = 0; i < c->n_rules; i++)
		lnw_nft_rule_free(&c->rules[i]);
	free(c->rules);
	lnw_free_strv(c->devs, c->n_devs);
	free(c->family);
	free(c->table);
	free(c->name);
	free(c->hook_name);
	free(c->type);
}

static int chain_cmp3(const char *family, const char *table, const char *name,
		      const struct lnw_nft_chain *c)
{
	int d = strcmp(family, c->family);

	if (!d)
		d = strcmp(table, c->table);
	return d ? d : strcmp(name, c->name);
}

static int chain_sort_cmp(const void *a, const void *b)
{
	const struct lnw_nft_chain *x = a;

	return chain_cmp3(x->family, x->table, x->name, b);
}

static struct lnw_nft_chain *chain_find(const struct lnw_nft_ruleset *rs, const char *family,
					const char *table, const char *name)
{
	const struct lnw_nft_chain key = { .family = (char *)family, .table = (char *)table,
					   .name = (char *)name };

	return rs->n_chains ? bsearch(&key, rs->chains, (size_t)rs->n_chains,
				      sizeof(*rs->chains), chain_sort_cmp) : NULL;
}

static char *dup_or_empty(const char *s)
{
	return strdup(s ? s : "");
}

static int add_chain(struct lnw_nft_compile *cx, json_object *jc, size_t *cap)
{
	struct lnw_nft_ruleset *rs = cx->rs;
	const char *family = lnw_jstr(jc, "family");
	const struct lnw_nfnl_chain *nc;
	struct lnw_nft_chain *c;
	int fam = lnw_nft_family_code(family), i;

	if (fam < 0 || !lnw_jstr(jc, "table") || !lnw_jstr(jc, "name"))
		return 0;
	if (lnw_grow(&rs->chains, cap, (size_t)rs->n_chains + 1, sizeof(*rs->chains)))
		return -ENOMEM;
	c = &rs->chains[rs->n_chains++];
	memset(c, 0, sizeof(*c));
	c->family = dup_or_empty(family);
	c->table = dup_or_empty(lnw_jstr(jc, "table"));
	c->name = dup_or_empty(lnw_jstr(jc, "name"));
	c->hook_name = dup_or_empty(lnw_jstr(jc, "hook"));
	c->type = dup_or_empty(lnw_jstr(jc, "type"));
	if (!c->family || !c->table || !c->name || !c->hook_name || !c->type)
		return -ENOMEM;
	c->base = lnw_jstr(jc, "hook") != NULL;
	c->hook = hook_code(lnw_jstr(jc, "hook"));
	c->prio = json_object_get_int(lnw_jget(jc, "prio"));
	c->policy_drop = lnw_jstr(jc, "policy") && !strcmp(lnw_jstr(jc, "policy"), "drop");
	/* libnftables 1.0 JSON omits an ingress chain's devices */
	nc = lnw_nfnl_chain_find(cx->nl, (unsigned char)fam, c->table, c->name);
	if (nc && nc->n_devs) {
		c->devs = calloc((size_t)nc->n_devs, sizeof(*c->devs));
		if (!c->devs)
			return -ENOMEM;
		for (i = 0; i < nc->n_devs; i++, c->n_devs++)
			if (!(c->devs[i] = strdup(nc->devs[i])))
				return -ENOMEM;
	}
	return 0;
}


/* Does c, or a chain it jumps to, change the mark? c->sets_mark; seen:
 * per chain, worked out already (each chain is looked at once). */
static bool mark_setter(struct lnw_nft_ruleset *rs, struct lnw_nft_chain *c, bool *seen)
{
	size_t k = (size_t)(c - rs->chains);
	int i;

	if (seen[k])
		return c->sets_mark;
	seen[k] = true; /* a loop (the kernel refuses them) ends here */
	for (i = 0; i < c->n_rules && !c->sets_mark; i++) {
		const struct lnw_nft_rule *r = &c->rules[i];

		c->sets_mark = r->mark_set != LNW_MARK_KEEP ||
			       (r->target && mark_setter(rs, (struct lnw_nft_chain *)r->target, seen));
	}
	return c->sets_mark;
}

static int mark_setters(struct lnw_nft_ruleset *rs)
{
	bool *seen = calloc((size_t)rs->n_chains + 1, sizeof(*seen));
	int k;

	if (!seen)
		return -ENOMEM;
	for (k = 0; k < rs->n_chains; k++) {
		struct lnw_nft_chain *c = &rs->chains[k];
		int i;

		mark_setter(rs, c, seen);
		for (i = 0; i < c->n_rules; i++)
			rs->ct_mark_set = rs->ct_mark_set || c->rules[i].sets_ct_mark;
	}
	free(seen);
	return 0;
}

static bool has_counter(json_object *jr)
{
	json_object *exprs = lnw_jget(jr, "expr");
	size_t i, n = json_object_is_type(exprs, json_type_array) ?
		      json_object_array_length(exprs) : 0;

	for (i = 0; i < n; i++)
		if (lnw_jget(json_object_array_get_idx(exprs, i), "counter"))
			return true;
	return false;
}

/* iptables-nft's tables: ip filter, nat, mangle, raw, security, every
 * rule with the counter it adds to each. A table nft made by hand with
 * such a name and counters everywhere is named by line too: still the
 * rule's place in its chain. */
static void mark_iptables(struct lnw_nft_ruleset *rs)
{
	static const char *const tables[] = { "filter", "nat", "mangle", "raw", "security", NULL };
	int i, j, k;

	for (i = 0; i < rs->n_chains; i++) {
		struct lnw_nft_chain *c = &rs->chains[i];
		bool all = true;

		if (strcmp(c->family, "ip") || !lnw_nft_str_in(c->table, tables))
			continue;
		for (j = 0; j < rs->n_chains && all; j++) {
			const struct lnw_nft_chain *o = &rs->chains[j];

			if (strcmp(o->family, c->family) || strcmp(o->table, c->table))
				continue;
			for (k = 0; k < o->n_rules && all; k++)
				all = o->rules[k].counted;
		}
		c->iptables = all;
	}
}

static int compile_all(struct lnw_nft_compile *cx)
{
	struct lnw_nft_ruleset *rs = cx->rs;
	size_t i, n = json_object_array_length(cx->items);
	struct lnw_nft_chain *c = NULL;
	size_t cap = 0;
	int ret = lnw_nft_collect_written(cx), k;

	for (i = 0; i < n && !ret; i++) {
		json_object *jc = lnw_jget(json_object_array_get_idx(cx->items, i), "chain");

		if (jc)
			ret = add_chain(cx, jc, &cap);
	}
	if (ret)
		return ret;
	if (rs->n_chains)
		qsort(rs->chains, (size_t)rs->n_chains, sizeof(*rs->chains), chain_sort_cmp);
	for (i = 0; i < n && !ret; i++) {
		json_object *jr = lnw_jget(json_object_array_get_idx(cx->items, i), "rule");
		struct lnw_nft_rules out;
		const char *family = lnw_jstr(jr, "family"), *table = lnw_jstr(jr, "table"),
			   *chain = lnw_jstr(jr, "chain");

		if (!jr || !family || !table || !chain || lnw_nft_family_code(family) < 0)
			continue;
		/* nft lists a chain's rules together: the last chain is the hit */
		if (!c || chain_cmp3(family, table, chain, c))
			c = chain_find(rs, family, table, chain);
		if (!c)
			continue;
		cx->chain = c;
		out = (struct lnw_nft_rules){ c->rules, c->n_rules, c->cap_rules };
		ret = lnw_nft_compile_rule(cx, jr, &out);
		c->n_listed++;
		for (k = c->n_rules; k < out.n; k++) {
			out.v[k].line = c->n_listed;
			out.v[k].counted = has_counter(jr);
		}
		c->rules = out.v;
		c->n_rules = out.n;
		c->cap_rules = out.cap;
	}
	mark_iptables(rs);
	/* jump targets live in the same table */
	for (k = 0; k < rs->n_chains && !ret; k++) {
		struct lnw_nft_chain *ch = &rs->chains[k];
		int j;

		for (j = 0; j < ch->n_rules; j++) {
			struct lnw_nft_rule *r = &ch->rules[j];

			if (r->target_name)
				r->target = chain_find(rs, ch->family, ch->table, r->target_name);
			if ((r->verdict == LNW_V_JUMP || r->verdict == LNW_V_GOTO) && !r->target)
				r->verdict = LNW_V_MAYBE;
		}
	}
	if (!ret)
		ret = mark_setters(rs);
	free(cx->xt_comment);
	cx->xt_comment = NULL;
	return ret;
}

/* ---- reading --------------------------------------------------------------- */

/* One libnftables command; its "nftables" items (those of keep_table,
 * when set) appended to all. */
static int run_list(struct nft_ctx *ctx, const char *cmd, const struct lnw_nfnl_table *keep,
		    json_object *all, char *err, size_t len)
{
	json_object *doc, *items;
	size_t i, n;
	bool ok;

	if (nft_run_cmd_from_buffer(ctx, cmd)) {
		const char *e = nft_ctx_get_error_buffer(ctx);

		snprintf(err, len, "nft %s failed: %.*s", cmd, (int)strcspn(e, "\n"), e);
		return -EIO;
	}
	doc = json_tokener_parse(nft_ctx_get_output_buffer(ctx));
	items = lnw_jget(doc, "nftables");
	n = json_object_is_type(items, json_type_array) ? json_object_array_length(items) : 0;
	for (i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(items, i), *v;
		const char *kind = lnw_nft_stmt_kind(it, &v);

		if (!kind || !strcmp(kind, "metainfo") ||
		    (keep && (lnw_nft_family_code(lnw_jstr(v, "family")) != keep->family ||
			      strcmp(lnw_jstr(v, "table") ?: "", keep->name))))
			continue;
		json_object_array_add(all, json_object_get(it));
	}
	ok = json_object_is_type(items, json_type_array);
	json_object_put(doc);
	if (!ok)
		snprintf(err, len, "nft %s returned JSON without an \"nftables\" array", cmd);
	return ok ? 0 : -EPROTO;
}

/* A name libnftables' command parser takes as it is. */
static bool plain_name(const char *s)
{
	return s[0] && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "0123456789_-.") == strlen(s);
}

/* A ruleset with a table with flags: libnftables 1.0.6 prints its flags
 * through freed memory, so tables are listed one by one: a dormant one
 * not at all (its chains never run), one with other flags chain by chain,
 * its sets and maps from the family's lists. */
static int list_by_table(struct nft_ctx *ctx, const struct lnw_nfnl_ruleset *nl,
			 json_object *all, char *err, size_t len)
{
	char cmd[512];
	size_t i;
	int k, ret = 0;

	for (i = 0; i < nl->n_tables && !ret; i++) {
		const struct lnw_nfnl_table *t = &nl->tables[i];
		const char *fam = lnw_nft_family_code_name(t->family);

		if (!fam || (t->flags & NFT_TABLE_F_DORMANT))
			continue;
		if (!plain_name(t->name)) {
			snprintf(err, len, "cannot list %s table %.64s by name", fam, t->name);
			return -EINVAL;
		}
		if (!t->flags) {
			snprintf(cmd, sizeof(cmd), "list table %s %s", fam, t->name);
			ret = run_list(ctx, cmd, NULL, all, err, len);
			continue;
		}
		for (k = 0; k < t->n_chains && !ret; k++) {
			if (!plain_name(t->chains[k])) {
				snprintf(err, len, "cannot list chain %.64s by name", t->chains[k]);
				return -EINVAL;
			}
			snprintf(cmd, sizeof(cmd), "list chain %s %s %s", fam, t->name, t->chains[k]);
			ret = run_list(ctx, cmd, NULL, all, err, len);
		}
		if (!ret)
			ret = run_list(ctx, "list sets", t, all, err, len);
		if (!ret)
			ret = run_list(ctx, "list maps", t, all, err, len);
	}
	return ret;
}

static int list_ruleset(const struct lnw_nfnl_ruleset *nl, char **json, char *err, size_t len)
{
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	json_object *doc = NULL, *all = NULL;
	bool flags = false;
	size_t i;
	int ret = 0;

	if (!ctx) {
		snprintf(err, len, "cannot create a libnftables context");
		return -ENOMEM;
	}
	for (i = 0; i < nl->n_tables; i++)
		flags |= nl->tables[i].flags != 0;
	nft_ctx_output_set_flags(ctx, NFT_CTX_OUTPUT_JSON);
	if (nft_ctx_buffer_output(ctx) || nft_ctx_buffer_error(ctx)) {
		snprintf(err, len, "cannot buffer libnftables output");
		ret = -ENOMEM;
	} else if (!flags) {
		if (nft_run_cmd_from_buffer(ctx, "list ruleset")) {
			const char *e = nft_ctx_get_error_buffer(ctx);

			snprintf(err, len, "nft list ruleset failed: %.*s", (int)strcspn(e, "\n"), e);
			ret = -EIO;
		} else if (!(*json = strdup(nft_ctx_get_output_buffer(ctx)))) {
			ret = -ENOMEM;
		}
	} else {
		doc = json_object_new_object();
		all = json_object_new_array();
		if (!doc || !all || json_object_object_add(doc, "nftables", all)) {
			json_object_put(all);
			ret = -ENOMEM;
		} else if (!(ret = list_by_table(ctx, nl, all, err, len)) &&
			   !(*json = strdup(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN)))) {
			ret = -ENOMEM;
		}
		json_object_put(doc);
	}
	if (ret == -ENOMEM && !err[0])
		snprintf(err, len, "out of memory");
	nft_ctx_free(ctx);
	return ret;
}

static void dormant_tables(const struct lnw_nfnl_ruleset *nl, char *out, size_t len)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < nl->n_tables && o + 2 < len; i++)
		if ((nl->tables[i].flags & NFT_TABLE_F_DORMANT) &&
		    lnw_nft_family_code_name(nl->tables[i].family))
			o += (size_t)snprintf(out + o, len - o, "%s%s %s", o ? ", " : "",
					      lnw_nft_family_code_name(nl->tables[i].family),
					      nl->tables[i].name);
}

static void nfnl_error(int ret, char *err, size_t len)
{
	snprintf(err, len, "cannot read the nftables ruleset: %s%s", strerror(-ret),
		 ret == -EPERM ? ": it needs CAP_NET_ADMIN, run it as root" :
		 ret == -EPROTONOSUPPORT || ret == -EINVAL || ret == -EOPNOTSUPP ?
		 " (is nf_tables available in this kernel?)" : "");
}

/* libnftables' JSON and nfnetlink's payloads from one generation. */
static int read_consistent(struct lnw_nfnl_ruleset *nl, char **json, char *err, size_t len)
{
	unsigned int gen0, gen1;
	int ret, attempt;

	for (attempt = 0; attempt < GEN_RETRIES; attempt++) {
		ret = lnw_nfnl_genid(&gen0);
		if (ret) {
			nfnl_error(ret, err, len);
			return ret;
		}
		ret = lnw_nfnl_read(nl);
		if (ret) {
			nfnl_error(ret, err, len);
			return ret;
		}
		ret = list_ruleset(nl, json, err, len);
		if (!ret)
			ret = lnw_nfnl_genid(&gen1);
		if (ret) {
			if (!err[0])
				nfnl_error(ret, err, len);
			lnw_nfnl_free(nl);
			free(*json);
			*json = NULL;
			return ret;
		}
		if (gen0 == gen1)
			return 0;
		lnw_nfnl_free(nl);
		free(*json);
		*json = NULL;
	}
	snprintf(err, len, "the nftables ruleset changed %d times while it was read",
		 GEN_RETRIES);
	return -EAGAIN;
}

/* iptables-legacy keeps its rules outside nf_tables, out of our sight.
 * True when its nat table is among them. */
static bool read_legacy_tables(char *out, size_t len)
{
	FILE *f = fopen("/proc/net/ip_tables_names", "re");
	bool nat = false;
	char line[64];
	size_t o = 0;

	out[0] = '\0';
	if (!f)
		return false; /* ip_tables not loaded: there are none */
	while (fgets(line, sizeof(line), f) && o + 2 < len) {
		line[strcspn(line, "\n")] = '\0';
		nat |= !strcmp(line, "nat");
		o += (size_t)snprintf(out + o, len - o, "%s%s", o ? "," : "", line);
	}
	fclose(f);
	return nat;
}

/* iptables-legacy's nat table: entries past its empty built-in chains (a
 * policy each, and the table's end). Its DNATs are out of our sight, and
 * one may take 127.x (Docker's on a legacy host), so any entry there means
 * the audit cannot say "nothing exposed". Any inet socket reaches the
 * xtables getsockopt (CAP_NET_ADMIN); a raw one would need CAP_NET_RAW. */
static int legacy_nat_rules(void)
{
	struct ipt_getinfo info = { .name = "nat" };
	socklen_t len = sizeof(info);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), ret;

	if (fd < 0)
		return -errno;
	ret = getsockopt(fd, IPPROTO_IP, IPT_SO_GET_INFO, &info, &len) ? -errno :
	      (int)info.num_entries - __builtin_popcount(info.valid_hooks) - 1;
	close(fd);
	return ret;
}

int lnw_nft_compile_json(const char *json, const struct lnw_nfnl_ruleset *nl,
			 struct lnw_nft_ruleset *rs, char *err, size_t len)
{
	struct lnw_nft_compile cx = { .rs = rs, .nl = nl, .no_elems = json_object_new_array() };
	json_object *root;
	int ret;

	memset(rs, 0, sizeof(*rs));
	if (!cx.no_elems) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	root = json_tokener_parse(json);
	cx.items = lnw_jget(root, "nftables");
	if (!json_object_is_type(cx.items, json_type_array)) {
		snprintf(err, len, "libnftables returned JSON without an \"nftables\" array");
		ret = -EPROTO;
	} else {
		ret = compile_all(&cx);
		if (ret)
			snprintf(err, len, "compiling the nftables ruleset: %s", strerror(-ret));
	}
	json_object_put(root);
	json_object_put(cx.no_elems);
	lnw_nft_written_free(&cx);
	if (ret)
		lnw_nft_free(rs);
	return ret;
}

int lnw_nft_load(struct lnw_nft_ruleset *rs, char *err, size_t len)
{
	struct lnw_nfnl_ruleset nl;
	char *json = NULL;
	int ret;

	memset(rs, 0, sizeof(*rs));
	err[0] = '\0';
	ret = read_consistent(&nl, &json, err, len);
	if (ret)
		return ret;
	ret = lnw_nft_compile_json(json, &nl, rs, err, len);
	free(json);
	if (!ret)
		dormant_tables(&nl, rs->dormant_tables, sizeof(rs->dormant_tables));
	lnw_nfnl_free(&nl);
	if (ret)
		return ret;
	if (read_legacy_tables(rs->legacy_tables, sizeof(rs->legacy_tables)))
		rs->legacy_nat_rules = legacy_nat_rules();
	return 0;
}

void lnw_nft_free(struct lnw_nft_ruleset *rs)
{
	int i;

	for (i = 0; i < rs->n_chains; i++)
		chain_free(&rs->chains[i]);
	free(rs->chains);
	memset(rs, 0, sizeof(*rs));
}

void lnw_nft_rule_where(const struct lnw_nft_rule *r, char *buf, size_t len)
{
	if (r->chain->iptables)
		snprintf(buf, len, "%s %s %s #%d", r->chain->family, r->chain->table,
			 r->chain->name, r->line);
	else
		snprintf(buf, len, "%s %s %s #%llu", r->chain->family, r->chain->table,
			 r->chain->name, r->handle);
}

/* ---- DNAT paths -------------------------------------------------------------- */

/* Jumps that fan out (k rules to the next chain, 16 deep: k^16 paths) are
 * the kernel's to accept, not ours to enumerate: bounded, and said. */
#define MAX_WALK_RULES (1 << 22)

struct path_walk {
	struct lnw_nft_path cur;
	struct lnw_nft_path *v;
	int n;
	size_t cap;
	long walked;  /* rules visited so far, all paths */
};

static int walk_nat(struct path_walk *w, const struct lnw_nft_chain *c)
{
	int i, ret;

	for (i = 0; i < c->n_rules; i++) {
		const struct lnw_nft_rule *r = &c->rules[i];

		if (++w->walked > MAX_WALK_RULES || w->n >= LNW_NFT_MAX_PATHS)
			return -E2BIG;

		if ((r->verdict == LNW_V_JUMP || r->verdict == LNW_V_GOTO) && r->target &&
		    w->cur.n_via < LNW_NFT_MAX_DEPTH) {
			w->cur.via[w->cur.n_via++] = r;
			ret = walk_nat(w, r->target);
			w->cur.n_via--;
			if (ret)
				return ret;
		}
		/* a redirect goes to the receiving interface's own address,
		 * never to 127.0.0.0/8, but a 127.x destination may take it */
		if (r->verdict != LNW_V_NAT ||
		    (r->nat.kind != LNW_NAT_DNAT && r->nat.kind != LNW_NAT_REDIRECT))
			continue;
		if (lnw_grow(&w->v, &w->cap, (size_t)w->n + 1, sizeof(*w->v)))
			return -ENOMEM;
		w->cur.rule = r;
		w->v[w->n++] = w->cur;
	}
	return 0;
}

int lnw_nft_dnat_paths(const struct lnw_nft_ruleset *rs, const char *hook,
		       struct lnw_nft_path **out)
{
	struct path_walk w = { 0 };
	int i, ret = 0;

	*out = NULL;
	for (i = 0; i < rs->n_chains && !ret; i++) {
		const struct lnw_nft_chain *c = &rs->chains[i];

		if (!c->base || strcmp(c->hook_name, hook) || strcmp(c->type, "nat") ||
		    !strcmp(c->family, "netdev"))
			continue;
		w.cur.base = c;
		ret = walk_nat(&w, c);
	}
	if (ret) {
		free(w.v);
		return ret;
	}
	*out = w.v;
	return w.n;
}

/* Is to at most LNW_NFT_MAX_DEPTH jumps from from? Breadth first, each
 * chain once: a walk of every path is exponential in fan-out. */
static bool reaches(const struct lnw_nft_ruleset *rs, const struct lnw_nft_chain *from,
		    const struct lnw_nft_chain *to)
{
	int *depth = malloc(sizeof(*depth) * (size_t)rs->n_chains), *queue;
	int head = 0, tail = 0, i, c;
	bool found = from == to;

	queue = malloc(sizeof(*queue) * (size_t)rs->n_chains);
	if (found || !depth || !queue)
		goto cleanup;
	for (i = 0; i < rs->n_chains; i++)
		depth[i] = -1;
	c = (int)(from - rs->chains);
	depth[c] = 0;
	queue[tail++] = c;
	while (head < tail && !found) {
		const struct lnw_nft_chain *ch = &rs->chains[queue[head++]];

		if (depth[ch - rs->chains] >= LNW_NFT_MAX_DEPTH)
			continue;
		for (i = 0; i < ch->n_rules && !found; i++) {
			const struct lnw_nft_rule *r = &ch->rules[i];

			if ((r->verdict != LNW_V_JUMP && r->verdict != LNW_V_GOTO) || !r->target)
				continue;
			c = (int)(r->target - rs->chains);
			if (depth[c] >= 0)
				continue;
			depth[c] = depth[ch - rs->chains] + 1;
			queue[tail++] = c;
			found = r->target == to;
		}
	}
cleanup:
	free(depth);
	free(queue);
	return found;
}

const struct lnw_nft_chain *lnw_nft_input_base_of(const struct lnw_nft_ruleset *rs,
						  const struct lnw_nft_chain *chain)
{
	int i;

	for (i = 0; i < rs->n_chains; i++) {
		const struct lnw_nft_chain *c = &rs->chains[i];

		if (c->base && (c->hook == LNW_HOOK_INGRESS || c->hook == LNW_HOOK_PREROUTING ||
				c->hook == LNW_HOOK_INPUT) &&
		    !strcmp(c->type, "filter") && reaches(rs, c, chain))
			return c;
	}
	return NULL;
}

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * What the unit test programs share (tests/unit/test_*.c, one program
 * each): the run() wrapper around tests/check.h, failure-message helpers,
 * events and their JSON, and the captured nftables fixtures. Header-only:
 * every helper is static and may go unused in a program.
 *
 * Output protocol (tests/check.h, counted by tests/run-all.sh), one line
 * per test case; a program exits 1 if any case failed, else 0.
 */
#ifndef LNW_TESTS_UNIT_H
#define LNW_TESTS_UNIT_H

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include <linux/types.h>
#include <net/if.h>

#include "lnwatch.h"
#include "audit/fw.h"
#include "audit/matrix.h"
#include "audit/net.h"
#include "audit/sockets.h"
#include "audit/nft/nfnl.h"
#include "audit/nft/ruleset.h"
#include "lib/sysctl.h"
#include "watch/event_line.h"
#include "check.h"
#include "testutil.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Each program uses some of what follows. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"

/* ---- harness: tests/check.h ------------------------------------------- */

static void run(const char *name, void (*fn)(void))
{
	begin();
	fn();
	end(name);
}

/* Bytes as C escapes, for failure messages; a few rotating buffers. */
static const char *esc(const char *s)
{
	static char bufs[4][512];
	static int which;
	char *b = bufs[which++ % 4];
	size_t o = 0;

	for (; *s && o + 5 < sizeof(bufs[0]); s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f && c != '\\')
			b[o++] = (char)c;
		else
			o += (size_t)snprintf(b + o, sizeof(bufs[0]) - o, "\\x%02x", c);
	}
	b[o] = '\0';
	return b;
}

/* Strict UTF-8 (RFC 3629): no overlongs, surrogates or > U+10FFFF. */
static bool utf8_valid(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		unsigned char c = s[0], lo = 0x80, hi = 0xbf;
		int n, i;

		if (c < 0x80) {
			s++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 2;
		else if (c >= 0xe0 && c <= 0xef)
			n = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 4;
		else
			return false;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
		else if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
		if (s[1] < lo || s[1] > hi)
			return false;
		for (i = 2; i < n; i++)
			if ((s[i] & 0xc0) != 0x80)
				return false;
		s += n;
	}
	return true;
}

struct unit_case {
	const char *name;
	void (*fn)(void);
};

/* Every case in order, in UTC; the program's exit status. */
static int run_all(const struct unit_case *tests, size_t n)
{
	size_t i;

	setenv("TZ", "UTC", 1);
	tzset();
	for (i = 0; i < n; i++)
		run(tests[i].name, tests[i].fn);
	return n_failed ? 1 : 0;
}

/* Cases whose expected answer is the right one but not yet the code's:
 * kept out of the suite (which must pass), run with LNW_UNIT_KNOWN_WRONG=1.
 * Their failures are the bug reports. */
static int run_known_wrong(const struct unit_case *tests, size_t n)
{
	const char *on = getenv("LNW_UNIT_KNOWN_WRONG");
	int before = n_failed;
	size_t i;

	if (!on || strcmp(on, "1"))
		return 0;
	for (i = 0; i < n; i++)
		run(tests[i].name, tests[i].fn);
	return n_failed != before;
}

/* ---- events ------------------------------------------------------------ */

#define WALL_NS 1700000000123456789LL /* 2023-11-14T22:13:20.123456789Z */
#define LINE_LEN 512

static struct lnw_event mk_event(const char *src, __u16 sport, const char *dst,
				 __u16 dport, __u8 proto, __u8 verdict)
{
	struct lnw_event e = {
		.ts_ns = 123456789, .netns = 4026531840u, .ifindex = 3,
		.saddr = ip4(src), .daddr = ip4(dst), .sport = sport,
		.dport = dport, .proto = proto, .verdict = verdict, .len = 42,
	};

	return e;
}

static void set_nat(struct lnw_event *e, const char *orig, __u16 oport, __u8 how)
{
	e->orig_daddr = ip4(orig);
	e->orig_dport = oport;
	e->orig_src = how;
}

static void set_flags(struct lnw_event *e, __u8 all, __u8 dev, __u8 eff)
{
	e->rl_all = all;
	e->rl_dev = dev;
	e->rl_eff = eff;
}

static void fmt_line(const struct lnw_event *e, const char *ifname,
		     const char *reason, bool wide, char *buf)
{
	struct lnw_event_view v = {
		.ev = e, .ifname = ifname, .reason = reason, .wall_ns = WALL_NS,
	};

	memset(buf, 0, LINE_LEN);
	lnw_format_event_line(&v, wide, buf, LINE_LEN);
}

/* ---- JSON ---------------------------------------------------------------- */

/* Serialize as the tool does, check the text, parse it back (strictly). */
static json_object *roundtrip(json_object *obj)
{
	const char *s = json_object_to_json_string_ext(obj,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	struct json_tokener *tok = json_tokener_new();
	json_object *back = NULL;
	size_t i, len = s ? strlen(s) : 0;

	CHECK(s != NULL, "serialization failed");
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20) {
			CHECK(false, "raw control byte %#x at %zu: %s",
			      (unsigned char)s[i], i, esc(s));
			break;
		}
	CHECK(!s || utf8_valid(s), "not UTF-8: %s", esc(s));
	if (s && tok) {
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
					    JSON_TOKENER_VALIDATE_UTF8);
		back = json_tokener_parse_ex(tok, s, (int)len);
		CHECK(back && json_tokener_get_error(tok) == json_tokener_success &&
		      json_tokener_get_parse_end(tok) == len,
		      "invalid JSON (%s): %s",
		      json_tokener_error_desc(json_tokener_get_error(tok)), esc(s));
	}
	/* the permissive parser the brief names must agree */
	if (s) {
		json_object *loose = json_tokener_parse(s);

		CHECK(loose != NULL, "json_tokener_parse failed: %s", esc(s));
		json_object_put(loose);
	}
	json_tokener_free(tok);
	json_object_put(obj);
	return back;
}

/* The value at a dotted path; *present says whether the key exists. */
static json_object *jget(json_object *root, const char *path, bool *present)
{
	char buf[128], *save = NULL, *key;
	json_object *cur = root;

	*present = false;
	snprintf(buf, sizeof(buf), "%s", path);
	for (key = strtok_r(buf, ".", &save); key; key = strtok_r(NULL, ".", &save)) {
		json_object *next = NULL;

		if (!cur || !json_object_is_type(cur, json_type_object) ||
		    !json_object_object_get_ex(cur, key, &next))
			return NULL;
		cur = next;
	}
	*present = true;
	return cur;
}

static void want_str(json_object *root, const char *path, const char *want)
{
	bool present;
	json_object *v = jget(root, path, &present);
	const char *got = json_object_is_type(v, json_type_string) ?
			  json_object_get_string(v) : NULL;

	CHECK(present, "%s missing", path);
	CHECK(got && !strcmp(got, want), "%s = %s, want \"%s\"", path,
	      esc(v ? json_object_to_json_string(v) : "null"), esc(want));
}

static void want_uint(json_object *root, const char *path, uint64_t want)
{
	bool present;
	json_object *v = jget(root, path, &present);

	CHECK(present, "%s missing", path);
	CHECK(json_object_is_type(v, json_type_int) &&
	      json_object_get_uint64(v) == want, "%s = %s, want %llu", path,
	      v ? json_object_to_json_string(v) : "null",
	      (unsigned long long)want);
}

static void want_bool(json_object *root, const char *path, bool want)
{
	bool present;
	json_object *v = jget(root, path, &present);

	CHECK(present && json_object_is_type(v, json_type_boolean) &&
	      json_object_get_boolean(v) == want, "%s = %s, want %s", path,
	      v ? json_object_to_json_string(v) : "null/missing",
	      want ? "true" : "false");
}

static void want_null(json_object *root, const char *path)
{
	bool present;
	json_object *v = jget(root, path, &present);

	CHECK(present && v == NULL, "%s = %s, want null", path,
	      present ? json_object_to_json_string(v) : "(missing)");
}

static void want_absent(json_object *root, const char *path)
{
	bool present;

	jget(root, path, &present);
	CHECK(!present, "%s present, want absent", path);
}

static json_object *event_json(const struct lnw_event *e, const char *ifname,
			       const char *reason)
{
	struct lnw_event_view v = {
		.ev = e, .ifname = ifname, .reason = reason, .wall_ns = WALL_NS,
	};

	return roundtrip(lnw_event_json(&v));
}

/* ---- fixtures: captured `nft -j list ruleset` documents ------------------ */

/*
 * tests/unit/fixtures/NAME: in $LNW_FIXTURES, else in tests/unit/fixtures of
 * the current directory (the suite runs from the repo root), else next to
 * the test's source (gcc's __FILE__, "tests/unit/test_x.c" from the root).
 * capture.sh there says how they were made. src: the caller's __FILE__.
 * The text, malloc'ed, or NULL.
 */
static char *fixture_read_file(const char *dir, size_t dir_len, const char *name)
{
	char path[512];
	char *buf = NULL;
	long len;
	FILE *f;

	if (snprintf(path, sizeof(path), "%.*s/%s", (int)dir_len, dir, name) >= (int)sizeof(path))
		return NULL;
	f = fopen(path, "re");
	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (len = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
	    (buf = malloc((size_t)len + 1)) && fread(buf, 1, (size_t)len, f) == (size_t)len) {
		buf[len] = '\0';
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static char *fixture_read_at(const char *src, const char *name)
{
	static const char rel[] = "tests/unit/fixtures";
	const char *env = getenv("LNW_FIXTURES"), *slash = strrchr(src, '/');
	char *text = NULL, here[512];

	if (env && *env)
		text = fixture_read_file(env, strlen(env), name);
	if (!text)
		text = fixture_read_file(rel, strlen(rel), name);
	if (!text && slash) {
		snprintf(here, sizeof(here), "%.*s/fixtures", (int)(slash - src), src);
		text = fixture_read_file(here, strlen(here), name);
	}
	CHECK(text, "fixture %s not found (LNW_FIXTURES, ./%s, next to %s)", name, rel, src);
	return text;
}

/* ---- the compiled ruleset --------------------------------------------------- */

/* Compile fixture NAME.json with nl (NULL: nothing from nfnetlink). */
#define fx_load(name, nl, rs) fx_load_at(__FILE__, name, nl, rs)

static bool fx_load_at(const char *src, const char *name, const struct lnw_nfnl_ruleset *nl,
		       struct lnw_nft_ruleset *rs)
{
	static const struct lnw_nfnl_ruleset none;
	char file[128], err[256] = "";
	char *json;
	int ret;

	memset(rs, 0, sizeof(*rs));
	snprintf(file, sizeof(file), "%s.json", name);
	json = fixture_read_at(src, file);
	if (!json)
		return false;
	ret = lnw_nft_compile_json(json, nl ? nl : &none, rs, err, sizeof(err));
	free(json);
	CHECK(ret == 0, "%s: compile -> %d (%s)", name, ret, err);
	return ret == 0;
}

static const struct lnw_nft_chain *fx_chain(const struct lnw_nft_ruleset *rs,
					    const char *family, const char *table,
					    const char *name)
{
	int i;

	for (i = 0; i < rs->n_chains; i++)
		if (!strcmp(rs->chains[i].family, family) && !strcmp(rs->chains[i].table, table) &&
		    !strcmp(rs->chains[i].name, name))
			return &rs->chains[i];
	CHECK(false, "no chain %s %s %s", family, table, name);
	return NULL;
}

/* The nth (0: first) rule compiled from handle h: a map makes several. */
static const struct lnw_nft_rule *fx_rule(const struct lnw_nft_chain *c, unsigned long long h,
					  int nth)
{
	int i;

	for (i = 0; c && i < c->n_rules; i++)
		if (c->rules[i].handle == h && nth-- == 0)
			return &c->rules[i];
	CHECK(false, "chain %s: no rule #%llu", c ? c->name : "(none)", h);
	return NULL;
}

/* A match's values as text: "22,9090", "10.0.0.0-10.255.255.255", names
 * as "lo,veth*"; "" when it has none. */
static const char *fx_values(const struct lnw_nft_match *m)
{
	static char buf[4][256];
	static int which;
	char *b = buf[which++ % 4], a[INET_ADDRSTRLEN], z[INET_ADDRSTRLEN];
	bool addr = m->key == LNW_KEY_SADDR || m->key == LNW_KEY_DADDR;
	size_t o = 0;
	int i;

	b[0] = '\0';
	for (i = 0; i < m->n_names && o < sizeof(buf[0]); i++)
		o += (size_t)snprintf(b + o, sizeof(buf[0]) - o, "%s%s", i ? "," : "", m->names[i]);
	for (i = 0; i < m->n_ranges && o < sizeof(buf[0]); i++) {
		const struct lnw_range *r = &m->ranges[i];

		if (addr) {
			inet_ntop(AF_INET, &(struct in_addr){ htonl(r->lo) }, a, sizeof(a));
			inet_ntop(AF_INET, &(struct in_addr){ htonl(r->hi) }, z, sizeof(z));
		} else {
			snprintf(a, sizeof(a), "%u", r->lo);
			snprintf(z, sizeof(z), "%u", r->hi);
		}
		o += (size_t)snprintf(b + o, sizeof(buf[0]) - o, "%s%s%s%s", i ? "," : "", a,
				      r->lo == r->hi ? "" : "-", r->lo == r->hi ? "" : z);
	}
	return b;
}

/* Does r's match i compare key with op against values (fx_values)? */
#define MATCH_IS(r, i, k, o, vals) \
	CHECK((r) && (i) < (r)->n_m && (r)->m[i].key == (k) && (r)->m[i].op == (o) && \
	      !strcmp(fx_values(&(r)->m[i]), vals), \
	      "#%llu match %d: key %d op %d values '%s' (%s), want key %d op %d '%s'", \
	      (r) ? (r)->handle : 0, i, (r) && (i) < (r)->n_m ? (int)(r)->m[i].key : -1, \
	      (r) && (i) < (r)->n_m ? (int)(r)->m[i].op : -1, \
	      (r) && (i) < (r)->n_m ? fx_values(&(r)->m[i]) : "-", \
	      (r) && (i) < (r)->n_m && (r)->m[i].text ? (r)->m[i].text : "-", k, o, vals)

/* ---- what nfnetlink adds: xt payloads, ingress devices (hand-built) ------- */

/* Append -m/-j NAME (its struct as the kernel holds it) to rule #handle of
 * an ip table, in the order nft lists the rule's xt statements. */
static void nl_xt(struct lnw_nfnl_ruleset *nl, const char *table, const char *chain,
		  unsigned long long handle, bool target, const char *name, unsigned int rev,
		  const void *info, size_t len)
{
	struct lnw_nfnl_rule *r = NULL;
	struct lnw_nfnl_xt *v;
	size_t i;

	for (i = 0; i < nl->n_rules && !r; i++)
		if (nl->rules[i].handle == handle && !strcmp(nl->rules[i].table, table) &&
		    !strcmp(nl->rules[i].chain, chain))
			r = &nl->rules[i];
	if (!r) {
		if (!(r = realloc(nl->rules, (nl->n_rules + 1) * sizeof(*r))))
			abort();
		nl->rules = r;
		nl->cap_rules = nl->n_rules + 1;
		r = &nl->rules[nl->n_rules++];
		*r = (struct lnw_nfnl_rule){ .family = 2 /* NFPROTO_IPV4 */, .handle = handle,
					     .table = strdup(table), .chain = strdup(chain) };
	}
	if (!(v = realloc(r->xt, (size_t)(r->n_xt + 1) * sizeof(*v))))
		abort();
	r->xt = v;
	v = &r->xt[r->n_xt++];
	*v = (struct lnw_nfnl_xt){ .target = target, .rev = rev, .info_len = len,
				   .info = malloc(len ? len : 1) };
	snprintf(v->name, sizeof(v->name), "%s", name);
	if (!v->info)
		abort();
	memcpy(v->info, info, len);
}

/* A device-bound chain (libnftables 1.0's JSON leaves its devices out). */
static void nl_devs(struct lnw_nfnl_ruleset *nl, unsigned char family, const char *table,
		    const char *chain, const char *dev)
{
	struct lnw_nfnl_chain *c = realloc(nl->chains, (nl->n_chains + 1) * sizeof(*c));

	if (!c)
		abort();
	nl->chains = c;
	nl->cap_chains = nl->n_chains + 1;
	c = &nl->chains[nl->n_chains++];
	memset(c, 0, sizeof(*c));
	c->family = family;
	c->table = strdup(table);
	c->chain = strdup(chain);
	c->devs = calloc(1, sizeof(*c->devs));
	if (!c->devs)
		abort();
	c->devs[0] = strdup(dev);
	c->n_devs = 1;
}

/* lnw_nfnl_rule_find() bisects: rules in its order (handle, family, table, chain). */
static int nl_rule_cmp(const void *a, const void *b)
{
	const struct lnw_nfnl_rule *x = a, *y = b;
	int d;

	if (x->handle != y->handle)
		return x->handle < y->handle ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	d = strcmp(x->table, y->table);
	return d ? d : strcmp(x->chain, y->chain);
}

static void nl_done(struct lnw_nfnl_ruleset *nl)
{
	if (nl->n_rules)
		qsort(nl->rules, nl->n_rules, sizeof(*nl->rules), nl_rule_cmp);
}

/* ---- a network namespace, by hand ------------------------------------------ */

/* lo, eth0 10.0.0.1/24, eth1 10.98.0.1/24, wg0 10.8.0.1/24, docker0
 * 172.17.0.1/16 (ifindex 1..5); every knob 0 until net_set(). */
struct net_fx {
	struct lnw_audit_net net;
	struct lnw_audit_iface ifs[5];
	struct lnw_addr4 addrs[5];
};

static void net_init(struct net_fx *n)
{
	static const struct { const char *name, *addr; unsigned char plen; } d[] = {
		{ "lo", "127.0.0.1", 8 }, { "eth0", "10.0.0.1", 24 }, { "eth1", "10.98.0.1", 24 },
		{ "wg0", "10.8.0.1", 24 }, { "docker0", "172.17.0.1", 16 },
	};
	int i;

	memset(n, 0, sizeof(*n));
	for (i = 0; i < 5; i++) {
		n->ifs[i].link.ifindex = i + 1;
		snprintf(n->ifs[i].link.name, sizeof(n->ifs[i].link.name), "%s", d[i].name);
		n->ifs[i].link.flags = i ? 0 : IFF_LOOPBACK;
		n->ifs[i].ipv4 = true;
		n->addrs[i].ifindex = i + 1;
		n->addrs[i].addr.s_addr = ip4(d[i].addr);
		n->addrs[i].prefixlen = d[i].plen;
		n->ifs[i].addrs = &n->addrs[i];
		n->ifs[i].n_addrs = 1;
	}
	n->net.ifs = n->ifs;
	n->net.n_ifs = 5;
	n->net.addrs = n->addrs;
	n->net.n_addrs = 5;
}

/* net.ipv4.conf.DIR.KNOB = v ("all", "default" or a device); effective
 * values follow, as the kernel computes them. */
static void net_set(struct net_fx *n, const char *dir, enum lnw_conf_knob knob, int v)
{
	int i, k;

	if (!strcmp(dir, "all"))
		n->net.all[knob] = v;
	else if (!strcmp(dir, "default"))
		n->net.dflt[knob] = v;
	for (i = 0; i < 5; i++) {
		if (!strcmp(dir, n->ifs[i].link.name))
			n->ifs[i].dev[knob] = v;
		for (k = 0; k < LNW_CONF_N; k++)
			n->ifs[i].eff[k] = lnw_conf_effective((enum lnw_conf_knob)k, n->net.all[k],
							      n->ifs[i].dev[k]);
	}
}

static const struct lnw_audit_iface *net_if(const struct net_fx *n, const char *name)
{
	int i;

	for (i = 0; i < 5; i++)
		if (!strcmp(n->ifs[i].link.name, name))
			return &n->ifs[i];
	return NULL;
}

static const char *const fate_names[] = { "passes", "may-drop", "drops" }; /* lnw_fw_fate */
static const char *const tv_names[] = { "no", "yes", "maybe" };             /* lnw_tv */

/* A neighbour's first packet on iifname to daddr:dport (host order). */
static struct lnw_fw_flow flow_to(const struct net_fx *n, const char *iifname,
				  unsigned char proto, const char *daddr, uint16_t dport,
				  bool spoof)
{
	struct lnw_fw_flow f;

	lnw_fw_flow_direct(&f, &n->net, iifname, proto, ntohl(ip4(daddr)), dport, spoof);
	return f;
}

/* The same, DNAT'd on the way from wire_daddr:wire_dport. */
static struct lnw_fw_flow flow_dnat(const struct net_fx *n, const char *iifname,
				    unsigned char proto, const char *wire_daddr,
				    uint16_t wire_dport, const char *daddr, uint16_t dport)
{
	struct lnw_fw_flow f = flow_to(n, iifname, proto, daddr, dport, false);

	lnw_rset_one(&f.daddr_wire, ntohl(ip4(wire_daddr)), ntohl(ip4(wire_daddr)));
	lnw_rset_one(&f.dport_wire, wire_dport, wire_dport);
	f.dnat = true;
	return f;
}

/* ---- sockets and the audit's analysis ------------------------------------------ */

/* udp 127.0.0.1:5000, tcp 127.0.0.1:5001, tcp 0.0.0.0:22, udp 127.0.0.53:53
 * and tcp 127.0.0.1:8000 bound to eth1, their owners looked up (none): the
 * analysis reads no /proc. */
struct socks_fx {
	struct lnw_audit_sock v[5];
	struct lnw_audit_socks s;
};

static void socks_init(struct socks_fx *x)
{
	static const struct { unsigned char proto; const char *addr; unsigned short port; } d[] = {
		{ IPPROTO_UDP, "127.0.0.1", 5000 }, { IPPROTO_TCP, "127.0.0.1", 5001 },
		{ IPPROTO_TCP, "0.0.0.0", 22 }, { IPPROTO_UDP, "127.0.0.53", 53 },
		{ IPPROTO_TCP, "127.0.0.1", 8000 },
	};
	size_t i;

	memset(x, 0, sizeof(*x));
	for (i = 0; i < N(d); i++)
		x->v[i] = (struct lnw_audit_sock){ .proto = d[i].proto, .port = d[i].port,
						   .addr.s_addr = ip4(d[i].addr),
						   .owner_looked_up = true, .owner.pid = -1 };
	x->v[4].bound_ifindex = 3;
	x->s = (struct lnw_audit_socks){ .v = x->v, .n = N(d), .cap = N(d) };
}

/* The exposure row of ifname x proto port, or NULL. */
static const struct lnw_exposure_row *row_of(const struct lnw_audit_report *rep,
					     const char *ifname, unsigned char proto,
					     unsigned short port)
{
	int i;

	for (i = 0; i < rep->n_rows; i++)
		if (!strcmp(rep->rows[i].iface->link.name, ifname) &&
		    rep->rows[i].sock->proto == proto && rep->rows[i].sock->port == port)
			return &rep->rows[i];
	return NULL;
}

#pragma GCC diagnostic pop

#endif

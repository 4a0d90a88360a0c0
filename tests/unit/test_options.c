// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of the command line's validators (user/watch/options.h) and
 * the verdict names --verdict takes. No kernel, no BPF.
 */
#include "unit.h"
#include <argp.h>
#include "watch/options.h"
#include "watch/verdict.h"

/* ---- options ----------------------------------------------------------- */

static void t_seconds_accepts(void)
{
	static const struct { const char *in; double want; } ok[] = {
		{ "1", 1.0 }, { "0.5", 0.5 }, { "3600", 3600.0 },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		double v = -1;
		int r = lnw_parse_seconds(ok[i].in, &v);

		CHECK(r == 0, "'%s' rejected (%d)", ok[i].in, r);
		CHECK(r != 0 || v == ok[i].want, "'%s' -> %g, want %g",
		      ok[i].in, v, ok[i].want);
	}
}

static void t_seconds_rejects(void)
{
	static const char *const bad[] = {
		"", "0", "-1", "abc", "1x", "nan", "inf", "1e9", "0.0", "-0",
		"1e99", "604801", " 1", "1 ", "\t1", "1\n", " ",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double v = 42.0;
		int r = lnw_parse_seconds(bad[i], &v);

		CHECK(r == -EINVAL, "'%s' -> %d, want -EINVAL", bad[i], r);
		CHECK(v == 42.0, "'%s' rejected but wrote %g", bad[i], v);
	}
	CHECK(lnw_parse_seconds(NULL, &(double){0}) == -EINVAL, "NULL accepted");
}

static void t_uint_bounds(void)
{
	static const struct {
		const char *in; unsigned int min, max; int ret; unsigned int want;
	} cases[] = {
		{ "4", 4, 1048576, 0, 4 },
		{ "1048576", 4, 1048576, 0, 1048576 },
		{ "1024", 4, 1048576, 0, 1024 },
		{ "3", 4, 1048576, -EINVAL, 0 },
		{ "1048577", 4, 1048576, -EINVAL, 0 },
		{ "0", 0, 10, 0, 0 },
		{ "4294967295", 0, UINT_MAX, 0, UINT_MAX },
		{ "4294967296", 0, UINT_MAX, -EINVAL, 0 },
		{ "99999999999999999999999", 0, UINT_MAX, -EINVAL, 0 },
		{ "", 0, 10, -EINVAL, 0 },
		{ "-1", 0, UINT_MAX, -EINVAL, 0 },
		{ "+1", 0, 10, -EINVAL, 0 },
		{ "12a", 0, 100, -EINVAL, 0 },
		{ "0x10", 0, 100, -EINVAL, 0 },
		{ "1.5", 0, 100, -EINVAL, 0 },
		{ " 80", 1, 65535, -EINVAL, 0 },
		{ "80 ", 1, 65535, -EINVAL, 0 },
		{ "\t80", 1, 65535, -EINVAL, 0 },
		{ "80\n", 1, 65535, -EINVAL, 0 },
		{ " ", 0, 10, -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int v = 12345;
		int r = lnw_parse_uint(cases[i].in, cases[i].min, cases[i].max, &v);

		CHECK(r == cases[i].ret, "'%s' [%u,%u] -> %d, want %d", cases[i].in,
		      cases[i].min, cases[i].max, r, cases[i].ret);
		if (r == 0 && cases[i].ret == 0)
			CHECK(v == cases[i].want, "'%s' -> %u, want %u",
			      cases[i].in, v, cases[i].want);
		if (r != 0)
			CHECK(v == 12345, "'%s' rejected but wrote %u", cases[i].in, v);
	}
	CHECK(lnw_parse_uint(NULL, 0, 10, &(unsigned int){0}) == -EINVAL,
	      "NULL accepted");
}

static void t_fallbacks_accepts(void)
{
	static const struct { const char *in; unsigned int want; } ok[] = {
		{ "clsact", LNW_FB_CLSACT },
		{ "addr-join", LNW_FB_ADDR_JOIN },
		{ "infer", LNW_FB_INFER },
		{ "clsact,addr-join,infer",
		  LNW_FB_CLSACT | LNW_FB_ADDR_JOIN | LNW_FB_INFER },
		{ "infer,clsact", LNW_FB_INFER | LNW_FB_CLSACT },
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		unsigned int v = 0x80;
		int r = lnw_parse_fallbacks(ok[i].in, &v);

		CHECK(r == 0, "'%s' rejected (%d)", ok[i].in, r);
		CHECK(r != 0 || v == ok[i].want, "'%s' -> %#x, want %#x",
		      ok[i].in, v, ok[i].want);
	}
}

static void t_fallbacks_rejects(void)
{
	static const char *const bad[] = {
		"", "foo", "clsact,", ",clsact", "clsact,,infer", ",",
		"clsactx", "clsac", "CLSACT", "clsact infer", "clsact,foo",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned int v = 0x80;
		int r = lnw_parse_fallbacks(bad[i], &v);

		CHECK(r == -EINVAL, "'%s' -> %d (bits %#x), want -EINVAL",
		      bad[i], r, v);
		CHECK(v == 0x80, "'%s' rejected but wrote %#x", bad[i], v);
	}
}

static void t_attach_mode(void)
{
	static const char *const bad[] = { "", "Auto", "tcx,clsact", "tcx ", "none" };
	enum lnw_attach_mode m = LNW_ATTACH_TCX;
	size_t i;

	CHECK(!lnw_parse_attach_mode("auto", &m) && m == LNW_ATTACH_AUTO, "auto -> %d", m);
	CHECK(!lnw_parse_attach_mode("clsact", &m) && m == LNW_ATTACH_CLSACT, "clsact -> %d", m);
	CHECK(!lnw_parse_attach_mode("tcx", &m) && m == LNW_ATTACH_TCX, "tcx -> %d", m);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = LNW_ATTACH_CLSACT;
		CHECK(lnw_parse_attach_mode(bad[i], &m) == -EINVAL && m == LNW_ATTACH_CLSACT,
		      "'%s' accepted or wrote %d", bad[i], m);
	}
	CHECK(lnw_parse_attach_mode(NULL, &m) == -EINVAL, "NULL accepted");
}

/* ---- names -------------------------------------------------------------- */

static void t_verdict_names(void)
{
	static const struct { unsigned int v; const char *want; } cases[] = {
		{ LNW_SEEN, "seen" },
		{ LNW_MARTIAN_DST, "martian-dst" },
		{ LNW_MARTIAN_SRC, "martian-src" },
		{ LNW_ACCEPT, "accept" },
		{ LNW_SEEN6, "seen6" },
		{ LNW_LO6_DST, "lo6-dst" },
		{ LNW_LO6_SRC, "lo6-src" },
		{ LNW_VERDICT_MAX, "unknown" },
		{ 200, "unknown" },
		{ UINT_MAX, "unknown" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = lnw_verdict_name(cases[i].v);

		CHECK(got && !strcmp(got, cases[i].want), "%u -> '%s', want '%s'",
		      cases[i].v, got ? got : "(null)", cases[i].want);
	}
	/* every real verdict has its own name */
	for (i = 0; i < LNW_VERDICT_MAX; i++)
		CHECK(strcmp(lnw_verdict_name((unsigned int)i), "unknown"),
		      "verdict %zu has no name", i);
}

/* ---- --source and --verdict ------------------------------------------- */

static void t_cidr_accepts(void)
{
	static const struct { const char *in, *net; unsigned int bits; } ok[] = {
		{ "10.0.0.0/8", "10.0.0.0", 0xff000000u },
		{ "192.168.1.0/24", "192.168.1.0", 0xffffff00u },
		{ "127.0.0.0/8", "127.0.0.0", 0xff000000u },
		{ "10.1.2.3", "10.1.2.3", 0xffffffffu },      /* no prefix: one host */
		{ "10.1.2.3/32", "10.1.2.3", 0xffffffffu },
		{ "255.255.255.255/32", "255.255.255.255", 0xffffffffu },
		{ "0.0.0.0/0", "0.0.0.0", 0 },                /* every address */
		{ "128.0.0.0/1", "128.0.0.0", 0x80000000u },
		{ "10.0.0.0/31", "10.0.0.0", 0xfffffffeu },
		{ "172.16.0.0/12", "172.16.0.0", 0xfff00000u },
	};
	size_t i;

	for (i = 0; i < N(ok); i++) {
		unsigned int net = 0x5a5a5a5a, mask = 0x5a5a5a5a;
		int r = lnw_parse_cidr(ok[i].in, &net, &mask);

		CHECK(r == 0, "'%s' rejected (%d)", ok[i].in, r);
		CHECK(r != 0 || (net == ip4(ok[i].net) && mask == htonl(ok[i].bits)),
		      "'%s' -> net %#x mask %#x, want %#x %#x", ok[i].in, ntohl(net),
		      ntohl(mask), ntohl(ip4(ok[i].net)), ok[i].bits);
	}
}

static void t_cidr_rejects(void)
{
	static const char *const bad[] = {
		"", "/8", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/+8",
		"10.0.0.0/x", "10.0.0.0/8x", "10.0.0.0/8 ", "10.0.0.0/8/8",
		"10.0.0.0/0x8", "10.0.0.0/4294967304", "10.0.0.0 /8", " 10.0.0.0/8",
		"10.0.0/8", "10/8", "10.0.0.0.0/8", "256.0.0.0/8", "a.b.c.d/8",
		"::1/128", "10.0.0.0/000000000000008",
		/* host bits under the mask: say what you mean */
		"10.1.2.3/8", "1.2.3.4/0", "10.0.0.1/31", "192.168.1.1/24",
	};
	size_t i;

	for (i = 0; i < N(bad); i++) {
		unsigned int net = 0x5a5a5a5a, mask = 0x5a5a5a5a;
		int r = lnw_parse_cidr(bad[i], &net, &mask);

		CHECK(r == -EINVAL, "'%s' -> %d, want -EINVAL", bad[i], r);
		CHECK(net == 0x5a5a5a5a, "'%s' rejected but wrote net %#x", bad[i], net);
	}
	CHECK(lnw_parse_cidr(NULL, &(unsigned int){0}, &(unsigned int){0}) == -EINVAL,
	      "NULL accepted");
}

static void t_listen_accepts(void)
{
	static const struct { const char *in; int family; const char *addr; unsigned int port; } ok[] = {
		{ "9862", AF_INET, "127.0.0.1", 9862 },
		{ "1", AF_INET, "127.0.0.1", 1 },
		{ "65535", AF_INET, "127.0.0.1", 65535 },
		{ "0.0.0.0:9100", AF_INET, "0.0.0.0", 9100 },
		{ "10.1.2.3:80", AF_INET, "10.1.2.3", 80 },
		{ "[::1]:9862", AF_INET6, "::1", 9862 },
		{ "[::]:9862", AF_INET6, "::", 9862 },
		{ "[fe80::1:2]:443", AF_INET6, "fe80::1:2", 443 },
	};
	char buf[INET6_ADDRSTRLEN];
	size_t i;

	for (i = 0; i < N(ok); i++) {
		struct sockaddr_storage ss;
		socklen_t len = 0;
		const void *a;
		unsigned int port;
		int r = lnw_parse_listen(ok[i].in, &ss, &len);

		CHECK(!r, "'%s' -> %d", ok[i].in, r);
		if (r)
			continue;
		CHECK(ss.ss_family == ok[i].family, "'%s': family %d", ok[i].in, ss.ss_family);
		if (ss.ss_family == AF_INET6) {
			a = &((struct sockaddr_in6 *)&ss)->sin6_addr;
			port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
			CHECK(len == sizeof(struct sockaddr_in6), "'%s': len %u", ok[i].in, len);
		} else {
			a = &((struct sockaddr_in *)&ss)->sin_addr;
			port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
			CHECK(len == sizeof(struct sockaddr_in), "'%s': len %u", ok[i].in, len);
		}
		inet_ntop(ss.ss_family, a, buf, sizeof(buf));
		CHECK(!strcmp(buf, ok[i].addr) && port == ok[i].port, "'%s' -> %s port %u",
		      ok[i].in, buf, port);
	}
}

static void t_listen_rejects(void)
{
	static const char *const bad[] = {
		"", "0", "65536", "-1", "+80", " 80", "80 ", "0x50", "80a", ":80",
		"127.0.0.1:", "127.0.0.1", "localhost:80", "1.2.3:80", "1.2.3.4.5:80",
		"256.0.0.1:80", "::1:80", "[::1]", "[::1]:", "[127.0.0.1]:80",
		"[::1:80", "::1]:80", "[]:80", "1.2.3.4:80:80", "[fe80::1%eth0]:80",
		"1.2.3.4: 80",
	};
	size_t i;

	for (i = 0; i < N(bad); i++) {
		struct sockaddr_storage ss;
		socklen_t len = 77;
		int r;

		memset(&ss, 0x5a, sizeof(ss));
		r = lnw_parse_listen(bad[i], &ss, &len);
		CHECK(r == -EINVAL, "'%s' -> %d, want -EINVAL", bad[i], r);
		CHECK(len == 77 && ss.ss_family == 0x5a5a, "'%s' rejected but written", bad[i]);
	}
	CHECK(lnw_parse_listen(NULL, &(struct sockaddr_storage){}, &(socklen_t){0}) == -EINVAL,
	      "NULL accepted");
}

static void t_verdicts_accepts(void)
{
	static const struct { const char *in; unsigned int want; } ok[] = {
		{ "seen", 1u << LNW_SEEN },
		{ "martian-dst", 1u << LNW_MARTIAN_DST },
		{ "martian-src", 1u << LNW_MARTIAN_SRC },
		{ "reply-refused", 1u << LNW_REPLY_REFUSED },
		{ "accept,drop", 1u << LNW_ACCEPT | 1u << LNW_DROP },
		{ "delivered,seen", 1u << LNW_DELIVERED | 1u << LNW_SEEN },
		{ "lo6-dst,lo6-src", 1u << LNW_LO6_DST | 1u << LNW_LO6_SRC },
		{ "seen,martian-dst,martian-src,accept,drop,delivered,reply-refused,"
		  "local-refused,dnat-exposed,seen6,lo6-dst,lo6-src",
		  (1u << LNW_VERDICT_MAX) - 1 },
		/* a name twice is the same filter */
		{ "drop,drop", 1u << LNW_DROP },
		{ "drop,accept,drop", 1u << LNW_DROP | 1u << LNW_ACCEPT },
	};
	size_t i;

	for (i = 0; i < N(ok); i++) {
		unsigned int v = 0x80000000u;
		int r = lnw_parse_verdicts(ok[i].in, &v);

		CHECK(r == 0, "'%s' rejected (%d)", ok[i].in, r);
		CHECK(r != 0 || v == ok[i].want, "'%s' -> %#x, want %#x", ok[i].in, v,
		      ok[i].want);
	}
}

static void t_verdicts_rejects(void)
{
	static const char *const bad[] = {
		"", ",", "drop,", ",drop", "drop,,accept", "unknown", "Drop", "DROP",
		"dro", "dropx", "drop accept", "drop, accept", "martian", "martian_dst",
		"drop,foo", "reply", "seen\n",
	};
	size_t i;

	for (i = 0; i < N(bad); i++) {
		unsigned int v = 0x80000000u;
		int r = lnw_parse_verdicts(bad[i], &v);

		CHECK(r == -EINVAL, "'%s' -> %d (bits %#x), want -EINVAL", esc(bad[i]), r, v);
		CHECK(v == 0x80000000u, "'%s' rejected but wrote %#x", esc(bad[i]), v);
	}
	CHECK(lnw_parse_verdicts(NULL, &(unsigned int){0}) == -EINVAL, "NULL accepted");
}

/* -d and -I: a week is the most, and exactly a week is fine. */
static void t_seconds_week(void)
{
	double v = 0;

	CHECK(lnw_parse_seconds("604800", &v) == 0 && v == LNW_MAX_SECONDS,
	      "a week refused (%g)", v);
}

/* "A.B.C.D/N" wants digits after the slash; strtoul() skips blanks. */
static void t_cidr_prefix_blank(void)
{
	static const char *const bad[] = { "10.0.0.0/ 8", "10.0.0.0/\t8", "10.0.0.0/\n8" };
	size_t i;

	for (i = 0; i < N(bad); i++) {
		unsigned int net = 0, mask = 0;

		CHECK(lnw_parse_cidr(bad[i], &net, &mask) == -EINVAL,
		      "'%s' accepted as mask %#x", esc(bad[i]), ntohl(mask));
	}
}

/* The other validators leave their output alone when they refuse. */
static void t_cidr_reject_keeps_mask(void)
{
	unsigned int net = 0x5a5a5a5a, mask = 0x5a5a5a5a;

	CHECK(lnw_parse_cidr("10.1.2.3/8", &net, &mask) == -EINVAL, "accepted");
	CHECK(mask == 0x5a5a5a5a, "rejected but wrote mask %#x", ntohl(mask));
}

/* The whole parse, as lnw_parse_args runs it but silent (the fuzz
 * target's entry): accepted argv fills the options, a refusal gives its
 * reason and stops there (65 -i: the 65th is never stored). */
static void t_options_parse_silent(void)
{
	char *ok_argv[] = { "lnwatch", "-i", "eth0", "-j", "-d", "10", "-p", "5000", NULL };
	char *bad_argv[] = { "lnwatch", "-d", "1e99", NULL };
	char *unknown_argv[] = { "lnwatch", "--bogus", NULL };
	char *many[2 + 2 * (LNW_MAX_IFACES + 1)], err[256];
	struct lnw_options o;
	int i, ret;

	ret = lnw_options_parse(8, ok_argv, ARGP_SILENT, &o, err, sizeof(err));
	CHECK(!ret && o.n_ifaces == 1 && !strcmp(o.ifaces[0], "eth0") && o.json &&
	      o.duration_s == 10 && o.port == 5000 && !err[0], "ok: %d '%s'", ret, err);
	ret = lnw_options_parse(3, bad_argv, ARGP_SILENT, &o, err, sizeof(err));
	CHECK(ret == -EINVAL && strstr(err, "invalid duration '1e99'"), "bad: %d '%s'", ret, err);
	ret = lnw_options_parse(2, unknown_argv, ARGP_SILENT, &o, err, sizeof(err));
	CHECK(ret == -EINVAL && !err[0], "unknown: %d '%s'", ret, err);
	many[0] = "lnwatch";
	for (i = 0; i <= LNW_MAX_IFACES; i++) {
		many[1 + 2 * i] = "-i";
		many[2 + 2 * i] = "x";
	}
	many[1 + 2 * i] = NULL;
	ret = lnw_options_parse(1 + 2 * i, many, ARGP_SILENT, &o, err, sizeof(err));
	CHECK(ret == -EINVAL && o.n_ifaces == LNW_MAX_IFACES && strstr(err, "at most"),
	      "65 -i: %d, %d stored, '%s'", ret, o.n_ifaces, err);
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "parse_seconds accepts 1, 0.5, 3600", t_seconds_accepts },
		{ "parse_seconds rejects bad input", t_seconds_rejects },
		{ "parse_uint bounds", t_uint_bounds },
		{ "parse_fallbacks accepts names", t_fallbacks_accepts },
		{ "parse_fallbacks rejects bad lists", t_fallbacks_rejects },
		{ "parse_attach_mode: auto, tcx, clsact, nothing else", t_attach_mode },
		{ "verdict_name every value", t_verdict_names },
		{ "parse_cidr accepts /0../32 and a bare address", t_cidr_accepts },
		{ "parse_cidr rejects bad prefix, junk, host bits", t_cidr_rejects },
		{ "parse_verdicts accepts lists, duplicates", t_verdicts_accepts },
		{ "parse_verdicts rejects unknown names, empty items", t_verdicts_rejects },
		{ "parse_cidr rejects a blank after the slash", t_cidr_prefix_blank },
		{ "parse_cidr leaves the mask alone when it refuses",
		  t_cidr_reject_keeps_mask },
		{ "parse_seconds takes up to a week", t_seconds_week },
		{ "parse_listen: PORT, IPv4:PORT, [IPv6]:PORT", t_listen_accepts },
		{ "parse_listen rejects names, bad ports, junk", t_listen_rejects },
		{ "options_parse: silent, the reason kept, nothing past it", t_options_parse_silent },
	};

	return run_all(tests, N(tests));
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of the exporter's pure parts (watch/metrics_render.c): series
 * whose labels collide are summed into one, and the cardinality cap folds
 * what is over it per verdict, keeping every verdict's sum exact. No
 * kernel, no BPF, no HTTP.
 */
#include "unit.h"
#include "watch/metrics.h"
#include "watch/verdict.h"

static struct lnw_counter_series series(const char *netns, const char *ifname,
					unsigned int verdict, const char *reason,
					unsigned long long packets)
{
	struct lnw_counter_series s = { .verdict = verdict, .packets = packets,
					.bytes = packets * 100 };

	snprintf(s.netns, sizeof(s.netns), "%s", netns);
	snprintf(s.ifname, sizeof(s.ifname), "%s", ifname);
	snprintf(s.reason, sizeof(s.reason), "%s", reason);
	return s;
}

static char *family(const struct lnw_counter_series *s, size_t n, bool bytes,
		    size_t cap, size_t *folded)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*folded = lnw_metrics_counter_family(f, "lnwatch_packets_total", "h", s, n,
					     bytes, cap);
	fclose(f);
	return buf;
}

/* The sum of the samples of a body whose line contains `with`. */
static unsigned long long sum_lines(const char *body, const char *with)
{
	unsigned long long sum = 0;
	const char *line = body;

	while (line && *line) {
		const char *end = strchr(line, '\n'), *sp;
		size_t n = end ? (size_t)(end - line) : strlen(line);
		char buf[512];

		snprintf(buf, sizeof(buf), "%.*s", (int)n, line);
		sp = strrchr(buf, ' ');
		if (buf[0] != '#' && sp && strstr(buf, with))
			sum += strtoull(sp + 1, NULL, 10);
		line = end ? end + 1 : NULL;
	}
	return sum;
}

static size_t count_lines(const char *body, const char *with)
{
	size_t n = 0;
	const char *p = body;

	while ((p = strstr(p, with))) {
		n++;
		p += strlen(with);
	}
	return n;
}

static void t_merge(void)
{
	struct lnw_counter_series s[] = {
		series("1", "if7", LNW_MARTIAN_DST, "", 3),
		series("1", "eth0", LNW_SEEN, "", 5),
		/* a device deleted is named if<index>: so may one be */
		series("1", "if7", LNW_MARTIAN_DST, "", 4),
		series("1", "eth0", LNW_MARTIAN_DST, "IP_LOCALNET", 5),
		series("2", "eth0", LNW_SEEN, "", 1),
	};
	size_t n = lnw_metrics_merge_series(s, N(s));

	CHECK(n == 4, "%zu series left, want 4", n);
	CHECK(!strcmp(s[0].ifname, "eth0") && s[0].verdict == LNW_SEEN, "not sorted: %s",
	      s[0].ifname);
	CHECK(!strcmp(s[2].ifname, "if7") && s[2].packets == 7 && s[2].bytes == 700,
	      "if7: %s %llu %llu", s[2].ifname, s[2].packets, s[2].bytes);
	CHECK(!strcmp(s[3].netns, "2"), "netns 2 not last: %s", s[3].netns);
	CHECK(lnw_metrics_merge_series(s, 0) == 0, "nothing merged into something");
}

static void t_fold(void)
{
	struct lnw_counter_series s[300];
	unsigned long long want_dst = 0, want_seen = 0;
	size_t i, folded;
	char *body, name[16];

	for (i = 0; i < N(s); i++) {
		snprintf(name, sizeof(name), "v%03zu", i / 2);
		s[i] = series("4026531840", name, i % 2 ? LNW_MARTIAN_DST : LNW_SEEN, "",
			      i + 1);
		if (i % 2)
			want_dst += i + 1;
		else
			want_seen += i + 1;
	}
	body = family(s, N(s), false, 100, &folded);
	CHECK(folded == 200, "folded %zu, want 200", folded);
	CHECK(count_lines(body, "lnwatch_packets_total{") == 102,
	      "%zu samples, want 100 and two folded", count_lines(body, "lnwatch_packets_total{"));
	CHECK(count_lines(body, "netns=\"_overflow\",ifname=\"_overflow\"") == 2,
	      "folded series: %zu", count_lines(body, "netns=\"_overflow\""));
	CHECK(sum_lines(body, "verdict=\"martian-dst\"") == want_dst, "martian-dst %llu, want %llu",
	      sum_lines(body, "verdict=\"martian-dst\""), want_dst);
	CHECK(sum_lines(body, "verdict=\"seen\"") == want_seen, "seen %llu, want %llu",
	      sum_lines(body, "verdict=\"seen\""), want_seen);
	free(body);
	/* bytes the same way */
	body = family(s, N(s), true, 100, &folded);
	CHECK(sum_lines(body, "verdict=\"seen\"") == want_seen * 100, "seen bytes %llu",
	      sum_lines(body, "verdict=\"seen\""));
	free(body);
	/* under the cap: nothing folded, no folded series */
	body = family(s, N(s), false, LNW_METRICS_MAX_SERIES, &folded);
	CHECK(folded == 0 && !strstr(body, "_overflow"), "folded %zu under the cap", folded);
	CHECK(count_lines(body, "lnwatch_packets_total{") == 300, "%zu samples",
	      count_lines(body, "lnwatch_packets_total{"));
	free(body);
	/* no series: the family's header alone */
	body = family(s, 0, false, 100, &folded);
	CHECK(!strcmp(body, "# HELP lnwatch_packets_total h\n# TYPE lnwatch_packets_total counter\n"),
	      "empty family: '%s'", esc(body));
	free(body);
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "series with the same labels summed into one", t_merge },
		{ "the cap folds per verdict, every verdict's sum exact", t_fold },
	};

	return run_all(tests, N(tests));
}

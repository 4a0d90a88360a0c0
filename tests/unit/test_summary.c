// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Unit tests of the summary JSON (user/watch/summary.h). No kernel, no BPF.
 */
#include "unit.h"
#include "watch/summary.h"

static void t_json_summary(void)
{
	struct lnw_counter_row rows[2] = {
		{ .key = { .netns = 4026531840u, .ifindex = 2, .verdict = LNW_SEEN },
		  .val = { .packets = 3, .bytes = 126 }, .ifname = "eth0" },
		{ .key = { .netns = 4026531840u, .ifindex = 5,
			   .verdict = LNW_MARTIAN_SRC, .reason = 77 },
		  .val = { .packets = 5000000000ULL, .bytes = 210000000000ULL },
		  .ifname = "x\xff\x01", .reason = "IP_LOCALNET" },
	};
	struct lnw_summary s = {
		.rows = rows, .n_rows = 2, .lost_events = 7, .counter_overflow = 2,
		.elapsed_s = 1.5, .attach = "tcx", .join = "skb",
		.reason_path = "kernel",
	};
	json_object *o = roundtrip(lnw_summary_json(&s)), *arr, *r0, *r1;
	bool present;

	want_str(o, "type", "summary");
	want_uint(o, "lost_events", 7);
	want_uint(o, "counter_overflow", 2);
	want_str(o, "paths.attach", "tcx");
	want_str(o, "paths.join", "skb");
	want_str(o, "paths.reason", "kernel");
	arr = jget(o, "counters", &present);
	CHECK(json_object_is_type(arr, json_type_array) &&
	      json_object_array_length(arr) == 2, "counters: %s",
	      arr ? json_object_to_json_string(arr) : "null/missing");
	if (!cur_failed) {
		r0 = json_object_array_get_idx(arr, 0);
		r1 = json_object_array_get_idx(arr, 1);
		want_uint(r0, "packets", 3);
		want_uint(r0, "bytes", 126);
		want_uint(r0, "netns", 4026531840u);
		want_uint(r0, "ifindex", 2);
		want_str(r0, "ifname", "eth0");
		want_str(r0, "verdict", "seen");
		want_null(r0, "reason");
		want_uint(r1, "packets", 5000000000ULL);
		want_uint(r1, "bytes", 210000000000ULL);
		want_str(r1, "ifname", "x\xef\xbf\xbd\x01");
		want_str(r1, "verdict", "martian-src");
		want_str(r1, "reason", "IP_LOCALNET");
	}
	json_object_put(o);
}

/* The text of lnw_summary_print, malloc'ed. */
static char *print_text(const struct lnw_summary *s, bool wide)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	lnw_summary_print(f, s, wide);
	fclose(f);
	return text;
}

static bool lines_fit(const char *text)
{
	const char *p = text, *nl;

	for (; (nl = strchr(p, '\n')); p = nl + 1)
		if (nl - p > LNW_NARROW_COLS)
			return false;
	return strlen(p) <= LNW_NARROW_COLS;
}

static const struct lnw_counter_row reason_rows[] = {
	{ .key = { .netns = 4026531840u, .ifindex = 2, .verdict = LNW_DROP, .reason = 6 },
	  .val = { .packets = 3, .bytes = 126 }, .ifname = "eth0", .reason = "NETFILTER_DROP" },
	{ .key = { .netns = 4026531840u, .ifindex = 2, .verdict = LNW_DROP, .reason = 90 },
	  .val = { .packets = 1, .bytes = 60 }, .ifname = "eth0",
	  .reason = "IPV6_NDISC_BAD_OPTIONS_LONGER" },
};

/* REASON whole with -w; narrow cut with '~' under 80 columns; PACKETS
 * stays under its title either way. */
static void t_reason_column(void)
{
	struct lnw_summary s = { .type = "summary", .rows = reason_rows, .n_rows = 2,
				 .attach = "tcx", .join = "skb", .reason_path = "kernel",
				 .route_hooks = "auto" };
	char *wide = print_text(&s, true), *narrow = print_text(&s, false);
	const char *hdr = strstr(narrow, "NETNS"), *row = strstr(narrow, "4026531840");

	CHECK(strstr(wide, " NETFILTER_DROP ") && strstr(wide, " IPV6_NDISC_BAD_OPTIONS_LONGER "),
	      "-w cut a reason:\n%s", wide);
	CHECK(strstr(narrow, " NETFILTER_DROP ") && strstr(narrow, " IPV6_NDISC_BAD_OP~ "),
	      "narrow:\n%s", narrow);
	CHECK(lines_fit(narrow), "narrow over 79 columns:\n%s", narrow);
	CHECK(hdr && row && strstr(hdr, "PACKETS") - hdr + 7 == strstr(row, " 3 ") - row + 2,
	      "PACKETS not over its column:\n%s", narrow);
	hdr = strstr(wide, "NETNS");
	row = strstr(wide, "4026531840");
	CHECK(hdr && row && strstr(hdr, "PACKETS") - hdr + 7 == strstr(row, " 3 ") - row + 2,
	      "-w: PACKETS not over its column:\n%s", wide);
	free(wide);
	free(narrow);
}

/* The fix turns off the knobs that were on: all, the device, or both. */
static void t_exposure_fix_knobs(void)
{
	static const struct { __u8 all, dev; const char *want; } cases[] = {
		{ 1, 0, "fix: net.ipv4.conf.all.route_localnet=0," },
		{ 0, 1, "fix: net.ipv4.conf.eth0/100.route_localnet=0," },
		{ 1, 1, "fix: net.ipv4.conf.{eth0/100,all}.route_localnet=0," },
		{ LNW_FLAG_UNKNOWN, 0, "fix: net.ipv4.conf.all.route_localnet=0," },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		struct lnw_exposures t = { .n = 0 };
		struct lnw_event e = mk_event("10.0.0.2", 40000, "127.0.0.1", 5000, 17,
					      LNW_DELIVERED);
		struct lnw_summary s = { .type = "summary", .attach = "tcx", .join = "skb",
					 .reason_path = "kernel", .route_hooks = "auto" };
		json_object *o, *on;
		char *text;

		e.sock_addr = ip4("127.0.0.1");
		e.sock_port = 5000;
		set_flags(&e, cases[i].all, cases[i].dev, 1);
		lnw_exposures_note(&t, &e, "eth0.100", 42, "python3");
		s.exposures = t.v;
		s.n_exposures = t.n;
		text = print_text(&s, false);
		CHECK(strstr(text, cases[i].want), "case %zu: want '%s':\n%s", i,
		      cases[i].want, text);
		free(text);
		o = roundtrip(lnw_summary_json(&s));
		on = json_object_object_get(json_object_array_get_idx(
			json_object_object_get(o, "exposures"), 0), "route_localnet_on");
		CHECK(json_object_array_length(on) == (cases[i].all && cases[i].dev ? 2u : 1u),
		      "case %zu: route_localnet_on %s", i, json_object_to_json_string(on));
		json_object_put(o);
	}
}

/* Nothing counted: "matched the filters" when a filter was set. */
static void t_nothing_filtered(void)
{
	struct lnw_summary s = { .type = "summary", .attach = "tcx", .join = "skb",
				 .reason_path = "kernel", .route_hooks = "auto" };
	char *text = print_text(&s, false);

	CHECK(strstr(text, "(no packet to or from 127.0.0.0/8 seen)"), "%s", text);
	free(text);
	s.filtered = true;
	text = print_text(&s, false);
	CHECK(strstr(text, "matched the filters") && !strstr(text, "seen)"), "%s", text);
	CHECK(lines_fit(text), "over 79 columns:\n%s", text);
	free(text);
}

/* -I tables count from the start: said in the title and in JSON; elapsed
 * time with 3 decimals at most. */
static void t_interval_cumulative(void)
{
	struct lnw_summary s = { .type = "interval", .elapsed_s = 4.2149755039999999,
				 .attach = "tcx", .join = "skb", .reason_path = "kernel",
				 .route_hooks = "auto" };
	char *text = print_text(&s, false);
	json_object *o = lnw_summary_json(&s);
	const char *js = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);

	CHECK(strstr(text, "\n-- totals at 4.2 s: ") && !strstr(text, "interval"),
	      "title: %s", text);
	CHECK(strstr(js, "\"elapsed_s\":4.215,") && strstr(js, "\"cumulative\":true") &&
	      strstr(js, "\"type\":\"interval\""), "%s", js);
	json_object_put(o);
	free(text);
	s.type = "summary";
	s.elapsed_s = 2;
	text = print_text(&s, false);
	o = roundtrip(lnw_summary_json(&s));
	CHECK(strstr(text, "\n-- summary 2.0 s: "), "summary title: %s", text);
	want_str(o, "type", "summary");
	CHECK(json_object_get_double(json_object_object_get(o, "elapsed_s")) == 2.0,
	      "elapsed_s 2: %s", json_object_to_json_string(o));
	json_object_put(o);
	free(text);
}

int main(void)
{
	static const struct unit_case tests[] = {
		{ "json summary two rows", t_json_summary },
		{ "REASON whole with -w, cut with ~ narrow", t_reason_column },
		{ "exposure fix names the knobs that were on", t_exposure_fix_knobs },
		{ "nothing counted: filters said", t_nothing_filtered },
		{ "-I: totals, cumulative, elapsed 3 decimals", t_interval_cumulative },
	};

	return run_all(tests, N(tests));
}

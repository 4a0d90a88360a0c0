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

int main(void)
{
	static const struct unit_case tests[] = {
		{ "json summary two rows", t_json_summary },
	};

	return run_all(tests, N(tests));
}

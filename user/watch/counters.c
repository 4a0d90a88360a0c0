// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Exact counters: per-CPU maps, summed here. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lib/util.h"
#include "counters.h"

static int row_cmp(const void *a, const void *b)
{
	const struct lnw_counter_key *x = &((const struct lnw_counter_row *)a)->key;
	const struct lnw_counter_key *y = &((const struct lnw_counter_row *)b)->key;

	if (x->netns != y->netns)
		return x->netns < y->netns ? -1 : 1;
	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	if (x->verdict != y->verdict)
		return x->verdict < y->verdict ? -1 : 1;
	return (x->reason > y->reason) - (x->reason < y->reason);
}

int lnw_counters_read(int map_fd, struct lnw_counter_row **rows, size_t *n)
{
	int ncpu = libbpf_num_possible_cpus();
	struct lnw_counter_key key, next, *prev = NULL;
	struct lnw_counter_val *vals;
	struct lnw_counter_row *out = NULL;
	size_t cap = 0, cnt = 0;
	int err = 0, c;

	*rows = NULL;
	*n = 0;
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	vals = calloc((size_t)ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	while (bpf_map_get_next_key(map_fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(map_fd, &key, vals))
			continue; /* deleted meanwhile */
		if (lnw_grow(&out, &cap, cnt + 1, sizeof(*out))) {
			err = -ENOMEM;
			break;
		}
		memset(&out[cnt], 0, sizeof(out[cnt]));
		out[cnt].key = key;
		for (c = 0; c < ncpu; c++) {
			out[cnt].val.packets += vals[c].packets;
			out[cnt].val.bytes += vals[c].bytes;
		}
		cnt++;
	}
	free(vals);
	if (err) {
		free(out);
		return err;
	}
	if (cnt)
		qsort(out, cnt, sizeof(*out), row_cmp);
	*rows = out;
	*n = cnt;
	return 0;
}

/* One per-CPU u64 value (an array slot, a hash entry), summed. */
static int percpu_sum(int map_fd, const void *key, __u64 *vals, int ncpu,
		      unsigned long long *sum)
{
	int c;

	*sum = 0;
	if (bpf_map_lookup_elem(map_fd, key, vals))
		return -errno;
	for (c = 0; c < ncpu; c++)
		*sum += vals[c];
	return 0;
}

unsigned long long lnw_stat_read(int map_fd, unsigned int idx)
{
	return lnw_percpu_read(map_fd, &idx);
}

unsigned long long lnw_percpu_read(int map_fd, const void *key)
{
	int ncpu = libbpf_num_possible_cpus();
	unsigned long long sum = 0;
	__u64 *vals;

	if (ncpu <= 0)
		return 0;
	vals = calloc((size_t)ncpu, sizeof(*vals));
	if (vals)
		percpu_sum(map_fd, key, vals, ncpu, &sum);
	free(vals);
	return sum;
}

int lnw_latency_read(int map_fd, unsigned long long (*out)[LNW_LAT_SLOTS])
{
	int ncpu = libbpf_num_possible_cpus(), err = 0;
	__u32 v, b;
	__u64 *vals;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	vals = calloc((size_t)ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (v = 0; v < LNW_VERDICT_MAX && !err; v++)
		for (b = 0; b < LNW_LAT_SLOTS && !err; b++) {
			__u32 slot = v * LNW_LAT_SLOTS + b;

			err = percpu_sum(map_fd, &slot, vals, ncpu, &out[v][b]);
		}
	free(vals);
	return err;
}

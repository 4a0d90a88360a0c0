// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Exact counters: per-CPU maps, summed here. */
#include <errno.h>
#include <stdbool.h>
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

static bool key_eq(const struct lnw_counter_key *a, const struct lnw_counter_key *b)
{
	return a->netns == b->netns && a->ifindex == b->ifindex &&
	       a->verdict == b->verdict && a->reason == b->reason;
}

/* Add packets and bytes under key: to its row (the last one, or a new one:
 * the caller sorts and merges). */
static int add_row(struct lnw_counter_row **out, size_t *cap, size_t *cnt,
		   const struct lnw_counter_key *key, __u64 packets, __u64 bytes)
{
	struct lnw_counter_row *r;

	if (*cnt && key_eq(&(*out)[*cnt - 1].key, key)) {
		r = &(*out)[*cnt - 1];
	} else {
		if (lnw_grow(out, cap, *cnt + 1, sizeof(**out)))
			return -ENOMEM;
		r = &(*out)[(*cnt)++];
		memset(r, 0, sizeof(*r));
		r->key.netns = key->netns;
		r->key.ifindex = key->ifindex;
		r->key.verdict = key->verdict;
		r->key.reason = key->reason;
	}
	r->val.packets += packets;
	r->val.bytes += bytes;
	return 0;
}

/* The per-CPU hash: one entry per key, a value per CPU. */
static int read_hash(int fd, int ncpu, struct lnw_counter_row **out,
		     size_t *cap, size_t *cnt)
{
	struct lnw_counter_key key, next, *prev = NULL;
	struct lnw_counter_val *vals = calloc((size_t)ncpu, sizeof(*vals));
	int err = 0, c;

	if (!vals)
		return -ENOMEM;
	while (!err && bpf_map_get_next_key(fd, prev, &next) == 0) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, vals))
			continue; /* deleted meanwhile */
		for (c = 0; c < ncpu && !err; c++)
			err = add_row(out, cap, cnt, &key, vals[c].packets, vals[c].bytes);
	}
	free(vals);
	return err;
}

/* The per-CPU array: each CPU's copy of a slot may hold another key. */
static int read_hot(int fd, int ncpu, struct lnw_counter_row **out,
		    size_t *cap, size_t *cnt)
{
	struct lnw_hot_counter *vals = calloc((size_t)ncpu, sizeof(*vals));
	__u32 idx;
	int err = 0, c;

	if (!vals)
		return -ENOMEM;
	for (idx = 0; idx < LNW_HOT_SLOTS && !err; idx++) {
		if (bpf_map_lookup_elem(fd, &idx, vals)) {
			err = -errno;
			break;
		}
		for (c = 0; c < ncpu && !err; c++)
			if (vals[c].used)
				err = add_row(out, cap, cnt, &vals[c].key,
					      vals[c].val.packets, vals[c].val.bytes);
	}
	free(vals);
	return err;
}

int lnw_counters_read(int map_fd, int hot_fd, struct lnw_counter_row **rows,
		      size_t *n)
{
	int ncpu = libbpf_num_possible_cpus();
	struct lnw_counter_row *out = NULL;
	size_t cap = 0, cnt = 0, i, m;
	int err;

	*rows = NULL;
	*n = 0;
	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	err = read_hash(map_fd, ncpu, &out, &cap, &cnt);
	if (!err && hot_fd >= 0)
		err = read_hot(hot_fd, ncpu, &out, &cap, &cnt);
	if (err) {
		free(out);
		return err;
	}
	if (cnt)
		qsort(out, cnt, sizeof(*out), row_cmp);
	/* a key in both maps (its slot was taken on one CPU), or in two
	 * CPUs' copies of the array: one row */
	for (i = 0, m = 0; i < cnt; i++) {
		if (m && key_eq(&out[m - 1].key, &out[i].key)) {
			out[m - 1].val.packets += out[i].val.packets;
			out[m - 1].val.bytes += out[i].val.bytes;
		} else {
			out[m++] = out[i];
		}
	}
	*rows = out;
	*n = m;
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

unsigned long long lnw_rate_limited_read(int stats_fd, int hot_fd)
{
	int ncpu = libbpf_num_possible_cpus(), c;
	unsigned long long sum = lnw_stat_read(stats_fd, LNW_STAT_RATE_LIMITED);
	struct lnw_hot_counter *vals;
	__u32 idx;

	if (ncpu <= 0 || hot_fd < 0)
		return sum;
	vals = calloc((size_t)ncpu, sizeof(*vals));
	for (idx = 0; vals && idx < LNW_HOT_SLOTS; idx++)
		if (!bpf_map_lookup_elem(hot_fd, &idx, vals))
			for (c = 0; c < ncpu; c++)
				sum += vals[c].used ? vals[c].rate_limited : 0;
	free(vals);
	return sum;
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

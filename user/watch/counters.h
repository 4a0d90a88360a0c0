/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_COUNTERS_H
#define LNW_COUNTERS_H

#include <stddef.h>
#include <linux/types.h>
#include "lnwatch.h"

/* One (netns, interface, verdict, reason) and its exact sums. */
struct lnw_counter_row {
	struct lnw_counter_key key;
	struct lnw_counter_val val;
	char ifname[LNW_IFNAMSIZ];
	const char *reason;      /* name, or NULL */
};

/* Sum the per-CPU counters (the hash "counters" and the array
 * "counters_hot", or -1 for none) into one row per key, sorted by netns,
 * ifindex, verdict, reason. *rows is malloc'd (free it). 0 or -errno. */
int lnw_counters_read(int map_fd, int hot_fd, struct lnw_counter_row **rows,
		      size_t *n);
/* --latency histograms: out[verdict][log2 slot], summed over CPUs. */
int lnw_latency_read(int map_fd, unsigned long long (*out)[LNW_LAT_SLOTS]);
/* Sum of one per-CPU stats slot (enum lnw_stat). */
unsigned long long lnw_stat_read(int map_fd, unsigned int idx);
/* Events held back by the rate limit: the stats slot plus what the
 * receive path's counters keep of it (the array's fd, or -1). */
unsigned long long lnw_rate_limited_read(int stats_fd, int hot_fd);
/* The per-CPU u64 under key, summed; 0 when there is none. */
unsigned long long lnw_percpu_read(int map_fd, const void *key);

#endif

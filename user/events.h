/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_EVENTS_H
#define LNW_EVENTS_H

#include <stdbool.h>
#include <stdio.h>
#include "output.h"

struct ring_buffer;
struct lnw_kernel;
struct lnw_owner_cache;
struct lnw_ksyms;

/* Where decoded events go, and what decoding needs. */
struct lnw_events {
	struct ring_buffer *rb;
	const struct lnw_kernel *kernel;
	FILE *out;
	bool json, wide, latency;
	struct lnw_owner_cache *owners; /* socket inode -> process */
	struct lnw_ksyms *ksyms;        /* drop locations -> names */
	/* set before open: how the kernel names an address, or NULL */
	int (*ksym_fn)(void *ctx, __u64 addr, char *out, size_t len);
	void *ksym_ctx;
	long long mono_to_wall_ns;  /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	long long deadline_ns;      /* a drain stops here (monotonic) */
	unsigned long long seen;    /* events read so far */
	struct lnw_exposure exposures[LNW_MAX_EXPOSURES];
	size_t n_exposures;
};

int lnw_events_open(struct lnw_events *ev, int ringbuf_fd, FILE *out,
		    const struct lnw_kernel *kernel);
/* Read what is in the ring for at most budget_ms (the caller sleeps on
 * the ring's fd and a timer). Returns events read or -errno. */
int lnw_events_drain(struct lnw_events *ev, int budget_ms);
void lnw_events_close(struct lnw_events *ev);
long long lnw_mono_ns(void);

#endif

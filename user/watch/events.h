/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_EVENTS_H
#define LNW_WATCH_EVENTS_H

#include <stdbool.h>
#include <stdio.h>
#include "exposures.h"

struct ring_buffer;
struct lnw_kernel;
struct lnw_owner_cache;
struct lnw_ksyms;
struct lnw_route_hooks;

/* Where decoded events go, and what decoding needs. */
struct lnw_events {
	struct ring_buffer *rb;
	const struct lnw_kernel *kernel;     /* drop-reason names */
	struct lnw_route_hooks *hooks;       /* flags, where BPF could not read them */
	unsigned int netns;                  /* ours: where routes can be asked */
	FILE *out;
	bool json, wide, latency;
	bool quiet;                 /* -q: exposures noted, no event lines */
	struct lnw_owner_cache *owners; /* socket inode -> process */
	struct lnw_ksyms *ksyms;        /* drop locations -> names */
	int stats_fd;               /* BPF's stats: is the peers table past sure? */
	long long mono_to_wall_ns;  /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	long long deadline_ns;      /* a drain stops here (monotonic) */
	unsigned long long seen;    /* events read so far */
	bool said_lo6;              /* the first ::1 drop's note is out */
	struct lnw_exposures exposures;
};

/* Set json, wide, latency, kernel, hooks and stats_fd first. ksym_prog_fd (or -1) and
 * ksym_buf: the program that names drop locations, and where it writes. */
int lnw_events_open(struct lnw_events *ev, int ringbuf_fd, FILE *out,
		    int ksym_prog_fd, const char *ksym_buf);
/* Read what is in the ring for at most budget_ms (the caller sleeps on
 * the ring's fd and a timer). Returns events read or -errno. */
/* The IPv6 ring's records ("events6"), for ring_buffer__add(ev->rb, ..., ev). */
int lnw_events_on_record6(void *ctx, void *data, size_t len);
int lnw_events_drain(struct lnw_events *ev, int budget_ms);
void lnw_events_close(struct lnw_events *ev);

#endif

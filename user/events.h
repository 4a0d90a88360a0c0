/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_EVENTS_H
#define LNW_EVENTS_H

#include <stdbool.h>
#include <stdio.h>

struct ring_buffer;
struct lnw_kernel;

/* Where decoded events go, and what decoding needs. */
struct lnw_events {
	struct ring_buffer *rb;
	const struct lnw_kernel *kernel;
	FILE *out;
	bool json, wide;
	long long mono_to_wall_ns;  /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	long long deadline_ns;      /* a drain stops here (monotonic) */
	unsigned long long seen;    /* events read so far */
};

int lnw_events_open(struct lnw_events *ev, int ringbuf_fd, FILE *out,
		    bool json, bool wide, const struct lnw_kernel *kernel);
/* Sleep up to timeout_ms or until the kernel wakes us (ring filling up),
 * then read what is there for at most budget_ms. Returns events read or
 * -errno (-EINTR on a signal is not an error). */
int lnw_events_poll(struct lnw_events *ev, int timeout_ms, int budget_ms);
void lnw_events_close(struct lnw_events *ev);
long long lnw_mono_ns(void);

#endif

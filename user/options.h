/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_OPTIONS_H
#define LNW_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#define LNW_MAX_IFACES 64
#define LNW_EXIT_USAGE 64 /* argp's own exit code for bad arguments */

/* Paths a newer kernel makes unnecessary, forced so tests can run them. */
enum lnw_fallback {
	LNW_FB_CLSACT = 1 << 0,      /* clsact + bpf_tc_attach instead of tcx */
	LNW_FB_ADDR_JOIN = 1 << 1,   /* join by ifindex+saddr, no kfunc */
	LNW_FB_INFER = 1 << 2,       /* infer martians, ignore IP_LOCALNET */
};

struct lnw_options {
	const char *ifaces[LNW_MAX_IFACES];
	int n_ifaces;
	bool all_netns;
	bool json;
	bool wide;
	bool verbose;
	double duration_s;        /* 0: until a signal */
	const char *ready_file;
	unsigned int fallbacks;   /* enum lnw_fallback bits */
	unsigned int ringbuf_kib; /* ring buffer size */
};

/* Parse argv into opts; on bad input prints a usage error and exits with
 * LNW_EXIT_USAGE (argp's convention). */
void lnw_parse_args(int argc, char **argv, struct lnw_options *opts);

/* Pure validators, shared with the tests. Return 0 or -EINVAL. */
int lnw_parse_seconds(const char *s, double *out);
int lnw_parse_fallbacks(const char *s, unsigned int *out);
int lnw_parse_uint(const char *s, unsigned int min, unsigned int max,
		   unsigned int *out);

#endif

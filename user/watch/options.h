/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_OPTIONS_H
#define LNW_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include "lib/util.h"

#define LNW_MAX_IFACES 64
#define LNW_MAX_SECONDS (7 * 24 * 3600) /* -d, -I: at most a week */

/* Paths a newer kernel makes unnecessary, forced so tests can run them. */
enum lnw_fallback {
	LNW_FB_CLSACT = 1 << 0,      /* clsact + bpf_tc_attach instead of tcx */
	LNW_FB_ADDR_JOIN = 1 << 1,   /* join by ifindex+saddr, no kfunc */
	LNW_FB_INFER = 1 << 2,       /* infer martians, ignore IP_LOCALNET */
	LNW_FB_KALLSYMS = 1 << 3,    /* name drop locations from /proc/kallsyms */
};

/* --attach: how tc ingress is attached. */
enum lnw_attach_mode {
	LNW_ATTACH_AUTO = 0, /* tcx, or clsact above LNW_TCX_AUTO_MAX devices */
	LNW_ATTACH_TCX,      /* tcx on every device the kernel allows it on */
	LNW_ATTACH_CLSACT,   /* clsact filters only */
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
	enum lnw_attach_mode attach; /* --attach */
	unsigned int ringbuf_kib; /* ring buffer size */
	unsigned int rate;        /* events/s per flow, 0: every packet */
	unsigned int port;        /* -p: routed or original port, 0: any */
	unsigned int src_net;     /* -s: network byte order */
	unsigned int src_mask;    /* -s: 0 when no filter */
	unsigned int verdict_mask; /* --verdict: 1 << enum lnw_verdict */
	double interval_s;        /* -I: counters every so often, 0: never */
	const char *netns;        /* --netns NAME|PATH */
	bool latency;             /* --latency: histograms */
	bool overhead;            /* --overhead: per-program cost */
	bool route_hooks_always;  /* attached even while route_localnet is off */
	const char *btf_path;     /* --btf FILE: kernel types, else the kernel's */
	bool quiet;               /* -q: no event lines (a daemon's) */
	const char *metrics;      /* --metrics [ADDR:]PORT as given, or NULL */
	struct sockaddr_storage metrics_addr; /* ... and where it listens */
	socklen_t metrics_addr_len;
};

#define LNW_DEFAULT_RATE 5 /* events/s per flow: readable under a flood */

/* Parse argv into opts; on bad input prints a usage error and exits with
 * LNW_EXIT_USAGE (argp's convention). */
void lnw_parse_args(int argc, char **argv, struct lnw_options *opts);
/* The parse itself, which lnw_parse_args runs: with ARGP_SILENT it prints
 * nothing and never exits (the fuzz target's entry). Returns 0, or -EINVAL
 * with the reason in err ("" for argp's own: unknown option, no value). */
int lnw_options_parse(int argc, char **argv, unsigned int argp_flags,
		      struct lnw_options *opts, char *err, size_t err_len);

/* Pure validators, shared with the tests. Return 0 or -EINVAL, and on
 * -EINVAL write nothing. Numbers are digits only: no blank, no sign. */
int lnw_parse_seconds(const char *s, double *out);
int lnw_parse_fallbacks(const char *s, unsigned int *out);
int lnw_parse_attach_mode(const char *s, enum lnw_attach_mode *out);
int lnw_parse_uint(const char *s, unsigned int min, unsigned int max,
		   unsigned int *out);
/* "10.0.0.0/8" or "10.1.2.3" -> network and mask, network byte order. */
int lnw_parse_cidr(const char *s, unsigned int *net, unsigned int *mask);
/* "accept,drop" -> 1 << verdict bits (names as lnw_verdict_name()). */
int lnw_parse_verdicts(const char *s, unsigned int *mask);
/* --metrics: "PORT" (127.0.0.1), "A.B.C.D:PORT" or "[IPv6]:PORT", numeric
 * only, PORT 1..65535 -> a socket address and its length. */
int lnw_parse_listen(const char *s, struct sockaddr_storage *addr,
		     socklen_t *len);

#endif

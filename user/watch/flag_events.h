/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_FLAG_EVENTS_H
#define LNW_WATCH_FLAG_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct bpf_program;
struct bpf_link;
struct lnw_route_hooks;

/* route_localnet changes, as events: each write through /proc/sys as it
 * happens, with its writer (a cgroup/sysctl program on the root cgroup),
 * and any other change (netlink IFLA_INET_CONF, ...) when the periodic
 * read sees it, writer unknown. A write that turns the flag on attaches
 * the route hooks at once: no blind window until the next read. */
struct lnw_flag_events {
	FILE *out;
	bool json;
	long long mono_to_wall_ns;
	unsigned int own_netns;         /* where /proc/sys reads (confirming) */
	bool verbose;
	int writes_strict;              /* kernel.sysctl_writes_strict */
	struct lnw_route_hooks *hooks;
	struct bpf_link *link;          /* the cgroup/sysctl attachment */
	char cgroup[256];               /* where it is attached, or "" */
	unsigned long long changes;     /* reported so far */
	bool hooks_changed;             /* a write switched the route hooks */
};

/* Attach prog to the root of the cgroup v2 hierarchy (found in
 * /proc/self/mountinfo). Returns 0, or -errno with err set: then changes
 * are only seen by the periodic read. */
int lnw_flag_events_attach(struct lnw_flag_events *fe, struct bpf_program *prog,
			   char *err, size_t len);
/* kernel.sysctl_writes_strict (global), 1 (its default) if unreadable. */
int lnw_writes_strict(void);
/* ring_buffer_sample_fn for the "flag_events" ring; ctx is fe. The
 * program sees a write before the kernel parses it: in our namespace the
 * value is read back, and a write the kernel refused ("abc") or ignored
 * (at a file offset) is no change. */
int lnw_flag_events_on_record(void *ctx, void *data, size_t len);
/* A change the periodic read found: dir "all" or a device. */
void lnw_flag_events_seen(struct lnw_flag_events *fe, unsigned int netns,
			  const char *dir, int old_value, int new_value);
void lnw_flag_events_close(struct lnw_flag_events *fe);

#endif

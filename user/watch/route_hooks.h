/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_ROUTE_HOOKS_H
#define LNW_ROUTE_HOOKS_H

#include <stdbool.h>
#include <stddef.h>

struct bpf_program;
struct bpf_link;
struct lnw_tc_set;

/* When the verdict hooks that fire on every packet of the host (fib lookup,
 * socket wakeup) are attached. Only an accepted packet needs them, and
 * nothing is accepted while route_localnet is off on every watched device. */
enum lnw_route_hooks_mode {
	LNW_HOOKS_AUTO,   /* while route_localnet is on for a watched device */
	LNW_HOOKS_ALWAYS, /* --route-hooks-always, and --all-netns */
	LNW_HOOKS_NEVER,  /* --verdict asks for none of their verdicts */
};

#define LNW_HOOKS_MAX_PROGS 2

/* net.ipv4.conf.DEV.route_localnet of one watched device, kept open */
struct lnw_conf_fd {
	int ifindex;
	int fd;                 /* or FD_UNOPENED / FD_MISSING (route_hooks.c) */
	bool on;                /* its flag when last read */
	bool known;             /* read at least once: a change can be told */
};

/* A flag that a read found changed since the read before. */
struct lnw_flag_change {
	int ifindex;            /* 0: `all` */
	bool on;
};
#define LNW_HOOKS_MAX_CHANGES 32

struct lnw_route_hooks {
	enum lnw_route_hooks_mode mode;
	struct bpf_program *progs[LNW_HOOKS_MAX_PROGS]; /* NULL: not loaded */
	struct bpf_link *links[LNW_HOOKS_MAX_PROGS];
	bool attached;
	unsigned int switches;  /* attach + detach transitions so far */
	char why[32];           /* while attached: "all" or the device's name */
	int all_fd;             /* conf/all/route_localnet, kept open */
	struct lnw_conf_fd *devs; /* the watched devices, in the set's order */
	int n_devs;
	int cursor;             /* next device to read in turn */
	unsigned int gen;       /* of the watched set devs was made from */
	int all_on;             /* `all` when last read; -1 before */
	/* changes the last update found (the caller says them) */
	struct lnw_flag_change changes[LNW_HOOKS_MAX_CHANGES];
	int n_changes;
};

const char *lnw_route_hooks_mode_name(enum lnw_route_hooks_mode mode);

/* Take the programs (not yet attached); read the flags and attach if they
 * are needed now. Returns 0 or -errno with err set. */
int lnw_route_hooks_init(struct lnw_route_hooks *h, enum lnw_route_hooks_mode mode,
			 struct bpf_program *const *progs, int n_progs,
			 const struct lnw_tc_set *watched, char *err, size_t len);
/* Read the flags again (`all`, new devices, and READS_PER_TICK others in
 * turn) and attach or detach. Returns 1 when the state changed, 0 when not,
 * -errno when attaching failed (nothing half-attached; try again later). */
int lnw_route_hooks_update(struct lnw_route_hooks *h,
			   const struct lnw_tc_set *watched, char *err, size_t len);
/* route_localnet now, of `all` (ifindex 0) or a device, read from the file
 * kept open for it, or opened for this read when none is (modes other than
 * auto keep none). LNW_FLAG_UNKNOWN when it cannot be read. */
int lnw_route_hooks_flag(const struct lnw_route_hooks *h, int ifindex,
			 const char *ifname);
/* A write of route_localnet for dir ("all", "default" or a device) is
 * under way (the cgroup/sysctl program saw it, and said it): take the new
 * value as read, and if it turns the flag on, attach now rather than at
 * the next read. 1 when they were attached, 0 when not, -errno. */
int lnw_route_hooks_flag_written(struct lnw_route_hooks *h, const char *dir, bool on);
/* Detach and close; all_fd must be -1 if init was never called. */
void lnw_route_hooks_close(struct lnw_route_hooks *h);

#endif

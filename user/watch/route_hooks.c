// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The fib_table_lookup and sk_data_ready tracepoints fire on every packet
 * the host routes or delivers, in every namespace: attached, even a program
 * that returns at once costs 4-5 % of a UDP flood's rate here. They report
 * packets route_localnet let in, and the refused replies to them, so they
 * stay detached while the flag is off on every watched device, and are
 * attached when a read of the flags finds it on (`all` every tick, devices
 * in turn: READS_PER_TICK). Martian drops (kfree_skb) need no flag.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <bpf/libbpf.h>

#include "attach.h"
#include "lib/sysctl.h"
#include "lnwatch.h"
#include "route_hooks.h"

#define FD_UNOPENED (-2) /* new in the watched set: read at once */
#define FD_MISSING (-3)  /* no conf (no IPv4, or gone): tried again in turn */
#define FD_CLOSED (-4)   /* read, and closed: no fd a device, opened in turn */
/* Devices read per tick (~2-4 us each): `all`, which kube-proxy sets, is read
 * every tick; with more than 16 watched devices each is read every n/16. */
#define READS_PER_TICK 16

static const char *const mode_names[] = {
	[LNW_HOOKS_AUTO] = "auto",
	[LNW_HOOKS_ALWAYS] = "always",
	[LNW_HOOKS_NEVER] = "never",
};

const char *lnw_route_hooks_mode_name(enum lnw_route_hooks_mode mode)
{
	return mode <= LNW_HOOKS_NEVER ? mode_names[mode] : "?";
}

static void close_conf(struct lnw_conf_fd *c, int state)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = state;
}

/* The watched set changed: keep the open files of devices still in it. */
static int follow_devices(struct lnw_route_hooks *h, const struct lnw_tc_set *w)
{
	struct lnw_conf_fd *next = calloc((size_t)w->n + 1, sizeof(*next));
	int i, j;

	if (!next)
		return -ENOMEM;
	for (i = 0; i < w->n; i++) {
		next[i].ifindex = w->atts[i].ifindex;
		next[i].fd = FD_UNOPENED;
		for (j = 0; j < h->n_devs; j++)
			if (h->devs[j].ifindex == next[i].ifindex) {
				next[i] = h->devs[j];
				h->devs[j].fd = FD_UNOPENED; /* moved, not closed */
				break;
			}
	}
	for (j = 0; j < h->n_devs; j++)
		close_conf(&h->devs[j], FD_UNOPENED);
	free(h->devs);
	h->devs = next;
	h->n_devs = w->n;
	h->gen = w->gen;
	/* where the round-robin was, so churn cannot starve the tail */
	h->cursor = w->n ? h->cursor % w->n : 0;
	return 0;
}

static void open_device(struct lnw_conf_fd *c)
{
	char name[IF_NAMESIZE];
	int fd = -ENODEV;

	if (if_indextoname((unsigned int)c->ifindex, name))
		fd = lnw_conf_open(name, LNW_CONF_ROUTE_LOCALNET);
	c->fd = fd >= 0 ? fd : FD_MISSING;
}

static void note_change(struct lnw_route_hooks *h, int ifindex, bool on)
{
	if (h->n_changes < LNW_HOOKS_MAX_CHANGES)
		h->changes[h->n_changes++] = (struct lnw_flag_change){ ifindex, on };
}

/* Read one device's flag. A rename re-registers its sysctls, so the old
 * file fails: open it again by the current name, and read now. */
static void read_device(struct lnw_route_hooks *h, struct lnw_conf_fd *c)
{
	bool was = c->on, known = c->known;
	int v = 0;

	if (c->fd < 0)
		open_device(c);
	if (c->fd >= 0 && lnw_conf_read_fd(c->fd, &v)) {
		close_conf(c, FD_MISSING);
		open_device(c);
		if (c->fd >= 0 && lnw_conf_read_fd(c->fd, &v))
			close_conf(c, FD_MISSING);
	}
	c->on = c->fd >= 0 && v != 0;
	c->known = c->fd >= 0;
	if (c->fd >= 0) /* thousands of devices: not thousands of fds */
		close_conf(c, FD_CLOSED);
	if (known && c->known && was != c->on)
		note_change(h, c->ifindex, c->on);
}

/* Attach both or neither: a failure undoes the half that worked. */
static int set_attached(struct lnw_route_hooks *h, bool want, char *err, size_t len)
{
	int i, ret;

	if (want == h->attached)
		return 0;
	for (i = 0; i < LNW_HOOKS_MAX_PROGS; i++) {
		if (!want || !h->progs[i]) {
			bpf_link__destroy(h->links[i]);
			h->links[i] = NULL;
			continue;
		}
		h->links[i] = bpf_program__attach(h->progs[i]);
		if (!h->links[i]) {
			ret = -errno;
			snprintf(err, len, "cannot attach %s: %s",
				 bpf_program__name(h->progs[i]), strerror(-ret));
			while (i-- > 0) {
				bpf_link__destroy(h->links[i]);
				h->links[i] = NULL;
			}
			return ret;
		}
	}
	h->attached = want;
	h->switches++;
	return 1;
}

/* Which flag asks for the hooks: "all", or the first watched device. */
static void name_why(struct lnw_route_hooks *h, bool all)
{
	int i;

	h->why[0] = '\0';
	if (all) {
		snprintf(h->why, sizeof(h->why), "all");
		return;
	}
	for (i = 0; i < h->n_devs && !h->why[0]; i++)
		if (h->devs[i].on &&
		    !if_indextoname((unsigned int)h->devs[i].ifindex, h->why))
			h->why[0] = '\0';
}

int lnw_route_hooks_update(struct lnw_route_hooks *h,
			   const struct lnw_tc_set *watched, char *err, size_t len)
{
	int i, all = 0, budget, ret;
	bool want;

	if (h->mode != LNW_HOOKS_AUTO)
		return set_attached(h, h->mode == LNW_HOOKS_ALWAYS, err, len);
	if ((h->gen != watched->gen || !h->devs) && follow_devices(h, watched)) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	h->n_changes = 0;
	if (h->all_fd >= 0 && lnw_conf_read_fd(h->all_fd, &all))
		all = 0;
	all = all != 0;
	if (h->all_on >= 0 && h->all_on != all)
		note_change(h, 0, all);
	h->all_on = all;
	for (i = 0; i < h->n_devs; i++) /* a device that just appeared */
		if (h->devs[i].fd == FD_UNOPENED)
			read_device(h, &h->devs[i]);
	budget = h->n_devs < READS_PER_TICK ? h->n_devs : READS_PER_TICK;
	for (i = 0; i < budget; i++) {
		read_device(h, &h->devs[h->cursor]);
		h->cursor = (h->cursor + 1) % h->n_devs;
	}
	want = all;
	for (i = 0; i < h->n_devs && !want; i++)
		want = h->devs[i].on;
	if (want == h->attached)
		return 0;
	if (want)
		name_why(h, all);
	ret = set_attached(h, want, err, len);
	if (!h->attached)
		h->why[0] = '\0';
	return ret;
}

int lnw_route_hooks_init(struct lnw_route_hooks *h, enum lnw_route_hooks_mode mode,
			 struct bpf_program *const *progs, int n_progs,
			 const struct lnw_tc_set *watched, char *err, size_t len)
{
	int i, ret;

	memset(h, 0, sizeof(*h));
	h->mode = mode;
	h->all_fd = -1;
	h->all_on = -1;
	for (i = 0; i < n_progs && i < LNW_HOOKS_MAX_PROGS; i++)
		h->progs[i] = progs[i];
	if (mode == LNW_HOOKS_AUTO) {
		h->all_fd = lnw_conf_open("all", LNW_CONF_ROUTE_LOCALNET);
		if (h->all_fd < 0) {
			snprintf(err, len, "cannot read net.ipv4.conf.all.route_localnet: %s "
				 "(is /proc mounted? or use --route-hooks-always)",
				 strerror(-h->all_fd));
			return h->all_fd;
		}
	}
	ret = lnw_route_hooks_update(h, watched, err, len);
	if (ret < 0)
		return ret;
	h->switches = 0; /* the starting state is not a switch */
	return 0;
}

int lnw_route_hooks_flag_written(struct lnw_route_hooks *h, const char *dir, bool on)
{
	char err[128];
	int i, ifindex;

	if (h->mode != LNW_HOOKS_AUTO || !strcmp(dir, "default"))
		return 0;
	/* its value from now on: the next read finds no change to say again,
	 * and a device keeps it until its turn to be read comes */
	if (!strcmp(dir, "all")) {
		h->all_on = on;
	} else {
		ifindex = (int)if_nametoindex(dir);
		for (i = 0; i < h->n_devs && h->devs[i].ifindex != ifindex; i++)
			;
		if (!ifindex || i == h->n_devs)
			return 0; /* not a watched device */
		h->devs[i].on = on;
		h->devs[i].known = true;
	}
	if (!on || h->attached)
		return 0;
	snprintf(h->why, sizeof(h->why), "%s", dir);
	return set_attached(h, true, err, sizeof(err));
}

int lnw_route_hooks_flag(const struct lnw_route_hooks *h, int ifindex,
			 const char *ifname)
{
	int i, fd = ifindex ? -1 : h->all_fd, v;

	for (i = 0; ifindex && i < h->n_devs; i++)
		if (h->devs[i].ifindex == ifindex)
			fd = h->devs[i].fd;
	/* a renamed device's kept file fails: read it by its name now */
	if ((fd < 0 || lnw_conf_read_fd(fd, &v)) &&
	    lnw_conf_read(ifname, LNW_CONF_ROUTE_LOCALNET, &v))
		return LNW_FLAG_UNKNOWN;
	return v;
}

void lnw_route_hooks_close(struct lnw_route_hooks *h)
{
	int i;

	for (i = 0; i < LNW_HOOKS_MAX_PROGS; i++) {
		bpf_link__destroy(h->links[i]);
		h->links[i] = NULL;
	}
	for (i = 0; i < h->n_devs; i++)
		close_conf(&h->devs[i], FD_UNOPENED);
	free(h->devs);
	h->devs = NULL;
	h->n_devs = 0;
	if (h->all_fd >= 0)
		close(h->all_fd);
	h->all_fd = -1;
	h->attached = false;
}

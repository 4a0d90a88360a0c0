// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The watched interfaces: which, with which tc program, as they come and go. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "lib/json.h"
#include "lib/links.h"
#include "lib/links_all.h"
#include "lib/netns.h"
#include "lib/sysctl.h"
#include "lib/util.h"
#include "attach.h"
#include "counters.h"
#include "event_line.h"
#include "flag_events.h"
#include "events.h"
#include "iface_state.h"
#include "kernel.h"
#include "link_monitor.h"
#include "nf_hooks.h"
#include "options.h"
#include "ready_file.h"
#include "route_hooks.h"
#include "runtime.h"
#include "summary.h"
#include "watch.h"
#include "lnwatch.skel.h"
#include "app.h"

/* The tc program for devices with an Ethernet header, or without (l3). */
struct bpf_program *lnw_app_tc_program(const struct lnw_app *app, bool l3)
{
	bool kfunc = bpf_program__autoload(app->skel->progs.lnw_tc_ingress);

	if (l3)
		return kfunc ? app->skel->progs.lnw_tc_ingress_l3 :
			       app->skel->progs.lnw_tc_ingress_l3_compat;
	return kfunc ? app->skel->progs.lnw_tc_ingress : app->skel->progs.lnw_tc_ingress_compat;
}

/* A device lnwatch cannot parse is said once, whatever -v says. */
static void report_unwatched(struct lnw_app *app, int ifindex, const char *why)
{
	int i;

	for (i = 0; i < app->n_unwatched; i++)
		if (app->unwatched[i] == ifindex)
			return;
	if (app->n_unwatched < MAX_UNWATCHED)
		app->unwatched[app->n_unwatched++] = ifindex;
	lnw_error(app->opts.json, "%s", why);
}

/* How an attach went, said as the options want it. */
static void on_added(void *ctx, const struct lnw_iface *it, int ret, const char *err)
{
	struct lnw_app *app = ctx;

	if (!ret && app->opts.n_ifaces)
		lnw_iface_report(app->opts.json, it->name, it->ifindex, false);
	/* any refusal is said, once; one already gone (a short-lived veth)
	 * only with -v */
	if (ret == -EPROTONOSUPPORT || (ret && ret != -ENODEV && ret != -ENOENT))
		report_unwatched(app, it->ifindex, err);
	else if (ret && app->opts.verbose)
		fprintf(stderr, "lnwatch: %s\n", err);
}

/* with -i, only those names: one that comes back is watched again */
static bool wanted(const struct lnw_app *app, const struct lnw_iface *it)
{
	return !(it->flags & IFF_LOOPBACK) && !lnw_tc_set_has(&app->tc, it->ifindex) &&
	       lnw_iface_wanted(app->opts.ifaces, app->opts.n_ifaces, it->name);
}

/* A link event: attach to new interfaces, forget removed ones. */
void lnw_app_on_link(void *ctx, const struct lnw_iface *it, bool added)
{
	struct lnw_app *app = ctx;
	char err[LNW_ATT_ERR_LEN];

	if (!added) {
		if (app->opts.n_ifaces && lnw_tc_set_has(&app->tc, it->ifindex))
			lnw_iface_report(app->opts.json, it->name, it->ifindex, true);
		lnw_tc_set_remove(&app->tc, it->ifindex);
		return;
	}
	if (wanted(app, it))
		on_added(app, it, lnw_tc_set_add(&app->tc, it, err, sizeof(err)), err);
}

static int by_ifindex(const void *a, const void *b)
{
	const struct lnw_iface *x = a, *y = b;

	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

/* Watching all: make the attachments match the interfaces that exist. */
int lnw_app_sync_ifaces(struct lnw_app *app, char *err, size_t len)
{
	struct lnw_iface *all = NULL, key;
	int n, i, k;

	n = lnw_ifaces_list_all(&all); /* however many: no cap */
	if (n < 0) {
		snprintf(err, len, "cannot list interfaces (rtnetlink): %s", strerror(-n));
		return n;
	}
	qsort(all, (size_t)n, sizeof(*all), by_ifindex);
	for (i = app->tc.n - 1; i >= 0; i--) {
		key.ifindex = app->tc.atts[i].ifindex;
		if (!bsearch(&key, all, (size_t)n, sizeof(*all), by_ifindex)) {
			/* gone: as a link event would say it */
			struct lnw_iface gone = { .ifindex = app->tc.atts[i].ifindex };

			memcpy(gone.name, app->tc.atts[i].ifname, sizeof(gone.name));
			lnw_app_on_link(app, &gone, false);
		}
	}
	for (i = k = 0; i < n; i++) /* the new ones, attached together */
		if (wanted(app, &all[i]))
			all[k++] = all[i];
	i = lnw_tc_set_add_many(&app->tc, all, k, on_added, app);
	free(all);
	if (i)
		snprintf(err, len, "cannot attach: %s", strerror(-i));
	return i;
}

/* -i names exactly, or every non-loopback interface, now and later. */
int lnw_app_attach_ifaces(struct lnw_app *app, char *err, size_t len)
{
	const struct lnw_options *o = &app->opts;
	struct lnw_iface *all = NULL;
	int i, j, n, ret = 0;

	app->tc.prog_fd[LNW_LL_ETHER] = bpf_program__fd(lnw_app_tc_program(app, false));
	app->tc.prog_fd[LNW_LL_IP] = bpf_program__fd(lnw_app_tc_program(app, true));
	app->tc.try_tcx = app->kernel.has_tcx && !(o->fallbacks & LNW_FB_CLSACT) &&
			  o->attach != LNW_ATTACH_CLSACT;
	app->tc.tcx_max = o->attach == LNW_ATTACH_AUTO ? LNW_TCX_AUTO_MAX : 0;
	/* before listing; with -i too: one deleted is said, and watched
	 * again when one of that name comes back */
	ret = lnw_link_monitor_open(&app->links);
	if (ret) {
		snprintf(err, len, "cannot watch interfaces (rtnetlink): %s",
			 strerror(-ret));
		return ret;
	}
	if (!o->n_ifaces) {
		ret = lnw_app_sync_ifaces(app, err, len);
		if (!ret && !app->tc.n) {
			snprintf(err, len, "no non-loopback interface in this network "
				 "namespace: nothing can send it 127.0.0.0/8 traffic");
			ret = -ENODEV;
		}
		return ret;
	}
	n = lnw_ifaces_list_all(&all);
	if (n < 0) {
		snprintf(err, len, "cannot list interfaces (rtnetlink): %s", strerror(-n));
		return n;
	}
	for (i = 0; i < o->n_ifaces && !ret; i++) {
		for (j = 0; j < n && strcmp(all[j].name, o->ifaces[i]); j++)
			;
		if (j == n) {
			snprintf(err, len, "unknown interface '%s' in this network "
				 "namespace (see: ip link)", o->ifaces[i]);
			ret = -ENODEV;
		} else if (all[j].flags & IFF_LOOPBACK) {
			snprintf(err, len, "'%s' is the loopback device: lnwatch watches "
				 "127.0.0.0/8 packets arriving on other interfaces",
				 o->ifaces[i]);
			ret = -EINVAL;
		} else {
			ret = lnw_tc_set_add(&app->tc, &all[j], err, len);
		}
	}
	free(all);
	return ret;
}

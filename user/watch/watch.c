// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lnwatch's live watch: open -> set rodata/autoload from the kernel's
 * features -> load -> attach -> read events -> summary -> detach. One
 * cleanup path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
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
#include "metrics.h"
#include "nf_hooks.h"
#include "options.h"
#include "privs.h"
#include "ready_file.h"
#include "route_hooks.h"
#include "runtime.h"
#include "summary.h"
#include "app.h"
#include "watch.h"
#include "lnwatch.skel.h"

#define TICK_MS 100        /* drain period: events show within 0.1 s */
#define DRAIN_BUDGET_MS 50 /* longest a drain may run per tick */
#define EXIT_FAIL 1

static volatile sig_atomic_t exiting;
static bool libbpf_debug; /* libbpf's print callback takes no context */

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	if (level == LIBBPF_DEBUG && !libbpf_debug)
		return 0;
	/* bpf_tc_hook_create() on an existing clsact: expected, handled */
	if (!libbpf_debug && strstr(fmt, "Kernel error message: %s")) {
		va_list copy;
		bool benign;

		va_copy(copy, args);
		benign = strstr(va_arg(copy, const char *), "Exclusivity flag on");
		va_end(copy);
		if (benign)
			return 0;
	}
	return vfprintf(stderr, fmt, args);
}


static int load_programs(struct lnw_app *app, char *err, size_t len)
{
	const struct lnw_options *o = &app->opts;
	const struct lnw_kernel *k = &app->kernel;
	__u32 rb_bytes = o->ringbuf_kib * 1024;
	int ret;

	app->skel = lnw_kernel_open(k);
	if (!app->skel) {
		snprintf(err, len, "cannot open BPF object: %s", strerror(errno));
		return -errno;
	}
	app->skel->rodata->own_netns = app->netns_ino;
	app->skel->rodata->all_netns = o->all_netns;
	app->skel->rodata->force_infer = !!(o->fallbacks & LNW_FB_INFER);
	app->skel->rodata->wake_bytes = rb_bytes / 2;
	app->skel->rodata->rl_devconf_idx = (__u32)k->rl_devconf_idx;
	app->skel->rodata->want_latency = o->latency;
	app->skel->rodata->rate_per_flow = o->rate;
	app->skel->rodata->tick_ns = k->tick_ns;
	app->skel->rodata->filter_port = (__u16)o->port;
	app->skel->rodata->filter_src_net = o->src_net;
	app->skel->rodata->filter_src_mask = o->src_mask;
	app->skel->rodata->verdict_mask = o->verdict_mask;
	/* only what this kernel can load (kernel.c): every program optional
	 * but tc ingress, kfree_skb and fib_table_lookup */
	ret = lnw_kernel_autoload(app->skel, &app->kernel, o->fallbacks, err, len);
	if (ret)
		return ret;
	bpf_program__set_autoattach(app->skel->progs.lnw_ksym, false); /* run, not attached */
	bpf_map__set_max_entries(app->skel->maps.events, rb_bytes);
	bpf_program__set_autoattach(app->skel->progs.lnw_sysctl, false);

	ret = lnwatch_bpf__load(app->skel);
	if (ret) {
		snprintf(err, len, "cannot load BPF programs: %s%s", strerror(-ret),
			 /* the capabilities were checked: what is left refusing */
			 ret == -EPERM ? " (it has CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN: kernel "
			 "lockdown or a security module refused)" :
			 " (run with -v for the verifier log)");
		return ret;
	}
	if (o->overhead) {
		/* counts only while this fd is open: on for this run, however
		 * it ends, and off again after (unless someone else wants it) */
		app->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (app->stats_fd < 0) {
			snprintf(err, len, "--overhead: cannot enable BPF run-time stats: %s "
				 "(%s)", strerror(-app->stats_fd), app->stats_fd == -EPERM ?
				 "it needs CAP_SYS_ADMIN" : "Linux >= 5.8");
			return app->stats_fd;
		}
	}
	/* attached by route_hooks when route_localnet makes them useful */
	bpf_program__set_autoattach(app->skel->progs.lnw_fib_lookup, false);
	bpf_program__set_autoattach(app->skel->progs.lnw_fib_lookup_nocast, false);
	bpf_program__set_autoattach(app->skel->progs.lnw_sk_data_ready, false);
	ret = lnwatch_bpf__attach(app->skel); /* kfree_skb */
	if (ret) {
		snprintf(err, len, "cannot attach tracepoints: %s", strerror(-ret));
		return ret;
	}
	return 0;
}







/* What the route hooks report: accepts, their fates, refused replies */
#define ROUTE_VERDICTS ((1U << LNW_ACCEPT) | (1U << LNW_DROP) | \
			(1U << LNW_DELIVERED) | (1U << LNW_REPLY_REFUSED))

static int start_route_hooks(struct lnw_app *app, char *err, size_t len)
{
	const struct lnw_options *o = &app->opts;
	/* the one of the pair this kernel loaded (kernel.c) */
	struct bpf_program *progs[LNW_HOOKS_MAX_PROGS] = {
		bpf_program__autoload(app->skel->progs.lnw_fib_lookup) ?
		app->skel->progs.lnw_fib_lookup : app->skel->progs.lnw_fib_lookup_nocast,
	};
	enum lnw_route_hooks_mode mode = LNW_HOOKS_AUTO;

	if (bpf_program__autoload(app->skel->progs.lnw_sk_data_ready))
		progs[1] = app->skel->progs.lnw_sk_data_ready;
	if (o->verdict_mask && !(o->verdict_mask & ROUTE_VERDICTS))
		mode = LNW_HOOKS_NEVER;
	else if (o->route_hooks_always || o->all_netns)
		mode = LNW_HOOKS_ALWAYS; /* other namespaces' flags are not read */
	return lnw_route_hooks_init(&app->hooks, mode, progs, LNW_HOOKS_MAX_PROGS,
				    &app->tc, err, len);
}

/* What a DNAT makes of a packet to 127/8: not fatal when it cannot be
 * seen, but said. */
static void start_nf_hooks(struct lnw_app *app)
{
	char why[256];

	if (!bpf_program__autoload(app->skel->progs.lnw_nf))
		snprintf(why, sizeof(why), "this kernel has no netfilter BPF programs "
			 "(Linux < 6.4): a packet to 127/8 that a DNAT sends to a real "
			 "address (dnat-exposed) is not seen");
	else if (lnw_nf_hooks_update(&app->nf, bpf_program__fd(app->skel->progs.lnw_nf),
				     why, sizeof(why)) >= 0)
		return; /* attached, or not until a nat chain on PREROUTING exists */
	fprintf(stderr, "lnwatch: %s\n", why);
}









/* Flag writes: their ring beside the events', and the cgroup program. Not
 * having it is not fatal: the periodic read still sees every change. */
static int start_flag_events(struct lnw_app *app, char *err, size_t len)
{
	struct lnw_flag_events *fe = &app->flags;
	char why[384];
	int ret;

	fe->out = stdout;
	fe->json = app->opts.json;
	fe->mono_to_wall_ns = app->events.mono_to_wall_ns;
	fe->own_netns = app->netns_ino;
	fe->verbose = app->opts.verbose;
	fe->writes_strict = lnw_writes_strict();
	fe->hooks = &app->hooks;
	ret = ring_buffer__add(app->events.rb, bpf_map__fd(app->skel->maps.flag_events),
			       lnw_flag_events_on_record, fe);
	if (ret) {
		snprintf(err, len, "cannot read the flag-change ring: %s", strerror(-ret));
		return ret;
	}
	if (!bpf_program__autoload(app->skel->progs.lnw_sysctl))
		snprintf(why, sizeof(why), "this kernel's cgroup/sysctl programs cannot "
			 "read the writer: route_localnet changes are seen by the periodic "
			 "read only, writer unknown");
	else if (!lnw_flag_events_attach(fe, app->skel->progs.lnw_sysctl, why, sizeof(why)))
		return 0;
	fprintf(stderr, "lnwatch: %s\n", why);
	return 0;
}

static int setup_epoll(struct lnw_app *app, char *err, size_t len)
{
	struct epoll_event ev = { .events = EPOLLIN };

	app->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (app->epoll_fd < 0)
		goto fail;
	/* the ring's own fd: readable when the BPF side forces a wakeup */
	ev.data.u32 = 0;
	if (epoll_ctl(app->epoll_fd, EPOLL_CTL_ADD,
		      bpf_map__fd(app->skel->maps.events), &ev))
		goto fail;
	ev.data.u32 = 1;
	if (app->links && epoll_ctl(app->epoll_fd, EPOLL_CTL_ADD,
				    lnw_link_monitor_fd(app->links), &ev))
		goto fail;
	/* a flag write wakes us at once: the drain below reads it */
	ev.data.u32 = 2;
	if (epoll_ctl(app->epoll_fd, EPOLL_CTL_ADD,
		      bpf_map__fd(app->skel->maps.flag_events), &ev))
		goto fail;
	return 0;
fail:
	snprintf(err, len, "epoll: %s", strerror(errno));
	return -errno;
}


static int watch(struct lnw_app *app, char *err, size_t len)
{
	long long end = 0, next_interval = 0, next_flags = 0, now;
	bool hooks_failing = false, nf_failing = false;
	struct epoll_event evs[3];
	int n, i, ret = 0;

	if (app->opts.duration_s > 0)
		end = app->start_ns + (long long)(app->opts.duration_s * 1e9);
	if (app->opts.interval_s > 0)
		next_interval = app->start_ns + (long long)(app->opts.interval_s * 1e9);
	lnw_app_report_route_hooks(app, true);
	lnw_app_report_route_localnet_on(app);
	lnw_event_line_netns(app->netns_ino, app->opts.all_netns);
	if (!app->opts.json && !app->opts.quiet)
		printf("%s\n", lnw_event_header(app->opts.wide));
	fflush(stdout);
	while (!exiting) {
		n = epoll_wait(app->epoll_fd, evs, 3, TICK_MS);
		if (n < 0 && errno != EINTR) {
			snprintf(err, len, "epoll_wait: %s", strerror(errno));
			return -errno;
		}
		for (i = 0; i < n; i++)
			if (evs[i].data.u32 == 1 &&
			    lnw_link_monitor_read(app->links, lnw_app_on_link, app) == -ENOBUFS &&
			    (ret = lnw_app_sync_ifaces(app, err, len)))
				return ret; /* lost link events: list again */
		ret = lnw_events_drain(&app->events, DRAIN_BUDGET_MS);
		if (ret < 0) {
			snprintf(err, len, "reading events: %s", strerror(-ret));
			return ret;
		}
		if (app->flags.hooks_changed) { /* a write turned the flag on */
			app->flags.hooks_changed = false;
			lnw_app_report_route_hooks(app, false);
		}
		now = lnw_mono_ns();
		if (now >= next_flags) { /* not on every wakeup: once a tick */
			next_flags = now + TICK_MS * 1000000LL;
			/* said once while it keeps failing, as the route hooks are */
			ret = bpf_program__autoload(app->skel->progs.lnw_nf) ?
			      lnw_nf_hooks_update(&app->nf, bpf_program__fd(app->skel->progs.lnw_nf),
						  err, len) : 0;
			if (ret < 0 && !nf_failing)
				fprintf(stderr, "lnwatch: %s (retrying)\n", err);
			nf_failing = ret < 0;
			err[0] = '\0';
			ret = lnw_route_hooks_update(&app->hooks, &app->tc, err, len);
			lnw_app_say_flag_changes(app);
			lnw_app_say_tc_missed(app);
			lnw_metrics_publish(app->metrics, app);
			if (ret > 0)
				lnw_app_report_route_hooks(app, false);
			/* martians are still watched: say it, try again next tick */
			if (ret < 0 && !hooks_failing)
				fprintf(stderr, "lnwatch: %s (retrying)\n", err);
			hooks_failing = ret < 0;
			err[0] = '\0';
		}
		if (lnw_stdout_broken())
			return 0; /* EPIPE: quietly; an error: the exit says it */
		now = lnw_mono_ns();
		if (next_interval && now >= next_interval) {
			lnw_app_print_counters(app, "interval");
			next_interval += (long long)(app->opts.interval_s * 1e9);
		}
		if (end && now >= end)
			break;
	}
	return 0;
}

int lnw_watch_main(int argc, char **argv)
{
	struct lnw_app app = { .stats_fd = -1, .epoll_fd = -1, .hooks.all_fd = -1 };
	char err[512] = "";
	int ret;

	lnw_std_fds_open();         /* before any fd is opened */
	lnw_stdout_check_at_exit(); /* --help >/dev/full too */
	lnw_parse_args(argc, argv, &app.opts);
	libbpf_debug = app.opts.verbose;
	libbpf_set_print(libbpf_print);
	lnw_catch_signals(on_signal);
	lnw_raise_fd_limit();
	app.events.json = app.opts.json;
	app.events.wide = app.opts.wide;
	app.events.latency = app.opts.latency;
	app.events.quiet = app.opts.quiet;

	ret = lnw_privs_check(&app.opts, err, sizeof(err));
	/* bound where lnwatch starts, before --netns: metrics.h says why */
	if (!ret && app.opts.metrics)
		ret = lnw_metrics_listen(&app.metrics, (struct sockaddr *)&app.opts.metrics_addr,
					 app.opts.metrics_addr_len, app.opts.metrics,
					 err, sizeof(err));
	if (!ret && app.opts.netns)
		ret = lnw_netns_enter(app.opts.netns, err, sizeof(err));
	if (ret)
		goto cleanup;
	app.netns_ino = (__u32)lnw_netns_inode();
	ret = lnw_kernel_probe(&app.kernel, app.opts.btf_path, err, sizeof(err));
	if (ret)
		goto cleanup;
	ret = load_programs(&app, err, sizeof(err));
	if (ret)
		goto cleanup;
	ret = lnw_app_attach_ifaces(&app, err, sizeof(err));
	if (ret)
		goto cleanup;
	ret = start_route_hooks(&app, err, sizeof(err));
	if (ret)
		goto cleanup;
	start_nf_hooks(&app);
	app.events.kernel = &app.kernel;
	app.events.hooks = &app.hooks;
	app.events.netns = app.netns_ino;
	app.events.stats_fd = bpf_map__fd(app.skel->maps.stats);
	ret = lnw_events_open(&app.events, bpf_map__fd(app.skel->maps.events), stdout,
			      bpf_program__fd(app.skel->progs.lnw_ksym),
			      bpf_program__autoload(app.skel->progs.lnw_ksym) ?
			      app.skel->bss->lnw_ksym_buf : NULL);
	if (ret) {
		snprintf(err, sizeof(err), "cannot open ring buffer: %s", strerror(-ret));
		goto cleanup;
	}
	/* IPv6's records (::1 on a wire): their own ring, read beside it */
	ret = ring_buffer__add(app.events.rb, bpf_map__fd(app.skel->maps.events6),
			       lnw_events_on_record6, &app.events);
	if (ret) {
		snprintf(err, sizeof(err), "cannot open the IPv6 ring: %s", strerror(-ret));
		goto cleanup;
	}
	ret = start_flag_events(&app, err, sizeof(err));
	if (!ret)
		ret = setup_epoll(&app, err, sizeof(err));
	if (ret)
		goto cleanup;
	if (app.opts.verbose)
		fprintf(stderr, "lnwatch: %d interface(s)%s, attach %s, join by %s, "
			"martian reason %s, delivery %s, locations %s, route hooks %s "
			"(%s), netns %u%s, types %s\n", app.tc.n, app.opts.n_ifaces ? "" : " (+ new ones)",
			lnw_tc_set_kind_name(&app.tc), lnw_app_join_path(&app), lnw_app_reason_path(&app),
			bpf_program__autoload(app.skel->progs.lnw_sk_data_ready) ?
			"sk_data_ready" : "none", lnw_app_location_path(&app),
			lnw_route_hooks_mode_name(app.hooks.mode),
			app.hooks.attached ? "attached" : "detached", app.netns_ino,
			app.opts.all_netns ? " (+ all namespaces)" : "",
			app.opts.btf_path ? app.opts.btf_path : "/sys/kernel/btf/vmlinux");
	if (app.opts.verbose) /* and why, if something is */
		lnw_kernel_print_missing(stderr, app.skel, &app.kernel, app.flags.link);
	ret = lnw_privs_drop(&app, err, sizeof(err)); /* all attached: the rest is not needed */
	if (ret)
		goto cleanup;
	/* after the drop: capabilities are per thread, and the server's
	 * thread inherits the reduced set; before the ready file: ready means
	 * scrapable */
	if (app.metrics) {
		ret = lnw_metrics_start(app.metrics, &app, err, sizeof(err));
		if (ret)
			goto cleanup;
	}
	if (app.opts.ready_file) {
		ret = lnw_ready_file_make(&app.ready, app.opts.ready_file, err, sizeof(err));
		if (ret)
			goto cleanup;
	}
	app.start_ns = lnw_mono_ns();
	ret = watch(&app, err, sizeof(err));
	/* no new packets from here on; then read what is left */
	lnw_tc_set_clear(&app.tc);
	while (lnw_events_drain(&app.events, DRAIN_BUDGET_MS) > 0)
		;
	lnw_app_print_counters(&app, "summary");

cleanup:
	if (err[0])
		lnw_error(app.opts.json, "%s", err);
	lnw_metrics_stop(app.metrics); /* before what a scrape reads goes */
	lnw_tc_set_clear(&app.tc);
	lnw_flag_events_close(&app.flags);
	lnw_nf_hooks_close(&app.nf);
	lnw_route_hooks_close(&app.hooks);
	lnw_link_monitor_close(app.links);
	if (app.epoll_fd >= 0)
		close(app.epoll_fd);
	if (app.stats_fd >= 0)
		close(app.stats_fd);
	lnw_events_close(&app.events);
	lnwatch_bpf__destroy(app.skel);
	lnw_kernel_release(&app.kernel);
	lnw_ready_file_remove(&app.ready);
	return ret ? EXIT_FAIL : 0;
}

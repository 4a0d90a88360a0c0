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
#include <linux/capability.h>
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

#define TICK_MS 100        /* drain period: events show within 0.1 s */
#define DRAIN_BUDGET_MS 50 /* longest a drain may run per tick */
#define MAX_UNWATCHED 64   /* devices refused, remembered to say it once */
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

struct lnw_app {
	struct lnw_options opts;
	struct lnw_kernel kernel;
	struct lnwatch_bpf *skel;
	struct lnw_events events;
	struct lnw_tc_set tc;
	struct lnw_link_monitor *links; /* watching all: new interfaces */
	struct lnw_route_hooks hooks;   /* fib lookup + sk_data_ready, on demand */
	struct lnw_flag_events flags;   /* route_localnet writes, as events */
	struct lnw_nf_hooks nf;         /* DNAT'd away from 127/8 */
	int stats_fd;                   /* --overhead: BPF stats while open */
	int epoll_fd;
	__u32 netns_ino;
	long long start_ns;
	struct lnw_ready_file ready;
	int unwatched[MAX_UNWATCHED]; /* ifindexes of devices not parsed */
	int n_unwatched;
};

/* Loading BPF and attaching tc needs these; say which one is missing. */
static int check_privileges(char *err, size_t len)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};
	unsigned long long eff;

	if (syscall(SYS_capget, &hdr, data)) {
		snprintf(err, len, "capget: %s", strerror(errno));
		return -errno;
	}
	eff = data[0].effective | (unsigned long long)data[1].effective << 32;
#define HAS(cap) (eff & (1ULL << (cap)))
	if (!HAS(CAP_SYS_ADMIN) && !(HAS(CAP_BPF) && HAS(CAP_PERFMON))) {
		snprintf(err, len, "needs root, or CAP_BPF and CAP_PERFMON, to load "
			 "BPF programs: run it with sudo");
		return -EPERM;
	}
	if (!HAS(CAP_NET_ADMIN)) {
		snprintf(err, len, "needs CAP_NET_ADMIN to attach to tc ingress: "
			 "run it with sudo");
		return -EPERM;
	}
#undef HAS
	return 0;
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
			 ret == -EPERM ? " (privileges, or kernel.unprivileged_bpf_disabled/lockdown)" :
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
	bpf_program__set_autoattach(app->skel->progs.lnw_sk_data_ready, false);
	ret = lnwatch_bpf__attach(app->skel); /* kfree_skb */
	if (ret) {
		snprintf(err, len, "cannot attach tracepoints: %s", strerror(-ret));
		return ret;
	}
	return 0;
}


/* The tc program for devices with an Ethernet header, or without (l3). */
static struct bpf_program *tc_program(const struct lnw_app *app, bool l3)
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

/* A link event: attach to new interfaces, forget removed ones. */
static void on_link(void *ctx, const struct lnw_iface *it, bool added)
{
	struct lnw_app *app = ctx;
	char err[256];
	int ret;

	if (!added) {
		if (app->opts.n_ifaces && lnw_tc_set_has(&app->tc, it->ifindex))
			lnw_iface_report(app->opts.json, it->name, it->ifindex, true);
		lnw_tc_set_remove(&app->tc, it->ifindex);
		return;
	}
	/* with -i, only those names: one that comes back is watched again */
	if ((it->flags & IFF_LOOPBACK) || lnw_tc_set_has(&app->tc, it->ifindex) ||
	    !lnw_iface_wanted(app->opts.ifaces, app->opts.n_ifaces, it->name))
		return;
	ret = lnw_tc_set_add(&app->tc, it, err, sizeof(err));
	if (!ret && app->opts.n_ifaces)
		lnw_iface_report(app->opts.json, it->name, it->ifindex, false);
	/* any refusal is said, once; one already gone (a short-lived veth)
	 * only with -v */
	if (ret == -EPROTONOSUPPORT || (ret && ret != -ENODEV && ret != -ENOENT))
		report_unwatched(app, it->ifindex, err);
	else if (ret && app->opts.verbose)
		fprintf(stderr, "lnwatch: %s\n", err);
}

/* Watching all: make the attachments match the interfaces that exist. */
static int sync_all_ifaces(struct lnw_app *app, char *err, size_t len)
{
	struct lnw_iface *all = NULL;
	int n, i, j;

	n = lnw_ifaces_list_all(&all); /* however many: no cap */
	if (n < 0) {
		snprintf(err, len, "cannot list interfaces (rtnetlink): %s", strerror(-n));
		return n;
	}
	for (i = app->tc.n - 1; i >= 0; i--) {
		for (j = 0; j < n && all[j].ifindex != app->tc.atts[i].ifindex; j++)
			;
		if (j == n) { /* gone: as a link event would say it */
			struct lnw_iface gone = { .ifindex = app->tc.atts[i].ifindex };

			memcpy(gone.name, app->tc.atts[i].ifname, sizeof(gone.name));
			on_link(app, &gone, false);
		}
	}
	for (i = 0; i < n; i++)
		on_link(app, &all[i], true);
	free(all);
	return 0;
}

/* -i names exactly, or every non-loopback interface, now and later. */
static int attach_ifaces(struct lnw_app *app, char *err, size_t len)
{
	const struct lnw_options *o = &app->opts;
	struct lnw_iface *all = NULL;
	int i, j, n, ret = 0;

	app->tc.prog_fd[LNW_LL_ETHER] = bpf_program__fd(tc_program(app, false));
	app->tc.prog_fd[LNW_LL_IP] = bpf_program__fd(tc_program(app, true));
	app->tc.try_tcx = app->kernel.has_tcx && !(o->fallbacks & LNW_FB_CLSACT);
	/* before listing; with -i too: one deleted is said, and watched
	 * again when one of that name comes back */
	ret = lnw_link_monitor_open(&app->links);
	if (ret) {
		snprintf(err, len, "cannot watch interfaces (rtnetlink): %s",
			 strerror(-ret));
		return ret;
	}
	if (!o->n_ifaces) {
		ret = sync_all_ifaces(app, err, len);
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

/* What the route hooks report: accepts, their fates, refused replies */
#define ROUTE_VERDICTS ((1U << LNW_ACCEPT) | (1U << LNW_DROP) | \
			(1U << LNW_DELIVERED) | (1U << LNW_REPLY_REFUSED))

static int start_route_hooks(struct lnw_app *app, char *err, size_t len)
{
	const struct lnw_options *o = &app->opts;
	struct bpf_program *progs[LNW_HOOKS_MAX_PROGS] = { app->skel->progs.lnw_fib_lookup };
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
	else if (!lnw_nf_hooks_attach(&app->nf, bpf_program__fd(app->skel->progs.lnw_nf),
				      why, sizeof(why)))
		return;
	fprintf(stderr, "lnwatch: %s\n", why);
}

/* Say when tracing of accepted packets starts or stops, and why; at the
 * start, in JSON always, for a person only when it waits for the flag. */
static void report_route_hooks(const struct lnw_app *app, bool initial)
{
	const struct lnw_route_hooks *h = &app->hooks;

	if (app->opts.json)
		lnw_json_emit(stdout, lnw_hooks_json(h->attached, h->why));
	else if (h->attached && !initial)
		fprintf(stderr, "lnwatch: route_localnet is on (%s): tracing "
			"accepted packets\n", h->why);
	else if (!h->attached && h->mode == LNW_HOOKS_AUTO)
		fprintf(stderr, "lnwatch: route_localnet off on every watched "
			"device: only martians for now\n");
}

/* Where route_localnet is already on at the start, in this namespace. */
static void report_route_localnet_on(const struct lnw_app *app)
{
	const char **on = calloc((size_t)app->tc.n + 2, sizeof(*on));
	size_t n = 0;
	int i, v;

	if (!on)
		return;
	if (lnw_route_hooks_flag(&app->hooks, 0, "all") == 1)
		on[n++] = "all";
	if (!lnw_conf_read("default", LNW_CONF_ROUTE_LOCALNET, &v) && v == 1)
		on[n++] = "default";
	for (i = 0; i < app->tc.n; i++)
		if (lnw_route_hooks_flag(&app->hooks, app->tc.atts[i].ifindex,
					 app->tc.atts[i].ifname) == 1)
			on[n++] = app->tc.atts[i].ifname;
	lnw_route_localnet_report(stdout, stderr, app->opts.json, on, n);
	free(on);
}

static const char *join_path(const struct lnw_app *app)
{
	return tc_program(app, false) == app->skel->progs.lnw_tc_ingress ? "skb" : "addr";
}

static const char *reason_path(const struct lnw_app *app)
{
	return app->kernel.has_localnet_reason &&
	       !(app->opts.fallbacks & LNW_FB_INFER) ? "kernel" : "inferred";
}

/* How drop locations are named: by the kernel (%pS), or from kallsyms. */
static const char *location_path(const struct lnw_app *app)
{
	return bpf_program__autoload(app->skel->progs.lnw_ksym) ? "kernel" : "kallsyms";
}

/* What each program cost so far (--overhead). */
static size_t read_prog_costs(const struct lnw_app *app, struct lnw_prog_cost *out,
			      size_t max)
{
	struct bpf_program *prog;
	size_t n = 0;

	bpf_object__for_each_program(prog, app->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		/* lnw_ksym runs only when asked to name an address */
		if (n == max || !bpf_program__autoload(prog) ||
		    prog == app->skel->progs.lnw_ksym ||
		    bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			continue;
		out[n].name = bpf_program__name(prog);
		out[n].run_cnt = info.run_cnt;
		out[n].run_time_ns = info.run_time_ns;
		n++;
	}
	return n;
}

/* Each observed exposure's packets, exactly as BPF counted them (its
 * events are rate-limited; the count is not). */
static void count_exposures(struct lnw_app *app)
{
	int fd = bpf_map__fd(app->skel->maps.exposure_pkts);
	size_t i;

	for (i = 0; i < app->events.exposures.n; i++) {
		struct lnw_exposure *x = &app->events.exposures.v[i];
		struct lnw_exposure_key key = {
			.netns = x->netns, .ifindex = x->ifindex, .saddr = x->saddr,
			.sock_addr = x->sock_addr, .sock_port = x->sock_port, .proto = x->proto,
		};
		unsigned long long n = lnw_percpu_read(fd, &key);

		if (n)
			x->packets = n;
	}
}

/* The counters table: at the end ("summary"), and every -I ("interval"). */
static void print_counters(struct lnw_app *app, const char *type)
{
	static unsigned long long latency[LNW_VERDICT_MAX][LNW_LAT_SLOTS];
	struct lnw_prog_cost costs[8];
	struct lnw_counter_row *rows = NULL;
	struct lnw_summary s = {
		.type = type,
		.elapsed_s = (double)(lnw_mono_ns() - app->start_ns) / 1e9,
		.attach = lnw_attach_kind_name(app->tc.kind),
		.join = join_path(app),
		.reason_path = reason_path(app),
		.delivery = bpf_program__autoload(app->skel->progs.lnw_sk_data_ready) ?
			    "sk_data_ready" : "none",
		.location = location_path(app),
		.route_hooks = lnw_route_hooks_mode_name(app->hooks.mode),
		.route_hooks_attached = app->hooks.attached,
		.route_hooks_switches = app->hooks.switches,
		.flag_changes = app->flags.changes,
		.flag_writes = app->flags.link ? "cgroup/sysctl" : "periodic-read",
		.exposures = app->events.exposures.v,
		.n_exposures = app->events.exposures.n,
		.filtered = app->opts.port || app->opts.src_mask || app->opts.verdict_mask,
	};
	int stats_fd = bpf_map__fd(app->skel->maps.stats);
	size_t i;

	if (lnw_counters_read(bpf_map__fd(app->skel->maps.counters), &rows, &s.n_rows))
		lnw_error(app->opts.json, "cannot read counters");
	for (i = 0; i < s.n_rows; i++) {
		struct lnw_counter_row *r = &rows[i];

		r->reason = r->key.reason ? lnw_drop_reason_name(&app->kernel, r->key.reason) : NULL;
		/* names from another namespace are not ours to look up */
		if (!r->key.ifindex) /* local-refused: no receiving device */
			snprintf(r->ifname, sizeof(r->ifname), "local");
		else if (r->key.netns != app->netns_ino ||
			 !if_indextoname(r->key.ifindex, r->ifname))
			snprintf(r->ifname, sizeof(r->ifname), "if%u", r->key.ifindex);
	}
	s.rows = rows;
	count_exposures(app);
	s.lost_events = lnw_stat_read(stats_fd, LNW_STAT_RB_LOST);
	s.counter_overflow = lnw_stat_read(stats_fd, LNW_STAT_CNT_FULL);
	s.rate_limited = lnw_stat_read(stats_fd, LNW_STAT_RATE_LIMITED);
	if (app->opts.latency &&
	    !lnw_latency_read(bpf_map__fd(app->skel->maps.latency), latency))
		s.latency = latency;
	if (app->stats_fd >= 0) {
		s.progs = costs;
		s.n_progs = read_prog_costs(app, costs, LNW_ARRAY_SIZE(costs));
	}
	if (app->opts.json)
		lnw_json_emit(stdout, lnw_summary_json(&s));
	else
		lnw_summary_print(stdout, &s, app->opts.wide);
	fflush(stdout);
	free(rows);
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

/* What the last read of the flags found changed, writer unknown (a write
 * through /proc/sys was said when it happened). */
static void say_flag_changes(struct lnw_app *app)
{
	const struct lnw_route_hooks *h = &app->hooks;
	char name[IF_NAMESIZE];
	int i;

	for (i = 0; i < h->n_changes; i++) {
		const struct lnw_flag_change *c = &h->changes[i];

		if (!c->ifindex)
			snprintf(name, sizeof(name), "all");
		else if (!if_indextoname((unsigned int)c->ifindex, name))
			continue; /* gone meanwhile */
		lnw_flag_events_seen(&app->flags, app->netns_ino, name, !c->on, c->on);
	}
}

static int watch(struct lnw_app *app, char *err, size_t len)
{
	long long end = 0, next_interval = 0, next_flags = 0, now;
	bool hooks_failing = false;
	struct epoll_event evs[3];
	int n, i, ret = 0;

	if (app->opts.duration_s > 0)
		end = app->start_ns + (long long)(app->opts.duration_s * 1e9);
	if (app->opts.interval_s > 0)
		next_interval = app->start_ns + (long long)(app->opts.interval_s * 1e9);
	report_route_hooks(app, true);
	report_route_localnet_on(app);
	lnw_event_line_netns(app->netns_ino, app->opts.all_netns);
	if (!app->opts.json)
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
			    lnw_link_monitor_read(app->links, on_link, app) == -ENOBUFS &&
			    (ret = sync_all_ifaces(app, err, len)))
				return ret; /* lost link events: list again */
		ret = lnw_events_drain(&app->events, DRAIN_BUDGET_MS);
		if (ret < 0) {
			snprintf(err, len, "reading events: %s", strerror(-ret));
			return ret;
		}
		if (app->flags.hooks_changed) { /* a write turned the flag on */
			app->flags.hooks_changed = false;
			report_route_hooks(app, false);
		}
		now = lnw_mono_ns();
		if (now >= next_flags) { /* not on every wakeup: once a tick */
			next_flags = now + TICK_MS * 1000000LL;
			ret = lnw_route_hooks_update(&app->hooks, &app->tc, err, len);
			say_flag_changes(app);
			if (ret > 0)
				report_route_hooks(app, false);
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
			print_counters(app, "interval");
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

	ret = check_privileges(err, sizeof(err));
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
	ret = attach_ifaces(&app, err, sizeof(err));
	if (ret)
		goto cleanup;
	ret = start_route_hooks(&app, err, sizeof(err));
	if (ret)
		goto cleanup;
	start_nf_hooks(&app);
	app.events.kernel = &app.kernel;
	app.events.hooks = &app.hooks;
	app.events.netns = app.netns_ino;
	ret = lnw_events_open(&app.events, bpf_map__fd(app.skel->maps.events), stdout,
			      bpf_program__fd(app.skel->progs.lnw_ksym),
			      bpf_program__autoload(app.skel->progs.lnw_ksym) ?
			      app.skel->bss->lnw_ksym_buf : NULL);
	if (ret) {
		snprintf(err, sizeof(err), "cannot open ring buffer: %s", strerror(-ret));
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
			lnw_attach_kind_name(app.tc.kind), join_path(&app), reason_path(&app),
			bpf_program__autoload(app.skel->progs.lnw_sk_data_ready) ?
			"sk_data_ready" : "none", location_path(&app),
			lnw_route_hooks_mode_name(app.hooks.mode),
			app.hooks.attached ? "attached" : "detached", app.netns_ino,
			app.opts.all_netns ? " (+ all namespaces)" : "",
			app.opts.btf_path ? app.opts.btf_path : "/sys/kernel/btf/vmlinux");
	if (app.opts.verbose) /* and why, if something is */
		lnw_kernel_print_missing(stderr, app.skel, &app.kernel, app.flags.link);
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
	print_counters(&app, "summary");

cleanup:
	if (err[0])
		lnw_error(app.opts.json, "%s", err);
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

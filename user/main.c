// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * lnwatch: open -> set rodata/autoload from the kernel's features -> load
 * -> attach -> read events -> summary -> detach. One cleanup path.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <bpf/libbpf.h>

#include "attach.h"
#include "audit.h"
#include "counters.h"
#include "events.h"
#include "ifaces.h"
#include "kernel.h"
#include "options.h"
#include "output.h"
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

struct lnw_app {
	struct lnw_options opts;
	struct lnw_kernel kernel;
	struct lnwatch_bpf *skel;
	struct lnw_events events;
	struct lnw_tc_att atts[LNW_MAX_IFACES];
	int n_atts;
	enum lnw_attach_kind attach_kind; /* what the first attach took */
	bool ready_file_made;
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

static __u32 own_netns_inode(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : (__u32)st.st_ino;
}

/* -i names, or every non-loopback interface of this namespace. */
static int pick_ifaces(const struct lnw_options *o, struct lnw_iface *out,
		       char *err, size_t len)
{
	struct lnw_iface all[256];
	int n_all = lnw_ifaces_list(all, 256), n = 0, i, j;

	if (n_all < 0) {
		snprintf(err, len, "cannot list interfaces (rtnetlink): %s",
			 strerror(-n_all));
		return n_all;
	}
	if (!o->n_ifaces) {
		for (i = 0; i < n_all && n < LNW_MAX_IFACES; i++)
			if (!(all[i].flags & IFF_LOOPBACK))
				out[n++] = all[i];
		if (!n) {
			snprintf(err, len, "no non-loopback interface in this network "
				 "namespace: nothing can send it 127.0.0.0/8 traffic");
			return -ENODEV;
		}
		return n;
	}
	for (i = 0; i < o->n_ifaces; i++) {
		for (j = 0; j < n_all; j++)
			if (!strcmp(all[j].name, o->ifaces[i]))
				break;
		if (j == n_all) {
			snprintf(err, len, "unknown interface '%s' in this network "
				 "namespace (see: ip link)", o->ifaces[i]);
			return -ENODEV;
		}
		if (all[j].flags & IFF_LOOPBACK) {
			snprintf(err, len, "'%s' is the loopback device: lnwatch watches "
				 "127.0.0.0/8 packets arriving on other interfaces",
				 o->ifaces[i]);
			return -EINVAL;
		}
		out[n++] = all[j];
	}
	return n;
}

static int load_programs(struct lnw_app *app, char *err, size_t len)
{
	const struct lnw_options *o = &app->opts;
	const struct lnw_kernel *k = &app->kernel;
	bool use_kfunc = k->has_kfunc_ctx && !(o->fallbacks & LNW_FB_ADDR_JOIN);
	__u32 rb_bytes = o->ringbuf_kib * 1024;
	int ret;

	app->skel = lnwatch_bpf__open();
	if (!app->skel) {
		snprintf(err, len, "cannot open BPF object: %s", strerror(errno));
		return -errno;
	}
	app->skel->rodata->own_netns = own_netns_inode();
	app->skel->rodata->all_netns = o->all_netns;
	app->skel->rodata->force_infer = !!(o->fallbacks & LNW_FB_INFER);
	app->skel->rodata->wake_bytes = rb_bytes / 2;
	app->skel->rodata->rl_devconf_idx = (__u32)k->rl_devconf_idx;
	bpf_program__set_autoload(app->skel->progs.lnw_tc_ingress, use_kfunc);
	bpf_program__set_autoload(app->skel->progs.lnw_tc_ingress_compat, !use_kfunc);
	bpf_map__set_max_entries(app->skel->maps.events, rb_bytes);

	ret = lnwatch_bpf__load(app->skel);
	if (ret) {
		snprintf(err, len, "cannot load BPF programs: %s%s", strerror(-ret),
			 ret == -EPERM ? " (privileges, or kernel.unprivileged_bpf_disabled/lockdown)" :
			 " (run with -v for the verifier log)");
		return ret;
	}
	ret = lnwatch_bpf__attach(app->skel); /* the two tp_btf programs */
	if (ret) {
		snprintf(err, len, "cannot attach tracepoints kfree_skb/fib_table_lookup: %s",
			 strerror(-ret));
		return ret;
	}
	return 0;
}

static int attach_ifaces(struct lnw_app *app, char *err, size_t len)
{
	const struct bpf_program *prog = bpf_program__autoload(app->skel->progs.lnw_tc_ingress) ?
		app->skel->progs.lnw_tc_ingress : app->skel->progs.lnw_tc_ingress_compat;
	bool try_tcx = app->kernel.has_tcx && !(app->opts.fallbacks & LNW_FB_CLSACT);
	struct lnw_iface ifs[LNW_MAX_IFACES];
	int n = pick_ifaces(&app->opts, ifs, err, len), i, ret;

	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		ret = lnw_tc_attach(bpf_program__fd(prog), ifs[i].ifindex, ifs[i].name,
				    try_tcx, &app->atts[app->n_atts], err, len);
		if (ret)
			return ret;
		app->attach_kind = app->atts[app->n_atts++].kind;
	}
	return 0;
}

static const char *attach_path(const struct lnw_app *app)
{
	return lnw_attach_kind_name(app->attach_kind);
}

static const char *join_path(const struct lnw_app *app)
{
	return bpf_program__autoload(app->skel->progs.lnw_tc_ingress) ? "skb" : "addr";
}

static const char *reason_path(const struct lnw_app *app)
{
	return app->kernel.has_localnet_reason &&
	       !(app->opts.fallbacks & LNW_FB_INFER) ? "kernel" : "inferred";
}

static int make_ready_file(const char *path, char *err, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		snprintf(err, len, "cannot create ready file %s: %s", path, strerror(errno));
		return -errno;
	}
	dprintf(fd, "%d\n", (int)getpid());
	close(fd);
	return 0;
}

static void print_summary(struct lnw_app *app, double elapsed_s)
{
	struct lnw_counter_row *rows = NULL;
	struct lnw_summary s = {
		.elapsed_s = elapsed_s,
		.attach = attach_path(app),
		.join = join_path(app),
		.reason_path = reason_path(app),
	};
	size_t i;
	int stats_fd = bpf_map__fd(app->skel->maps.stats);

	if (lnw_counters_read(bpf_map__fd(app->skel->maps.counters), &rows, &s.n_rows))
		lnw_error(app->opts.json, "cannot read counters");
	for (i = 0; i < s.n_rows; i++) {
		struct lnw_counter_row *r = &rows[i];

		r->reason = r->key.reason ? lnw_drop_reason_name(&app->kernel, r->key.reason) : NULL;
		/* names from the events' namespace are not ours to look up */
		if (r->key.netns != app->skel->rodata->own_netns ||
		    !if_indextoname(r->key.ifindex, r->ifname))
			snprintf(r->ifname, sizeof(r->ifname), "if%u", r->key.ifindex);
	}
	s.rows = rows;
	s.lost_events = lnw_stat_read(stats_fd, LNW_STAT_RB_LOST);
	s.counter_overflow = lnw_stat_read(stats_fd, LNW_STAT_CNT_FULL);
	if (app->opts.json)
		lnw_json_emit(stdout, lnw_summary_json(&s));
	else
		lnw_summary_print(stdout, &s, app->opts.wide);
	fflush(stdout);
	free(rows);
}

static void detach_all(struct lnw_app *app)
{
	while (app->n_atts > 0)
		lnw_tc_detach(&app->atts[--app->n_atts]);
}

static int watch(struct lnw_app *app)
{
	long long start = lnw_mono_ns(), end = 0;
	int ret = 0;

	if (app->opts.duration_s > 0)
		end = start + (long long)(app->opts.duration_s * 1e9);
	if (!app->opts.json)
		printf("%s\n", lnw_event_header(app->opts.wide));
	fflush(stdout);
	while (!exiting) {
		ret = lnw_events_poll(&app->events, TICK_MS, DRAIN_BUDGET_MS);
		if (ret < 0) {
			lnw_error(app->opts.json, "reading events: %s", strerror(-ret));
			break;
		}
		ret = 0;
		if (ferror(stdout))
			break; /* reader went away (EPIPE) */
		if (end && lnw_mono_ns() >= end)
			break;
	}
	/* no new packets from here on; then read what is left */
	detach_all(app);
	while (lnw_events_poll(&app->events, 0, DRAIN_BUDGET_MS) > 0)
		;
	print_summary(app, (double)(lnw_mono_ns() - start) / 1e9);
	return ret;
}

int main(int argc, char **argv)
{
	struct lnw_app app = {};
	char err[512] = "";
	int ret;

	if (argc > 1 && !strcmp(argv[1], "audit"))
		return lnw_audit_main(argc - 1, argv + 1);
	lnw_parse_args(argc, argv, &app.opts);
	libbpf_debug = app.opts.verbose;
	libbpf_set_print(libbpf_print);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, SIG_IGN);

	ret = check_privileges(err, sizeof(err));
	if (ret)
		goto cleanup;
	ret = lnw_kernel_probe(&app.kernel, err, sizeof(err));
	if (ret)
		goto cleanup;
	ret = load_programs(&app, err, sizeof(err));
	if (ret)
		goto cleanup;
	ret = attach_ifaces(&app, err, sizeof(err));
	if (ret)
		goto cleanup;
	ret = lnw_events_open(&app.events, bpf_map__fd(app.skel->maps.events),
			      stdout, app.opts.json, app.opts.wide, &app.kernel);
	if (ret) {
		snprintf(err, sizeof(err), "cannot open ring buffer: %s", strerror(-ret));
		goto cleanup;
	}
	if (app.opts.verbose)
		fprintf(stderr, "lnwatch: %d interface(s), attach %s, join by %s, "
			"martian reason %s, netns %u%s\n", app.n_atts, attach_path(&app),
			join_path(&app), reason_path(&app), app.skel->rodata->own_netns,
			app.opts.all_netns ? " (+ all namespaces)" : "");
	if (app.opts.ready_file) {
		ret = make_ready_file(app.opts.ready_file, err, sizeof(err));
		if (ret)
			goto cleanup;
		app.ready_file_made = true;
	}
	ret = watch(&app);

cleanup:
	if (err[0])
		lnw_error(app.opts.json, "%s", err);
	detach_all(&app);
	lnw_events_close(&app.events);
	lnwatch_bpf__destroy(app.skel);
	lnw_kernel_release(&app.kernel);
	if (app.ready_file_made)
		unlink(app.opts.ready_file);
	return ret ? EXIT_FAIL : 0;
}

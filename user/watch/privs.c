// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Least privilege: the capabilities the watch needs to start, and the few
 * it keeps once everything is attached. libcap (Debian's libcap2) reads
 * and sets the five sets, so no struct layout or version is ours to get
 * right. Why each one: README, Running in production.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "lib/caps.h"
#include "lib/util.h"
#include "app.h"
#include "lnwatch.skel.h"
#include "privs.h"

struct cap_use {
	cap_value_t cap;
	const char *what;
};

/* What starting needs; CAP_SYS_ADMIN stands in for CAP_BPF and
 * CAP_PERFMON (the kernel's bpf_capable()/perfmon_capable()), never for
 * CAP_NET_ADMIN: nfnetlink and tc ask for that one itself. */
static const struct cap_use start_caps[] = {
	{ CAP_BPF, "to create maps and load BPF programs" },
	{ CAP_PERFMON, "to load the tracing programs (tp_btf, raw_tp)" },
	{ CAP_NET_ADMIN, "to load and attach tc programs and read nf_tables" },
};

__attribute__((format(printf, 4, 5)))
static size_t append(char *buf, size_t len, size_t off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (off >= len)
		return off;
	va_start(ap, fmt);
	n = vsnprintf(buf + off, len - off, fmt, ap);
	va_end(ap);
	return n < 0 ? off : off + (size_t)n;
}

static bool effective(cap_t caps, cap_value_t cap, cap_flag_t set)
{
	cap_flag_value_t v = CAP_CLEAR;

	return !cap_get_flag(caps, cap, set, &v) && v == CAP_SET;
}

int lnw_privs_check(const struct lnw_options *o, char *err, size_t len)
{
	cap_t caps = cap_get_proc();
	size_t i, off = 0;
	bool admin;

	if (!caps) {
		snprintf(err, len, "cannot read its capabilities: %s", strerror(errno));
		return -errno;
	}
	admin = effective(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE);
	err[0] = '\0';
	for (i = 0; i < LNW_ARRAY_SIZE(start_caps); i++) {
		cap_value_t c = start_caps[i].cap;

		if (effective(caps, c, CAP_EFFECTIVE) || (admin && c != CAP_NET_ADMIN))
			continue;
		if (!off)
			off = append(err, len, off, "needs root, or CAP_BPF, CAP_PERFMON and "
					 "CAP_NET_ADMIN: missing");
		off = append(err, len, off, " %s (%s)", lnw_cap_name(c), start_caps[i].what);
	}
	if (!off && !admin && (o->netns || o->overhead))
		snprintf(err, len, "%s needs CAP_SYS_ADMIN (%s): missing", o->netns ? "--netns" :
			 "--overhead", o->netns ? "to enter another network namespace" :
			 "to turn on the kernel's BPF run-time stats");
	/* not fatal: the rest works, those events give no owner (pid null) */
	if (!err[0] && (!effective(caps, CAP_SYS_PTRACE, CAP_EFFECTIVE) ||
	    !effective(caps, CAP_DAC_READ_SEARCH, CAP_EFFECTIVE)))
		fprintf(stderr, "lnwatch: without CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH "
			"the owner of another user's or a more privileged process's "
			"socket is not named\n");
	cap_free(caps);
	return err[0] ? -EPERM : 0;
}

/* What the run still does after start-up, and needs (Linux 6.18 checked
 * each by dropping it: README, Running in production). */
static void run_caps(const struct lnw_app *app, cap_value_t *keep, int *n)
{
	/* nf_tables chains listed every tick (nfnetlink asks it of every
	 * message); tc filters of new interfaces and their removal at exit
	 * on the clsact path (rtnetlink) */
	keep[(*n)++] = CAP_NET_ADMIN;
	/* links of loaded programs (tcx for new interfaces, route hooks,
	 * netfilter) and map reads need none on 6.5+, but before 6.5 every
	 * bpf() command wants bpf_capable() under unprivileged_bpf_disabled */
	keep[(*n)++] = CAP_BPF;
	/* owners of sockets: /proc/PID/fd of processes with more capabilities
	 * (ptrace access check) and of other users (0500 directories) */
	keep[(*n)++] = CAP_SYS_PTRACE;
	keep[(*n)++] = CAP_DAC_READ_SEARCH;
	/* drop locations from /proc/kallsyms: real addresses only with it */
	if (!bpf_program__autoload(app->skel->progs.lnw_ksym))
		keep[(*n)++] = CAP_SYSLOG;
}

/* Does /proc/kallsyms show this process real addresses? (CAP_SYSLOG, or
 * perf_event_paranoid <= 1, and kptr_restrict < 2: the file knows.) */
static bool kallsyms_readable(void)
{
	unsigned long long addr = 0;
	FILE *f = fopen("/proc/kallsyms", "re");

	if (!f)
		return false;
	if (fscanf(f, "%llx", &addr) != 1)
		addr = 0;
	fclose(f);
	return addr != 0;
}

int lnw_privs_drop(const struct lnw_app *app, char *err, size_t len)
{
	cap_value_t keep[8], c;
	cap_t now = cap_get_proc(), want = cap_init();
	int n = 0, i, ret = 0;
	bool sys_admin;

	if (!now || !want) {
		ret = -errno;
		snprintf(err, len, "cannot read its capabilities: %s", strerror(-ret));
		goto cleanup;
	}
	run_caps(app, keep, &n);
	/* without CAP_BPF, CAP_SYS_ADMIN stood in for it: still needed */
	sys_admin = !effective(now, CAP_BPF, CAP_PERMITTED);
	if (sys_admin)
		keep[n++] = CAP_SYS_ADMIN;
	for (i = 0; i < n; i++) /* only what it has: dropping never adds */
		if (effective(now, keep[i], CAP_PERMITTED) &&
		    (cap_set_flag(want, CAP_PERMITTED, 1, &keep[i], CAP_SET) ||
		     cap_set_flag(want, CAP_EFFECTIVE, 1, &keep[i], CAP_SET))) {
			ret = -errno;
			snprintf(err, len, "cannot build its capability set: %s", strerror(-ret));
			goto cleanup;
		}
	/* the bounding set first: it takes CAP_SETPCAP, dropped next */
	if (effective(now, CAP_SETPCAP, CAP_EFFECTIVE))
		for (c = 0; c <= CAP_LAST_CAP; c++) {
			for (i = 0; i < n && keep[i] != c; i++)
				;
			if (i == n && CAP_IS_SUPPORTED(c) && cap_drop_bound(c) && errno != EINVAL) {
				ret = -errno;
				snprintf(err, len, "cannot drop capability %d from the bounding "
					 "set: %s", c, strerror(-ret));
				goto cleanup;
			}
		}
	/* no exec is ever to regain what is dropped here */
	if (cap_reset_ambient() && errno != EINVAL) {
		ret = -errno;
		snprintf(err, len, "cannot clear the ambient capabilities: %s", strerror(-ret));
		goto cleanup;
	}
	/* still one thread (--metrics starts its server after this, and it
	 * inherits the set): cap_set_proc's per-thread scope is enough */
	if (cap_set_proc(want) || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		ret = -errno;
		snprintf(err, len, "cannot drop capabilities: %s", strerror(-ret));
		goto cleanup;
	}
	if (!bpf_program__autoload(app->skel->progs.lnw_ksym) && !kallsyms_readable())
		fprintf(stderr, "lnwatch: /proc/kallsyms shows no addresses without "
			"CAP_SYSLOG: drop locations are not named\n");
cleanup:
	cap_free(now);
	cap_free(want);
	return ret;
}

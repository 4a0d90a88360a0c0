// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* route_localnet changes as events: decoded, said, and acted on at once. */
#define _GNU_SOURCE /* unshare */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <bpf/libbpf.h>

#include "lib/caps.h"
#include "lib/json.h"
#include "lib/sysctl.h"
#include "lib/text.h"
#include "lib/util.h"
#include "lnwatch.h"
#include "flag_events.h"
#include "route_hooks.h"


/* The cgroup2 mount point in a mountinfo file, or -ENOENT. */
static int cgroup2_mount(const char *mountinfo, char *out, size_t len)
{
	FILE *f = fopen(mountinfo, "re");
	char line[1024], *sep, mnt[512], root[512], type[64];
	int ret = -ENOENT;

	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		sep = strstr(line, " - ");
		if (!sep || sscanf(sep + 3, "%63s", type) != 1 || strcmp(type, "cgroup2") ||
		    sscanf(line, "%*s %*s %*s %511s %511s", root, mnt) != 2 || strcmp(root, "/"))
			continue;
		if (snprintf(out, len, "%s", mnt) < (int)len)
			ret = 0;
	}
	fclose(f);
	return ret;
}

/* Without a cgroup2 mount in sight (`ip netns exec` gives its command a
 * mount namespace with a fresh /sys and none): mount the hierarchy in a
 * mount namespace of our own, private, take its root and let the mount go.
 * Nothing is mounted where anyone else can see it. */
static int cgroup2_private_root(char *where, size_t len)
{
	char dir[] = "/tmp/lnwatch-cgroup.XXXXXX";
	int fd, ret = 0;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -errno;
	if (!mkdtemp(dir))
		return -errno;
	if (mount("cgroup2", dir, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) {
		ret = -errno;
		rmdir(dir);
		return ret;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		ret = -errno;
	umount2(dir, MNT_DETACH);
	rmdir(dir);
	snprintf(where, len, "cgroup2 root (mounted privately)");
	return fd < 0 ? ret : fd;
}

/* An fd of the cgroup v2 root: found, not assumed (a hybrid host has it at
 * /sys/fs/cgroup/unified, a unified one at /sys/fs/cgroup). */
static int cgroup2_root(char *where, size_t len)
{
	int fd, ret = cgroup2_mount("/proc/self/mountinfo", where, len);

	if (ret == -ENOENT)
		return cgroup2_private_root(where, len);
	if (ret)
		return ret;
	fd = open(where, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int lnw_flag_events_attach(struct lnw_flag_events *fe, struct bpf_program *prog,
			   char *err, size_t len)
{
	int fd = cgroup2_root(fe->cgroup, sizeof(fe->cgroup)), ret;

	if (fd < 0) {
		snprintf(err, len, "cannot open the cgroup v2 root (%s%s): route_localnet "
			 "writes are seen by the periodic read only, writer unknown",
			 strerror(-fd), lnw_cap_needed(fd, CAP_SYS_ADMIN));
		fe->cgroup[0] = '\0';
		return fd;
	}
	/* a link: others' programs stay (multi), and it goes when we do */
	fe->link = bpf_program__attach_cgroup(prog, fd);
	ret = fe->link ? 0 : -errno;
	close(fd);
	if (ret) {
		snprintf(err, len, "cannot attach to the cgroup v2 root (%s): %s",
			 fe->cgroup, strerror(-ret));
		fe->cgroup[0] = '\0';
	}
	return ret;
}

/* "net/ipv4/conf/eth0/route_localnet" -> "eth0"; false if not that shape. */
static bool conf_dir(const char *name, char *dir, size_t len)
{
	static const char prefix[] = "net/ipv4/conf/";
	const char *p = name + sizeof(prefix) - 1, *slash;

	if (strncmp(name, prefix, sizeof(prefix) - 1))
		return false;
	slash = strchr(p, '/');
	if (!slash || (size_t)(slash - p) >= len || slash == p)
		return false;
	memcpy(dir, p, (size_t)(slash - p));
	dir[slash - p] = '\0';
	return true;
}

static int value_of(const char *text)
{
	char *end;
	long v = strtol(text, &end, 10);

	return end == text ? -1 : v != 0;
}

static const char *scope_of(const char *dir)
{
	return !strcmp(dir, "all") ? "all" : !strcmp(dir, "default") ? "default" : "dev";
}

struct flag_change {
	long long wall_ns;
	unsigned int netns;
	const char *dir;
	int old_value, new_value;      /* -1: unknown */
	const struct lnw_flag_event *writer; /* NULL: seen by the periodic read */
};

static json_object *json_value(int v)
{
	return v < 0 ? NULL : json_object_new_int(v);
}

static void say(struct lnw_flag_events *fe, const struct flag_change *c)
{
	char name[LNW_PRINTABLE_LEN(16)], comm[LNW_PRINTABLE_LEN(16)], when[16];
	time_t secs = (time_t)(c->wall_ns / 1000000000LL);
	struct tm tm;

	fe->changes++;
	if (fe->json) {
		json_object *o = json_object_new_object(), *w = NULL;
		struct timespec ts = { secs, c->wall_ns % 1000000000LL };
		char iso[40];

		gmtime_r(&ts.tv_sec, &tm);
		strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(iso + strlen(iso), sizeof(iso) - strlen(iso), ".%06ldZ", ts.tv_nsec / 1000);
		json_object_object_add(o, "type", json_object_new_string("flag-change"));
		json_object_object_add(o, "ts", json_object_new_string(iso));
		json_object_object_add(o, "netns", json_object_new_uint64(c->netns));
		json_object_object_add(o, "knob", json_object_new_string("route_localnet"));
		json_object_object_add(o, "scope", json_object_new_string(scope_of(c->dir)));
		json_object_object_add(o, "ifname", strcmp(scope_of(c->dir), "dev") ? NULL :
				       lnw_json_name(c->dir));
		json_object_object_add(o, "old", json_value(c->old_value));
		json_object_object_add(o, "new", json_value(c->new_value));
		json_object_object_add(o, "source", json_object_new_string(c->writer ?
				       "sysctl-write" : "periodic-read"));
		if (c->writer) {
			w = json_object_new_object();
			json_object_object_add(w, "pid", json_object_new_int((int)c->writer->pid));
			json_object_object_add(w, "comm", lnw_json_name(c->writer->comm));
			json_object_object_add(w, "uid", json_object_new_int64(c->writer->uid));
		}
		json_object_object_add(o, "writer", w);
		lnw_json_emit(fe->out, o);
	} else {
		localtime_r(&secs, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		lnw_name_printable(c->dir, name, sizeof(name));
		fprintf(fe->out, "%s route_localnet %s: %c -> %c", when, name,
			c->old_value < 0 ? '?' : '0' + c->old_value,
			c->new_value < 0 ? '?' : '0' + c->new_value);
		if (c->writer) {
			lnw_name_printable(c->writer->comm, comm, sizeof(comm));
			fprintf(fe->out, " (pid %u %s, uid %u)\n", c->writer->pid, comm,
				c->writer->uid);
		} else {
			fprintf(fe->out, " (writer unknown: not through /proc/sys)\n");
		}
	}
	fflush(fe->out);
}

/* The value the kernel holds after a write to it in our namespace: the
 * write runs on after the program's record, so a value still the old one
 * is read again for a few ms. -1 if unreadable (the device went). */
static int value_after_write(const char *dir, int old_value)
{
	struct timespec ms = { 0, 1000000 };
	int i, v = -1;

	for (i = 0; i < 5; i++) {
		if (lnw_conf_read(dir, LNW_CONF_ROUTE_LOCALNET, &v))
			return -1;
		v = v != 0; /* any non-zero value is on */
		if (v != old_value)
			break;
		nanosleep(&ms, NULL);
	}
	return v;
}

/* kernel.sysctl_writes_strict: 1 (the default) ignores a write at an
 * offset; other settings apply it, or part of it. */
#define WRITES_STRICT 1

int lnw_writes_strict(void)
{
	FILE *f = fopen("/proc/sys/kernel/sysctl_writes_strict", "re");
	int v = WRITES_STRICT;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = WRITES_STRICT;
		fclose(f);
	}
	return v;
}

/* What the write made of the flag: 0 or 1, LNW_WRITE_NOT_TAKEN (refused
 * or ignored by the kernel), or -1 when its record cannot tell (too long
 * a value, an offset under another writes_strict): then it is read back
 * in our namespace, or taken as written in another. */
#define LNW_WRITE_NOT_TAKEN (-2)
static int value_written(const struct lnw_flag_events *fe, const struct lnw_flag_event *e,
			 const char *dir, int old_value)
{
	long long v;
	int now;

	if (e->file_pos && fe->writes_strict == WRITES_STRICT)
		return LNW_WRITE_NOT_TAKEN;
	if (!e->file_pos && e->new_len >= 0 && (size_t)e->new_len < sizeof(e->new_value))
		return lnw_sysctl_int_write(e->new_value, (size_t)e->new_len, &v) ?
		       v != 0 : LNW_WRITE_NOT_TAKEN;
	if (e->netns != fe->own_netns || old_value < 0)
		return value_of(e->new_value);
	now = value_after_write(dir, old_value);
	return now == old_value ? LNW_WRITE_NOT_TAKEN : now;
}

int lnw_flag_events_on_record(void *ctx, void *data, size_t len)
{
	struct lnw_flag_events *fe = ctx;
	struct lnw_flag_event e;
	struct flag_change c = { .writer = &e };
	char dir[16];

	if (len < sizeof(e))
		return 0;
	memcpy(&e, data, sizeof(e));
	e.name[sizeof(e.name) - 1] = e.comm[sizeof(e.comm) - 1] = '\0';
	e.old_value[sizeof(e.old_value) - 1] = e.new_value[sizeof(e.new_value) - 1] = '\0';
	if (!conf_dir(e.name, dir, sizeof(dir)))
		return 0;
	c.wall_ns = (long long)e.ts_ns + fe->mono_to_wall_ns;
	c.netns = e.netns;
	c.dir = dir;
	c.old_value = value_of(e.old_value);
	c.new_value = value_written(fe, &e, dir, c.old_value);
	if (c.new_value == LNW_WRITE_NOT_TAKEN) {
		if (fe->verbose) {
			char name[LNW_PRINTABLE_LEN(16)];

			lnw_name_printable(dir, name, sizeof(name));
			fprintf(stderr, "lnwatch: pid %u wrote route_localnet %s: refused or "
				"ignored by the kernel, no change\n", e.pid, name);
		}
		return 0;
	}
	if (c.old_value == c.new_value)
		return 0; /* rewritten with the same value: nothing changed */
	say(fe, &c);
	if (fe->hooks && c.new_value >= 0 &&
	    lnw_route_hooks_flag_written(fe->hooks, dir, c.new_value) > 0)
		fe->hooks_changed = true;
	return 0;
}

void lnw_flag_events_seen(struct lnw_flag_events *fe, unsigned int netns,
			  const char *dir, int old_value, int new_value)
{
	struct flag_change c = { .netns = netns, .dir = dir, .old_value = old_value,
				 .new_value = new_value };

	c.wall_ns = lnw_mono_ns() + fe->mono_to_wall_ns;
	say(fe, &c);
}

void lnw_flag_events_close(struct lnw_flag_events *fe)
{
	bpf_link__destroy(fe->link);
	fe->link = NULL;
}

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * `lnwatch audit --prometheus FILE`: the audit in the Prometheus text
 * format, for node_exporter's textfile collector. Its numbers are read off
 * the audit's own JSON document, so that the file and `-j` cannot disagree.
 * The file is replaced whole: a temporary file beside it (O_EXCL, never
 * through a symlink), fsync, rename, fsync of the directory.
 */
#define _GNU_SOURCE /* mkostemp */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>

#include "lib/json.h"
#include "lib/prom.h"
#include "prom_textfile.h"

/* The DNAT path summaries the audit writes (report.h: lnw_nat_path): each
 * is a series, 0 when none, so that an alert tells "none" from "absent". */
static const char *const path_states[] = {
	"works", "broken", "partial", "blocked", "exposed", "guarded",
	"not-forwarded", "unused",
};

/* ---- from the audit's JSON -------------------------------------------------- */

#define N_EXPOSED_LABELS 6

static const char *jstr_or_empty(json_object *o, const char *key)
{
	const char *s = lnw_jstr(o, key);

	return s ? s : "";
}

/* A JSON scalar as label text (port numbers are ints). */
static const char *jtext(json_object *o, const char *key)
{
	json_object *v = lnw_jget(o, key);

	return v && !json_object_is_type(v, json_type_null) ? json_object_get_string(v) : "";
}

static long long jint(json_object *o, const char *key)
{
	json_object *v = lnw_jget(o, key);

	return v ? json_object_get_int64(v) : 0;
}

/* An exposure row as its labels (pointers into the JSON document). */
struct exposed_key {
	struct lnw_prom_label l[N_EXPOSED_LABELS];
};

static int cmp_key(const void *a, const void *b)
{
	const struct exposed_key *x = a, *y = b;
	int i, c;

	for (i = 0; i < N_EXPOSED_LABELS; i++)
		if ((c = strcmp(x->l[i].value, y->l[i].value)))
			return c;
	return 0;
}

/* lnwatch_audit_exposed: one series per distinct label set, its value the
 * number of rows (two sockets of one service, v4 and v6, are one series). */
static int write_exposed(FILE *f, json_object *rows)
{
	size_t n = rows ? json_object_array_length(rows) : 0, i, run;
	struct exposed_key *keys = calloc(n ? n : 1, sizeof(*keys));
	int ret = 0;

	if (!keys)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		json_object *svc = lnw_jget(row, "service");

		keys[i] = (struct exposed_key){ {
			{ "ifname", jstr_or_empty(row, "ifname") },
			{ "proto", jstr_or_empty(svc, "proto") },
			{ "addr", jstr_or_empty(svc, "addr") },
			{ "port", jtext(svc, "port") },
			{ "comm", jstr_or_empty(svc, "comm") },
			{ "status", jstr_or_empty(row, "status") },
		} };
	}
	qsort(keys, n, sizeof(*keys), cmp_key);
	ret = lnw_prom_family(f, "lnwatch_audit_exposed", "gauge", "Loopback-only services "
			      "on devices with route_localnet on, by status (exposed, spoofable, "
			      "guarded, unknown): rows of the audit");
	for (i = 0; i < n && !ret; i += run) {
		for (run = 1; i + run < n && !cmp_key(&keys[i], &keys[i + run]); run++)
			;
		ret = lnw_prom_sample_u64(f, "lnwatch_audit_exposed", keys[i].l,
					  N_EXPOSED_LABELS, run);
	}
	free(keys);
	return ret;
}

/* lnwatch_audit_route_localnet: labelled as the watch's lnwatch_route_localnet
 * (ifname "all" and "default" for those scopes, "device" for a device's
 * own value) so that the two join; and "effective" per interface, what the
 * kernel applies (all OR device). */
static int write_flags(FILE *f, json_object *ifs)
{
	static const char *const name = "lnwatch_audit_route_localnet";
	static const char *const globals[] = { "all", "default" };
	static const char *const scopes[][2] = { { "device", "dev" }, { "effective", "effective" } };
	size_t n = ifs ? json_object_array_length(ifs) : 0, i;
	bool globals_done = false;
	int s, ret;

	ret = lnw_prom_family(f, name, "gauge", "net.ipv4.conf.*.route_localnet: scope "
			      "all and default, device (its own) and effective per interface");
	for (i = 0; i < n && !ret; i++) {
		json_object *it = json_object_array_get_idx(ifs, i);
		json_object *rl = lnw_jget(it, "route_localnet");

		if (!rl)
			continue; /* no IPv4 on it */
		for (s = 0; s < 2 && !globals_done && !ret; s++) {
			struct lnw_prom_label l[] = { { "ifname", globals[s] }, { "scope", globals[s] } };

			ret = lnw_prom_sample_u64(f, name, l, 2, (unsigned long long)jint(rl, globals[s]));
		}
		globals_done = true;
		for (s = 0; s < 2 && !ret; s++) {
			struct lnw_prom_label l[] = { { "ifname", jstr_or_empty(it, "ifname") },
						      { "scope", scopes[s][0] } };

			ret = lnw_prom_sample_u64(f, name, l, 2, (unsigned long long)jint(rl, scopes[s][1]));
		}
	}
	return ret;
}

static int write_paths(FILE *f, json_object *paths)
{
	size_t n = paths ? json_object_array_length(paths) : 0, i, k;
	size_t count[sizeof(path_states) / sizeof(path_states[0])] = {};
	size_t other = 0;
	int ret;

	for (i = 0; i < n; i++) {
		const char *st = jstr_or_empty(json_object_array_get_idx(paths, i), "status");

		for (k = 0; k < sizeof(count) / sizeof(count[0]); k++)
			if (!strcmp(st, path_states[k]))
				break;
		if (k < sizeof(count) / sizeof(count[0]))
			count[k]++;
		else
			other++; /* a state this writer does not know yet: still counted */
	}
	ret = lnw_prom_family(f, "lnwatch_audit_dnat_paths", "gauge", "DNAT rules to or "
			      "from 127.0.0.0/8, by what they do (works, broken, partial, "
			      "blocked, exposed, guarded, not-forwarded, unused)");
	for (k = 0; k <= sizeof(count) / sizeof(count[0]) && !ret; k++) {
		bool known = k < sizeof(count) / sizeof(count[0]);
		struct lnw_prom_label l = { "state", known ? path_states[k] : "other" };

		if (known || other)
			ret = lnw_prom_sample_u64(f, "lnwatch_audit_dnat_paths", &l, 1,
						  known ? count[k] : other);
	}
	return ret;
}

static int write_all(FILE *f, int status, json_object *report)
{
	json_object *guards = report ? lnw_jget(report, "guards") : NULL;
	struct timespec now;
	int ret;

	clock_gettime(CLOCK_REALTIME, &now);
	ret = lnw_prom_family(f, "lnwatch_audit_status", "gauge", "Exit status of the last "
			      "lnwatch audit: 0 nothing exposed, 1 something exposed, 2 could "
			      "not tell");
	ret = ret ? ret : lnw_prom_sample_u64(f, "lnwatch_audit_status", NULL, 0,
					      (unsigned long long)status);
	ret = ret ? ret : lnw_prom_family(f, "lnwatch_audit_last_run_timestamp_seconds", "gauge",
					  "When the last lnwatch audit ran, seconds since the epoch");
	ret = ret ? ret : lnw_prom_sample_double(f, "lnwatch_audit_last_run_timestamp_seconds",
						 NULL, 0, (double)now.tv_sec +
						 (double)(now.tv_nsec / 1000000) / 1000);
	if (ret || !report)
		return ret; /* it could not run: the status says so */
	ret = write_exposed(f, lnw_jget(report, "exposure"));
	ret = ret ? ret : write_flags(f, lnw_jget(report, "interfaces"));
	ret = ret ? ret : lnw_prom_family(f, "lnwatch_audit_guards", "gauge",
					  "Rules that drop traffic to 127.0.0.0/8");
	ret = ret ? ret : lnw_prom_sample_u64(f, "lnwatch_audit_guards", NULL, 0,
					      guards ? json_object_array_length(guards) : 0);
	return ret ? ret : write_paths(f, lnw_jget(report, "nat_paths"));
}

/* ---- the file, replaced whole ------------------------------------------------ */

int lnw_audit_prom_write(const char *path, int status, json_object *report,
			 char *err, size_t len)
{
	char *dcopy = strdup(path), *bcopy = strdup(path), *tmp = NULL;
	const char *dir, *base;
	struct stat st;
	FILE *f = NULL;
	int fd = -1, dfd = -1, ret = 0;

	if (!dcopy || !bcopy) {
		ret = -ENOMEM;
		snprintf(err, len, "--prometheus %s: out of memory", path);
		goto cleanup;
	}
	dir = dirname(dcopy);
	base = basename(bcopy);
	if (!lstat(path, &st) && !S_ISREG(st.st_mode)) {
		ret = -EINVAL;
		snprintf(err, len, "--prometheus %s: exists and is not a regular file "
			 "(a symlink, a directory, a device): not replaced", path);
		goto cleanup;
	}
	/* not *.prom: the collector never reads a half-written one */
	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, base) < 0) {
		tmp = NULL;
		ret = -ENOMEM;
		snprintf(err, len, "--prometheus %s: out of memory", path);
		goto cleanup;
	}
	fd = mkostemp(tmp, O_CLOEXEC | O_NOFOLLOW); /* O_CREAT|O_EXCL */
	if (fd < 0) {
		ret = -errno;
		snprintf(err, len, "--prometheus %s: cannot create a file in %s: %s", path, dir,
			 strerror(errno));
		free(tmp);
		tmp = NULL;
		goto cleanup;
	}
	if (fchmod(fd, 0644) || !(f = fdopen(fd, "w"))) {
		ret = -errno;
		snprintf(err, len, "--prometheus %s: %s: %s", path, tmp, strerror(errno));
		goto cleanup;
	}
	fd = -1; /* f owns it */
	ret = write_all(f, status, report);
	if (ret) {
		snprintf(err, len, "--prometheus %s: %s", path, strerror(-ret));
		goto cleanup;
	}
	if (fflush(f) || fsync(fileno(f)) || ferror(f)) {
		ret = -errno;
		snprintf(err, len, "--prometheus %s: cannot write %s: %s", path, tmp, strerror(errno));
		goto cleanup;
	}
	ret = fclose(f) ? -errno : 0;
	f = NULL;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		snprintf(err, len, "--prometheus %s: cannot replace it: %s", path, strerror(-ret));
		goto cleanup;
	}
	free(tmp);
	tmp = NULL; /* renamed: nothing to remove */
	/* the rename itself made durable */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		fsync(dfd);
cleanup:
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(dcopy);
	free(bcopy);
	return ret;
}

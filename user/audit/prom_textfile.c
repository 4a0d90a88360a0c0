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
#include "prom_textfile.h"

/* The DNAT path summaries the audit writes (report.h: lnw_nat_path): each
 * is a series, 0 when none, so that an alert tells "none" from "absent". */
static const char *const path_states[] = {
	"works", "broken", "partial", "blocked", "exposed", "guarded", "unused",
};

/* ---- the exposition format ---------------------------------------------- */

static void family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

/* A label value: backslash, double quote and newline escaped. */
static void label_value(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
}

/* label(f, first, name, value): `name="value"`, comma-separated. */
static void label(FILE *f, bool first, const char *name, const char *value)
{
	fprintf(f, "%s%s=\"", first ? "" : ",", name);
	label_value(f, value);
	fputc('"', f);
}

/* ---- from the audit's JSON -------------------------------------------------- */

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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* lnwatch_audit_exposed: one series per distinct label set, its value the
 * number of rows (two sockets of one service, v4 and v6, are one series). */
static int write_exposed(FILE *f, json_object *rows)
{
	size_t n = rows ? json_object_array_length(rows) : 0, i, run;
	char **keys = calloc(n ? n : 1, sizeof(*keys));
	int ret = 0;

	if (!keys)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		json_object *svc = lnw_jget(row, "service");
		size_t sz = 0;
		FILE *m = open_memstream(&keys[i], &sz);

		if (!m) {
			ret = -ENOMEM;
			goto cleanup;
		}
		label(m, true, "ifname", jstr_or_empty(row, "ifname"));
		label(m, false, "proto", jstr_or_empty(svc, "proto"));
		label(m, false, "addr", jstr_or_empty(svc, "addr"));
		label(m, false, "port", jtext(svc, "port"));
		label(m, false, "comm", jstr_or_empty(svc, "comm"));
		label(m, false, "status", jstr_or_empty(row, "status"));
		if (fclose(m) || !keys[i]) {
			ret = -ENOMEM;
			goto cleanup;
		}
	}
	qsort(keys, n, sizeof(*keys), cmp_str);
	family(f, "lnwatch_audit_exposed", "Loopback-only services on devices with "
	       "route_localnet on, by status (exposed, spoofable, guarded, unknown): "
	       "rows of the audit");
	for (i = 0; i < n; i += run) {
		for (run = 1; i + run < n && !strcmp(keys[i], keys[i + run]); run++)
			;
		fprintf(f, "lnwatch_audit_exposed{%s} %zu\n", keys[i], run);
	}
cleanup:
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	return ret;
}

/* lnwatch_audit_route_localnet: labelled as the watch's lnwatch_route_localnet
 * (ifname "all" and "default" for those scopes, "device" for a device's
 * own value) so that the two join; and "effective" per interface, what the
 * kernel applies (all OR device). */
static void write_flags(FILE *f, json_object *ifs)
{
	size_t n = ifs ? json_object_array_length(ifs) : 0, i;
	static const char *const globals[] = { "all", "default" };
	static const char *const scopes[][2] = { { "device", "dev" }, { "effective", "effective" } };
	bool globals_done = false;
	int s;

	family(f, "lnwatch_audit_route_localnet", "net.ipv4.conf.*.route_localnet: "
	       "scope all and default, device (its own) and effective per interface");
	for (i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(ifs, i);
		json_object *rl = lnw_jget(it, "route_localnet");

		if (!rl)
			continue; /* no IPv4 on it */
		for (s = 0; s < 2 && !globals_done; s++)
			fprintf(f, "lnwatch_audit_route_localnet{ifname=\"%s\",scope=\"%s\"} %s\n",
				globals[s], globals[s], jtext(rl, globals[s]));
		globals_done = true;
		for (s = 0; s < 2; s++) {
			fputs("lnwatch_audit_route_localnet{", f);
			label(f, true, "ifname", jstr_or_empty(it, "ifname"));
			label(f, false, "scope", scopes[s][0]);
			fprintf(f, "} %s\n", jtext(rl, scopes[s][1]));
		}
	}
}

static void write_paths(FILE *f, json_object *paths)
{
	size_t n = paths ? json_object_array_length(paths) : 0, i, k;
	size_t count[sizeof(path_states) / sizeof(path_states[0])] = {};
	size_t other = 0;

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
	family(f, "lnwatch_audit_dnat_paths", "DNAT rules to or from 127.0.0.0/8, by "
	       "what they do (works, broken, partial, blocked, exposed, guarded, unused)");
	for (k = 0; k < sizeof(count) / sizeof(count[0]); k++)
		fprintf(f, "lnwatch_audit_dnat_paths{state=\"%s\"} %zu\n", path_states[k], count[k]);
	if (other)
		fprintf(f, "lnwatch_audit_dnat_paths{state=\"other\"} %zu\n", other);
}

static int write_all(FILE *f, int status, json_object *report)
{
	struct timespec now;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &now);
	family(f, "lnwatch_audit_status", "Exit status of the last lnwatch audit: "
	       "0 nothing exposed, 1 something exposed, 2 could not tell");
	fprintf(f, "lnwatch_audit_status %d\n", status);
	family(f, "lnwatch_audit_last_run_timestamp_seconds",
	       "When the last lnwatch audit ran, seconds since the epoch");
	fprintf(f, "lnwatch_audit_last_run_timestamp_seconds %lld.%03ld\n",
		(long long)now.tv_sec, now.tv_nsec / 1000000);
	if (!report)
		return 0; /* it could not run: the status says so */
	ret = write_exposed(f, lnw_jget(report, "exposure"));
	write_flags(f, lnw_jget(report, "interfaces"));
	family(f, "lnwatch_audit_guards", "Rules that drop traffic to 127.0.0.0/8");
	fprintf(f, "lnwatch_audit_guards %zu\n", lnw_jget(report, "guards") ?
		json_object_array_length(lnw_jget(report, "guards")) : 0);
	write_paths(f, lnw_jget(report, "nat_paths"));
	return ret;
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

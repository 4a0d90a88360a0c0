// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Drop locations by name: asked of the kernel, or found in /proc/kallsyms. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "ksyms.h"
#include "lnwatch.h"

#define KSYMS_CACHE 64    /* distinct drop sites remembered */
#define KSYM_NAME_MAX 128 /* KSYM_NAME_LEN in the kernel */
#define KSYM_MAX_OFF (1 << 20) /* farther from any symbol: not a function's */

struct lnw_ksym_entry {
	__u64 addr;
	char name[LNW_KSYM_LEN];      /* "" when the lookup failed */
};

struct lnw_ksyms {
	char *path;
	int prog_fd;            /* -1: kallsyms only */
	const char *kernel_buf; /* where the program prints */
	struct lnw_ksym_entry cache[KSYMS_CACHE];
	int n, next; /* filled entries; the one to replace when full */
};

/* Text symbols only: a drop location is code. */
static bool is_text(char type)
{
	return type == 't' || type == 'T';
}

int lnw_ksyms_scan(FILE *f, __u64 addr, char *out, size_t len)
{
	char line[KSYM_NAME_MAX + 64], best[KSYM_NAME_MAX] = "", best_mod[64] = "";
	__u64 best_addr = 0;
	bool found = false;

	while (fgets(line, sizeof(line), f)) {
		char *end, *name;
		__u64 a = strtoull(line, &end, 16);
		size_t n, m;

		/* "ffffffff81000000 T _stext\t[module]" */
		if (end == line || end[0] != ' ' || !end[1] || end[2] != ' ' ||
		    !is_text(end[1]) || !a || a > addr || (found && a < best_addr))
			continue;
		name = end + 3;
		n = strcspn(name, " \t\n");
		if (!n || n >= KSYM_NAME_MAX)
			continue;
		memcpy(best, name, n);
		best[n] = '\0';
		name += n + strspn(name + n, " \t");
		m = name[0] == '[' ? strcspn(name, "\n") : 0;
		m = m < sizeof(best_mod) ? m : 0;
		memcpy(best_mod, name, m);
		best_mod[m] = '\0';
		best_addr = a;
		found = true;
	}
	if (!found || addr - best_addr >= KSYM_MAX_OFF)
		return -ENOENT;
	/* as the kernel's %pS writes it, less the size: "f+0x1b [module]" */
	snprintf(out, len, "%s+0x%llx%s%s", best, (unsigned long long)(addr - best_addr),
		 best_mod[0] ? " " : "", best_mod);
	return 0;
}

bool lnw_ksym_tidy(char *s)
{
	char *plus = strstr(s, "+0x"), *slash, *rest;

	if (!plus || plus == s)
		return false; /* "0xffffffff81234567": no symbol */
	slash = strchr(plus, '/');
	if (slash) {
		rest = slash + strcspn(slash, " ");
		memmove(slash, rest, strlen(rest) + 1);
	}
	return true;
}

/* The kernel's own %pS answer in out; 0 or -errno. */
static int kernel_name(const struct lnw_ksyms *k, __u64 addr, char *out, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &addr,
		    .ctx_size_in = sizeof(addr));
	int ret;

	ret = bpf_prog_test_run_opts(k->prog_fd, &opts);
	if (ret)
		return ret;
	snprintf(out, len, "%s", k->kernel_buf);
	return 0;
}

struct lnw_ksyms *lnw_ksyms_new(const char *kallsyms_path, int prog_fd,
				const char *kernel_buf)
{
	struct lnw_ksyms *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->prog_fd = kernel_buf ? prog_fd : -1;
	k->kernel_buf = kernel_buf;
	k->path = strdup(kallsyms_path);
	if (!k->path) {
		free(k);
		return NULL;
	}
	return k;
}

const char *lnw_ksyms_name(struct lnw_ksyms *k, __u64 addr)
{
	struct lnw_ksym_entry *e;
	FILE *f;
	int i;

	if (!k || !addr)
		return NULL;
	for (i = 0; i < k->n; i++)
		if (k->cache[i].addr == addr)
			return k->cache[i].name[0] ? k->cache[i].name : NULL;
	if (k->n < KSYMS_CACHE) {
		e = &k->cache[k->n++];
	} else {
		e = &k->cache[k->next];
		k->next = (k->next + 1) % KSYMS_CACHE;
	}
	e->addr = addr;
	e->name[0] = '\0';
	if (k->prog_fd >= 0 && !kernel_name(k, addr, e->name, sizeof(e->name))) {
		if (!lnw_ksym_tidy(e->name))
			e->name[0] = '\0'; /* the kernel does not know it either */
		return e->name[0] ? e->name : NULL;
	}
	f = fopen(k->path, "re");
	if (f) {
		if (lnw_ksyms_scan(f, addr, e->name, sizeof(e->name)))
			e->name[0] = '\0';
		fclose(f);
	}
	return e->name[0] ? e->name : NULL;
}

void lnw_ksyms_free(struct lnw_ksyms *k)
{
	if (!k)
		return;
	free(k->path);
	free(k);
}

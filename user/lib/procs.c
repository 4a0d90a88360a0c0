// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Which process owns a socket: /proc, as ss -p does. */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procs.h"

static void read_comm(int pid, struct lnw_proc *out)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	out->comm[0] = '\0';
	f = fopen(path, "r");
	if (f) {
		/* a comm may hold a newline (PR_SET_NAME): only the kernel's
		 * last one ends it */
		size_t n = fread(out->comm, 1, sizeof(out->comm) - 1, f);

		if (n && out->comm[n - 1] == '\n')
			n--;
		out->comm[n] = '\0';
		fclose(f);
	}
}

/* Does pid hold want open? *denied counts an fd directory we may not read. */
static bool pid_has_socket(int pid, const char *want, int *denied)
{
	char path[64], link[64];
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	d = opendir(path);
	if (!d) {
		*denied += errno == EACCES || errno == EPERM;
		return false; /* gone, or not ours to read */
	}
	while (!found && (de = readdir(d))) {
		char fdpath[320];
		ssize_t n;

		snprintf(fdpath, sizeof(fdpath), "%s/%s", path, de->d_name);
		n = readlink(fdpath, link, sizeof(link) - 1);
		if (n > 0) {
			link[n] = '\0';
			found = !strcmp(link, want);
		} else if (errno == EACCES || errno == EPERM) {
			(*denied)++; /* listed, but its links are another user's */
			break;
		}
	}
	closedir(d);
	return found;
}

int lnw_sock_owner(unsigned long long ino, struct lnw_proc *out)
{
	char want[40];
	struct dirent *de;
	DIR *proc;

	out->pid = -1;
	out->comm[0] = '\0';
	out->unreadable = 0;
	snprintf(want, sizeof(want), "socket:[%llu]", ino);
	proc = opendir("/proc");
	if (!proc)
		return -errno;
	while ((de = readdir(proc))) {
		int pid = atoi(de->d_name);

		if (pid > 0 && pid_has_socket(pid, want, &out->unreadable)) {
			out->pid = pid;
			read_comm(pid, out);
			break;
		}
	}
	closedir(proc);
	return out->pid > 0 ? 0 : -ENOENT;
}

struct owner_entry {
	unsigned long long ino;
	struct lnw_proc proc;
};

struct lnw_owner_cache {
	unsigned int cap, next;
	struct owner_entry *e;
};

struct lnw_owner_cache *lnw_owner_cache_new(unsigned int cap)
{
	struct lnw_owner_cache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->e = calloc(cap, sizeof(*c->e));
	if (!c->e) {
		free(c);
		return NULL;
	}
	c->cap = cap;
	return c;
}

const struct lnw_proc *lnw_owner_cache_get(struct lnw_owner_cache *c,
					   unsigned long long ino)
{
	struct owner_entry *slot;
	unsigned int i;

	if (!c || !ino)
		return NULL;
	for (i = 0; i < c->cap; i++)
		if (c->e[i].ino == ino)
			return &c->e[i].proc;
	/* round robin: owners rarely change, and a miss costs one scan */
	slot = &c->e[c->next];
	c->next = (c->next + 1) % c->cap;
	slot->ino = ino;
	lnw_sock_owner(ino, &slot->proc);
	return &slot->proc;
}

void lnw_owner_cache_free(struct lnw_owner_cache *c)
{
	if (c)
		free(c->e);
	free(c);
}

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_PROCS_H
#define LNW_PROCS_H

#define LNW_COMM_LEN 16

struct lnw_proc {
	int pid;                  /* -1 when no process holds the socket */
	char comm[LNW_COMM_LEN];
	int unreadable;           /* when not found: processes whose fds this
				   * one may not read (no CAP_SYS_PTRACE) */
};

/* The process holding socket inode ino open, as ss(8) finds it: a scan of
 * /proc/PID/fd for "socket:[ino]". Returns 0, or -ENOENT when none. */
int lnw_sock_owner(unsigned long long ino, struct lnw_proc *out);

/* Remember answers: a busy socket is looked up once. Holds up to `cap`. */
struct lnw_owner_cache;
struct lnw_owner_cache *lnw_owner_cache_new(unsigned int cap);
const struct lnw_proc *lnw_owner_cache_get(struct lnw_owner_cache *c,
					   unsigned long long ino);
void lnw_owner_cache_free(struct lnw_owner_cache *c);

#endif

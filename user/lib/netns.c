// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Network namespaces: entering one, and knowing which one we are in. */
#define _GNU_SOURCE /* setns */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "netns.h"

int lnw_netns_enter(const char *netns, char *err, size_t len)
{
	bool is_path = strchr(netns, '/') != NULL;
	char path[256];
	int fd, ret = 0;

	if (snprintf(path, sizeof(path), is_path ? "%s" : "/run/netns/%s", netns) >=
	    (int)sizeof(path)) {
		snprintf(err, len, "network namespace name too long");
		return -ENAMETOOLONG;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (ret == -ENOENT && !is_path)
			snprintf(err, len, "no network namespace named '%.64s' (no %.200s; "
				 "see: ip netns list)", netns, path);
		else
			snprintf(err, len, "network namespace %.200s: %s", path, strerror(-ret));
		return ret;
	}
	if (setns(fd, CLONE_NEWNET)) {
		ret = -errno;
		snprintf(err, len, "cannot enter network namespace %.200s: %s", path,
			 ret == -EINVAL ? "not a network namespace" :
			 ret == -EPERM ? "it needs CAP_SYS_ADMIN, run it as root" : strerror(-ret));
	}
	close(fd);
	return ret;
}

unsigned long long lnw_netns_inode(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : (unsigned long long)st.st_ino;
}

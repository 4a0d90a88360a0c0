// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The ready file: created by rename, removed only if still ours. */
#define _GNU_SOURCE /* mkostemp */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ready_file.h"

/* What is at path now must be nothing, or a regular file we may replace. */
static int check_target(const char *path, char *err, size_t len)
{
	struct stat st;

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, len, "--ready-file %s: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISREG(st.st_mode))
		return 0;
	snprintf(err, len, "--ready-file %s exists and is %s, not a regular file: "
		 "refusing to replace it", path,
		 S_ISLNK(st.st_mode) ? "a symbolic link" : S_ISFIFO(st.st_mode) ? "a FIFO" :
		 S_ISDIR(st.st_mode) ? "a directory" : S_ISSOCK(st.st_mode) ? "a socket" :
		 "a device");
	return -EEXIST;
}

int lnw_ready_file_make(struct lnw_ready_file *rf, const char *path,
			char *err, size_t len)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + sizeof(".XXXXXX"));
	struct stat st;
	int fd, ret;

	memset(rf, 0, sizeof(*rf));
	if (!tmp) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	ret = check_target(path, err, len);
	if (ret)
		goto out;
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".XXXXXX", sizeof(".XXXXXX"));
	fd = mkostemp(tmp, O_CLOEXEC); /* O_EXCL: a new file, links not followed */
	if (fd < 0) {
		ret = -errno;
		snprintf(err, len, "cannot create ready file %s: %s", path, strerror(-ret));
		goto out;
	}
	if (fchmod(fd, 0644) || dprintf(fd, "%d\n", (int)getpid()) < 0 || fstat(fd, &st) ||
	    close(fd) || rename(tmp, path)) {
		ret = -errno;
		snprintf(err, len, "cannot create ready file %s: %s", path, strerror(-ret));
		unlink(tmp);
		goto out;
	}
	rf->path = path;
	rf->dev = st.st_dev;
	rf->ino = st.st_ino;
	rf->made = true;
out:
	free(tmp);
	return ret;
}

void lnw_ready_file_remove(struct lnw_ready_file *rf)
{
	struct stat st;

	if (rf->made && !lstat(rf->path, &st) && S_ISREG(st.st_mode) &&
	    st.st_dev == rf->dev && st.st_ino == rf->ino)
		unlink(rf->path);
	rf->made = false;
}

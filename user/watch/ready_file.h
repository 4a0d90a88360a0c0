/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_WATCH_READY_FILE_H
#define LNW_WATCH_READY_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* --ready-file: our PID, written once everything is attached. Root writes
 * it, often into a directory others can write to, so it is made safely:
 * a new file beside it renamed into place (never a write through a link),
 * never over anything but a regular file, and removed at exit only while
 * it is still the file we made. */
struct lnw_ready_file {
	const char *path;
	dev_t dev;
	ino_t ino;
	bool made;
};

/* Returns 0, or -errno with err set (nothing created). */
int lnw_ready_file_make(struct lnw_ready_file *rf, const char *path,
			char *err, size_t len);
/* Remove it if it is still ours; safe to call when nothing was made. */
void lnw_ready_file_remove(struct lnw_ready_file *rf);

#endif

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_KSYMS_H
#define LNW_KSYMS_H

#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

/* Kernel text addresses as "function+0xoffset", for drop locations. The
 * kernel has ~200k symbols: rather than hold them all (megabytes), each
 * distinct address is looked up once in /proc/kallsyms and remembered;
 * a drop happens at a handful of places. */
struct lnw_ksyms;

struct lnw_ksyms *lnw_ksyms_new(const char *kallsyms_path);
/* The name, or NULL when unknown (no symbol below it, addresses hidden by
 * kptr_restrict, file unreadable). Valid until the next call. */
const char *lnw_ksyms_name(struct lnw_ksyms *k, __u64 addr);
void lnw_ksyms_free(struct lnw_ksyms *k);

/* One scan of a kallsyms-format stream: the text symbol at or below addr,
 * as "name+0xoff" in out. Returns 0, or -ENOENT. (The pure part, tested.) */
int lnw_ksyms_scan(FILE *f, __u64 addr, char *out, size_t len);

#endif

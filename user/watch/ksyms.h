/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_KSYMS_H
#define LNW_KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

/* Kernel text addresses as "function+0xoffset", for drop locations. The
 * kernel names them itself when it can (a BPF program printing %pS, run on
 * demand: microseconds); otherwise each distinct address is looked up once
 * in /proc/kallsyms (~45 ms: ~120k lines) and remembered. Either way only
 * a handful of addresses ever come: the places that drop packets. */
struct lnw_ksyms;

/* prog_fd: the loaded lnw_ksym program, run with BPF_PROG_TEST_RUN on an
 * address, which prints it with %pS into kernel_buf (its .bss); -1 for
 * /proc/kallsyms only. */
struct lnw_ksyms *lnw_ksyms_new(const char *kallsyms_path, int prog_fd,
				const char *kernel_buf);
/* The name, or NULL when unknown (no symbol near it, addresses hidden by
 * kptr_restrict, nothing readable). Valid until the next call. */
const char *lnw_ksyms_name(struct lnw_ksyms *k, __u64 addr);
void lnw_ksyms_free(struct lnw_ksyms *k);

/* The pure parts, tested. One scan of a kallsyms-format stream: the text
 * symbol at or below addr, as "name+0xoff" in out; 0 or -ENOENT. */
int lnw_ksyms_scan(FILE *f, __u64 addr, char *out, size_t len);
/* %pS's "name+0xoff/0xsize [module]" -> "name+0xoff [module]", in place;
 * false when it is no symbol (%pS prints a bare address then). */
bool lnw_ksym_tidy(char *s);

#endif

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
#ifndef LNW_LIB_UTIL_H
#define LNW_LIB_UTIL_H

#include <stddef.h>

#define LNW_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* bad arguments: argp's own exit code, for the watch and the audit alike */
#define LNW_EXIT_USAGE 64

/* Make room for `need` elements of `size` bytes in *arr, which holds *cap:
 * doubles from 8, so appending n elements costs O(n). The new part is
 * zeroed. Returns 0, or -ENOMEM with *arr and *cap untouched. */
int lnw_grow(void *arr, size_t *cap, size_t need, size_t size);

/* Free n strings and the array holding them. */
void lnw_free_strv(char **v, int n);

/* CLOCK_MONOTONIC in nanoseconds. */
long long lnw_mono_ns(void);

#endif

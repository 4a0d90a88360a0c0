// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The one growth policy every list uses, and the clock. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

int lnw_grow(void *arr, size_t *cap, size_t need, size_t size)
{
	void **p = arr;
	size_t ncap = *cap ? *cap : 8;
	void *v;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -ENOMEM;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size)
		return -ENOMEM;
	v = realloc(*p, ncap * size);
	if (!v)
		return -ENOMEM;
	memset((char *)v + *cap * size, 0, (ncap - *cap) * size);
	*p = v;
	*cap = ncap;
	return 0;
}

void lnw_free_strv(char **v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

long long lnw_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

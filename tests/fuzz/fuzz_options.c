// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target: the watch's command line (user/watch/options.c).
 * The input is argv[1..], its arguments separated by NUL bytes; the parse
 * runs with ARGP_SILENT, as lnw_parse_args runs it minus the printing and
 * the exit. Whatever it accepts must hold what the options promise.
 */
#include <argp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "watch/options.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2], *buf, err[256];
	struct lnw_options o;
	int argc = 1, i;
	size_t p;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = (char *)"lnwatch";
	for (p = 0; p <= size && argc <= MAX_ARGS; p += strlen(buf + p) + 1)
		argv[argc++] = buf + p;
	argv[argc] = NULL;
	if (!lnw_options_parse(argc, argv, ARGP_SILENT, &o, err, sizeof(err))) {
		/* what the rest of lnwatch relies on, once accepted */
		if (o.n_ifaces < 0 || o.n_ifaces > LNW_MAX_IFACES)
			abort();
		for (i = 0; i < o.n_ifaces; i++)
			if (!o.ifaces[i][0] || strlen(o.ifaces[i]) >= IF_NAMESIZE)
				abort();
		if (o.duration_s < 0 || o.duration_s > LNW_MAX_SECONDS ||
		    o.interval_s < 0 || o.interval_s > LNW_MAX_SECONDS)
			abort();
		if (o.port > 65535 || o.ringbuf_kib < 4 || (o.ringbuf_kib & (o.ringbuf_kib - 1)))
			abort();
		if (o.src_net & ~o.src_mask)
			abort();
	} else if (strnlen(err, sizeof(err)) == sizeof(err)) {
		abort(); /* the reason is a C string */
	}
	free(buf);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Small helpers the C test and bench programs share. Header-only. */
#ifndef LNW_TESTS_TESTUTIL_H
#define LNW_TESTS_TESTUTIL_H

#include <arpa/inet.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The Internet checksum (RFC 1071), for crafted IPv4 headers. */
__attribute__((unused))
static uint16_t csum(const void *data, size_t len)
{
	const uint16_t *p = data;
	uint32_t sum = 0;

	for (; len > 1; len -= 2)
		sum += *p++;
	if (len)
		sum += *(const uint8_t *)p;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* A dotted quad the test wrote, in network byte order; a typo is fatal. */
__attribute__((unused))
static uint32_t ip4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "test bug: bad address '%s'\n", s);
		exit(2);
	}
	return a.s_addr;
}

#ifdef _GNU_SOURCE
/* Stay on this CPU: per-CPU maps are then read where the test ran. */
__attribute__((unused))
static int pin_cpu(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu < 0)
		return -1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -1 : cpu;
}
#endif

#endif

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The floor for tests/bench/tc_cost.c: a tc program that does nothing. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tc")
int bench_empty_tc(struct __sk_buff *ctx)
{
	return -1; /* TC_ACT_UNSPEC, as lnw_tc_ingress returns */
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

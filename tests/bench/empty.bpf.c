// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The floor: programs that do nothing, on the hooks lnwatch uses.
 * tests/bench/tc_cost.c runs the tc one under BPF_PROG_TEST_RUN;
 * tests/bench/floor.c attaches all of them beside a running lnwatch, so
 * that the kernel's run statistics time both on the same packets.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tc")
int floor_tc(struct __sk_buff *ctx)
{
	return -1; /* TC_ACT_UNSPEC / TCX_NEXT, as lnw_tc_ingress returns */
}

SEC("tp_btf/kfree_skb")
int floor_kfree(void *ctx)
{
	return 0;
}

SEC("tp_btf/fib_table_lookup")
int floor_fib(void *ctx)
{
	return 0;
}

SEC("tp_btf/sk_data_ready")
int floor_sk(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

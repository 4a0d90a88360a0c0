// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Names a kernel text address for the loader (a drop's location): run on
 * demand with BPF_PROG_TEST_RUN, never attached. The kernel's own symbol
 * lookup (%pS) answers in microseconds, where a scan of /proc/kallsyms
 * costs ~45 ms.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "lnwatch.h"

char lnw_ksym_buf[LNW_KSYM_LEN]; /* "function+0xoff/0xsize [module]" */

SEC("raw_tp")
int lnw_ksym(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 addr = ctx->args[0];

	bpf_snprintf(lnw_ksym_buf, sizeof(lnw_ksym_buf), "%pS", &addr, sizeof(addr));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

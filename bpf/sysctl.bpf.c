// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Writes of net.ipv4.conf.*.route_localnet through /proc/sys, as they
 * happen: who wrote what, and a wakeup, so that the loader follows the
 * first packet the new value lets in. Attached to the root cgroup (every
 * process); it only reads, and always lets the write through.
 */
#include "common.bpf.h"

#define LNW_SYSCTL_ALLOW 1

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16); /* flag writes are rare */
} flag_events SEC(".maps") __weak;

static __always_inline bool lnw_is_route_localnet(const char *base)
{
	static const char want[] = "route_localnet";

#pragma unroll
	for (unsigned int i = 0; i < sizeof(want); i++)
		if (base[i] != want[i])
			return false;
	return true;
}

SEC("cgroup/sysctl")
int lnw_sysctl(struct bpf_sysctl *ctx)
{
	struct lnw_flag_event *e;
	struct task_struct *task;
	char base[16] = {};
	__u32 netns;

	if (!ctx->write ||
	    bpf_sysctl_get_name(ctx, base, sizeof(base), BPF_F_SYSCTL_BASE_NAME) < 0 ||
	    !lnw_is_route_localnet(base))
		return LNW_SYSCTL_ALLOW;
	/* /proc/sys/net is the writer's namespace's */
	task = (struct task_struct *)bpf_get_current_task();
	netns = BPF_CORE_READ(task, nsproxy, net_ns, ns.inum);
	if (!all_netns && netns != own_netns)
		return LNW_SYSCTL_ALLOW;
	e = bpf_ringbuf_reserve(&flag_events, sizeof(*e), 0);
	if (!e)
		return LNW_SYSCTL_ALLOW;
	e->ts_ns = bpf_ktime_get_ns();
	lnw_flag_write_ns = e->ts_ns; /* events' cached times end here */
	e->netns = netns;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (bpf_sysctl_get_name(ctx, e->name, sizeof(e->name), 0) < 0)
		e->name[0] = '\0';
	if (bpf_sysctl_get_current_value(ctx, e->old_value, sizeof(e->old_value)) < 0)
		e->old_value[0] = '\0';
	/* the loader tells a write the kernel will refuse or ignore by these */
	e->new_len = bpf_sysctl_get_new_value(ctx, e->new_value, sizeof(e->new_value));
	e->file_pos = ctx->file_pos;
	/* rare, and the loader must attach the route hooks now: wake it */
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
	return LNW_SYSCTL_ALLOW;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Delivery: an accepted packet reaching a socket wakes it (sk_data_ready:
 * a UDP datagram queued, a TCP connection ready to accept). It happens on
 * the CPU still processing the packet, so the per-CPU slot names it.
 * The tracepoint fires for every socket wakeup: leave at the first compare.
 */
#include "common.bpf.h"
#include <bpf/bpf_tracing.h>

SEC("tp_btf/sk_data_ready")
int BPF_PROG(lnw_sk_data_ready, const struct sock *sk)
{
	struct lnw_inflight *in = lnw_inflight_get();
	struct lnw_event e;
	__u32 bound;
	__u16 port;

	if (!in || in->state != LNW_IN_ACCEPTED)
		return 0;
	/* Same CPU, but maybe another socket: it must be the packet's. */
	if (BPF_CORE_READ(sk, sk_protocol) != in->acc.proto)
		return 0;
	bound = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
	port = BPF_CORE_READ(sk, __sk_common.skc_num);
	if ((bound && bound != in->acc.daddr) ||
	    (!(in->acc.flags & LNW_EVF_PORTS_UNKNOWN) && port != in->acc.dport))
		return 0;
	if (!lnw_fate_begin(in, &e, LNW_DELIVERED))
		return 0;
	e.sock_addr = bound;
	e.sock_port = port;
	/* the socket's port is the routed one the packet could not show (a
	 * fragment after the first, or a DNAT read without its sk_buff) */
	if (e.flags & LNW_EVF_PORTS_UNKNOWN) {
		e.dport = port;
		if (e.orig_src == LNW_ORIG_NONE)
			e.orig_dport = port;
		e.flags &= ~LNW_EVF_PORTS_UNKNOWN;
	}
	if (e.orig_src == LNW_ORIG_NONE && lnw_is_loopback(bound) &&
	    !lnw_filtered(LNW_DELIVERED, e.saddr, e.dport, e.orig_dport))
		lnw_count_exposure(&e);
	/* the owner (pid, comm) is found from the inode in user space */
	e.sock_ino = BPF_CORE_READ(sk, sk_socket, file, f_inode, i_ino);
	lnw_report_rx(&e, in);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";

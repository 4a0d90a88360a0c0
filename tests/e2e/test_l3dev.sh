#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A device without a link-layer header (tun here; WireGuard, ipip, gre and
# sit hand tc the same layout): its packets to 127.0.0.1 are seen, judged
# and counted like an Ethernet device's, checked against what the kernel
# did (the listener's count and in_martian_dst).
. "$(dirname "$0")/lib.sh"

netns_add "$NODE" || { fail "topology" "cannot build namespaces"; exit 1; }
ip -n "$NODE" tuntap add dev tun0 mode tun &&
	ip -n "$NODE" addr add 10.77.0.1/24 dev tun0 &&
	ip -n "$NODE" link set tun0 up || { fail "topology" "cannot make tun0"; exit 1; }
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/lo5000"
for _ in $(seq 100); do [ -f "$TMPD/lo5000" ] && break; sleep 0.05; done
N=3
send() { ip netns exec "$NODE" $NETPY tun-send tun0 10.77.0.2 127.0.0.1 5000 $N; }

# Flag off: the kernel drops them as martians.
before_m=$(martian_dst)
lnw_start "$NODE" || fail "tun, flag off" "lnwatch did not start"
send
lnw_stop
check_run "tun, flag off"
check_ge "tun, flag off: kernel counted martians" $(($(martian_dst) - before_m)) $N
check "tun, flag off: nothing delivered" "$(cat "$TMPD/lo5000")" 0
check "tun, flag off: counter seen on tun0" "$(cnt '.verdict=="seen" and .ifname=="tun0"')" $N
check "tun, flag off: counter martian-dst" "$(cnt '.verdict=="martian-dst" and .ifname=="tun0"')" $N
check "tun, flag off: martian events, joined" "$(ev '.verdict=="martian-dst" and .join=="skb"')" $N
check "tun, flag off: tuple" \
	"$(evvals '"\(.ifname) \(.proto) \(.saddr):\(.sport) \(.daddr):\(.dport)"')" \
	"tun0 udp 10.77.0.2:40000 127.0.0.1:5000"
check "tun, flag off: bytes seen = IP length" \
	"$(summ '[.counters[]|select(.verdict=="seen")|.bytes]|add')" $((N * 32))

# The paths of kernels before 6.3/6.6 (no kfunc: joined by address; clsact).
lnw_start "$NODE" --fallback addr-join,clsact || fail "tun, old-kernel paths" "lnwatch did not start"
send
lnw_stop
check_run "tun, old-kernel paths"
check "tun, old-kernel paths: counter seen" "$(cnt '.verdict=="seen" and .ifname=="tun0"')" $N
check "tun, old-kernel paths: martian events, joined by address" \
	"$(ev '.verdict=="martian-dst" and .join=="addr"')" $N
check "tun, old-kernel paths: clsact filter gone" \
	"$(tc -n "$NODE" filter show dev tun0 ingress | grep -c bpf)" 0

# Flag on for tun0: accepted and delivered to the 127.0.0.1 listener.
rl "$NODE" tun0 1
lnw_start "$NODE" || fail "tun, flag on" "lnwatch did not start"
send
for _ in $(seq 40); do [ "$(cat "$TMPD/lo5000")" -ge $N ] && break; sleep 0.05; done
lnw_stop
check_run "tun, flag on"
check "tun, flag on: the listener got them" "$(cat "$TMPD/lo5000")" $N
check "tun, flag on: accept events" "$(ev '.verdict=="accept" and .ifname=="tun0"')" $N
check "tun, flag on: delivered events, an exposure" "$(ev '.verdict=="delivered" and .exposure')" $N
check "tun, flag on: counter delivered" "$(cnt '.verdict=="delivered" and .ifname=="tun0"')" $N
check "tun, flag on: no martian" "$(cnt '.verdict=="martian-dst"')" 0

e2e_done

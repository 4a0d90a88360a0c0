#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# After "accept": where the packet ended. rp_filter, a guard rule (the one
# kube-proxy/kubelet install against CVE-2020-8558, with iptables-nft and
# with native nft), no listener (UDP, TCP), and a reply from 127.0.0.1 that
# the output route refuses because its device's flag is off.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/udp"
UDP_PID=$BG_PID
for i in $(seq 100); do [ -f "$TMPD/udp" ] && break; sleep 0.05; done
rl "$NODE" eth0 1
frames() { ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" "$1" 127.0.0.1 40000 "$2" "$3"; }
# fate NAME: accepted N, and then each one's verdict, reason.
fate() { evvals 'select(.verdict!="accept") | "\(.verdict) \(.reason)"'; }

# rp_filter: a source with no route back through eth0 is dropped after the
# FIB lookup that route_localnet allowed.
ip netns exec "$NODE" sysctl -qw net.ipv4.conf.eth0.rp_filter=1 net.ipv4.conf.all.rp_filter=1
lnw_start "$NODE" || fail "rp_filter" "lnwatch did not start"
frames 192.0.2.7 5000 3
lnw_stop
check_run "rp_filter"
check "rp_filter: accepted" "$(ev '.verdict=="accept"')" 3
check "rp_filter: then dropped" "$(fate)" "drop IP_RPFILTER"
check "rp_filter: drop events" "$(ev '.verdict=="drop"')" 3
check "rp_filter: drop counter" "$(cnt '.verdict=="drop" and .reason=="IP_RPFILTER"')" 3
# where the kernel freed it, from kfree_skb's location and /proc/kallsyms
check "rp_filter: drop location is a kernel function" \
	"$(evvals 'select(.verdict=="drop") | .location | test("^[A-Za-z_][A-Za-z0-9_.]*\\+0x[0-9a-f]+$")')" true
ip netns exec "$NODE" sysctl -qw net.ipv4.conf.eth0.rp_filter=0 net.ipv4.conf.all.rp_filter=0

# The guard rule: direct frames to 127.0.0.1 are dropped in INPUT, while a
# DNAT to 127.0.0.1 (ctstate DNAT) still gets through.
guard_case() {
	local name=$1 before
	before=$(cat "$TMPD/udp")
	lnw_start "$NODE" || { fail "$name" "lnwatch did not start"; return; }
	frames $PEER_IP 5000 4
	replies=$(ip netns exec "$PEER" $NETPY udp-client $NODE_IP 8080 2 0.3)
	lnw_stop
	check_run "$name"
	check "$name: direct frames dropped by the guard" \
		"$(evvals 'select(.verdict=="drop") | "\(.reason) \(.nat)"')" "NETFILTER_DROP false"
	check "$name: drop events" "$(ev '.verdict=="drop"')" 4
	check "$name: dropped in netfilter" \
		"$(evvals 'select(.verdict=="drop") | .location | test("^(nf_hook_slow|nft_do_chain)\\+0x")')" true
	check "$name: DNAT'd datagrams delivered" "$(ev '.verdict=="delivered" and .nat')" 2
	check "$name: the listener got only the DNAT'd ones" $(( $(cat "$TMPD/udp") - before )) 2
	check "$name: replies" "$replies" 2
}
DNAT='table ip lnwnat { chain pre { type nat hook prerouting priority dstnat; udp dport 8080 dnat to 127.0.0.1:5000; }; }'
ip netns exec "$NODE" nft "$DNAT"
ip netns exec "$NODE" iptables-nft -A INPUT ! -s 127.0.0.0/8 -d 127.0.0.0/8 \
	-m comment --comment "block incoming localnet connections" \
	-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
guard_case "guard rule (iptables-nft, kube-proxy's)"
ip netns exec "$NODE" nft flush ruleset
ip netns exec "$NODE" nft "$DNAT"
ip netns exec "$NODE" nft 'table ip guard { chain input { type filter hook input priority filter;
	ip saddr != 127.0.0.0/8 ip daddr 127.0.0.0/8 ct state != { related, established } ct status & dnat == 0 drop; }; }'
guard_case "guard rule (native nft)"
ip netns exec "$NODE" nft flush ruleset

# No listener: the socket lookup fails (UDP: port unreachable; TCP: RST).
ip netns exec "$NODE" nft 'table ip lnwnat { chain pre { type nat hook prerouting priority dstnat; tcp dport 8081 dnat to 127.0.0.1:5998; }; }'
lnw_start "$NODE" || fail "no socket" "lnwatch did not start"
frames $PEER_IP 5999 2
conn=$(ip netns exec "$PEER" $NETPY tcp-client $NODE_IP 8081 0.5)
lnw_stop
check_run "no socket"
check "no socket: udp dropped" "$(ev '.proto=="udp" and .verdict=="drop" and .reason=="NO_SOCKET"')" 2
check_ge "no socket: tcp dropped" "$(ev '.proto=="tcp" and .verdict=="drop" and .reason=="NO_SOCKET" and .orig_dport==8081')" 1
check "no socket: tcp refused at once (RST)" "$conn" 0
check "no socket: dropped where the socket lookup failed" \
	"$(evvals 'select(.reason=="NO_SOCKET") | "\(.proto) \(.location | sub("\\+0x.*"; ""))"')" \
	"tcp tcp_v4_rcv,udp __udp4_lib_rcv"
ip netns exec "$NODE" nft flush ruleset

# Reply refused: requests come in on eth0 (flag on), but the route back to
# the peer goes out eth1, whose flag is off: the reply from 127.0.0.1 is
# refused by the output route, so the client never hears back.
veth_pair "$NODE" eth1 "$PEER" eth1
ip -n "$NODE" addr add 10.98.0.1/24 dev eth1
ip -n "$PEER" addr add 10.98.0.2/24 dev eth1
ip -n "$NODE" route add $PEER_IP/32 via 10.98.0.2 dev eth1
ip netns exec "$NODE" nft "$DNAT"
rl "$NODE" eth1 0
reply_case() { # NAME ETH1_FLAG WANT_REFUSED WANT_REPLIES
	local name=$1 replies
	rl "$NODE" eth1 "$2"
	lnw_start "$NODE" || { fail "$name" "lnwatch did not start"; return; }
	replies=$(ip netns exec "$PEER" $NETPY udp-client $NODE_IP 8080 2 0.3)
	lnw_stop
	check_run "$name"
	check "$name: delivered" "$(ev '.verdict=="delivered"')" 2
	check "$name: reply-refused events" "$(ev '.verdict=="reply-refused"')" "$3"
	check "$name: no reply named local-refused" "$(ev '.verdict=="local-refused"')" 0
	check "$name: replies" "$replies" "$4"
	if [ "$3" != 0 ]; then
		check "$name: refused reply" "$(evvals 'select(.verdict=="reply-refused") | "\(.ifname) \(.saddr):\(.sport)>\(.daddr) pid=\(.pid) \(.comm) \(.route_localnet.effective)"')" \
			"eth1 127.0.0.1:5000>$PEER_IP pid=$UDP_PID python3 0"
	fi
}
reply_case "reply via a device with the flag off" 0 2 0
reply_case "reply via a device with the flag on" 1 0 2

# own_datagram SPORT: a datagram from 127.0.0.1:SPORT to the peer's port
# 7777, sent in the node; prints "sent" or the errno's name.
own_datagram() {
	ip netns exec "$NODE" python3 -c '
import errno, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[2])))
try:
    s.sendto(b"x", (sys.argv[1], 7777)); print("sent")
except OSError as e:
    print(errno.errorcode[e.errno])' "$PEER_IP" "$1"
}

# Not a reply: a local process's own first datagram from a 127.0.0.1-bound
# socket to the peer. The output route refuses it (sendto: EINVAL), before
# any sk_buff exists; seen with the route hooks attached, and named as the
# process's own packet, not as a reply.
name="a client's own datagram from 127.0.0.1"
rl "$NODE" eth1 0
ip netns exec "$NODE" nft flush ruleset
lnw_start "$NODE" --route-hooks-always || fail "$name" "lnwatch did not start"
sent=$(own_datagram 40123)
lnw_stop
check_run "$name"
check "$name: the kernel refused it" "$sent" EINVAL
check "$name: local-refused, not reply-refused" \
	"$(evvals 'select(.verdict=="local-refused" or .verdict=="reply-refused") | "\(.verdict) \(.ifname) \(.saddr):\(.sport)>\(.daddr):\(.dport) \(.comm) \(.route_localnet.effective)"')" \
	"local-refused eth1 127.0.0.1:40123>$PEER_IP:7777 python3 0"

# The same, after a flood of accepted packets from more forged sources than
# lnwatch keeps peers for: a miss no longer proves a first packet, and the
# event says it may be a reply instead of naming it one thing for sure.
name="own datagram after 9,000 forged peers"
ip netns exec "$NODE" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
rl "$NODE" eth0 1
lnw_start "$NODE" --route-hooks-always --verdict local-refused,reply-refused ||
	fail "$name" "lnwatch did not start"
ip netns exec "$PEER" python3 - "$NODE_MAC" <<-'PY'
	import socket, struct, sys
	def csum(b):
	    s = sum(struct.unpack("!10H", b))
	    s = (s >> 16) + (s & 0xFFFF)
	    return ~(s + (s >> 16)) & 0xFFFF
	mac = bytes.fromhex(sys.argv[1].replace(":", ""))
	s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
	s.bind(("eth0", 0))
	src_mac = s.getsockname()[4]
	for i in range(9000):
	    src = bytes([10, 204, i >> 8, i & 255])
	    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28, i, 0, 64, 17, 0, src, bytes([127, 0, 0, 1]))
	    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
	    s.send(mac + src_mac + b"\x08\x00" + ip + struct.pack("!HHHH", 40000, 5999, 8, 0))
	PY
sent=$(own_datagram 40124)
lnw_stop
check_run "$name"
check "$name: the kernel refused it" "$sent" EINVAL
check "$name: local-refused, said maybe a reply" \
	"$(evvals 'select(.sport == 40124) | "\(.verdict) \(.maybe_reply)"')" "local-refused true"

e2e_done

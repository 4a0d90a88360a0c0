#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A neighbour writes frames to 127.0.0.0/8 at the node's MAC (the
# CVE-2020-8558 case) and with a 127.0.0.x source; route_localnet off, on
# for the device, on via "all". Verdicts, tuples, flags and counters must
# be exact, and agree with what the kernel actually did to the traffic.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
INO=$(netns_inode "$NODE")
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/lo5000"
LO_PID=$BG_PID
bg "$NODE" $NETPY udp-server 0.0.0.0 5001 "$TMPD/any5001"
ANY_PID=$BG_PID
for i in $(seq 100); do [ -f "$TMPD/lo5000" ] && [ -f "$TMPD/any5001" ] && break; sleep 0.05; done
delivered() { cat "$1"; }

# case NAME ALL DEV: N frames to 127.0.0.1:5000 from the peer.
dst_case() {
	local name=$1 all=$2 dev=$3 n=5 before verdict want_rx
	rl "$NODE" all "$all"; rl "$NODE" eth0 "$dev"
	before=$(delivered "$TMPD/lo5000")
	lnw_start "$NODE" || { fail "$name" "lnwatch did not start"; return; }
	ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 $n
	lnw_stop
	check_run "$name"
	if [ $((all || dev)) = 1 ]; then verdict=accept; want_rx=$n; else verdict=martian-dst; want_rx=0; fi
	check "$name: $verdict events" "$(ev ".verdict==\"$verdict\"")" $n
	if [ $verdict = accept ]; then
		# then each one's fate: queued to the listener on 127.0.0.1:5000
		check "$name: delivered events" "$(ev '.verdict=="delivered"')" $n
		check "$name: delivered to" "$(evvals 'select(.verdict=="delivered") | "\(.socket.addr):\(.socket.port) pid=\(.pid) \(.comm)"')" \
			"127.0.0.1:5000 pid=$LO_PID python3"
		check "$name: counter delivered" "$(cnt '.verdict=="delivered"')" $n
		# no NAT, a service bound to 127.0.0.1, reached from eth0: exposed
		check "$name: marked as observed exposure" "$(ev '.verdict=="delivered" and .exposure')" $n
		check "$name: summary's exposures" \
			"$(summ '.exposures[] | "\(.saddr) \(.ifname) \(.service_addr):\(.service_port)/\(.proto) \(.pid) \(.comm) \(.packets)"')" \
			"$PEER_IP eth0 127.0.0.1:5000/udp $LO_PID python3 $n"
	else
		check "$name: no exposure" "$(summ '.exposures|length')" 0
	fi
	check "$name: no other verdict" "$(ev ".verdict!=\"$verdict\" and .verdict!=\"delivered\"")" 0
	check "$name: tuple" "$(evvals '"\(.proto) \(.saddr):\(.sport) \(.daddr):\(.dport) \(.orig_daddr):\(.orig_dport) nat=\(.nat)"')" \
		"udp $PEER_IP:40000 127.0.0.1:5000 127.0.0.1:5000 nat=false"
	check "$name: route_localnet" "$(evvals '.route_localnet|"\(.all)/\(.dev)/\(.effective)"')" \
		"$all/$dev/$((all || dev))"
	check "$name: netns, ifname" "$(evvals '"\(.netns) \(.ifname)"')" "$INO eth0"
	check "$name: counter seen" "$(cnt '.verdict=="seen" and .ifname=="eth0"')" $n
	check "$name: counter $verdict" "$(cnt ".verdict==\"$verdict\"")" $n
	if [ $verdict = martian-dst ]; then
		check "$name: reason" "$(evvals '.reason')" IP_LOCALNET
		# the route input's martian check: ip_rcv_finish_core here
		check "$name: drop location" "$(evvals '.location | sub("\\+0x[0-9a-f]+$"; "")')" \
			ip_rcv_finish_core
	else
		check "$name: reason" "$(evvals '.reason')" null
		check "$name: no drop location" "$(evvals '.location')" null
	fi
	check "$name: bytes seen = frames" "$(summ '[.counters[]|select(.verdict=="seen")|.bytes]|add')" $((n * 36))
	# What the kernel did: the 127.0.0.1 listener got the frames or not.
	check "$name: delivered to 127.0.0.1:5000" $(( $(delivered "$TMPD/lo5000") - before )) $want_rx
}

src_case() {
	local name=$1 all=$2 dev=$3 n=3 before verdict want_rx
	rl "$NODE" all "$all"; rl "$NODE" eth0 "$dev"
	before=$(delivered "$TMPD/any5001")
	lnw_start "$NODE" || { fail "$name" "lnwatch did not start"; return; }
	ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" 127.0.0.5 $NODE_IP 40001 5001 $n
	lnw_stop
	check_run "$name"
	if [ $((all || dev)) = 1 ]; then verdict=accept; want_rx=$n; else verdict=martian-src; want_rx=0; fi
	check "$name: $verdict events" "$(ev ".verdict==\"$verdict\"")" $n
	check "$name: delivered events" "$(ev '.verdict=="delivered"')" $want_rx
	[ $want_rx = 0 ] || check "$name: delivered to" \
		"$(evvals 'select(.verdict=="delivered") | "\(.socket.addr):\(.socket.port) pid=\(.pid)"')" "0.0.0.0:5001 pid=$ANY_PID"
	check "$name: tuple" "$(evvals '"\(.saddr) \(.daddr):\(.dport)"')" "127.0.0.5 $NODE_IP:5001"
	check "$name: counter $verdict" "$(cnt ".verdict==\"$verdict\"")" $n
	check "$name: counter seen" "$(cnt '.verdict=="seen"')" $n
	# With the flag on, a spoofed 127.0.0.x source reaches local sockets.
	check "$name: delivered to 0.0.0.0:5001" $(( $(delivered "$TMPD/any5001") - before )) $want_rx
}

dst_case "martian-dst, flag off" 0 0
dst_case "accept, flag on for the device" 0 1
dst_case "accept, flag on via all" 1 0
src_case "martian-src, flag off" 0 0
src_case "martian-src, flag on for the device" 0 1

# Wide and narrow human output on a real run.
rl "$NODE" all 0; rl "$NODE" eth0 0
rm -f "$TMPD/ready"
ip netns exec "$NODE" "$LNW" --ready-file "$TMPD/ready" -d 1.5 > "$TMPD/human.txt" 2>&1 &
HPID=$!
PIDS+=($HPID)
for i in $(seq 100); do [ -f "$TMPD/ready" ] && break; sleep 0.05; done
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 2
wait "$HPID"
check "human output runs and exits 0" $? 0
check "human output: header and summary" \
	"$(grep -c -e '^TIME ' -e '^-- summary ' "$TMPD/human.txt")" 2
check "human output: 2 martian-dst lines" "$(grep -c ' martian-dst$' "$TMPD/human.txt")" 2
check "human output: under 80 columns" "$(awk 'length > 79' "$TMPD/human.txt" | wc -l)" 0

e2e_done

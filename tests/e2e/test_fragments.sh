#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A UDP datagram to 127.0.0.1 sent as three fragments, in and out of order,
# with and without conntrack (which reassembles before the route): the same
# story as a whole datagram. One accept, one delivery with its ports and
# owner, an exposure, and no NAT made up from a fragment's missing ports.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/lo5000"
LO_PID=$BG_PID
for _ in $(seq 100); do [ -f "$TMPD/lo5000" ] && break; sleep 0.05; done
rl "$NODE" eth0 1
ORDERS="012 210 102"
D=3 # datagrams per case

frag_case() {
	local name=$1 before o
	before=$(cat "$TMPD/lo5000")
	lnw_start "$NODE" -r 0 || { fail "$name" "lnwatch did not start"; return; }
	for o in $ORDERS; do
		ip netns exec "$PEER" $NETPY frag-send eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 5000 "$o"
		sleep 0.05
	done
	for _ in $(seq 40); do [ $(($(cat "$TMPD/lo5000") - before)) -ge $D ] && break; sleep 0.05; done
	lnw_stop
	check_run "$name"
	check "$name: the service got each datagram" $(($(cat "$TMPD/lo5000") - before)) $D
	check "$name: seen per frame" "$(cnt '.verdict=="seen"')" $((3 * D))
	check "$name: one accept, one delivery per datagram" \
		"$(cnt '.verdict=="accept"') $(cnt '.verdict=="delivered"')" "$D $D"
	check "$name: the delivery, whole" \
		"$(evvals 'select(.verdict=="delivered") | "\(.daddr):\(.dport) nat=\(.nat) exposure=\(.exposure) \(.socket.port) \(.pid)"')" \
		"127.0.0.1:5000 nat=false exposure=true 5000 $LO_PID"
	check "$name: no NAT anywhere" "$(ev '.nat')" 0
	check "$name: the exposure, in datagrams" "$(summ '[.exposures[].packets]|add')" $D
}

frag_case "fragments, no conntrack"
# a nat chain brings conntrack's defrag: reassembled before the route
ip netns exec "$NODE" nft -f - <<'NFT'
table ip nat {
	chain pre {
		type nat hook prerouting priority -100;
		udp dport 9 dnat to 127.0.0.1:9;
	}
}
NFT
frag_case "fragments, conntrack"
ip netns exec "$NODE" nft flush ruleset

e2e_done

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The common real case: a DNAT rule to 127.0.0.1 (kube-proxy localhost
# NodePorts, Docker without the userland proxy). tc ingress sees
# 10.99.0.1:8080, the route decision 127.0.0.1:5000; the event carries
# both. Rules are written with native nft and with iptables-nft.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/udp"
UDP_PID=$BG_PID
bg "$NODE" $NETPY tcp-server 127.0.0.1 5001 "$TMPD/tcp"
TCP_PID=$BG_PID
for i in $(seq 100); do [ -f "$TMPD/udp" ] && [ -f "$TMPD/tcp" ] && break; sleep 0.05; done

nft_dnat() {
	ip netns exec "$NODE" nft -f - <<-EOF
	table ip lnwtest {
		chain pre {
			type nat hook prerouting priority dstnat;
			iifname "eth0" udp dport 8080 dnat to 127.0.0.1:5000
			iifname "eth0" tcp dport 8080 dnat to 127.0.0.1:5001
		}
	}
	EOF
}
nft_flush() { ip netns exec "$NODE" nft flush ruleset; }
ipt_dnat() {
	local p
	for p in udp:5000 tcp:5001; do
		ip netns exec "$NODE" iptables-nft -t nat -A PREROUTING -i eth0 \
			-p "${p%%:*}" --dport 8080 -j DNAT --to-destination "127.0.0.1:${p#*:}" || return 1
	done
}

# dnat_case NAME RULES ALL DEV UDP_REPLIES TCP_OK
# UDP_REPLIES / TCP_OK: what the kernel must let through end to end.
dnat_case() {
	local name=$1 rules=$2 all=$3 dev=$4 want_udp=$5 want_tcp=$6 n=3
	local verdict udp_before tcp_before replies conn
	nft_flush; $rules || { fail "$name" "cannot install $rules"; return; }
	rl "$NODE" all "$all"; rl "$NODE" eth0 "$dev"
	udp_before=$(cat "$TMPD/udp"); tcp_before=$(cat "$TMPD/tcp")
	lnw_start "$NODE" || { fail "$name" "lnwatch did not start"; return; }
	replies=$(ip netns exec "$PEER" $NETPY udp-client $NODE_IP 8080 $n 0.3)
	conn=$(ip netns exec "$PEER" $NETPY tcp-client $NODE_IP 8080 0.5)
	lnw_stop
	check_run "$name"
	if [ $((all || dev)) = 1 ]; then verdict=accept; else verdict=martian-dst; fi
	check "$name: udp $verdict events" "$(ev ".proto==\"udp\" and .verdict==\"$verdict\"")" $n
	check "$name: udp original -> routed" \
		"$(evvals 'select(.proto=="udp") | "\(.orig_daddr):\(.orig_dport)>\(.daddr):\(.dport) nat=\(.nat)"')" \
		"$NODE_IP:8080>127.0.0.1:5000 nat=true"
	check_ge "$name: tcp $verdict events" "$(ev ".proto==\"tcp\" and .verdict==\"$verdict\"")" 1
	check "$name: tcp original -> routed" \
		"$(evvals 'select(.proto=="tcp") | "\(.orig_daddr):\(.orig_dport)>\(.daddr):\(.dport)"')" \
		"$NODE_IP:8080>127.0.0.1:5001"
	check "$name: only $verdict, then delivered" \
		"$(ev ".verdict!=\"$verdict\" and .verdict!=\"delivered\"")" 0
	check "$name: flags" "$(evvals '.route_localnet|"\(.all)/\(.dev)/\(.effective)"')" \
		"$all/$dev/$((all || dev))"
	check "$name: counters = events" "$(cnt 'true')" "$(ev "true")"
	check "$name: nothing seen with 127/8 on the wire" "$(cnt '.verdict=="seen"')" 0
	# What the kernel did end to end.
	check "$name: udp replies" "$replies" "$want_udp"
	check "$name: tcp connect" "$conn" "$want_tcp"
	if [ $verdict = martian-dst ]; then
		check "$name: udp not delivered" $(( $(cat "$TMPD/udp") - udp_before )) 0
		check "$name: tcp not accepted" $(( $(cat "$TMPD/tcp") - tcp_before )) 0
	else
		check "$name: udp delivered" $(( $(cat "$TMPD/udp") - udp_before )) $n
		check "$name: udp delivered events" \
			"$(ev '.proto=="udp" and .verdict=="delivered" and .socket.port==5000 and .orig_dport==8080')" $n
		check "$name: a DNAT is not an exposure" "$(ev '.exposure') $(summ '.exposures|length')" "0 0"
		check "$name: udp delivered to" "$(evvals 'select(.proto=="udp" and .verdict=="delivered") | "\(.pid) \(.comm)"')" \
			"$UDP_PID python3"
		# the handshake's last ACK is the one routed to the listener
		check "$name: tcp delivered (connection ready to accept)" \
			"$(ev '.proto=="tcp" and .verdict=="delivered" and .socket.port==5001')" "$want_tcp"
		check "$name: tcp delivered to" "$(evvals 'select(.proto=="tcp" and .verdict=="delivered") | "\(.pid) \(.comm)"')" \
			"$TCP_PID python3"
	fi
}

dnat_case "nft dnat, flag off" nft_dnat 0 0 0 0
dnat_case "nft dnat, flag on for the device" nft_dnat 0 1 3 1
# "all" alone is enough both ways here: the reply from 127.0.0.1 leaves too.
dnat_case "nft dnat, flag on via all only" nft_dnat 1 0 3 1
dnat_case "iptables-nft dnat, flag off" ipt_dnat 0 0 0 0
dnat_case "iptables-nft dnat, flag on for the device" ipt_dnat 0 1 3 1
nft_flush

e2e_done

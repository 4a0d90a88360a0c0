#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A Docker-style bridge: a container sends to the bridge's address, a DNAT
# sends it to 127.0.0.1, with and without br_netfilter (which routes the
# packet at the bridge port, before the bridge's own tc); and frames that
# cross a port and its bridge, or a macvlan's lower and upper device, are
# counted once. Checked against the listener and the kernel's martians.
. "$(dirname "$0")/lib.sh"

CT="$TAG-ct"
netns_add "$NODE" && netns_add "$CT" && netns_add "$PEER" &&
	ip -n "$NODE" link add br0 type bridge && ip -n "$NODE" link set br0 up &&
	ip -n "$NODE" addr add 172.18.0.1/16 dev br0 &&
	veth_pair "$NODE" vethct "$CT" eth0 &&
	ip -n "$NODE" link set vethct master br0 &&
	ip -n "$CT" addr add 172.18.0.2/16 dev eth0 &&
	veth_pair "$NODE" eth0 "$PEER" eth0 &&
	ip -n "$NODE" link add mv0 link eth0 type macvlan mode bridge &&
	ip -n "$NODE" link set mv0 up && ip -n "$NODE" addr add 10.99.0.1/24 dev mv0 &&
	ip -n "$PEER" addr add 10.99.0.2/24 dev eth0 ||
	{ fail "topology" "cannot build namespaces"; exit 1; }
BR_MAC=$(mac_of "$NODE" br0)
MV_MAC=$(mac_of "$NODE" mv0)
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/lo5000"
for _ in $(seq 100); do [ -f "$TMPD/lo5000" ] && break; sleep 0.05; done
ip netns exec "$NODE" nft -f - <<'NFT' || fail "ruleset" "nft refused it"
table ip nat {
	chain pre {
		type nat hook prerouting priority -100;
		ip daddr 172.18.0.1 udp dport 8080 dnat to 127.0.0.1:5000;
	}
}
NFT
N=3

# dnat_case BRNF FLAG: the container's datagrams to 172.18.0.1:8080.
dnat_case() {
	local name="bridge DNAT, br_netfilter $1, flag $2" before
	ip netns exec "$NODE" sysctl -qw net.bridge.bridge-nf-call-iptables=$1
	rl "$NODE" br0 "$2"
	before=$(cat "$TMPD/lo5000")
	lnw_start "$NODE" || { fail "$name" "lnwatch did not start"; return; }
	ip netns exec "$CT" $NETPY udp-client 172.18.0.1 8080 $N 0.3 >/dev/null
	lnw_stop
	check_run "$name"
	if [ "$2" = 1 ]; then
		check "$name: the service got them" $(($(cat "$TMPD/lo5000") - before)) $N
		check "$name: accept, delivered on br0, original > routed" \
			"$(evvals '"\(.ifname) \(.verdict) \(.orig_daddr):\(.orig_dport)>\(.daddr):\(.dport)"')" \
			"br0 accept 172.18.0.1:8080>127.0.0.1:5000,br0 delivered 172.18.0.1:8080>127.0.0.1:5000"
		check "$name: one accept, one delivered each" \
			"$(cnt '.verdict=="accept"') $(cnt '.verdict=="delivered"')" "$N $N"
	else
		check "$name: the service got nothing" $(($(cat "$TMPD/lo5000") - before)) 0
		check "$name: martian-dst on br0" \
			"$(evvals '"\(.ifname) \(.verdict) \(.reason) \(.orig_daddr)>\(.daddr)"')" \
			"br0 martian-dst IP_LOCALNET 172.18.0.1>127.0.0.1"
		check "$name: counted" "$(cnt '.verdict=="martian-dst"')" $N
	fi
	# on the wire they were addressed to 172.18.0.1: never `seen`
	check "$name: not seen (DNAT'd, not 127/8 on the wire)" "$(cnt '.verdict=="seen"')" 0
}
dnat_case 1 1
dnat_case 0 1
dnat_case 1 0
dnat_case 0 0

# once_case NAME NS IFACE MAC ROUTE_DEV: frames to 127.0.0.1 crossing two
# devices; the route input is ROUTE_DEV's.
once_case() {
	local name=$1 ns=$2 dev=$3 mac=$4 route_dev=$5 before_m
	before_m=$(martian_dst)
	lnw_start "$NODE" || { fail "$name" "lnwatch did not start"; return; }
	ip netns exec "$ns" "$PKTGEN" "$dev" "$mac" 10.99.0.2 127.0.0.1 40000 5000 $N
	lnw_stop
	check_run "$name"
	check_ge "$name: the kernel's martians" $(($(martian_dst) - before_m)) $N
	check "$name: seen once per frame, in all" "$(cnt '.verdict=="seen"')" $N
	check "$name: martian-dst on $route_dev" \
		"$(cnt ".verdict==\"martian-dst\" and .ifname==\"$route_dev\"")" $N
}
ip netns exec "$NODE" sysctl -qw net.bridge.bridge-nf-call-iptables=0
rl "$NODE" br0 0
once_case "port and bridge" "$CT" eth0 "$BR_MAC" br0
once_case "macvlan lower and upper" "$PEER" eth0 "$MV_MAC" mv0

# The same for ::1 (IPv6: no knob): ip6_rcv_core drops them on the upper
# device, counted in its namespace's Ip6InHdrErrors.
hdr_errors() { ip netns exec "$NODE" awk '$1 == "Ip6InHdrErrors" { print $2 }' /proc/net/snmp6; }
once6_case() {
	local name=$1 ns=$2 dev=$3 mac=$4 route_dev=$5 before
	before=$(hdr_errors)
	lnw_start "$NODE" || { fail "$name" "lnwatch did not start"; return; }
	ip netns exec "$ns" "$PKTGEN" "$dev" "$mac" fe80::2 ::1 40000 5000 $N
	lnw_stop
	check_run "$name"
	check "$name: the kernel's header errors" $(($(hdr_errors) - before)) $N
	check "$name: seen6 once per frame, in all" "$(cnt '.verdict=="seen6"')" $N
	check "$name: lo6-dst on $route_dev, with the kernel's reason" \
		"$(cnt ".verdict==\"lo6-dst\" and .ifname==\"$route_dev\"") $(evvals .reason)" "$N IP_INHDR"
}
once6_case "::1, port and bridge" "$CT" eth0 "$BR_MAC" br0
once6_case "::1, macvlan lower and upper" "$PEER" eth0 "$MV_MAC" mv0

e2e_done

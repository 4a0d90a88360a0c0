#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# An -i interface deleted while lnwatch watches it (issue 13): a warning
# (stderr, and a {"type":"warning"} line with -j), and when an interface
# of that name comes back it is watched again. Others are not taken.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
send() { ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 "$1"; }
warnings() { jq -r "select(.type==\"warning\" and .ifname==\"eth0\") | .state" "$LNW_OUT" | paste -sd, -; }
wait_state() { # STATES: until the warnings say them
	local i
	for i in $(seq 60); do [ "$(warnings)" = "$1" ] && return 0; sleep 0.05; done
	return 1
}

for fb in "" clsact; do
	name="-i eth0${fb:+ (--fallback $fb)}"
	lnw_start "$NODE" -i eth0 ${fb:+--fallback $fb} || { fail "$name" "lnwatch did not start"; continue; }
	send 2
	sleep 0.3
	ip -n "$NODE" link del eth0 # and the peer's end
	wait_state gone
	check "$name deleted: a JSON warning" "$(warnings)" gone
	check "$name deleted: said on stderr" "$(grep -c 'interface eth0 is gone' "$LNW_ERR")" 1
	# another interface, not asked for, is not taken
	ip -n "$NODE" link add other0 type veth peer name other1
	veth_pair "$NODE" eth0 "$PEER" eth0 && ip -n "$NODE" addr add $NODE_IP/24 dev eth0
	NODE_MAC=$(mac_of "$NODE" eth0)
	wait_state gone,watched
	check "$name back: a JSON line says it is watched again" "$(warnings)" gone,watched
	send 3
	lnw_stop
	check_run "$name"
	check "$name: martians before and after" "$(ev '.ifname=="eth0" and .verdict=="martian-dst"')" 5
	check "$name: other0 not watched" "$(ev '.ifname=="other0"') $(grep -c other0 "$LNW_ERR")" "0 0"
	ip -n "$NODE" link del other0
done

e2e_done

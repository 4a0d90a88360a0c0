#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# What lnwatch reports, and what it leaves out: the tracepoints are global,
# so other namespaces' packets must be filtered out unless --all-netns;
# -i limits the interfaces; odd interface names stay valid JSON.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
OTHER="$TAG-other"
netns_add "$OTHER" && veth_pair "$OTHER" eth0 "$PEER" eth1 &&
	veth_pair "$NODE" eth1 "$PEER" eth2 &&
	ip -n "$NODE" link set eth1 name 'we"ird\x' ||
	{ fail "topology" "cannot build namespaces"; exit 1; }
OTHER_MAC=$(mac_of "$OTHER" eth0)
WEIRD_MAC=$(mac_of "$NODE" 'we"ird\x')
INO=$(netns_inode "$NODE")
OTHER_INO=$(netns_inode "$OTHER")
send() { ip netns exec "$PEER" "$PKTGEN" "$1" "$2" $PEER_IP 127.0.0.1 40000 5000 "$3"; }

# Martians in another namespace are not ours by default.
lnw_start "$NODE" || fail "default scope" "lnwatch did not start"
send eth0 "$NODE_MAC" 2
send eth1 "$OTHER_MAC" 4
lnw_stop
check_run "default scope"
check "default scope: node's events only" "$(evvals '.netns')" "$INO"
check "default scope: 2 events" "$(ev true)" 2
check "default scope: counters only for node" "$(summ '[.counters[].netns]|unique|map(tostring)|join(",")')" "$INO"

lnw_start "$NODE" --all-netns || fail "--all-netns" "lnwatch did not start"
send eth0 "$NODE_MAC" 2
send eth1 "$OTHER_MAC" 4
lnw_stop
check_run "--all-netns"
check "--all-netns: node's martians" "$(ev ".netns==$INO and .verdict==\"martian-dst\"")" 2
check "--all-netns: other namespace's martians" "$(ev ".netns==$OTHER_INO and .verdict==\"martian-dst\"")" 4
check "--all-netns: other's counter" "$(cnt ".netns==$OTHER_INO and .verdict==\"martian-dst\"")" 4
check "--all-netns: other's ifname from the kernel" "$(evvals "select(.netns==$OTHER_INO) | .ifname")" eth0

# -i: only the chosen interface; a name with a quote and a backslash.
lnw_start "$NODE" -i 'we"ird\x' || fail "-i" "lnwatch did not start"
send eth0 "$NODE_MAC" 3
send eth2 "$WEIRD_MAC" 2
lnw_stop
check_run "-i odd name"
check "-i odd name: only its events" "$(ev true)" 2
check "-i odd name: ifname round-trips" "$(evvals '.ifname')" 'we"ird\x'
check "-i odd name: counter ifname" "$(summ '[.counters[].ifname]|unique|join(",")')" 'we"ird\x'

# Human output escapes the backslash (\x5c) instead of printing raw bytes.
rm -f "$TMPD/ready"
ip netns exec "$NODE" "$LNW" -w -i 'we"ird\x' --ready-file "$TMPD/ready" -d 1.5 > "$TMPD/human" 2>&1 &
HPID=$!
PIDS+=($HPID)
for i in $(seq 100); do [ -f "$TMPD/ready" ] && break; sleep 0.05; done
send eth2 "$WEIRD_MAC" 1
wait $HPID
check "-i odd name: human run exits 0" $? 0
check "-i odd name: wide event line, name escaped" \
	"$(grep -F 'we"ird\x5cx' "$TMPD/human" | grep -c 'martian-dst (IP_LOCALNET at ip_rcv_finish_core+0x')" 1

e2e_done

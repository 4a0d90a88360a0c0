#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The README's sample output, captured from a real run: `sudo docs/sample.sh
# [LNWATCH ARGS...]` (after `make all tests-build`). In two namespaces it
# makes (the e2e suite's helpers): a neighbour sends UDP to 127.0.0.1 and
# to 10.99.0.1:8080 (DNAT to 127.0.0.1:5000, a listener); route_localnet
# goes on for eth0 and both are sent again, plus a TCP SYN DNAT'd to a port
# nobody listens on; last, the route back to the peer moves to eth1, whose
# flag is off. Prints lnwatch's output, stderr included.
OUT=${OUT:-$(cd "$(dirname "$0")/.." && pwd)/build}
LNW=${LNW:-$OUT/lnwatch}
. "$(dirname "$0")/../tests/e2e/lib.sh"

topo_basic || { echo "sample: cannot build namespaces" >&2; exit 1; }
veth_pair "$NODE" eth1 "$PEER" eth1
ip -n "$NODE" addr add 10.98.0.1/24 dev eth1
ip -n "$PEER" addr add 10.98.0.2/24 dev eth1
ip netns exec "$NODE" nft -f - <<EOF
table ip sample {
	chain pre {
		type nat hook prerouting priority dstnat;
		iifname "eth0" udp dport 8080 dnat to 127.0.0.1:5000
		iifname "eth0" tcp dport 8081 dnat to 127.0.0.1:5999
	}
}
EOF
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/udp"
for _ in $(seq 100); do [ -f "$TMPD/udp" ] && break; sleep 0.05; done
to_lo() { ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 1; }
to_dnat() { ip netns exec "$PEER" $NETPY udp-client $NODE_IP 8080 1 0.3 >/dev/null; }

rm -f "$TMPD/ready"
ip netns exec "$NODE" "$LNW" --ready-file "$TMPD/ready" "$@" >"$TMPD/out" 2>&1 &
LPID=$!
PIDS+=("$LPID")
for _ in $(seq 100); do [ -f "$TMPD/ready" ] && break; sleep 0.05; done
to_lo; to_dnat
rl "$NODE" eth0 1
sleep 0.3 # lnwatch reads the flags every 100 ms, then attaches its route hooks
to_lo; to_dnat
ip netns exec "$PEER" $NETPY tcp-client $NODE_IP 8081 0.3 >/dev/null
ip -n "$NODE" route add $PEER_IP/32 via 10.98.0.2 dev eth1
to_dnat
sleep 0.3
kill -INT "$LPID"
wait "$LPID"
cat "$TMPD/out"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The audit's evaluation is bounded: 12 chains of 8 mark-conditional jumps
# (8^12 paths when walked naively), 10,000 rules in one chain, 10,000
# guard-like rules. Each audit must finish within a loose bound (10 s,
# under ASan, on a shared machine) and still say what the kernel does.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../audit/probes.sh"

BOUND=10
topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
rl "$NODE" eth0 1
# a source from elsewhere passes the route (and its SYN-ACK has a route)
ip netns exec "$NODE" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
ip -n "$NODE" route add default via $PEER_IP
probes_start udp:5000 tcp:5001 || { fail "services" "did not start"; exit 1; }

gen_fanout() { # 12 chains of 8 jumps on marks nobody sets, a drop at the end
	local i j
	echo "table ip fan {"
	for i in $(seq 0 11); do
		echo "chain c$i {"
		for j in $(seq 1 8); do echo "meta mark $j jump $([ "$i" -lt 11 ] && echo "c$((i + 1))" || echo leaf)"; done
		echo "}"
	done
	echo "chain leaf { ip daddr 127.0.0.0/8 drop; }"
	echo "chain input { type filter hook input priority 0; jump c0; }"
	echo "}"
}
gen_allow() { # 10,000 source-and-port accepts, then the guard
	awk 'BEGIN { print "table ip big {\nchain input {\ntype filter hook input priority 0;";
		for (k = 0; k < 10000; k++)
			printf "ip saddr 10.%d.%d.1 tcp dport %d accept\n", int(k / 256) % 256, k % 256, 1000 + k;
		print "iifname != \"lo\" ip daddr 127.0.0.0/8 drop\n}\n}" }'
}
gen_guards() { # 10,000 guard-like rules, none for the services' ports
	awk 'BEGIN { print "table ip guards {\nchain input {\ntype filter hook input priority 0;";
		for (k = 0; k < 10000; k++)
			printf "iifname \"eth0\" ip daddr 127.0.0.1 tcp dport %d drop\n", 10000 + k;
		print "}\n}" }'
}

# timed NAME: audit the node; A_RC, A_SECS, the JSON in $TMPD/a.json.
timed() {
	local s e
	s=$(date +%s.%N)
	"$LNW" audit --netns "$NODE" -j >"$TMPD/a.json" 2>"$TMPD/a.err"
	A_RC=$?
	e=$(date +%s.%N)
	A_SECS=$(echo "$e - $s" | bc)
	s=$(date +%s.%N)
	"$OUT/lnwatch" audit --netns "$NODE" -j >/dev/null 2>&1
	e=$(date +%s.%N)
	echo "# $1: $A_SECS s under ASan, $(echo "$e - $s" | bc) s without"
	if [ "$(echo "$A_SECS < $BOUND" | bc)" = 1 ]; then ok "$1: within $BOUND s"
	else fail "$1: within $BOUND s" "$A_SECS s"; fi
}
status() { jq -r ".exposure[] | select(.service.proto == \"$1\") | .status" "$TMPD/a.json"; }
# sent NAME PROTO:SADDR:DPORT WANT: a neighbour's frame to 127.0.0.1, and
# whether the kernel delivered it (D) or not (N).
sport=30000
sent() {
	local proto saddr dport
	IFS=: read -r proto saddr dport <<<"$2"
	sport=$((sport + 1))
	probes_send "$proto:$saddr:127.0.0.1:$sport:$dport"
	sleep 0.15
	probes_seen
	check "$1" "$(probe_got "$proto" "$saddr" "$sport" "$dport")" "$3"
}

gen_fanout | ip netns exec "$NODE" nft -f - || fail "fan-out" "cannot load"
timed "fan-out 12x8"
check "fan-out: exposed, exit 1" "$A_RC $(status udp)" "1 exposed"
sent "fan-out: no mark, the neighbour's datagram is delivered" udp:$PEER_IP:5000 D

ip netns exec "$NODE" nft flush ruleset
gen_allow | ip netns exec "$NODE" nft -f - || fail "10,000 rules" "cannot load"
timed "10,000 rules"
check "10,000 rules: udp guarded, tcp exposed (one source may pass)" \
	"$A_RC $(status udp) $(status tcp)" "1 guarded exposed"
sent "10,000 rules: the guard drops udp" udp:$PEER_IP:5000 N
sent "10,000 rules: 10.15.161.1 reaches tcp 5001" tcp:10.15.161.1:5001 D

ip netns exec "$NODE" nft flush ruleset
gen_guards | ip netns exec "$NODE" nft -f - || fail "10,000 guards" "cannot load"
timed "10,000 guard-like rules"
check "10,000 guards: both exposed" "$A_RC $(status udp) $(status tcp)" "1 exposed exposed"
check "10,000 guards: coverage past the cap is not worked out" \
	"$(jq '[.guards[] | select(.interfaces == null)] | length' "$TMPD/a.json")" 9744
sent "10,000 guards: tcp 5001 is delivered" tcp:$PEER_IP:5001 D
e2e_done

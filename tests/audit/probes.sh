# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Probes for the audit's kernel tests (sourced after tests/e2e/lib.sh and
# topo_basic): loopback-only services in the node that log what reaches
# them, and a neighbour's frames to them.

AUDIT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# probes_start SPEC...: sink.py's services (udp:PORT, tcp:PORT) on
# 127.0.0.1 in the node. A SYN-RECV socket lives 1 s (no SYN-ACK
# retransmission); the neighbour drops SYN-ACKs rather than answer them
# with a RST that would end that socket before it is seen.
probes_start() {
	local i
	ip netns exec "$NODE" sysctl -qw net.ipv4.tcp_synack_retries=0 || return 1
	ip netns exec "$PEER" nft -f - <<-'EOF2' || return 1
	table ip quiet {
		chain in {
			type filter hook prerouting priority -400;
			tcp flags & (syn | ack) == syn | ack drop
		}
	}
	EOF2
	bg "$NODE" python3 "$AUDIT_DIR/sink.py" "$TMPD/sink" 127.0.0.1 "$@"
	for i in $(seq 100); do
		[ -f "$TMPD/sink.ready" ] && return 0
		sleep 0.05
	done
	return 1
}

# probes_send PROTO:SADDR:DADDR:SPORT:DPORT...: the neighbour's frames,
# by one probe.py serving batches from a FIFO (fd 9), started on first use;
# returns once they are sent.
PROBES_SENT=0
probes_send() {
	local i
	if [ "$PROBES_SENT" = 0 ]; then
		mkfifo "$TMPD/probe.fifo" && exec 9<>"$TMPD/probe.fifo" || return 1
		bg "$PEER" python3 "$AUDIT_DIR/probe.py" --serve eth0 "$NODE_MAC" \
			"$TMPD/probe.fifo" "$TMPD/probe.done"
	fi
	PROBES_SENT=$((PROBES_SENT + 1))
	echo "$*" >&9
	for i in $(seq 400); do
		[ "$(cat "$TMPD/probe.done" 2>/dev/null)" = "$PROBES_SENT" ] && return 0
		sleep 0.01
	done
	echo "# probe.py did not send batch $PROBES_SENT"
	return 1
}

# probes_container: a "container" namespace behind the node's docker0
# (172.17.0.1/16, it is 172.17.0.2), services on every address for udp
# 8125 and tcp 8126, forwarding on in the node: where a DNAT of 127.x on
# the wire to a real address delivers.
CTR="$TAG-ctr"
CTR_PORTS=" 8125 8126 "
probes_container() {
	local i
	netns_add "$CTR" && veth_pair "$NODE" docker0 "$CTR" eth0 &&
	ip -n "$NODE" addr add 172.17.0.1/16 dev docker0 &&
	ip -n "$CTR" addr add 172.17.0.2/16 dev eth0 &&
	ip -n "$CTR" route add default via 172.17.0.1 &&
	ip netns exec "$NODE" sysctl -qw net.ipv4.ip_forward=1 &&
	ip netns exec "$CTR" sysctl -qw net.ipv4.tcp_synack_retries=0 || return 1
	bg "$CTR" python3 "$AUDIT_DIR/sink.py" "$TMPD/csink" 0.0.0.0 udp:8125 tcp:8126
	for i in $(seq 100); do
		[ -f "$TMPD/csink.ready" ] && return 0
		sleep 0.05
	done
	return 1
}

# probes_seen: what reached the services so far, for probe_got: the
# node's and the container's SYN-RECV sockets (the datagrams are in
# sink.py's logs).
probes_seen() {
	ip netns exec "$NODE" ss -Htn state syn-recv >"$TMPD/synrecv"
	if [ -e "/run/netns/$CTR" ]; then
		ip netns exec "$CTR" ss -Htn state syn-recv >"$TMPD/csynrecv"
	fi
}

# probe_got PROTO SADDR SPORT LPORT: D if the service on 127.0.0.1:LPORT
# (in the container for its ports) took the probe (a datagram, or a
# SYN) by probes_seen, else N.
probe_got() {
	local sink=$TMPD/sink syn=$TMPD/synrecv laddr='127\.0\.0\.1'
	if [[ $CTR_PORTS == *" $4 "* ]]; then
		sink=$TMPD/csink syn=$TMPD/csynrecv laddr='172\.17\.0\.2'
	fi
	if [ "$1" = udp ]; then
		grep -q "^$4 $2 $3\$" "$sink" 2>/dev/null && echo D || echo N
	else
		grep -Eq "[[:space:]]$laddr:$4[[:space:]]+$2:$3\$" "$syn" 2>/dev/null &&
			echo D || echo N
	fi
}

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# route_localnet changes are events: who wrote what, when, where (a
# cgroup/sysctl program sees every write through /proc/sys); a change by
# another path (rtnetlink IFLA_INET_CONF) is seen by the periodic read,
# writer unknown. A write turning the flag on attaches the route hooks at
# once: a datagram sent right after the write is followed to its socket.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/lo5000"
for _ in $(seq 100); do [ -f "$TMPD/lo5000" ] && break; sleep 0.05; done
sysctl_node() { ip netns exec "$NODE" sysctl -qw "$@"; }
changes() { jq -c "select(.type==\"flag-change\") | select($1)" "$LNW_OUT" | wc -l; }

lnw_start "$NODE" || { fail "start" "lnwatch did not start"; exit 1; }
check "the writes are watched (cgroup/sysctl)" "$(grep -c 'periodic read only' "$LNW_ERR")" 0
# five times: on, a datagram at once (no wait for a tick), then off
ROUNDS=5
for _ in $(seq $ROUNDS); do
	sysctl_node net.ipv4.conf.eth0.route_localnet=1
	ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 1
	for _ in $(seq 40); do [ -n "$(ev '.verdict=="delivered"')" ] && break; sleep 0.02; done
	sleep 0.15
	sysctl_node net.ipv4.conf.eth0.route_localnet=0
	sleep 0.15
done
sysctl_node net.ipv4.conf.all.route_localnet=1
sysctl_node net.ipv4.conf.all.route_localnet=0
sysctl_node net.ipv4.conf.default.route_localnet=1
sysctl_node net.ipv4.conf.default.route_localnet=0
sysctl_node net.ipv4.conf.eth0.route_localnet=0 # the same value: no change
# writes the kernel does not take: refused (EINVAL), and at a file offset
# (ignored: kernel.sysctl_writes_strict); the program sees both: no change
RL=/proc/sys/net/ipv4/conf/eth0/route_localnet
ip netns exec "$NODE" sh -c "echo abc >$RL" 2>/dev/null
ip netns exec "$NODE" sh -c "printf 1 | dd of=$RL bs=1 seek=1 conv=notrunc status=none"
ip netns exec "$NODE" sh -c "echo 1 >/proc/sys/net/ipv4/conf/all/route_localnet"
ip netns exec "$NODE" sh -c "echo xyz >/proc/sys/net/ipv4/conf/all/route_localnet" 2>/dev/null
ip netns exec "$NODE" sh -c "echo 0 >/proc/sys/net/ipv4/conf/all/route_localnet"
REFUSED_LEFT=$(ip netns exec "$NODE" cat $RL)
# another namespace's flag is not ours
ip netns exec "$PEER" sysctl -qw net.ipv4.conf.eth0.route_localnet=1
# not through /proc/sys: seen by the periodic read, writer unknown
ip netns exec "$NODE" $NETPY set-localnet eth0 1
sleep 0.4
ip netns exec "$NODE" $NETPY set-localnet eth0 0
sleep 0.4
lnw_stop
check_run "flag events"
check "the kernel delivered every datagram" "$(cat "$TMPD/lo5000")" $ROUNDS
check "each one followed: accept" "$(ev '.verdict=="accept"')" $ROUNDS
check "each one followed: delivered, an exposure" "$(ev '.verdict=="delivered" and .exposure')" $ROUNDS
check "eth0 writes, with their writer" \
	"$(changes '.scope=="dev" and .ifname=="eth0" and .source=="sysctl-write" and .writer.comm=="sysctl" and .writer.uid==0 and .writer.pid > 1')" \
	$((2 * ROUNDS))
check "eth0: on, off in turn" \
	"$(jq -r 'select(.type=="flag-change" and .source=="sysctl-write" and .scope=="dev") | "\(.old)>\(.new)"' "$LNW_OUT" | sort | uniq -c | awk '{print $1, $2}' | paste -sd, -)" \
	"$ROUNDS 0>1,$ROUNDS 1>0"
check "all, default: their scope (refused and ignored writes: none)" \
	"$REFUSED_LEFT $(jq -r 'select(.type=="flag-change" and .scope!="dev") | "\(.scope) \(.old)>\(.new)"' "$LNW_OUT" | paste -sd, -)" \
	"0 all 0>1,all 1>0,default 0>1,default 1>0,all 0>1,all 1>0"
check "netlink: seen by the read, writer unknown" \
	"$(jq -r 'select(.type=="flag-change" and .source=="periodic-read") | "\(.ifname) \(.old)>\(.new) \(.writer)"' "$LNW_OUT" | paste -sd, -)" \
	"eth0 0>1 null,eth0 1>0 null"
check "no change counted twice, none from the peer" "$(changes 'true')" $((2 * ROUNDS + 8))
check "netns of each" "$(jq -r 'select(.type=="flag-change") | .netns' "$LNW_OUT" | sort -u)" \
	"$(netns_inode "$NODE")"
check "summary: changes" "$(summ .flag_changes)" $((2 * ROUNDS + 8))
check "summary: how writes are seen" "$(summ .paths.flag_writes)" cgroup/sysctl
# each round attaches and detaches; `all` and the netlink writes may fall
# within one read of each other on a loaded machine: at least the rounds,
# and as many switches as records after the first
check_ge "a hook switch for each round, at least" "$(summ .paths.route_hooks.switches)" $((2 * ROUNDS))
check "a record for each switch" "$(summ .paths.route_hooks.switches)" \
	$(($(jq -c 'select(.type=="route-hooks")' "$LNW_OUT" | wc -l) - 1))

# People read it too: one line per change, under 80 columns, escaped.
lnw_start_text() {
	LNW_OUT=$TMPD/text.out
	ip netns exec "$NODE" "$LNW" --ready-file "$TMPD/ready.t" >"$LNW_OUT" 2>"$TMPD/text.err" &
	LNW_PID=$!
	PIDS+=("$LNW_PID")
	for _ in $(seq 100); do [ -f "$TMPD/ready.t" ] && break; sleep 0.05; done
}
lnw_start_text
# a writer that names itself with a terminal escape (prctl PR_SET_NAME)
ip netns exec "$NODE" python3 -c '
import ctypes
ctypes.CDLL(None).prctl(15, b"ev\x1b[31mil", 0, 0, 0)
open("/proc/sys/net/ipv4/conf/eth0/route_localnet", "w").write("1")'
sleep 0.2
kill -INT "$LNW_PID"; wait "$LNW_PID"
check "text: the change line, the name escaped" \
	"$(grep -cF 'route_localnet eth0: 0 -> 1 (pid ' "$LNW_OUT") $(grep -cF 'ev\x1b[31mil, uid 0)' "$LNW_OUT")" "1 1"
check "text: no escape byte reaches the terminal" "$(grep -c $'\033' "$LNW_OUT")" 0
check "text: under 80 columns" "$(awk 'length > 79' "$LNW_OUT" | grep -c route_localnet)" 0
sysctl_node net.ipv4.conf.eth0.route_localnet=0

# What the kernel takes from a write, with the kernel as the oracle: each
# value written to default/route_localnet (after a "0"), the kernel's value
# read after each write, and lnwatch's changes must be exactly its moves.
DEF=/proc/sys/net/ipv4/conf/default/route_localnet
lnw_start "$NODE" || fail "write values" "lnwatch did not start"
prev=0 moves=()
for v in '1\n' '0x10' '010' '-1' '1 abc' 'abc' '1abc' '08' '+1' '' ' \n' \
	'2147483648' '0x' '7' '  1\t' '00000000000000000001' '000000000000000000001'; do
	for w in '0\n' "$v"; do
		ip netns exec "$NODE" sh -c "printf '$w' >$DEF" 2>/dev/null
		k=$(ip netns exec "$NODE" cat $DEF)
		k=$((k != 0))
		[ "$k" != "$prev" ] && moves+=("$prev>$k")
		prev=$k
	done
done
# and one at an offset (kernel.sysctl_writes_strict=1 ignores it)
ip netns exec "$NODE" sh -c "printf 0 >$DEF; printf 1 | dd of=$DEF bs=1 seek=1 conv=notrunc status=none"
k=$(ip netns exec "$NODE" cat $DEF); k=$((k != 0))
[ "$k" != "$prev" ] && moves+=("$prev>$k")
sleep 0.3
lnw_stop
check_ge "write values: the kernel took some and refused others" "${#moves[@]}" 10
check "write values: lnwatch's changes are exactly the kernel's moves" \
	"$(jq -r 'select(.type=="flag-change" and .scope=="default") | "\(.old)>\(.new)"' "$LNW_OUT" | paste -sd' ' -)" \
	"${moves[*]}"
ip netns exec "$NODE" sh -c "printf 0 >$DEF"

e2e_done

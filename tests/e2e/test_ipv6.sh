#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# IPv6 ::1 on a real device: a neighbour writes frames to [::1]:port (UDP
# and TCP SYNs) and from ::1 at the node's MAC. ip6_rcv_core drops them all
# (RFC 4291; no knob) and counts them in Ip6InHdrErrors: lnwatch's counts
# must equal that counter's move exactly, its events say lo6-dst/lo6-src
# with the kernel's reason, and its filters apply as for IPv4. ::1 on the
# loopback device itself is delivered and never reported.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
INO=$(netns_inode "$NODE")
SRC6=fe80::99:2 # the neighbour's source, written into the frames
N_UDP=5 N_TCP=3 N_SRC=2
N_ALL=$((N_UDP + N_TCP + N_SRC))

hdr_errors() { ip netns exec "$NODE" awk '$1 == "Ip6InHdrErrors" { print $2 }' /proc/net/snmp6; }
send_all() {
	ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $SRC6 ::1 40000 5000 $N_UDP &&
	ip netns exec "$PEER" "$PKTGEN" -t eth0 "$NODE_MAC" $SRC6 ::1 40001 5001 $N_TCP &&
	ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" ::1 fe80::1 40002 5002 $N_SRC
}
# run NAME [OPTION...]: lnwatch on eth0 while send_all; KDELTA: the
# kernel counter's move
run() {
	local name=$1 before; shift
	before=$(hdr_errors)
	lnw_start "$NODE" -i eth0 "$@" || { fail "$name" "lnwatch did not start"; return 1; }
	send_all || fail "$name: frames sent" "pktgen failed"
	lnw_stop
	KDELTA=$(($(hdr_errors) - before))
	check_run "$name"
	check "$name: the kernel dropped every one (Ip6InHdrErrors)" "$KDELTA" $N_ALL
}
d6='.verdict=="lo6-dst"'
s6='.verdict=="lo6-src"'

# ---- every verdict, exact, with the kernel's reason -------------------------
run "ipv6 ::1" || exit 1
check "ipv6 ::1: counter seen6 = kernel's count" "$(cnt '.verdict=="seen6"')" "$KDELTA"
check "ipv6 ::1: counters lo6-dst + lo6-src = kernel's count" \
	"$(( $(cnt "$d6") + $(cnt "$s6") ))" "$KDELTA"
check "ipv6 ::1: counters lo6-dst, lo6-src" "$(cnt "$d6") $(cnt "$s6")" \
	"$((N_UDP + N_TCP)) $N_SRC"
check "ipv6 ::1: counters' reason" "$(summ '[.counters[]|select(.verdict|startswith("lo6"))|.reason]|unique|join(",")')" IP_INHDR
check "ipv6 ::1: bytes seen6 (IPv6 length: 40 + 16 UDP, 40 + 28 TCP)" \
	"$(summ '[.counters[]|select(.verdict=="seen6")|.bytes]|add')" \
	$(( (N_UDP + N_SRC) * 56 + N_TCP * 68 ))
check "ipv6 ::1: no IPv4 verdict" "$(cnt '.verdict|test("^(seen|martian-dst|martian-src|accept|drop)$")')" 0
check "ipv6 ::1: udp events" \
	"$(ev "$d6 and .proto==\"udp\" and .saddr==\"$SRC6\" and .sport==40000 and .daddr==\"::1\" and .dport==5000")" $N_UDP
check "ipv6 ::1: tcp events" \
	"$(ev "$d6 and .proto==\"tcp\" and .saddr==\"$SRC6\" and .sport==40001 and .daddr==\"::1\" and .dport==5001")" $N_TCP
check "ipv6 ::1: lo6-src events" \
	"$(ev "$s6 and .proto==\"udp\" and .saddr==\"::1\" and .daddr==\"fe80::1\" and .dport==5002")" $N_SRC
check "ipv6 ::1: events' fields" \
	"$(evvals '"\(.family) \(.ifname) \(.netns) \(.reason) \(.reason_source) \(.join) \(.route_localnet) \(.nat) \(.orig_daddr==.daddr)"')" \
	"6 eth0 $INO IP_INHDR kernel skb null false true"
check "ipv6 ::1: drop location is ip6_rcv_core" \
	"$(evvals '.location | test("^ip6_rcv_core[+]0x[0-9a-f]+$")')" true

# ---- filters ----------------------------------------------------------------
run "ipv6, -p 5000" -p 5000
check "ipv6, -p 5000: only udp to port 5000 counted" \
	"$(cnt '.verdict=="seen6"') $(cnt "$d6") $(cnt "$s6")" "$N_UDP $N_UDP 0"
check "ipv6, -p 5000: only its events" "$(ev 'true') $(ev '.dport==5000')" "$N_UDP $N_UDP"
run "ipv6, -p 6000" -p 6000
check "ipv6, -p 6000: nothing counted, nothing said" \
	"$(summ '.counters|length') $(ev 'true')" "0 0"
run "ipv6, -s 10.0.0.0/8" -s 10.0.0.0/8
check "ipv6, -s (an IPv4 network): no IPv6 source is in it" \
	"$(summ '.counters|length') $(ev 'true')" "0 0"
run "ipv6, --verdict lo6-src" --verdict lo6-src
check "ipv6, --verdict lo6-src: only lo6-src counted and said" \
	"$(summ '[.counters[].verdict]|unique|join(",")') $(ev "$s6") $(ev 'true')" \
	"lo6-src $N_SRC $N_SRC"
run "ipv6, -r 1" -r 1
check "ipv6, -r 1: one event per flow, counts exact" \
	"$(ev "$d6") $(ev "$s6") $(cnt "$d6") $(cnt "$s6")" "2 1 $((N_UDP + N_TCP)) $N_SRC"
check "ipv6, -r 1: the rest held back" "$(summ .rate_limited)" $((N_ALL - 3))

# ---- kernels before 6.3/6.6: joined by device and addresses; clsact --------
run "ipv6, old-kernel paths" --fallback addr-join,clsact
check "ipv6, old-kernel paths: counters seen6 lo6-dst lo6-src" \
	"$(cnt '.verdict=="seen6"') $(cnt "$d6") $(cnt "$s6")" "$N_ALL $((N_UDP + N_TCP)) $N_SRC"
check "ipv6, old-kernel paths: joined by address" "$(evvals .join)" addr

# ---- the person's view: the line, and why nothing can be switched ----------
before=$(hdr_errors)
ip netns exec "$NODE" "$LNW" -i eth0 -d 2 >"$TMPD/text.out" 2>"$TMPD/text.err" &
TXT_PID=$!
PIDS+=("$TXT_PID")
sleep 1
send_all
wait "$TXT_PID"
check "text: exit code" "$?" 0
check "text: kernel dropped them" "$(($(hdr_errors) - before))" $N_ALL
check "text: lo6-dst lines, RL '-'" \
	"$(grep -cE "^[0-9:]+ eth0 +udp +\[?$SRC6\]?(:40000)? +\[::1\]:5000 +- +lo6-dst$" "$TMPD/text.out")" $N_UDP
check "text: lo6-src lines" "$(grep -cE " \[::1\]:40002 +\[fe80::1\]:5002 +- +lo6-src$" "$TMPD/text.out")" $N_SRC
check "text: every line under 80 columns" "$(awk 'length > 79' "$TMPD/text.out" | wc -l)" 0
check "text: the first ::1 drop says no knob exists, once" \
	"$(grep -c 'IPv6 has no route_localnet: ::1 on a wire is always dropped (RFC 4291)' "$TMPD/text.err")" 1
check "text: the summary says it too" "$(grep -c '^lo6-\*: IPv6 has no route_localnet' "$TMPD/text.out")" 1

# ---- ::1 on the loopback device: delivered, never reported -----------------
bg "$NODE" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::1", 5000)); open(sys.argv[1] + ".tmp", "w").close()
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
n = 0
while True:
    s.recv(64); n += 1
    open(sys.argv[1] + ".n", "w").write(str(n))' "$TMPD/lo6"
for _ in $(seq 100); do [ -f "$TMPD/lo6" ] && break; sleep 0.05; done
before=$(hdr_errors)
lnw_start "$NODE" || fail "loopback ::1" "lnwatch did not start"
ip netns exec "$NODE" python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for _ in range(4): s.sendto(b"lnwatch!", ("::1", 5000))'
for _ in $(seq 40); do [ "$(cat "$TMPD/lo6.n" 2>/dev/null)" = 4 ] && break; sleep 0.05; done
lnw_stop
check_run "loopback ::1"
check "loopback ::1: delivered to the listener" "$(cat "$TMPD/lo6.n" 2>/dev/null)" 4
check "loopback ::1: not dropped" "$(($(hdr_errors) - before))" 0
check "loopback ::1: nothing counted, nothing said" "$(summ '.counters|length') $(ev 'true')" "0 0"

e2e_done

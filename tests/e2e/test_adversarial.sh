#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Cases built to make lnwatch lie or stay silent, each against the kernel's
# own counters: ::1 in another namespace (--all-netns), behind extension
# headers, in a VLAN tag, as a v4-mapped address; a ::1 flood; a foreign
# tcx program attached after lnwatch chose clsact; an accept timed before
# the route_localnet write that let it in.
. "$(dirname "$0")/lib.sh"

topo_other || { fail "topology" "cannot build namespaces"; exit 1; }
SRC6=fe80::99:2

snmp6() { ip netns exec "$1" awk -v k="$2" '$1 == k { print $2 }' /proc/net/snmp6; }
hdr_errors() { snmp6 "$1" Ip6InHdrErrors; }
# send6 DEV MAC VARIANT N [DADDR]: IPv6/UDP 40000 -> 5000 frames from the
# peer; VARIANT: plain, hbh (hop-by-hop first), dstopt, frag (a first
# fragment), frag2 (a later one)
cat >"$TMPD/send6.py" <<'EOF'
import socket, struct, sys
dev, mac, variant, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
src, dst = sys.argv[5], sys.argv[6]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((dev, 0))
me = open(f"/sys/class/net/{dev}/address").read().strip()
udp = struct.pack("!HHHH", 40000, 5000, 16, 0) + b"lnwatch!"
opts = bytes([17, 0, 1, 4, 0, 0, 0, 0])  # next: UDP; PadN of 4
nxt, payload = {
    "plain": (17, udp), "hbh": (0, opts + udp), "dstopt": (60, opts + udp),
    "frag": (44, bytes([17, 0]) + struct.pack("!HI", 1, 7) + udp),
    "frag2": (44, bytes([17, 0]) + struct.pack("!HI", 8 << 3, 7) + udp),
}[variant]
ip6 = struct.pack("!IHBB", 6 << 28, len(payload), nxt, 64) + \
    socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst)
eth = bytes.fromhex(mac.replace(":", "") + me.replace(":", "")) + b"\x86\xdd"
for _ in range(n):
    s.send(eth + ip6 + payload)
EOF
send6() {
	ip netns exec "$PEER" python3 "$TMPD/send6.py" "$1" "$2" "$3" "$4" $SRC6 "${5:-::1}"
}
d6='.verdict=="lo6-dst"'

# ---- --all-netns: ::1 dropped in another namespace is said, from the skb -----
b_o=$(hdr_errors "$OTHER") b_n=$(hdr_errors "$NODE")
lnw_start "$NODE" --all-netns -r 0 || fail "all-netns ::1" "lnwatch did not start"
ip netns exec "$PEER" "$PKTGEN" eth1 "$OTHER_MAC" $SRC6 ::1 40000 5000 4
send6 eth1 "$OTHER_MAC" hbh 2
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $SRC6 ::1 40000 5000 3
lnw_stop
check_run "all-netns ::1"
k_o=$(($(hdr_errors "$OTHER") - b_o)) k_n=$(($(hdr_errors "$NODE") - b_n))
check "all-netns ::1: the kernel dropped them (other, node)" "$k_o $k_n" "6 3"
check "all-netns ::1: other namespace's lo6-dst counted as the kernel did" \
	"$(cnt "$d6 and .netns==$OTHER_INO")" "$k_o"
check "all-netns ::1: other namespace's events, from the skb's headers" \
	"$(ev "$d6 and .netns==$OTHER_INO and .ifname==\"eth0\" and .join==null and .reason==\"IP_INHDR\" and .proto==\"udp\" and .dport==5000 and .saddr==\"$SRC6\"")" "$k_o"
check "all-netns ::1: ours still joined at tc" \
	"$(cnt "$d6 and .netns!=$OTHER_INO") $(ev "$d6 and .join==\"skb\"")" "$k_n $k_n"
lnw_start "$NODE" || fail "default scope ::1" "lnwatch did not start"
ip netns exec "$PEER" "$PKTGEN" eth1 "$OTHER_MAC" $SRC6 ::1 40000 5000 2
lnw_stop
check "default scope: another namespace's ::1 not ours, not missed" \
	"$(summ '.counters|length') $(ev true) $(summ .tc_missed)" "0 0 0"

# ---- extension headers: the kernel drops before them; -p still finds UDP ---
for v in hbh dstopt frag frag2; do
	before=$(hdr_errors "$NODE")
	lnw_start "$NODE" -i eth0 -p 5000 || fail "$v" "lnwatch did not start"
	send6 eth0 "$NODE_MAC" $v 3
	lnw_stop
	k=$(($(hdr_errors "$NODE") - before))
	check "ext $v: the kernel dropped them in ip6_rcv_core" "$k" 3
	if [ $v = frag2 ]; then # no ports on the wire: not to port 5000
		check "ext $v: a later fragment's UDP has no port for -p" \
			"$(summ '.counters|length') $(ev true)" "0 0"
		continue
	fi
	check "ext $v: -p 5000 counts them (seen6, lo6-dst)" \
		"$(cnt '.verdict=="seen6"') $(cnt "$d6")" "$k $k"
	check "ext $v: said as UDP to port 5000" "$(ev "$d6 and .proto==\"udp\" and .dport==5000")" "$k"
done
lnw_start "$NODE" -i eth0 || fail "ext frag2" "lnwatch did not start"
send6 eth0 "$NODE_MAC" frag2 2
lnw_stop
check "ext frag2: without -p said as UDP, port unknown" \
	"$(ev "$d6 and .proto==\"udp\" and .dport==null")" 2

# ---- 802.1Q: a tag with no VLAN device is OTHERHOST, not ip6_rcv_core's ----
for vid in 0 5; do
	before=$(hdr_errors "$NODE")
	lnw_start "$NODE" -i eth0 || fail "vlan $vid" "lnwatch did not start"
	ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $SRC6 ::1 40000 5000 3 $vid
	lnw_stop
	k=$(($(hdr_errors "$NODE") - before))
	if [ $vid = 0 ]; then # priority tag: the packet is the untagged one
		check "vlan 0: the kernel's ::1 drop, said so" "$k $(cnt "$d6") $(ev "$d6")" "3 3 3"
	else
		check "vlan $vid: not an ip6_rcv_core ::1 drop (Ip6InHdrErrors still)" "$k" 0
		check "vlan $vid: no lo6-*, a drop with the kernel's reason" \
			"$(cnt '.verdict|startswith("lo6")') $(ev '.verdict=="drop" and .reason=="OTHERHOST"')" "0 3"
	fi
done

# ---- v4-mapped ::ffff:127.0.0.1: no route, dropped; not a ::1 drop ---------
b_nr=$(snmp6 "$NODE" Ip6InNoRoutes) before=$(hdr_errors "$NODE")
lnw_start "$NODE" -i eth0 || fail "v4-mapped" "lnwatch did not start"
send6 eth0 "$NODE_MAC" plain 3 ::ffff:127.0.0.1
lnw_stop
check "v4-mapped: the kernel found no route (Ip6InNoRoutes), no header error" \
	"$(($(snmp6 "$NODE" Ip6InNoRoutes) - b_nr)) $(($(hdr_errors "$NODE") - before))" "3 0"
check "v4-mapped: not claimed as lo6-* (README: out of scope)" \
	"$(summ '.counters|length') $(ev true)" "0 0"

# ---- a flood of ::1, limited to 5 events a flow and second: exact counts ---
N=100000
before=$(hdr_errors "$NODE")
lnw_start "$NODE" -i eth0 -r 5 || fail "::1 flood" "lnwatch did not start"
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $SRC6 ::1 40000 5000 $N
lnw_stop
check_run "::1 flood"
k=$(($(hdr_errors "$NODE") - before))
check "::1 flood: the kernel dropped every one" "$k" $N
check "::1 flood: seen6 and lo6-dst exact" "$(cnt '.verdict=="seen6"') $(cnt "$d6")" "$N $N"
check "::1 flood: events + held back = the drops" \
	"$(( $(ev "$d6") + $(summ .rate_limited) ))" $N
check "::1 flood: events' suppressed + events = the drops" \
	"$(jq -s '[.[]|select(.type=="event")|.suppressed+1]|add' "$LNW_OUT")" \
	"$(( N - $(summ .rate_limited) + $(jq -s '[.[]|select(.type=="event")|.suppressed]|add' "$LNW_OUT") ))"

# ---- a foreign tcx program attached after lnwatch chose clsact ----------
cat >"$TMPD/pass.bpf.c" <<'EOF'
#include <linux/bpf.h>
#define SEC(n) __attribute__((section(n), used))
SEC("tc") int foreign_pass(struct __sk_buff *skb) { return 0; }
char _license[] SEC("license") = "GPL";
EOF
sed -n '/^cat >"\$TMPD\/tcx_hold.c"/,/^EOF$/p' "$E2E_DIR/test_hardening_tc.sh" |
	sed '1d;$d' >"$TMPD/tcx_hold.c"
clang -O2 -target bpf "-I/usr/include/$(gcc -print-multiarch)" \
	-c "$TMPD/pass.bpf.c" -o "$TMPD/pass.bpf.o" &&
	cc -O2 "$TMPD/tcx_hold.c" -o "$TMPD/tcx_hold" -lbpf ||
	{ fail "foreign tcx" "cannot build the foreign program"; exit 1; }
b_m=$(martian_dst) before=$(hdr_errors "$NODE")
lnw_start "$NODE" --fallback clsact || fail "foreign tcx later" "lnwatch did not start"
rm -f "$TMPD/held"
bg "$NODE" "$TMPD/tcx_hold" "$TMPD/pass.bpf.o" eth0 "$TMPD/held"
HOLD_PID=$BG_PID
for _ in $(seq 100); do [ -f "$TMPD/held" ] && break; sleep 0.05; done
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 4
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $SRC6 ::1 40000 5000 3
sleep 0.5 # a tick or more: said while running, not only at exit
said_live=$(grep -c "WARNING: packets to or from 127/8 or ::1, dropped here, never crossed" "$LNW_ERR")
lnw_stop
kill "$HOLD_PID" 2>/dev/null; wait "$HOLD_PID" 2>/dev/null
check_ge "foreign tcx later: the kernel dropped the martians" $(($(martian_dst) - b_m)) 4
check "foreign tcx later: the kernel dropped the ::1 frames" $(($(hdr_errors "$NODE") - before)) 3
check "foreign tcx later: every one hidden from tc counted (4 + 3)" "$(summ .tc_missed)" 7
check "foreign tcx later: said on stderr while running" "$said_live" 1

# ---- an accept is never timed before the write that let it in ----------
# One process on one CPU, within a jiffy: all=1, a packet (accepted), then
# eth0=1 and all=0 (written through /proc/sys), a packet (accepted by
# eth0's flag): its events must not come before those writes' events.
cat >"$TMPD/flagrace.py" <<'EOF'
import ctypes, os, socket, sys, time
node_ns, peer_ns, frame = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3])
libc = ctypes.CDLL(None, use_errno=True)
os.sched_setaffinity(0, {0})
nfd, pfd = os.open(node_ns, os.O_RDONLY), os.open(peer_ns, os.O_RDONLY)
assert libc.setns(pfd, 0) == 0
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
assert libc.setns(nfd, 0) == 0 # /proc/sys/net is the opener's namespace's
f = [open(f"/proc/sys/net/ipv4/conf/{n}/route_localnet", "w") for n in ("all", "eth0")]
def w(i, v): f[i].seek(0); f[i].write(v); f[i].flush()
w(0, "1"); time.sleep(0.3)
s.send(frame); w(1, "1"); w(0, "0"); s.send(frame)
EOF
FRAME=$(python3 -c '
import socket, struct, sys
udp = struct.pack("!HHHH", 40000, 5000, 16, 0) + b"lnwatch!"
ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 36, 1, 0, 64, 17, 0,
     socket.inet_aton(sys.argv[2]), socket.inet_aton("127.0.0.1")))
t = sum(struct.unpack("!10H", ip)); t = (t >> 16) + (t & 0xffff); t += t >> 16
ip[10:12] = struct.pack("!H", ~t & 0xffff)
print((bytes.fromhex(sys.argv[1].replace(":", "") + "020000000002") + b"\x08\x00" + ip + udp).hex())' \
	"$NODE_MAC" $PEER_IP)
bg "$NODE" python3 "$E2E_DIR/net.py" udp-server 127.0.0.1 5000 "$TMPD/udp.count"
late=0
for round in 1 2 3; do
	rl "$NODE" all 0; rl "$NODE" eth0 0
	lnw_start "$NODE" || fail "flag race" "lnwatch did not start"
	ip netns exec "$NODE" python3 "$TMPD/flagrace.py" "/run/netns/$NODE" "/run/netns/$PEER" "$FRAME"
	lnw_stop
	# the last write's time; events of the packet after it (eth0's flag)
	t_w=$(jq -s '[.[]|select(.type=="flag-change" and .source=="sysctl-write")|.ts]|max' "$LNW_OUT")
	n=$(jq -s --argjson t "$t_w" '[.[]|select(.type=="event" and .route_localnet.dev==1 and .ts < $t)]|length' "$LNW_OUT")
	m=$(jq -s '[.[]|select(.type=="event" and .route_localnet.dev==1 and (.verdict=="accept" or .verdict=="delivered"))]|length' "$LNW_OUT")
	[ "$m" = 2 ] || fail "flag race round $round: the second packet's accept and delivery" "got $m events"
	late=$((late + n))
done
rl "$NODE" all 0; rl "$NODE" eth0 0
check "flag race: no event of a packet the writes let in is timed before them" "$late" 0

e2e_done

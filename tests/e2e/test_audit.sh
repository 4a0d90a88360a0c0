#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# lnwatch audit: what route_localnet exposes, which DNAT to 127.0.0.1 works,
# which rule guards what, and the exit status (0 clean, 1 exposed, 2 could
# not tell). Every claim the audit makes here is checked against what the
# kernel does to real traffic: frames to 127.0.0.1 written by a neighbour
# (pktgen), forged 127.x sources, clients through the DNAT.
. "$(dirname "$0")/lib.sh"

PEER2="$TAG-peer2" # a second neighbour, on the node's eth1
topo_basic && netns_add "$PEER2" && veth_pair "$NODE" eth1 "$PEER2" eth0 &&
	ip -n "$NODE" addr add 10.98.0.1/24 dev eth1 &&
	ip -n "$PEER2" addr add 10.98.0.2/24 dev eth0 ||
	{ fail "topology" "cannot build namespaces"; exit 1; }
ETH1_MAC=$(mac_of "$NODE" eth1)

# Loopback-only services, and two on 0.0.0.0 that are not.
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/udp"; UDP_PID=$BG_PID
bg "$NODE" $NETPY tcp-server 127.0.0.1 5001 "$TMPD/tcp"; TCP_PID=$BG_PID
bg "$NODE" $NETPY udp-server 0.0.0.0 5002 "$TMPD/any"
bg "$NODE" $NETPY tcp-server 0.0.0.0 2222 "$TMPD/any_tcp"
for i in $(seq 100); do
	[ -f "$TMPD/udp" ] && [ -f "$TMPD/tcp" ] && [ -f "$TMPD/any" ] && [ -f "$TMPD/any_tcp" ] && break
	sleep 0.05
done

sysctl_node() { ip netns exec "$NODE" sysctl -qw "$@"; }
# reset: no rule, route_localnet and rp_filter off everywhere.
reset() {
	ip netns exec "$NODE" nft flush ruleset
	rl "$NODE" all 0; rl "$NODE" default 0; rl "$NODE" eth0 0; rl "$NODE" eth1 0
	sysctl_node net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0 \
		net.ipv4.conf.eth1.rp_filter=0
}

# audit NAME [ARGS]: the JSON and the human report of the node; both must
# agree on the exit status, and the JSON must be one valid document.
audit() {
	local name=$1 hrc; shift
	"$LNW" audit --netns "$NODE" -j "$@" >"$TMPD/a.json" 2>"$TMPD/a.err"
	A_RC=$?
	"$LNW" audit --netns "$NODE" "$@" >"$TMPD/a.txt" 2>>"$TMPD/a.err"
	hrc=$?
	if [ -s "$TMPD/a.err" ]; then sed 's/^/# stderr: /' "$TMPD/a.err" | head -5; fi
	check "$name: human and JSON agree on the exit status" "$hrc" "$A_RC"
	if [ "$(jq -s 'length' "$TMPD/a.json" 2>/dev/null)" = 1 ] &&
	   jq -e '.type == "audit"' "$TMPD/a.json" >/dev/null 2>&1; then
		ok "$name: -j is one JSON document"
	else
		fail "$name: -j is one JSON document" "$(head -c 300 "$TMPD/a.json")"
	fi
}
aj() { jq -r "$1" "$TMPD/a.json"; }
rows() { aj '[.exposure[] | "\(.ifname) \(.service.proto) \(.service.addr):\(.service.port) \(.status)"] | sort | join(",")'; }
counter() { cat "$TMPD/$1"; }
# frame NS MAC SADDR DPORT: a neighbour in NS writes one UDP datagram to
# 127.0.0.1:DPORT at the node's MAC, from SADDR.
frame() {
	ip netns exec "$1" "$PKTGEN" eth0 "$2" "$3" 127.0.0.1 40000 "$4" 1 >/dev/null
	sleep 0.2
}
# delivered NAME COUNTER WANT CMD...: how many datagrams CMD got delivered.
delivered() {
	local name=$1 file=$2 want=$3 before; shift 3
	before=$(counter "$file")
	"$@"
	check "$name" $(( $(counter "$file") - before )) "$want"
}

# 1. Flag off everywhere: nothing exposed, and nothing arrives.
reset
audit "flag off"
check "flag off: exit 0" "$A_RC" 0
check "flag off: verdict" "$(aj .verdict)" clean
check "flag off: no exposure row" "$(aj '.exposure | length')" 0
check "flag off: services are the 127/8 ones only" \
	"$(aj '[.services[] | "\(.proto) \(.addr):\(.port)"] | join(",")')" \
	"tcp 127.0.0.1:5001,udp 127.0.0.1:5000"
check "flag off: eth0 effective 0" "$(aj '.interfaces[] | select(.ifname=="eth0") | .route_localnet.effective')" 0
check "flag off: says so" "$(grep -c 'route_localnet is off on every device' "$TMPD/a.txt")" 1
delivered "flag off: a neighbour's frame to 127.0.0.1 is not delivered" udp 0 \
	frame "$PEER" "$NODE_MAC" $PEER_IP 5000

# 2. The flag on for eth0 only: both services exposed there, not on eth1.
reset
rl "$NODE" eth0 1
audit "eth0 on"
check "eth0 on: exit 1" "$A_RC" 1
check "eth0 on: exposed on eth0 only" "$(rows)" \
	"eth0 tcp 127.0.0.1:5001 exposed,eth0 udp 127.0.0.1:5000 exposed"
check "eth0 on: udp service pid" "$(aj '.exposure[] | select(.service.proto=="udp") | .service.pid')" "$UDP_PID"
check "eth0 on: tcp service pid" "$(aj '.exposure[] | select(.service.proto=="tcp") | .service.pid')" "$TCP_PID"
check "eth0 on: process" "$(aj '[.exposure[].service | "\(.comm) \(.user)"] | unique | join(",")')" "python3 root"
check "eth0 on: fix turns it off" "$(aj '[.exposure[].fix] | unique | join(",")')" \
	"sysctl -w net.ipv4.conf.eth0.route_localnet=0"
check "eth0 on: advice" "$(aj '[.advice[].ifname] | join(",")')" eth0
check "eth0 on: human, exposed rows first" \
	"$(awk '/^EXPOSURE/ {getline; getline; print $1, $NF; exit}' "$TMPD/a.txt")" "eth0 EXPOSED"
check "eth0 on: human, the fix under each row" \
	"$(sed -n '/^EXPOSURE/,/^$/p' "$TMPD/a.txt" |
	   grep -c '^    fix: sysctl -w net.ipv4.conf.eth0.route_localnet=0$')" 2
delivered "eth0 on: the neighbour on eth0 reaches 127.0.0.1:5000" udp 1 \
	frame "$PEER" "$NODE_MAC" $PEER_IP 5000
delivered "eth0 on: the neighbour on eth1 does not" udp 0 \
	frame "$PEER2" "$ETH1_MAC" 10.98.0.2 5000

# 3. all=1 (kube-proxy's setting, CVE-2020-8558): every device.
reset
rl "$NODE" all 1
audit "all on"
check "all on: exit 1" "$A_RC" 1
check "all on: exposed on every device" "$(rows)" \
	"eth0 tcp 127.0.0.1:5001 exposed,eth0 udp 127.0.0.1:5000 exposed,eth1 tcp 127.0.0.1:5001 exposed,eth1 udp 127.0.0.1:5000 exposed"
check "all on: fix" "$(aj '[.exposure[].fix] | unique | join(",")')" \
	"sysctl -w net.ipv4.conf.all.route_localnet=0"
delivered "all on: the neighbour on eth1 reaches 127.0.0.1:5000" udp 1 \
	frame "$PEER2" "$ETH1_MAC" 10.98.0.2 5000

# 4. kube-proxy's guard, written by iptables-nft (an xt conntrack match).
kube_guard() {
	ip netns exec "$NODE" iptables-nft -N KUBE-FIREWALL &&
	ip netns exec "$NODE" iptables-nft -A INPUT -j KUBE-FIREWALL &&
	ip netns exec "$NODE" iptables-nft -A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 \
		-m comment --comment "block incoming localnet connections" \
		-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
}
reset
rl "$NODE" all 1
sysctl_node net.ipv4.conf.all.rp_filter=2 # a forged 127.x source fails it
kube_guard || fail "kube guard" "cannot install it"
audit "kube guard"
check "kube guard: exit 0" "$A_RC" 0
check "kube guard: every row guarded" "$(aj '[.exposure[].status] | unique | join(",")')" guarded
check "kube guard: 4 rows" "$(aj '.exposure | length')" 4
check "kube guard: names the rule" \
	"$(aj '[.exposure[].guard | "\(.family) \(.table) \(.chain) \(.comment)"] | unique | join(",")')" \
	"ip filter KUBE-FIREWALL block incoming localnet connections"
check "kube guard: decoded from xt" "$(aj '.guards[0].rule.text')" \
	"ip saddr != 127.0.0.0/8 ip daddr 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT drop"
check "kube guard: covers, hook, lets DNAT through" \
	"$(aj '.guards[0] | "\(.interfaces|join("+")) \(.hook) drops_dnat=\(.drops_dnat)"')" \
	"eth0+eth1 input drops_dnat=false"
delivered "kube guard: the neighbour's frame is dropped" udp 0 \
	frame "$PEER" "$NODE_MAC" $PEER_IP 5000

# 5. The same guard with rp_filter 0: a forged 127.x source passes it
# (one way: UDP). TCP stays guarded: the SYN-ACK never reaches the forger.
sysctl_node net.ipv4.conf.all.rp_filter=0
audit "kube guard, rp_filter 0"
check "kube guard, rp_filter 0: exit 1" "$A_RC" 1
check "kube guard, rp_filter 0: udp spoofable, tcp guarded" "$(rows)" \
	"eth0 tcp 127.0.0.1:5001 guarded,eth0 udp 127.0.0.1:5000 spoofable,eth1 tcp 127.0.0.1:5001 guarded,eth1 udp 127.0.0.1:5000 spoofable"
check "kube guard, rp_filter 0: the guard lets forged sources pass" \
	"$(aj '.guards[0].drops_spoofed_source')" false
delivered "kube guard, rp_filter 0: a forged 127.0.0.5 source is delivered" udp 1 \
	frame "$PEER" "$NODE_MAC" 127.0.0.5 5000
delivered "kube guard, rp_filter 0: the neighbour's own source is not" udp 0 \
	frame "$PEER" "$NODE_MAC" $PEER_IP 5000

# 6. The native nft guard (ct status & dnat == 0: "!= dnat" would compare
# the whole status word and drop DNAT'd traffic too).
reset
rl "$NODE" eth0 1
sysctl_node net.ipv4.conf.all.rp_filter=2
ip netns exec "$NODE" nft -f - <<-'EOF'
table inet guard {
	chain input {
		type filter hook input priority filter;
		iifname != "lo" ip saddr != 127.0.0.0/8 ip daddr 127.0.0.0/8 ct status & dnat == 0 drop
	}
}
EOF
audit "nft guard"
check "nft guard: exit 0" "$A_RC" 0
check "nft guard: rows" "$(rows)" "eth0 tcp 127.0.0.1:5001 guarded,eth0 udp 127.0.0.1:5000 guarded"
check "nft guard: names it" "$(aj '[.exposure[].guard | "\(.family) \(.table) \(.chain) #\(.handle)"] | unique | join(",")')" \
	"inet guard input #2"
check "nft guard: lets DNAT through" "$(aj '.guards[0].drops_dnat')" false
delivered "nft guard: the neighbour's frame is dropped" udp 0 \
	frame "$PEER" "$NODE_MAC" $PEER_IP 5000

# 7. A DNAT to 127.0.0.1 with the flag off: a broken path (martian), and
# nothing is exposed. Written by iptables-nft (an xt DNAT target).
ipt_dnat() {
	ip netns exec "$NODE" iptables-nft -t nat -A PREROUTING -i eth0 -p udp --dport 8080 \
		-j DNAT --to-destination 127.0.0.1:5000
}
reset
ipt_dnat || fail "dnat" "cannot install it"
audit "dnat, flag off"
check "dnat, flag off: exit 0" "$A_RC" 0
check "dnat, flag off: broken path" \
	"$(aj '.nat_paths[] | "\(.kind) \(.status) \(.interfaces | map("\(.ifname):\(.state)") | join(","))"')" \
	"to-loopback broken eth0:martian-dropped"
check "dnat, flag off: decoded target" "$(aj '.nat_paths[0] | "\(.proto) \(.dport|join(",")) > \(.to.addr):\(.to.port)"')" \
	"udp 8080 > 127.0.0.1:5000"
check "dnat, flag off: reaches the udp service" "$(aj '.nat_paths[0].service.pid')" "$UDP_PID"
check "dnat, flag off: the client gets nothing back" \
	"$(ip netns exec "$PEER" $NETPY udp-client $NODE_IP 8080 2 0.3)" 0

# 8. The flag on for eth0: the path works; the device is open to 127.x,
# so the fix is a guard before the DNAT, not turning the flag off.
rl "$NODE" eth0 1
audit "dnat, flag on"
check "dnat, flag on: exit 1" "$A_RC" 1
check "dnat, flag on: working path" "$(aj '.nat_paths[0] | "\(.status) \(.interfaces[0].route_localnet)"')" "works 1"
check "dnat, flag on: the client gets replies" \
	"$(ip netns exec "$PEER" $NETPY udp-client $NODE_IP 8080 2 0.3)" 2
FIX=$(aj '[.exposure[].fix] | unique | join(",")')
check "dnat, flag on: fix is a raw guard" "$FIX" "iptables -t raw -I PREROUTING -i eth0 -d 127.0.0.0/8 -j DROP"
# ... which does what it says: apply it, with rp_filter 0 to make it hard.
ip netns exec "$NODE" $FIX || fail "dnat, flag on" "cannot apply the fix"
audit "fix applied"
check "fix applied: exit 0" "$A_RC" 0
check "fix applied: rows guarded, forged sources too" \
	"$(aj '[.exposure[] | "\(.status) \(.spoofed_source)"] | unique | join(",")')" "guarded dropped,guarded null"
check "fix applied: path still works" "$(aj '.nat_paths[0].status')" works
check "fix applied: the client still gets replies" \
	"$(ip netns exec "$PEER" $NETPY udp-client $NODE_IP 8080 2 0.3)" 2
delivered "fix applied: a forged 127.0.0.5 source is dropped" udp 0 \
	frame "$PEER" "$NODE_MAC" 127.0.0.5 5000

# 9. A guard without the DNAT exemption: the path is blocked.
reset
rl "$NODE" eth0 1
ipt_dnat
ip netns exec "$NODE" iptables-nft -A INPUT ! -i lo -d 127.0.0.0/8 -j DROP
audit "guard blocks dnat"
check "guard blocks dnat: blocked path" "$(aj '.nat_paths[0] | "\(.status) \(.interfaces[0].guard.chain)"')" "blocked INPUT"
check "guard blocks dnat: says so" "$(aj '.guards[0].drops_dnat')" true
check "guard blocks dnat: the client gets nothing back" \
	"$(ip netns exec "$PEER" $NETPY udp-client $NODE_IP 8080 2 0.3)" 0
# "ct status != dnat" compares the whole status word, NAT "done" bits too.
ip netns exec "$NODE" iptables-nft -D INPUT ! -i lo -d 127.0.0.0/8 -j DROP
ip netns exec "$NODE" nft -f - <<-'EOF'
table inet guard {
	chain input {
		type filter hook input priority filter;
		ip saddr != 127.0.0.0/8 ip daddr 127.0.0.0/8 ct status != dnat drop
	}
}
EOF
audit "ct status != dnat"
check "ct status != dnat: blocks the path" "$(aj '.nat_paths[0] | "\(.status) \(.interfaces[0].guard.table)"')" "blocked guard"
check "ct status != dnat: the client gets nothing back" \
	"$(ip netns exec "$PEER" $NETPY udp-client $NODE_IP 8080 2 0.3)" 0

# 10. A DNAT of 127.0.0.1 on the wire to a real address (a Docker port
# published on 127.0.0.1): reachable whatever route_localnet says.
reset
ip netns exec "$NODE" nft -f - <<-EOF
table ip docker {
	chain pre {
		type nat hook prerouting priority dstnat;
		iifname "eth0" ip daddr 127.0.0.1 udp dport 6000 dnat to $NODE_IP:5002
	}
}
EOF
audit "dnat from 127.0.0.1"
check "dnat from 127.0.0.1: exit 1" "$A_RC" 1
check "dnat from 127.0.0.1: exposed path" "$(aj '.nat_paths[0] | "\(.kind) \(.status) \(.interfaces[0].state)"')" \
	"from-loopback exposed reachable"
delivered "dnat from 127.0.0.1: a neighbour's frame to 127.0.0.1:6000 arrives, flag off" any 1 \
	frame "$PEER" "$NODE_MAC" $PEER_IP 6000
ip netns exec "$NODE" iptables-nft -t raw -A PREROUTING -d 127.0.0.1/32 ! -i lo -p udp --dport 6000 -j DROP
audit "dnat from 127.0.0.1, raw drop"
check "dnat from 127.0.0.1, raw drop: exit 0" "$A_RC" 0
check "dnat from 127.0.0.1, raw drop: guarded" "$(aj '.nat_paths[0].status')" guarded
check "dnat from 127.0.0.1, raw drop: guard hook" "$(aj '.guards[0] | "\(.hook) \(.priority)"')" "prerouting -300"
delivered "dnat from 127.0.0.1, raw drop: nothing arrives" any 0 \
	frame "$PEER" "$NODE_MAC" $PEER_IP 6000

# 10b. Docker's `-p 6000:6000/udp` (every address): a DNAT with no
# destination match behind -m addrtype --dst-type LOCAL. 127.0.0.1 is a
# local address: the neighbour's frame to it is DNAT'd before the route,
# flag off. The audit lists it reachable, no guard, and its fix (a raw
# drop of 127.0.0.0/8 from every device but lo) stops it.
reset
ip netns exec "$NODE" iptables-nft -t nat -N DOCKER
ip netns exec "$NODE" iptables-nft -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
ip netns exec "$NODE" iptables-nft -t nat -A DOCKER ! -i docker0 -p udp --dport 6000 \
	-j DNAT --to-destination $NODE_IP:5002
audit "docker -p 6000"
check "docker -p 6000: exit 1" "$A_RC" 1
check "docker -p 6000: reachable from 127.0.0.0/8, no guard" \
	"$(aj '.nat_paths[0] | "\(.kind) \(.daddr[0]) \(.status) \(.guard) \(.interfaces[0].state)"')" \
	"from-loopback 127.0.0.0/8 exposed none reachable"
check "docker -p 6000: human" "$(grep -c '^    guard: none' "$TMPD/a.txt")" 1
FIX=$(aj '.nat_paths[0].fix')
check "docker -p 6000: the fix is the raw guard" "$FIX" \
	"iptables -t raw -I PREROUTING ! -i lo -d 127.0.0.0/8 -j DROP"
delivered "docker -p 6000: a neighbour's frame to 127.0.0.1:6000 arrives, flag off" any 1 \
	frame "$PEER" "$NODE_MAC" $PEER_IP 6000
ip netns exec "$NODE" $FIX || fail "docker -p 6000" "cannot apply the fix"
audit "docker -p 6000, fixed"
check "docker -p 6000, fixed: exit 0, guard present" \
	"$A_RC $(aj '.nat_paths[0] | "\(.status) \(.guard)"')" "0 guarded present"
delivered "docker -p 6000, fixed: nothing arrives" any 0 \
	frame "$PEER" "$NODE_MAC" $PEER_IP 6000

# 11. Certainty is earned: a conditional drop never guards; a dormant
# table's drop never runs; notrack cannot be told (exit 2).
reset
rl "$NODE" eth0 1
ip netns exec "$NODE" nft -f - <<-'EOF'
table inet limits {
	chain input {
		type filter hook input priority 0;
		ct count over 100 drop
	}
}
EOF
audit "ct count"
check "ct count: exit 1, exposed" "$A_RC $(aj '[.exposure[].status] | unique | join(",")')" "1 exposed"
check "ct count: names the condition" \
	"$(grep -c 'exposed unless "ct count over 100" holds: inet limits input #2' "$TMPD/a.txt")" 2
check "ct count: a guard that is not certain" "$(aj '[.exposure[].guard.certain] | unique | join(",")')" false
delivered "ct count: the neighbour's frame is delivered" udp 1 \
	frame "$PEER" "$NODE_MAC" $PEER_IP 5000
reset
rl "$NODE" eth0 1
ip netns exec "$NODE" nft -f - <<-'EOF'
table inet off {
	flags dormant
	chain input {
		type filter hook input priority 0;
		ip daddr 127.0.0.0/8 drop
	}
}
EOF
audit "dormant"
check "dormant: exit 1, exposed" "$A_RC $(aj '[.exposure[].status] | unique | join(",")')" "1 exposed"
check "dormant: named" "$(aj .dormant_tables)" "inet off"
check "dormant: no guard" "$(aj '.guards | length')" 0
delivered "dormant: the neighbour's frame is delivered" udp 1 \
	frame "$PEER" "$NODE_MAC" $PEER_IP 5000
ip netns exec "$NODE" nft -f - <<-'EOF'
table ip raw {
	chain pre {
		type filter hook prerouting priority -300;
		udp dport 5000 notrack
	}
}
table ip filter {
	chain input {
		type filter hook input priority 0;
		ct state new ip daddr 127.0.0.0/8 drop
	}
}
EOF
audit "notrack"
check "notrack: exit 2, udp unknown, tcp guarded" "$A_RC $(aj '.verdict') $(rows)" \
	"2 unknown eth0 tcp 127.0.0.1:5001 guarded,eth0 udp 127.0.0.1:5000 unknown"
check "notrack: says why" "$(aj .cannot_tell)" \
	'ip raw pre #2 has "notrack", which the audit does not model'
check "notrack: human verdict" \
	"$(grep -c '^verdict: COULD NOT TELL, ip raw pre #2 has "notrack"' "$TMPD/a.txt")" 1
delivered "notrack: the untracked frame is delivered (ct state new misses it)" udp 1 \
	frame "$PEER" "$NODE_MAC" $PEER_IP 5000

# 12. What cannot be told is an error (exit 2), never "nothing exposed".
reset
"$LNW" audit --netns "$TAG-gone" >"$TMPD/e.out" 2>"$TMPD/e.err"
check "netns gone: exit 2" $? 2
check "netns gone: says which" "$(grep -c "no network namespace named '$TAG-gone'" "$TMPD/e.err")" 1
check "netns gone: no report" "$(wc -c <"$TMPD/e.out")" 0
"$LNW" audit --netns "$TAG-gone" -j >"$TMPD/e.out" 2>"$TMPD/e.err"
check "netns gone, -j: exit 2" $? 2
check "netns gone, -j: an error object" "$(jq -r '.error | test("no network namespace")' "$TMPD/e.out")" true
"$LNW" audit --netns /etc/hostname >/dev/null 2>"$TMPD/e.err"
check "not a netns: exit 2" $? 2
check "not a netns: says so" "$(grep -c 'not a network namespace' "$TMPD/e.err")" 1
ip netns exec "$NODE" setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$LNW" audit >"$TMPD/e.out" 2>"$TMPD/e.err"
check "unprivileged: exit 2" $? 2
check "unprivileged: names the capability" "$(grep -c 'CAP_NET_ADMIN' "$TMPD/e.err")" 1
check "unprivileged: no report" "$(wc -c <"$TMPD/e.out")" 0
# bad arguments: 64, as the main command (argp's convention), never the
# audit's "could not tell"
"$LNW" audit --bogus >/dev/null 2>&1
check "bad option: exit 64" $? 64
"$LNW" audit extra >/dev/null 2>&1
check "stray argument: exit 64" $? 64
"$LNW" audit -j --netns= >"$TMPD/e.out" 2>/dev/null
check "empty --netns, -j: exit 64, an error object" "$? $(jq -r 'has("error")' "$TMPD/e.out")" "64 true"

# iptables-nft rules are named as `iptables --line-numbers` does, not by
# their nft handle
reset
rl "$NODE" eth0 1
ip netns exec "$NODE" iptables-nft -A INPUT -p tcp --dport 22 -j ACCEPT
ip netns exec "$NODE" iptables-nft -A INPUT -d 127.0.0.0/8 -j DROP
audit "line numbers"
check "line numbers: the guard is INPUT #2, as iptables numbers it" \
	"$(aj '[.exposure[] | .guard | "\(.chain) #\(.line)"] | unique | join(",")')" "INPUT #2"
check "line numbers: human" "$(grep -c 'dropped by ip filter INPUT #2$' "$TMPD/a.txt")" \
	"$(aj '.exposure | length')"
check "line numbers: the handle is another number" \
	"$(aj '.exposure[0].guard.handle != 2')" true

# an owner the audit may not see (another user's process, no
# CAP_SYS_PTRACE) is named with the reason, never "? ?"
reset
bg "$NODE" setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 -c \
	'import socket, time; s = socket.socket(2, 2); s.bind(("127.0.0.1", 5005)); time.sleep(600)'
for i in $(seq 50); do
	ip netns exec "$NODE" ss -Hun state unconnected src 127.0.0.1:5005 | grep -q . && break
	sleep 0.1
done
# root without CAP_SYS_PTRACE (util-linux's setpriv: nothing to install)
NOPTRACE="setpriv --bounding-set=-sys_ptrace --inh-caps=-sys_ptrace"
$NOPTRACE "$LNW" audit --netns "$NODE" -j >"$TMPD/e.out" 2>/dev/null
check "owner unseen: the reason, not ? ?" \
	"$(jq -r '.services[] | select(.port == 5005) | "\(.pid) \(.owner_hint)"' "$TMPD/e.out")" \
	"null owner unseen: needs CAP_SYS_PTRACE"
$NOPTRACE "$LNW" audit --netns "$NODE" >"$TMPD/e.out" 2>/dev/null
check "owner unseen: human" "$(grep -c 'udp 127.0.0.1:5005 *- *- *nobody *owner unseen: needs CAP_SYS_PTRACE' "$TMPD/e.out")" 1
"$LNW" audit --netns "$NODE" -j >"$TMPD/e.out" 2>/dev/null
check "owner seen with CAP_SYS_PTRACE" \
	"$(jq -r '.services[] | select(.port == 5005) | "\(.comm) \(.owner_hint)"' "$TMPD/e.out")" \
	"python3 null"
"$LNW" audit --netns "/run/netns/$NODE" -j >"$TMPD/e.out" 2>&1
check "--netns PATH: exit 0" $? 0
check "--netns PATH: same namespace" "$(jq -r .netns.inode "$TMPD/e.out")" "$(netns_inode "$NODE")"

e2e_done

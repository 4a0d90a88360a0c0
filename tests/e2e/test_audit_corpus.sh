#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The audit against the kernel, ruleset by ruleset: every file of
# tests/audit/corpus (NAME.nft for nft -f, NAME.sh for iptables-nft and
# nft commands) is loaded in the node's namespace, route_localnet on for
# eth0, rp_filter 0, loopback-only services on 127.0.0.1 (udp 5000 and
# 5002, tcp 5001 and 5003). Then `lnwatch audit -j` predicts, and real
# frames from the neighbour say what the kernel does:
#   udp 127.0.0.1:5000/5002 from the neighbour's own address and from a
#   forged 127.0.0.5, a TCP SYN to 127.0.0.1:5001/5003, and UDP to the
#   node's 10.99.0.1:8080 and a SYN to :8081 (a corpus DNAT to
#   127.0.0.1:5000 / :5001 takes them);
#   udp to 127.0.0.1:8125 and 127.0.0.2:8125 and a SYN to 127.0.0.1:8126,
#   which a DNAT to a "container" (172.17.0.2 behind the node's docker0,
#   services on every address, forwarding on) may take: 127.x is a local
#   address, Docker's `-p 8125:8125` and kube-proxy's NodePorts match it.
# Each probe is also sent as another neighbour would: from 192.0.2.77
# (the node routes it back by a default route via the peer), TTL 200, a
# datagram to the Ethernet broadcast address (UDP's local delivery takes
# it; TCP and forwarding take frames to the node's MAC only), a SYN with
# ECE and CWR in two fragments (the first with 8 bytes of TCP header:
# prerouting reads no flags in it without conntrack's defragmenting). The audit
# speaks of any neighbour: the kernel delivered a probe if either got in.
# A probe the audit calls dropped (guarded, a broken or blocked DNAT, no
# DNAT at all, exit 0) that the kernel delivered is a false clean: the
# suite fails. One the audit calls delivered that the kernel dropped is an
# over-report, counted and printed. "unknown" (exit 2) is counted apart.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../audit/probes.sh"

CORPUS=${CORPUS:-$AUDIT_DIR/corpus}
topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
rl "$NODE" eth0 1
ip netns exec "$NODE" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0
probes_start udp:5000 udp:5002 tcp:5001 tcp:5003 ||
	{ fail "services" "did not start"; exit 1; }
probes_container || { fail "container" "did not start"; exit 1; }
ALT_IP=192.0.2.77
ip -n "$NODE" route add default via "$PEER_IP" || { fail "route" "no default route"; exit 1; }

# The probes: name, frame (PROTO:SADDR:DADDR:DPORT, the source port is
# added per case), and how the kernel's delivery is seen.
PROBES=(udp5000 udp5002 spoof5000 spoof5002 tcp5001 tcp5003 dnat8080 dnat8081
	lo8125 lo2_8125 lo8126)
declare -A FRAME=(
	[lo8125]=udp:$PEER_IP:127.0.0.1:8125 [lo2_8125]=udp:$PEER_IP:127.0.0.2:8125
	[lo8126]=tcp:$PEER_IP:127.0.0.1:8126
	[udp5000]=udp:$PEER_IP:127.0.0.1:5000 [udp5002]=udp:$PEER_IP:127.0.0.1:5002
	[spoof5000]=udp:127.0.0.5:127.0.0.1:5000 [spoof5002]=udp:127.0.0.5:127.0.0.1:5002
	[tcp5001]=tcp:$PEER_IP:127.0.0.1:5001 [tcp5003]=tcp:$PEER_IP:127.0.0.1:5003
	[dnat8080]=udp:$PEER_IP:$NODE_IP:8080 [dnat8081]=tcp:$PEER_IP:$NODE_IP:8081
)
declare -A LPORT=([udp5000]=5000 [udp5002]=5002 [spoof5000]=5000 [spoof5002]=5002
	[tcp5001]=5001 [tcp5003]=5003 [dnat8080]=5000 [dnat8081]=5001
	[lo8125]=8125 [lo2_8125]=8125 [lo8126]=8126)

# The audit's prediction per probe, one line: D (delivered), N (dropped),
# U (cannot tell), in PROBES order; then the exit status.
PREDICT='
def row($p; $port): [.exposure[] | select(.ifname == "eth0" and .service.proto == $p
	and .service.addr == "127.0.0.1" and .service.port == $port)][0];
def direct($p; $port): row($p; $port) as $r |
	if $r == null then "N" elif $r.status == "unknown" then "U"
	elif $r.status == "exposed" then "D" else "N" end;
def spoof($port): row("udp"; $port) as $r |
	if $r == null then "N" elif $r.status == "unknown" then "U"
	elif $r.spoofed_source == "passes" then "D"
	elif $r.spoofed_source == "dropped" or $r.spoofed_source == "rp_filter" then "N"
	elif $r.status == "exposed" or $r.status == "spoofable" then "D" else "N" end;
def covers($w): .dport == null or any(.dport[]; (split("-") | map(tonumber)) as $r |
	$w >= $r[0] and $w <= ($r[1] // $r[0]));
def hidden: .legacy_nat_entries != null; # DNATs the audit cannot read
def dnat($p; $wire; $port): if hidden then "U" else [.nat_paths[] | select(.kind == "to-loopback" and
	.to.addr == "127.0.0.1" and .to.port == $port and (.proto == $p or .proto == "any")
	and covers($wire)) | .interfaces[] | select(.ifname == "eth0") | .state] as $s |
	if ($s | index("works")) != null then "D" else "N" end end;
def ipn: split(".") | map(tonumber) | .[0] * 16777216 + .[1] * 65536 + .[2] * 256 + .[3];
def has_addr($a): .daddr == null or any(.daddr[];
	if test("/") then split("/") as $x | ($x[0] | ipn) as $b |
		$a >= $b and $a < $b + pow(2; 32 - ($x[1] | tonumber))
	else (split("-") | map(ipn)) as $r | $a >= $r[0] and $a <= ($r[1] // $r[0]) end);
def from_lo($p; $addr; $wire): if hidden then "U" else [.nat_paths[] | select(.kind == "from-loopback" and
	.to.addr == "172.17.0.2" and (.proto == $p or .proto == "any") and covers($wire)
	and has_addr($addr | ipn)) | .interfaces[] | select(.ifname == "eth0") | .state] as $s |
	if ($s | index("reachable")) != null then "D" else "N" end end;
[direct("udp"; 5000), direct("udp"; 5002), spoof(5000), spoof(5002),
 direct("tcp"; 5001), direct("tcp"; 5003), dnat("udp"; 8080; 5000), dnat("tcp"; 8081; 5001),
 from_lo("udp"; "127.0.0.1"; 8125), from_lo("udp"; "127.0.0.2"; 8125),
 from_lo("tcp"; "127.0.0.1"; 8126)]
| join(" ")'

declare -A TALLY=()
CASES=0 FALSE_CLEAN=0 OVER=0 AGREE=0 UNKNOWN=0 CASE_NO=0 FIXED=0 FIX_FAILED=0

# alt_frame PROBE SPORT: the other neighbour's variant of PROBE.
alt_frame() {
	local f src
	IFS=: read -r -a f <<<"${FRAME[$1]}"
	src=${f[1]}
	[ "$src" = "$PEER_IP" ] && src=$ALT_IP
	echo "${f[0]}:$src:${f[2]}:$2:${f[3]}:200:$([ "${f[0]}" = tcp ] && echo frag || echo alt)"
}

# delivered PROBE SPORT ALT_SPORT: did the kernel hand the probe, or its
# other neighbour's variant, to the service?
delivered() {
	local f src
	IFS=: read -r -a f <<<"${FRAME[$1]}"
	src=${f[1]}
	[ "$src" = "$PEER_IP" ] && src=$ALT_IP
	if [ "$(probe_got "${f[0]}" "${f[1]}" "$2" "${LPORT[$1]}")" = D ]; then
		echo D
	else
		probe_got "${f[0]}" "$src" "$3" "${LPORT[$1]}"
	fi
}

load_case() {
	# as the previous case's fixes may have left them
	rl "$NODE" all 0 && rl "$NODE" default 0 && rl "$NODE" eth0 1 &&
	rl "$NODE" docker0 0 && ip netns exec "$NODE" nft flush ruleset || return 1
	# a legacy case's tables: nft flush leaves them
	ip netns exec "$NODE" sh -c 'for t in $(cat /proc/net/ip_tables_names 2>/dev/null); do
		iptables-legacy -t $t -F && iptables-legacy -t $t -X || exit 1
		for c in $(iptables-legacy -t $t -S | awk "\$1 == \"-P\" { print \$2 }"); do
			iptables-legacy -t $t -P $c ACCEPT || exit 1; done; done' || return 1
	case $1 in
	*.nft) ip netns exec "$NODE" nft -f "$1" ;;
	*.sh) ip netns exec "$NODE" bash -e "$1" ;;
	esac
}

run_case() {
	local file=$1 name base rc pred i p sport want got frames=() line
	name=$(basename "$file")
	CASE_NO=$((CASE_NO + 1))
	base=$((20000 + CASE_NO * 60))
	if ! load_case "$file" >"$TMPD/load.err" 2>&1; then
		fail "$name: loads" "$(head -3 "$TMPD/load.err" | tr '\n' ' ')"
		return
	fi
	"$LNW" audit --netns "$NODE" -j >"$TMPD/a.json" 2>"$TMPD/a.err"
	rc=$?
	if [ "$rc" -gt 2 ] || ! pred=$(jq -r "$PREDICT" "$TMPD/a.json" 2>/dev/null) ||
	   [ -z "$pred" ]; then
		fail "$name: audit" "exit $rc: $(head -c 300 "$TMPD/a.err" "$TMPD/a.json")"
		return
	fi
	read -r -a pred <<<"$pred"
	send_all "$base"
	CASES=$((CASES + 1))
	line=""
	GOT=()
	for i in "${!PROBES[@]}"; do
		p=${PROBES[$i]}
		sport=$((base + i))
		want=${pred[$i]}
		got=$(delivered "$p" "$sport" $((sport + 15)))
		GOT[$i]=$got
		line+=" $p:$want$got"
		# a DNAT probe counts where a DNAT is predicted or works
		[[ ( $p == dnat* || $p == lo* ) && $want$got == NN ]] && continue
		case $want$got in
		DD|NN) AGREE=$((AGREE + 1)) ;;
		DN) OVER=$((OVER + 1)); TALLY[$name]+=" $p" ;;
		ND) FALSE_CLEAN=$((FALSE_CLEAN + 1))
		    fail "$name: $p" "the audit says dropped, the kernel delivered it" ;;
		U?) UNKNOWN=$((UNKNOWN + 1)) ;;
		esac
		# a working DNAT to 127.x is no exposure; a service reached
		# directly is, and so is a container reached from 127.x
		[[ $p != dnat* && $got == D && $rc == 0 ]] &&
			fail "$name: exit status" "0 (nothing exposed) while $p was delivered"
	done
	echo "# $name: exit $rc,$line"
	prove_fixes "$name" $((base + 30))
}

# send_all BASE: every probe and its other neighbour's variant, source
# ports from BASE; returns once what got through is recorded.
send_all() {
	local i p line frames=()
	for i in "${!PROBES[@]}"; do
		p=${PROBES[$i]}
		IFS=: read -r -a line <<<"${FRAME[$p]}"
		frames+=("${line[0]}:${line[1]}:${line[2]}:$(($1 + i)):${line[3]}"
			 "$(alt_frame "$p" $(($1 + 15 + i)))")
	done
	probes_send "${frames[@]}"
	sleep 0.1
	probes_seen
}

# prove_fixes NAME BASE: apply every fix line the audit printed (for rows
# and paths), send the probes again: what got through must not, and a
# DNAT that worked must still work.
prove_fixes() {
	local fixes fx i p got
	fixes=$(jq -r '[.exposure[].fix, .nat_paths[].fix] | map(select(. != null)) |
		unique[] | select(startswith("sysctl -w ") or startswith("iptables "))' \
		"$TMPD/a.json")
	[ -n "$fixes" ] || return 0
	while read -r fx; do
		# shellcheck disable=SC2086 # a command line, as printed
		ip netns exec "$NODE" $fx >"$TMPD/fix.err" 2>&1 ||
			{ fail "$1: fix applies" "$fx: $(head -c 200 "$TMPD/fix.err")"; return; }
	done <<<"$fixes"
	send_all "$2"
	FIXED=$((FIXED + 1))
	for i in "${!PROBES[@]}"; do
		p=${PROBES[$i]}
		got=$(delivered "$p" $(($2 + i)) $(($2 + 15 + i)))
		# what the audit said it cannot tell, it gave no fix for
		[ "${pred[$i]}" = U ] && continue
		if [[ $p == dnat* ]]; then
			[[ ${GOT[$i]}$got == DN ]] &&
				fail "$1: fix keeps $p working" "$(echo "$fixes" | tr '\n' ';')"
		elif [ "$got" = D ]; then
			FIX_FAILED=$((FIX_FAILED + 1))
			fail "$1: fix stops $p" "$(echo "$fixes" | tr '\n' ';')"
		fi
	done
}

start=$(date +%s.%N)
for f in "$CORPUS"/*.nft "$CORPUS"/*.sh; do
	[ -e "$f" ] && run_case "$f"
done
secs=$(echo "$(date +%s.%N) - $start" | bc)
for name in "${!TALLY[@]}"; do
	echo "# over-report: $name:${TALLY[$name]}"
done
TOTAL=$((AGREE + OVER + FALSE_CLEAN + UNKNOWN))
echo "# corpus: $CASES rulesets, $TOTAL probes:" \
	"$AGREE agree, $OVER over-report, $FALSE_CLEAN false clean, $UNKNOWN cannot tell;" \
	"${secs%.*} s"
echo "# agreement: agree $(echo "scale=1; 100 * $AGREE / $TOTAL" | bc)%," \
	"over-report $(echo "scale=1; 100 * $OVER / $TOTAL" | bc)% (goal <= 5%)," \
	"false clean $FALSE_CLEAN (must be 0), cannot tell $(echo "scale=1; 100 * $UNKNOWN / $TOTAL" | bc)%"
echo "# fixes: applied in $FIXED rulesets, $FIX_FAILED probes still got through"
check_ge "corpus: at least 60 rulesets ran" "$CASES" 60
check_ge "corpus: fix lines proven in at least 60 rulesets" "$FIXED" 60
check "corpus: no false clean" "$FALSE_CLEAN" 0
e2e_done

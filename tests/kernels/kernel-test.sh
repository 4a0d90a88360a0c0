#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# lnwatch on one kernel: inside a qemu guest (run by tests/kernels/init)
# or natively (tests/kernels/run.sh, in a private mount namespace). POSIX
# sh: busybox in the guest. Prints TAP, as every test program of the suite,
#   ok N - NAME | not ok N - NAME: WHY | ok N - NAME # SKIP WHY | # information
# the plan 1..N last (on any exit), and exits 1 if anything failed.
#
# Environment: LNW TC_RUN PKTGEN (the tree's binaries), PROBE PROBE_OBJ
# (tests/kernels/probe.c, .bpf.c), IP TC NFT JQ BPFTOOL (tools by path:
# busybox has its own ip and tc, without netns), EXPECT="ATTACH JOIN
# REASON" (each word may be `auto`: what this kernel's BTF calls for).
set -u

: "${LNW:?}" "${TC_RUN:?}" "${PKTGEN:?}" "${IP:?}" "${TC:?}" "${JQ:?}"
: "${NFT:?}" "${BPFTOOL:?}" "${PROBE:=}" "${PROBE_OBJ:=}" "${EXPECT:=auto auto auto}"
READY_WAIT=${READY_WAIT:-120} # seconds for lnwatch to load (TCG is slow)

TAG="lnwk$$"
NODE="$TAG-node"
PEER="$TAG-peer"
NODE_IP=10.99.0.1
PEER_IP=10.99.0.2
SPOOF=127.0.0.5
N_DST=4 # frames to 127.0.0.1 per flag setting
N_SRC=3 # frames from 127.0.0.5 per flag setting
W=$(mktemp -d /tmp/lnwk.XXXXXX)
LNW_PID=
LNW_OUT=/dev/null
FAILS=0

TAP_N=0 # result lines printed: the plan

# tap STATUS TEXT: one numbered result line (TEXT is TAP already)
tap() {
	TAP_N=$((TAP_N + 1))
	echo "$1 $TAP_N - $2"
}
# tap_text TEXT: in TAP_T, '#' escaped (it would start a TAP directive)
tap_text() {
	case $1 in
	*"#"*) TAP_T=$(printf '%s\n' "$1" | sed 's/#/\\#/g') ;;
	*) TAP_T=$1 ;;
	esac
}
NL='
'
ok() { tap_text "$1"; tap ok "$TAP_T"; }
fail() { # NAME WHY: WHY's first line on the result line, the rest after
	tap_text "$1"
	f_name=$TAP_T
	tap_text "${2%%"$NL"*}"
	tap "not ok" "$f_name: $TAP_T"
	case $2 in *"$NL"*) printf '%s\n' "${2#*"$NL"}" | sed 's/^/#   /' ;; esac
	FAILS=$((FAILS + 1))
}
info() { echo "# $*"; }
check() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got '$2', want '$3'"; fi
}
excerpt() { # FILE [LINES]: a file's tail as information lines
	[ -s "$1" ] && tail -n "${2:-15}" "$1" | sed 's/^/#   /'
}
# verifier_excerpt FILE: from a libbpf debug log, the errors and the last
# lines of each refused program's verifier log
verifier_excerpt() {
	awk '/-- BEGIN PROG LOAD LOG --/ { inlog = 1; n = 0; print "#   " $0; next }
	     /-- END PROG LOAD LOG --/ {
		for (i = (n > 10 ? n - 10 : 0); i < n; i++) print "#   " buf[i]
		print "#   " $0; inlog = 0; next }
	     inlog { buf[n++] = $0; next }
	     /failed|[Ee]rror/ { print "#   " $0 }' "$1" | head -60
}
# stuck PID: where a process that does not end is, thread by thread
stuck() {
	for t in /proc/"$1"/task/*; do
		info "  task ${t##*/} $(cat "$t/comm" 2>/dev/null): state $(awk '{print $3}' "$t/stat" 2>/dev/null), wchan $(cat "$t/wchan" 2>/dev/null), syscall $(cut -d' ' -f1 "$t/syscall" 2>/dev/null)"
		sed -n 's/^/#     /p' "$t/stack" 2>/dev/null | head -12
	done
	grep -E '^Sig(Blk|Ign|Cgt|Pnd)|^ShdPnd' "/proc/$1/status" 2>/dev/null | sed 's/^/#   /'
}
# keep FILE: the whole file, for the logs the host keeps (ARTIFACTS)
keep() {
	[ -n "${ARTIFACTS:-}" ] && [ -f "$1" ] &&
		{ echo "==== $(basename "$1")"; cat "$1"; } >>"$ARTIFACTS"
}

cleanup() {
	[ -n "$LNW_PID" ] && kill -KILL "$LNW_PID" 2>/dev/null && wait "$LNW_PID" 2>/dev/null
	for ns in "$NODE" "$PEER"; do
		"$IP" netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		"$IP" netns del "$ns" 2>/dev/null
	done
	rm -rf "$W"
}
trap 'rc=$?; cleanup; echo "1..$TAP_N"; exit $rc' EXIT
trap 'exit 130' INT TERM

in_ns() { ns=$1; shift; "$IP" netns exec "$ns" "$@"; }
rl() { # NS IFACE VALUE: route_localnet, inside a test namespace only
	in_ns "$1" sh -c "echo $3 > /proc/sys/net/ipv4/conf/$2/route_localnet"
}

# ---- the kernel, and the paths its BTF calls for ---------------------------
info "kernel $(uname -r), $(nproc 2>/dev/null || echo '?') cpu(s)"
BTF=/sys/kernel/btf/vmlinux
if [ -r "$BTF" ]; then
	tr '\000' '\n' <"$BTF" >"$W/btf.strings"
	has() { grep -qx "$1" "$W/btf.strings"; }
	has BPF_TCX_INGRESS && b_attach=tcx || b_attach=clsact
	has bpf_cast_to_kern_ctx && b_join=skb || b_join=addr
	has SKB_DROP_REASON_IP_LOCALNET && b_reason=kernel || b_reason=inferred
	# what is missing on older kernels, from the same BTF
	has btf_trace_sk_data_ready && b_delivery=sk_data_ready || b_delivery=none
	has BPF_FUNC_snprintf && b_location=kernel || b_location=kallsyms
	# martians' reason: NOT_SPECIFIED before IP_LOCALNET, none before 5.17
	has SKB_DROP_REASON_NOT_SPECIFIED && b_unspec=NOT_SPECIFIED || b_unspec=null
	ok "kernel BTF present"
else
	b_attach=unknown b_join=unknown b_reason=unknown
	b_delivery=unknown b_location=unknown b_unspec=unknown
	fail "kernel BTF present" "no $BTF"
fi
info "BTF calls for: attach $b_attach, join $b_join, reason $b_reason, delivery $b_delivery, location $b_location"
set -- $EXPECT
[ "$1" = auto ] && e_attach=$b_attach || e_attach=$1
[ "$2" = auto ] && e_join=$b_join || e_join=$2
[ "$3" = auto ] && e_reason=$b_reason || e_reason=$3
check "expected paths agree with this kernel's BTF" \
	"$e_attach $e_join $e_reason" "$b_attach $b_join $b_reason"

# ---- namespaces: node <-veth-> peer ----------------------------------------
topo() {
	"$IP" netns add "$NODE" && "$IP" netns add "$PEER" &&
	"$IP" -n "$NODE" link set lo up && "$IP" -n "$PEER" link set lo up &&
	"$IP" -n "$NODE" link add eth0 type veth peer name eth0 netns "$PEER" &&
	"$IP" -n "$NODE" link set eth0 up && "$IP" -n "$PEER" link set eth0 up &&
	"$IP" -n "$NODE" addr add $NODE_IP/24 dev eth0 &&
	"$IP" -n "$PEER" addr add $PEER_IP/24 dev eth0
}
if topo >"$W/topo.err" 2>&1; then
	ok "namespaces node and peer over veth"
else
	fail "namespaces node and peer over veth" "$(tr '\n' ' ' <"$W/topo.err")"
	exit 1
fi
NODE_MAC=$("$IP" -n "$NODE" -j link show eth0 | "$JQ" -r '.[0].address')
NODE_NETNS=$(stat -L -c %i "/run/netns/$NODE")

# ---- BPF_PROG_TEST_RUN: the tree's own test, in the node namespace ---------
# (it needs a non-loopback interface there: eth0)
in_ns "$NODE" timeout 300 "$TC_RUN" >"$W/tc_run.out" 2>"$W/tc_run.err"
rc=$?
# relay PREFIX <TAP: another program's results as ours, renumbered; sets
# R_FAILS, R_N (its numbered lines) and R_PLAN (its 1..N)
relay() {
	R_FAILS=0 R_N=0 R_PLAN=
	while IFS= read -r line; do
		case $line in
		"not ok"*) st="not ok" d=${line#not ok} ;;
		"ok "* | ok) st=ok d=${line#ok} ;;
		"FAIL - "*) tap "not ok" "$1${line#FAIL - }"; R_FAILS=$((R_FAILS + 1)); continue ;;
		"SKIP - "*) tap ok "$1${line#SKIP - } # SKIP"; continue ;;
		1..*) R_PLAN=${line#1..}; continue ;;
		*) continue ;;
		esac
		d=${d# }
		case $d in
		[0-9]*) d=${d#"${d%%[!0-9]*}"}; d=${d# }; R_N=$((R_N + 1)) ;;
		esac
		d=${d#- }
		tap "$st" "$1$d"
		[ "$st" = ok ] || R_FAILS=$((R_FAILS + 1))
	done
}
relay "bpf-test-run: " <"$W/tc_run.out"
FAILS=$((FAILS + R_FAILS))
if [ $R_FAILS -gt 0 ]; then
	info "bpf-test-run stderr:"
	verifier_excerpt "$W/tc_run.err"
	keep "$W/tc_run.err"
elif [ $rc -ne 0 ]; then
	fail "bpf-test-run" "exited $rc without a failing line"
	excerpt "$W/tc_run.err" 25
	keep "$W/tc_run.err"
elif [ "$R_PLAN" != "$R_N" ]; then
	fail "bpf-test-run: its plan matches its results" "plan 1..${R_PLAN:-(none)}, $R_N result lines"
fi

# ---- lnwatch end to end: crafted frames, flag off then on ------------------
# wait_events VERDICT N: until lnwatch has printed N such events (or 20 s)
wait_events() {
	i=0
	while [ $i -lt 100 ]; do
		[ "$(grep -c "\"verdict\":\"$1\"" "$LNW_OUT")" -ge "$2" ] && return 0
		kill -0 "$LNW_PID" 2>/dev/null || return 1
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}
# wait_hooks RUN: lnwatch attaches its route hooks within a tick or two of
# route_localnet going on (they stay detached while it is off everywhere)
wait_hooks() {
	i=0
	while [ $i -lt 25 ]; do
		if grep '"type":"route-hooks"' "$LNW_OUT" | tail -1 | grep -q '"attached":true'; then
			ok "$1: route hooks attached once the flag is on"
			return 0
		fi
		sleep 0.2
		i=$((i + 1))
	done
	fail "$1: route hooks attached once the flag is on" "no route-hooks record after 5 s"
	return 1
}
frames() { # SADDR DADDR DPORT COUNT: UDP from port 40000, peer to node
	in_ns "$PEER" "$PKTGEN" eth0 "$NODE_MAC" "$1" "$2" 40000 "$3" "$4"
}
# jq over the events: ev FILTER -> how many match
ev() { "$JQ" -c "select(.type==\"event\") | select($1)" "$LNW_OUT" | wc -l | tr -d ' '; }
# the distinct values of an expression over matching events, joined by ','
evvals() { "$JQ" -r "select(.type==\"event\") | $1" "$LNW_OUT" | sort -u | paste -sd, -; }
summ() { "$JQ" -r "select(.type==\"summary\") | $1" "$LNW_OUT"; }
cnt() { summ "[.counters[] | select($1) | .packets] | add // 0"; }
tuple='"\(.saddr):\(.sport)>\(.daddr):\(.dport) \(.ifname) \(.netns)"'
flags='.route_localnet|"\(.all)/\(.dev)/\(.effective)"'

# lnw_start RUN [OPTION...]: lnwatch -j -v on the node's eth0, until it is
# ready
lnw_start() {
	RUN=$1
	LNW_OUT=$W/$1.json
	LNW_ERR=$W/$1.err
	shift
	rm -f "$W/ready"
	# not through a function: $! must be lnwatch itself (ip execs it)
	"$IP" netns exec "$NODE" "$LNW" -j -v -i eth0 --ready-file "$W/ready" "$@" \
		>"$LNW_OUT" 2>"$LNW_ERR" &
	LNW_PID=$!
	t0=$(date +%s)
	while [ ! -f "$W/ready" ]; do
		if ! kill -0 "$LNW_PID" 2>/dev/null || [ $(($(date +%s) - t0)) -ge "$READY_WAIT" ]; then
			kill -KILL "$LNW_PID" 2>/dev/null
			wait "$LNW_PID" 2>/dev/null
			LNW_PID=
			fail "$RUN: lnwatch starts" "not ready after $(($(date +%s) - t0)) s: $(grep -h '"error"' "$LNW_OUT" | head -1)"
			info "lnwatch -v stderr: libbpf's errors, the verifier's last words:"
			verifier_excerpt "$LNW_ERR"
			keep "$LNW_ERR"
			return 1
		fi
		sleep 0.2
	done
	ok "$RUN: lnwatch starts (-v, -j), ready in $(($(date +%s) - t0)) s"
	# its programs, by id: other lnwatch runs on this machine are not ours
	OURS=$(cat /proc/"$LNW_PID"/fdinfo/* 2>/dev/null |
	       sed -n 's/^prog_id:[[:space:]]*//p' | sort -u | tr '\n' ' ')
}

# lnw_stop RUN: SIGINT, then the run's own checks: exit, JSON, paths,
# nothing left behind
lnw_stop() {
	sleep 0.3 # one drain tick more: nothing unexpected may follow
	kill -INT "$LNW_PID"
	i=0
	while kill -0 "$LNW_PID" 2>/dev/null && [ $i -lt 150 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	if kill -0 "$LNW_PID" 2>/dev/null; then
		fail "$1: lnwatch stops on SIGINT" "still running after 30 s"
		stuck "$LNW_PID"
		kill -KILL "$LNW_PID"
	fi
	wait "$LNW_PID"
	rc=$?
	LNW_PID=
	check "$1: lnwatch exit code" "$rc" 0
	[ $rc -eq 0 ] || excerpt "$LNW_ERR" 20
	keep "$LNW_OUT"
	[ $rc -eq 0 ] || keep "$LNW_ERR"

	# What lnwatch says it did: the -v line and the summary's "paths".
	vline=$(grep 'attach .*, join by .*, martian reason ' "$LNW_ERR" | tail -1)
	v_paths=$(echo "$vline" | sed -n 's/.*attach \([a-z]*\), join by \([a-z]*\), martian reason \([a-z]*\).*/\1 \2 \3/p')
	if "$JQ" . "$LNW_OUT" >/dev/null 2>&1; then ok "$1: output is JSON"; \
	else fail "$1: output is JSON" "$(head -3 "$LNW_OUT")"; fi
	s_paths=$(summ '.paths|"\(.attach) \(.join) \(.reason)"')
	check "$1: paths (summary): attach join reason" "$s_paths" "$e_attach $e_join $e_reason"
	check "$1: paths (-v line) agree with the summary" "$v_paths" "$s_paths"
	# what older kernels lack: said by the summary, and why by -v
	check "$1: paths (summary): delivery location" \
		"$(summ '.paths|"\(.delivery) \(.location)"')" "$b_delivery $b_location"
	check "$1: paths (-v line): delivery location" \
		"$(echo "$vline" | sed -n 's/.*, delivery \([a-z_]*\), locations \([a-z]*\),.*/\1 \2/p')" \
		"$b_delivery $b_location"
	missing=$(grep '^lnwatch: missing on this kernel: ' "$LNW_ERR" | tail -1)
	gaps=
	[ "$e_attach" = clsact ] && gaps="$gaps attach"
	[ "$e_join" = addr ] && gaps="$gaps join"
	[ "$e_reason" = inferred ] && gaps="$gaps reason"
	[ "$b_delivery" = none ] && gaps="$gaps delivery"
	[ "$b_location" = kallsyms ] && gaps="$gaps location"
	[ "$(summ .paths.flag_writes)" = periodic-read ] && gaps="$gaps flag"
	said=
	for g in attach join reason delivery location flag; do
		case $missing in *"; $g "* | *": $g "*) said="$said $g" ;; esac
	done
	check "$1: -v says what is missing on this kernel, and why" "${said# }" "${gaps# }"
	check "$1: lost events" "$(summ .lost_events)" 0
	check "$1: route hooks: mode, state at the end, switches" \
		"$(summ '.paths.route_hooks|"\(.mode) \(.attached) \(.switches)"')" "auto true 1"
	info "$1: verdicts: $("$JQ" -r 'select(.type=="event") | .verdict' "$LNW_OUT" | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')"

	# Nothing of ours stays: no clsact qdisc, no program.
	check "$1: no clsact qdisc left" "$("$TC" -n "$NODE" qdisc show dev eth0 | grep -c clsact)" 0
	i=0
	while [ $i -lt 50 ]; do
		left=
		for id in $OURS; do
			"$BPFTOOL" prog show id "$id" >/dev/null 2>&1 && left="$left $id"
		done
		[ -z "$left" ] && break
		sleep 0.1 # program release is RCU-deferred
		i=$((i + 1))
	done
	if [ -z "$OURS" ]; then
		fail "$1: no program of lnwatch's left" "its program ids were not found while it ran"
	else
		check "$1: no program of lnwatch's left" "${left# }" ""
	fi
}

# Frames addressed to 127/8 on the wire (the CVE-2020-8558 case) and a
# spoofed 127/8 source: martians with the flag off, accepted with it on.
direct() {
	rl "$NODE" eth0 0
	lnw_start direct || return 1
	frames $PEER_IP 127.0.0.1 5000 $N_DST
	wait_events martian-dst $N_DST
	frames $SPOOF $NODE_IP 5000 $N_SRC
	wait_events martian-src $N_SRC
	rl "$NODE" eth0 1
	wait_hooks direct
	frames $PEER_IP 127.0.0.1 5000 $N_DST
	frames $SPOOF $NODE_IP 5000 $N_SRC
	wait_events accept $((N_DST + N_SRC))
	lnw_stop direct
	info "lnwatch -v: ${vline#lnwatch: }"
	info "paths: $s_paths"
	[ -n "$missing" ] && info "lnwatch -v: ${missing#lnwatch: }"

	md='.verdict=="martian-dst"'
	ms='.verdict=="martian-src"'
	ad='.verdict=="accept" and .daddr=="127.0.0.1"'
	as=".verdict==\"accept\" and .saddr==\"$SPOOF\""
	check "martian-dst on flag off: events" "$(ev "$md")" $N_DST
	check "martian-dst on flag off: tuple" "$(evvals "select($md) | $tuple")" \
		"$PEER_IP:40000>127.0.0.1:5000 eth0 $NODE_NETNS"
	check "martian-dst on flag off: flags all/dev/effective" "$(evvals "select($md) | $flags")" 0/0/0
	check "martian-src on flag off: events" "$(ev "$ms")" $N_SRC
	check "martian-src on flag off: tuple" "$(evvals "select($ms) | $tuple")" \
		"$SPOOF:40000>$NODE_IP:5000 eth0 $NODE_NETNS"
	check "martian-src on flag off: flags all/dev/effective" "$(evvals "select($ms) | $flags")" 0/0/0
	want=IP_LOCALNET
	[ "$e_reason" = inferred ] && want=$b_unspec
	check "martians: reason, its source" \
		"$(evvals "select($md or $ms) | \"\(.reason) \(.reason_source)\"")" "$want $e_reason"
	# kfree_skb's location, named from /proc/kallsyms: where the route
	# input dropped them, on this kernel
	loc=$(evvals "select($md or $ms) | .location")
	info "martian drop location: $loc (named by: $(summ .paths.location))"
	check "drop locations named by the kernel (%pS), or from kallsyms before 5.13" \
		"$(summ .paths.location)" "$b_location"
	check "martians: drop location named" \
		"$(evvals "select($md or $ms) | .location | test(\"^[A-Za-z_][A-Za-z0-9_.]*[+]0x[0-9a-f]+\$\")")" true
	check "accept on flag on (dst 127.0.0.1): events" "$(ev "$ad")" $N_DST
	check "accept on flag on (dst 127.0.0.1): tuple" "$(evvals "select($ad) | $tuple")" \
		"$PEER_IP:40000>127.0.0.1:5000 eth0 $NODE_NETNS"
	check "accept on flag on (dst 127.0.0.1): flags all/dev/effective" \
		"$(evvals "select($ad) | $flags")" 0/1/1
	check "accept on flag on (src $SPOOF): events" "$(ev "$as")" $N_SRC
	check "accept on flag on (src $SPOOF): tuple" "$(evvals "select($as) | $tuple")" \
		"$SPOOF:40000>$NODE_IP:5000 eth0 $NODE_NETNS"
	check "joins: by $e_join" "$(evvals "select($md or $ms or $ad or $as) | .join")" "$e_join"
	check "no other martian or accept" \
		"$(ev '.verdict=="martian-dst" or .verdict=="martian-src" or .verdict=="accept"')" \
		$((2 * (N_DST + N_SRC)))
	check "counters: seen martian-dst martian-src accept" \
		"$(cnt '.verdict=="seen"') $(cnt "$md") $(cnt "$ms") $(cnt '.verdict=="accept"')" \
		"$((2 * (N_DST + N_SRC))) $N_DST $N_SRC $((N_DST + N_SRC))"
	return 0 # it ran: the checks said how it went
}

# The common real case: a DNAT (nft) to 127.0.0.1. On the wire the packet
# is addressed to the node: never `seen`; the route sees 127.0.0.1.
dnat() {
	if ! in_ns "$NODE" "$NFT" -f - >"$W/nft.err" 2>&1 <<EOF
table ip lnwk {
	chain pre {
		type nat hook prerouting priority dstnat;
		iifname "eth0" udp dport 8080 dnat to 127.0.0.1:5000
	}
}
EOF
	then
		fail "dnat: nft rule" "$(tr '\n' ' ' <"$W/nft.err")"
		return 1
	fi
	rl "$NODE" eth0 0
	lnw_start dnat || return 1
	frames $PEER_IP $NODE_IP 8080 $N_DST
	wait_events martian-dst $N_DST
	rl "$NODE" eth0 1
	wait_hooks dnat
	frames $PEER_IP $NODE_IP 8080 $N_DST
	wait_events accept $N_DST
	lnw_stop dnat

	md='.verdict=="martian-dst"'
	ac='.verdict=="accept"'
	nat='"\(.orig_daddr):\(.orig_dport)>\(.daddr):\(.dport) nat=\(.nat) \(.join)"'
	dport=5000
	[ "$e_join" = addr ] && dport=null # no sk_buff: the routed port is unknown
	check "dnat: martian-dst on flag off: events" "$(ev "$md")" $N_DST
	check "dnat: martian-dst on flag off: original > routed" "$(evvals "select($md) | $nat")" \
		"$NODE_IP:8080>127.0.0.1:5000 nat=true $e_join"
	check "dnat: accept on flag on: events" "$(ev "$ac")" $N_DST
	check "dnat: accept on flag on: original > routed" "$(evvals "select($ac) | $nat")" \
		"$NODE_IP:8080>127.0.0.1:$dport nat=true $e_join"
	check "dnat: accept on flag on: flags all/dev/effective" "$(evvals "select($ac) | $flags")" 0/1/1
	check "dnat: counters: seen martian-dst accept" \
		"$(cnt '.verdict=="seen"') $(cnt "$md") $(cnt "$ac")" "0 $N_DST $N_DST"
	in_ns "$NODE" "$NFT" delete table ip lnwk
}

# IPv6 ::1 from the neighbour, to and from it: ip6_rcv_core drops every
# one (RFC 4291), route_localnet on or off. Counted as Ip6InHdrErrors moved;
# the reason IP_INHDR where the kernel passes it (6.0+), else inferred.
ipv6() {
	rl "$NODE" eth0 0
	lnw_start ipv6 || return 1
	rl "$NODE" eth0 1 # no IPv6 knob: the flag on changes nothing
	wait_hooks ipv6
	h6() { in_ns "$NODE" awk '$1 == "Ip6InHdrErrors" { print $2 }' /proc/net/snmp6; }
	before=$(h6)
	in_ns "$PEER" "$PKTGEN" eth0 "$NODE_MAC" fe80::99:2 ::1 40000 5000 $N_DST
	in_ns "$PEER" "$PKTGEN" -t eth0 "$NODE_MAC" ::1 fe80::1 40000 5001 $N_SRC
	wait_events lo6-dst $N_DST
	wait_events lo6-src $N_SRC
	lnw_stop ipv6
	check "ipv6: the kernel dropped them (Ip6InHdrErrors)" $(($(h6) - before)) $((N_DST + N_SRC))
	check "ipv6: counters seen6 lo6-dst lo6-src" \
		"$(cnt '.verdict=="seen6"') $(cnt '.verdict=="lo6-dst"') $(cnt '.verdict=="lo6-src"')" \
		"$((N_DST + N_SRC)) $N_DST $N_SRC"
	check "ipv6: lo6-dst events, tuple" "$(evvals 'select(.verdict=="lo6-dst") | '"$tuple")" \
		"fe80::99:2:40000>::1:5000 eth0 $NODE_NETNS"
	check "ipv6: lo6-src events, tuple" "$(evvals 'select(.verdict=="lo6-src") | '"$tuple")" \
		"::1:40000>fe80::1:5001 eth0 $NODE_NETNS"
	has SKB_DROP_REASON_IP_INHDR && want="IP_INHDR kernel" || want="$b_unspec inferred"
	check "ipv6: reason, its source, join" \
		"$(evvals 'select(.family==6) | "\(.reason) \(.reason_source) \(.join)"')" "$want $e_join"
	info "ipv6 drop location: $(evvals 'select(.family==6) | .location')"
}

# --btf FILE: the types from a file, as BTFHub's would be given; here a
# copy of this kernel's own, which must give the same verdicts.
btf_file() {
	if ! cp "$BTF" "$W/vmlinux.btf" 2>"$W/cp.err"; then
		fail "btf: a copy of the kernel's BTF" "$(cat "$W/cp.err")"
		return 1
	fi
	rl "$NODE" eth0 0
	lnw_start btf --btf "$W/vmlinux.btf" || return 1
	frames $PEER_IP 127.0.0.1 5000 $N_DST
	wait_events martian-dst $N_DST
	rl "$NODE" eth0 1
	wait_hooks btf
	frames $PEER_IP 127.0.0.1 5000 $N_DST
	wait_events accept $N_DST
	lnw_stop btf
	check "btf: -v names the file the types came from" \
		"$(echo "$vline" | sed -n 's/.*, types \(.*\)$/\1/p')" "$W/vmlinux.btf"
	check "btf: martian-dst on flag off, accept on flag on" \
		"$(ev '.verdict=="martian-dst"') $(ev '.verdict=="accept"')" "$N_DST $N_DST"
}

# Without /sys/kernel/btf/vmlinux (hidden under an empty tmpfs in a mount
# namespace of the test's own): the error says what to do.
no_btf() { # NAME WANT [OPTION...]: lnwatch fails, its error contains WANT
	name=$1 want=$2
	shift 2
	"$IP" netns exec "$NODE" unshare -m --propagation private sh -c \
		'mount -t tmpfs lnwk /sys/kernel/btf && exec "$@"' sh \
		"$LNW" -j -i eth0 -d 1 "$@" >"$W/nobtf.out" 2>&1
	rc=$?
	msg=$(grep -h '"error"' "$W/nobtf.out" | head -1)
	case "$rc $msg" in
	"1 "*"$want"*) ok "$name" ;;
	*) fail "$name" "exit $rc: $(head -c 300 "$W/nobtf.out")" ;;
	esac
}

if direct; then
	ipv6
	dnat
	btf_file
	no_btf "no kernel BTF, no --btf: the error says to give --btf FILE" "--btf FILE"
	no_btf "no kernel BTF, --btf given: the error says why that is not enough" \
		"need the kernel's own BTF" --btf "$W/vmlinux.btf"
else
	fail "dnat: not run" "lnwatch does not start on this kernel"
fi

# ---- facts for later: do fentry and kprobes load here? ---------------------
if [ -n "$PROBE" ] && [ -n "$PROBE_OBJ" ]; then
	rl "$NODE" eth0 0
	"$PROBE" "$PROBE_OBJ" "$IP" netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" \
		$PEER_IP 127.0.0.1 40000 5000 2 2>&1
fi

[ "$FAILS" -eq 0 ]

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# bench.sh: everything `make bench` measures (issue 5), side by side in one
# run, in alternating rounds; one table on stdout, all numbers in JSON.
#
#   1  tc program under BPF_PROG_TEST_RUN vs an empty one   (tc_cost)
#   L  live cost per program: lnwatch --overhead beside do-nothing programs
#      on the same hooks (floor), on the same packets          (bench_floor)
#   2  throughput, UDP flood and TCP stream (iperf3), without/with lnwatch
#   3  martian flood, N frames, route_localnet off and on     (blast raw):
#      lnwatch beside nothing and beside bpftrace's count() on kfree_skb
#   4  event throughput: -r 0, output to /dev/null, ring buffer sizes
#   5  start-up (exec -> ready file) and stop (SIGINT -> exit -> detached)
#   6  peers on the same flood: log_martians, a bpftrace one-liner
#
# Two namespaces of its own (node <-veth-> peer, 10.213.0.1/.2); lnwatch
# (the release build) runs in the node. Nothing else is touched: sysctls
# only inside the node, BPF statistics through lnwatch --overhead's and
# bench_floor's BPF_ENABLE_STATS fds (kernel.bpf_stats_enabled is never
# written), tracefs for bpftrace in a private mount namespace. Everything
# is removed on any exit; timeout(1) ends the run at 9.5 minutes.
#
# usage: bench.sh [-r ROUNDS] [-n FRAMES] [-t SECONDS] [-q] [-s LIST] [-o JSON]
#   -r  rounds of the flood and start-up figures, and (plus two) of the
#       throughput ones (default 5, at least 3); the others run 3 rounds
#   -n  frames per martian flood (default 1000000)
#   -t  seconds per throughput run (default 1)
#   -q  quick: -r 3 -n 200000 -t 1
#   -s  sections to run, e.g. 3,4,5 (default all: 1,L,2,3,4,5,6)
#   -o  results (default $OUT/bench.json; the table also as .md beside it)
set -u
# The bound: 9.5 minutes, then SIGTERM, which the trap below turns into
# a clean exit. --foreground keeps Ctrl-C reaching us.
if [ -z "${LNWB_TIMED:-}" ]; then
	LNWB_TIMED=1 exec timeout --foreground -s TERM 570 "$0" "$@"
fi
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "${OUT:-$HERE/../../build}" && pwd)
LNW=$OUT/lnwatch # release build, not lnwatch-san
# shellcheck source=../e2e/lib.sh
. "$HERE/../e2e/lib.sh"
lnw_bench_names "lnwb$$" 10.213.0
BLAST=$OUT/blast
FLOOR=$OUT/bench_floor
TC_COST=$OUT/tc_cost
REC=$TMPD/records.jsonl
SHM_OUT=/dev/shm/lnwb.$$.out # section 4's kept output: ~0.5 GB at worst
SEND_CPU=0 # the sender, and the receive softirq it runs (veth)
RECV_CPU=1 # the UDP/TCP receiver
# Traffic runs at nice -20, pinned: the machine is shared, and what other
# tasks do there should not be what we measure. lnwatch runs as a user
# would run it (nice 0, unpinned).
FAST="nice -n -20 taskset -c"
UDP_PORT=9000
TCP_PORT=5201

ROUNDS=5 FRAMES=1000000 SECS=1 JSON=$OUT/bench.json SECTIONS=1,L,2,3,4,5,6
while getopts "r:n:t:qs:o:h" opt; do
	case $opt in
	r) ROUNDS=$OPTARG ;;
	n) FRAMES=$OPTARG ;;
	t) SECS=$OPTARG ;;
	q) ROUNDS=3 FRAMES=200000 SECS=1 ;;
	s) SECTIONS=$OPTARG ;;
	o) JSON=$OPTARG ;;
	*) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
	esac
done
case "$ROUNDS$FRAMES$SECS" in *[!0-9]*) echo "bench: -r, -n, -t take numbers" >&2; exit 2 ;; esac
[ "$ROUNDS" -ge 3 ] && [ "$FRAMES" -ge 1000 ] && [ "$SECS" -ge 1 ] ||
	{ echo "bench: -r >= 3, -n >= 1000, -t >= 1" >&2; exit 2; }

STATS_SYSCTL_BEFORE=$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null || echo -1)
bench_cleanup() {
	local rc=$?
	cleanup # lib.sh: processes in PIDS and in our namespaces, namespaces, TMPD
	rm -f "$SHM_OUT"
	# never written by us; should someone's crashed tool have left it on
	# while we ran, say so rather than overwrite their setting
	local now
	now=$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null || echo -1)
	[ "$now" = "$STATS_SYSCTL_BEFORE" ] ||
		echo "bench: note: kernel.bpf_stats_enabled changed from $STATS_SYSCTL_BEFORE to $now during the run (not by the bench)" >&2
	exit $rc
}
trap bench_cleanup EXIT

die() { echo "bench: $*" >&2; exit 1; }
want() { case ",$SECTIONS," in *",$1,"*) return 0 ;; esac; return 1; }
# Past 8 minutes, sections stop after their third round (the bound is 9.5).
late() { (( $1 > 3 && $(us) - T_START > 480000000 )); }
say() { echo "bench: [$(( ($(us) - T_START) / 1000000 ))s] $*" >&2; }
us() { echo "${EPOCHREALTIME/./}"; } # microseconds
T_START=$(us)
# rec JSON: one record (jq -n arguments: a filter, then --arg/--argjson)
rec() { jq -nc "$@" >>"$REC" || die "bad record: $*"; }

[ "$(id -u)" = 0 ] || die "needs root (namespaces, BPF): sudo make bench"
for f in "$LNW" "$BLAST" "$FLOOR" "$TC_COST"; do
	[ -x "$f" ] || die "$f missing: make bench-build"
done
for c in jq bpftool python3 taskset ip; do
	command -v "$c" >/dev/null || die "$c missing: make deps"
done
[ "$(nproc)" -ge 2 ] || { SEND_CPU=0; RECV_CPU=0; }

topo_basic || die "cannot build namespaces"
for dev in all default eth0; do
	ip netns exec "$NODE" sysctl -qw "net.ipv4.conf.$dev.route_localnet=0" ||
		die "cannot clear route_localnet"
done
NODE_MAC=$(mac_of "$NODE" eth0)

rec -n --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg kernel "$(uname -r)" \
	--arg cpu "$(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -1)" \
	--argjson ncpu "$(nproc)" --argjson rounds "$ROUNDS" --argjson frames "$FRAMES" \
	--argjson secs "$SECS" --arg lnwatch "$("$LNW" --version | head -1)" \
	--arg iperf3 "$(iperf3 --version 2>/dev/null | head -1)" \
	--arg bpftrace "$(bpftrace --version 2>/dev/null | head -1)" \
	'{s:"info", date:$date, kernel:$kernel, cpu:$cpu, ncpu:$ncpu, rounds:$rounds,
	  frames:$frames, secs:$secs, lnwatch:$lnwatch, iperf3:$iperf3, bpftrace:$bpftrace}'

# ---------------------------------------------------------------- helpers

# lnw_up OUTFILE ARGS...: lnwatch in the node (--netns: no `ip netns exec`
# between exec and us); waits for the ready file. LPID, READY_US (exec ->
# ready file's mtime), LPROGS (ids of its programs).
lnw_up() {
	local out=$1 t0; shift
	rm -f "$TMPD/ready"
	t0=$(us)
	"$LNW" --netns "$NODE" --ready-file "$TMPD/ready" -d 300 "$@" \
		>"$out" 2>"$TMPD/lnw.err" &
	LPID=$!
	PIDS+=("$LPID")
	for _ in $(seq 2000); do
		[ -f "$TMPD/ready" ] && break
		kill -0 "$LPID" 2>/dev/null || break
		sleep 0.003
	done
	[ -f "$TMPD/ready" ] || die "lnwatch $* did not become ready: $(tail -3 "$TMPD/lnw.err")"
	READY_US=$(( $(stat -c %.6Y "$TMPD/ready" | tr -d .) - t0 ))
	LPROGS=$(sed -n 's/^prog_id:\s*//p' /proc/"$LPID"/fdinfo/* 2>/dev/null | sort -un | paste -sd' ')
	[ -n "$LPROGS" ] || die "lnwatch holds no program"
}

# lnw_down: SIGINT; EXIT_US (signal -> exit), GONE_US (signal -> none of
# its programs left in the kernel), LEFT (programs still there after 2 s).
lnw_down() {
	local t0 id rc
	sleep 0.3 # a drain tick after the last verdict
	t0=$(us)
	kill -INT "$LPID"
	wait "$LPID"
	rc=$?
	EXIT_US=$(( $(us) - t0 ))
	[ $rc = 0 ] || die "lnwatch exited $rc: $(tail -3 "$TMPD/lnw.err")"
	LEFT=$LPROGS
	for _ in $(seq 400); do
		local still=""
		for id in $LEFT; do
			bpftool prog show id "$id" >/dev/null 2>&1 && still+=" $id"
		done
		LEFT=${still# }
		[ -z "$LEFT" ] && break
		sleep 0.005
	done
	GONE_US=$(( $(us) - t0 ))
}

# progstats PID...: "NAME RUN_CNT RUN_TIME_NS" of the programs these hold
progstats() {
	local ids="" p
	for p in "$@"; do
		ids+=" $(sed -n 's/^prog_id:\s*//p' /proc/"$p"/fdinfo/* 2>/dev/null | paste -sd' ')"
	done
	bpftool -j prog show | jq -r --arg ids "$ids" '
		($ids | split(" ") | map(select(. != "") | tonumber)) as $ours | .[]
		| select(.id as $i | $ours | index($i))
		| "\(.name) \(.run_cnt // 0) \(.run_time_ns // 0)"'
}

# mapdump PID NAME: bpftool's JSON dump of that lnwatch map
mapdump() {
	local id
	for id in $(sed -n 's/^map_id:\s*//p' /proc/"$1"/fdinfo/* 2>/dev/null | sort -un); do
		if [ "$(bpftool -j map show id "$id" | jq -r .name)" = "$2" ]; then
			bpftool -j map dump id "$id"
			return
		fi
	done
	echo '[]'
}
# stat_sum PID INDEX: a per-CPU "stats" entry (0 lost, 2 rate-limited)
stat_sum() {
	mapdump "$1" stats | jq --argjson k "$2" \
		'[.[] | select(.formatted.key == $k) | .formatted.values[].value] | add // 0'
}

rx_packets() { ip -n "$NODE" -j -s link show eth0 | jq '.[0].stats64.rx.packets'; }
cpu_ns() { local a; read -r a _ </proc/"$1"/schedstat && echo "$a"; }
cpu_ticks() { awk '{ print $14 + $15 }' /proc/"$1"/stat; } # comm has no spaces
vmhwm_kib() { awk '/^VmHWM:/ { print $2 }' /proc/"$1"/status; }
vmrss_kib() { awk '/^VmRSS:/ { print $2 }' /proc/"$1"/status; }

# flood N: N martian frames, peer -> node's MAC, dst 127.0.0.1:5000.
# FLOOD_T0 / FLOOD_T1 (us), FLOOD_PPS
flood() {
	local out
	FLOOD_T0=$(us)
	out=$(ip netns exec "$PEER" $FAST $SEND_CPU "$BLAST" raw eth0 "$NODE_MAC" \
		"$PEER_IP" 127.0.0.1 40000 5000 "$1") || die "blast raw failed"
	FLOOD_T1=$(us)
	FLOOD_PPS=$(jq .pps <<<"$out")
}

# wait_quiet PID: until PID has used < 0.5 ms of CPU per 10 ms for 0.3 s
# (at most 60 s); QUIET_US is when it last was busy (its drain ended).
wait_quiet() {
	local prev cur t last t0
	prev=$(cpu_ns "$1") || return
	last=$(us)
	t0=$last
	while (( last - t0 < 60000000 )); do
		sleep 0.01
		t=$(us)
		cur=$(cpu_ns "$1") || break
		if (( cur - prev > 500000 )); then last=$t; fi
		prev=$cur
		(( t - last > 300000 )) && break
	done
	QUIET_US=$last
}

# UDP flood through the stack: receiver in the node, sender in the peer.
udp_run() { # -> UDP_RX_PPS UDP_TX_PPS
	local rx tx
	ip netns exec "$NODE" $FAST $RECV_CPU "$BLAST" udp-recv $UDP_PORT "$SECS" \
		>"$TMPD/udp.rx" 2>&1 &
	local rpid=$!
	PIDS+=("$rpid")
	for _ in $(seq 200); do grep -q listening "$TMPD/udp.rx" && break; sleep 0.01; done
	tx=$(ip netns exec "$PEER" $FAST $SEND_CPU "$BLAST" udp-send $NODE_IP $UDP_PORT "$SECS") ||
		die "udp-send failed"
	wait "$rpid" || die "udp-recv failed: $(cat "$TMPD/udp.rx")"
	rx=$(tail -1 "$TMPD/udp.rx")
	UDP_RX_PPS=$(jq .pps <<<"$rx")
	UDP_TX_PPS=$(jq .pps <<<"$tx")
}

tcp_run() { # -> TCP_BPS (receiver side)
	local spid
	ip netns exec "$NODE" $FAST $RECV_CPU iperf3 -s -1 -p $TCP_PORT >/dev/null 2>&1 &
	spid=$!
	PIDS+=("$spid")
	for _ in $(seq 200); do
		ip netns exec "$NODE" ss -Hltn "sport = :$TCP_PORT" | grep -q . && break
		sleep 0.01
	done
	ip netns exec "$PEER" $FAST $SEND_CPU iperf3 -c $NODE_IP -p $TCP_PORT \
		-t "$SECS" -J >"$TMPD/iperf.json" 2>&1 || die "iperf3 failed: $(head -c 300 "$TMPD/iperf.json")"
	wait "$spid"
	TCP_BPS=$(jq '.end.sum_received.bits_per_second' "$TMPD/iperf.json")
}

set_flag() { # route_localnet of the node's eth0
	ip netns exec "$NODE" sysctl -qw "net.ipv4.conf.eth0.route_localnet=$1" || die "sysctl"
}

# Side by side: round r runs A then B when r is odd, B then A when even.
order() { if (( $1 % 2 )); then echo "$2 $3"; else echo "$3 $2"; fi; }

# ------------------------------------------------- 1: tc under test_run
if want 1; then
say "1/6 tc program cost (BPF_PROG_TEST_RUN)"
"$TC_COST" -r 21 -o "$TMPD/tc.json" >"$TMPD/tc.txt" ||
	die "tc_cost failed: $(cat "$TMPD/tc.txt")"
cp "$TMPD/tc.json" "$OUT/bench-tc.json"
fi

# ---------------------------------------- L: live cost beside the floor
# lnwatch --overhead and bench_floor hold BPF_ENABLE_STATS fds: both sets
# of programs are timed on the same packets. Deltas over the traffic only.
want L && say "L/6 live cost per program (lnwatch --overhead beside empty programs)"
live_run() { # KIND ROUND LNWATCH-ARGS...; traffic chosen by KIND
	local kind=$1 r=$2 fpid b a pk0 pk1; shift 2
	rm -f "$TMPD/floor.ready"
	ip netns exec "$NODE" "$FLOOR" -s eth0 "$TMPD/floor.ready" >"$TMPD/floor.out" 2>&1 &
	fpid=$!
	PIDS+=("$fpid")
	lnw_up "$TMPD/live.out" -j --overhead "$@"
	for _ in $(seq 300); do [ -f "$TMPD/floor.ready" ] && break; sleep 0.01; done
	[ -f "$TMPD/floor.ready" ] || die "bench_floor: $(cat "$TMPD/floor.out")"
	b=$(progstats "$LPID" "$fpid" | jq -Rn '[inputs | split(" ") | {(.[0]): [(.[1]|tonumber), (.[2]|tonumber)]}] | add')
	pk0=$(rx_packets)
	case $kind in
	# every event fits in the ring (16 MiB: ~80k), or we would time the
	# failed reservations; the loader drains them all before it exits
	martian-r0) flood $((FRAMES / 50)) ;;
	martian-*|accept) flood $((FRAMES / 5)) ;;
	udp) udp_run ;;
	tcp) tcp_run ;;
	esac
	sleep 0.2
	pk1=$(rx_packets)
	a=$(progstats "$LPID" "$fpid" | jq -Rn '[inputs | split(" ") | {(.[0]): [(.[1]|tonumber), (.[2]|tonumber)]}] | add')
	kill -INT "$fpid"
	wait "$fpid" || die "bench_floor failed: $(cat "$TMPD/floor.out")"
	lnw_down
	rec -n --arg k "$kind" --argjson r "$r" --argjson pk $((pk1 - pk0)) \
		--argjson b "$b" --argjson a "$a" \
		'{s:"live", k:$k, r:$r, packets:$pk,
		  progs: ($a | with_entries(.value = [.value[0] - $b[.key][0], .value[1] - $b[.key][1]]))}'
}
want L && for r in 1 2 3; do
	set_flag 0
	for kind in martian-r5 martian-r0 udp tcp; do
		case $kind in
		martian-r0) live_run $kind "$r" -r 0 --ringbuf-kib 16384 ;;
		*) live_run $kind "$r" ;;
		esac
	done
	set_flag 1
	live_run accept "$r"
	set_flag 0
done

# ------------------------------------------------- 2: throughput off/on
# The figure most exposed to a shared machine: two more rounds. Five modes
# per round, in rotating order: nothing attached; lnwatch as it runs while
# route_localnet is off (tc + kfree_skb: its route hooks wait for the flag)
# and empty programs on those two hooks (its floor); lnwatch with the flag
# on (all four hooks) and empty programs on all four.
floor_up() { # [HOOKS]
	rm -f "$TMPD/floor.ready"
	ip netns exec "$NODE" "$FLOOR" -H "${1:-tc,kfree_skb,fib_table_lookup,sk_data_ready}" \
		eth0 "$TMPD/floor.ready" >"$TMPD/floor.out" 2>&1 &
	FPID=$!
	PIDS+=("$FPID")
	for _ in $(seq 300); do [ -f "$TMPD/floor.ready" ] && return; sleep 0.01; done
	die "bench_floor: $(cat "$TMPD/floor.out")"
}
floor_down() {
	kill -INT "$FPID"
	wait "$FPID" || die "bench_floor failed: $(cat "$TMPD/floor.out")"
}
want 2 && say "2/6 throughput: nothing / lnwatch, flag off and on / empty programs (UDP flood, TCP stream)"
want 2 && for r in $(seq $((ROUNDS + 2))); do
	set -- off floor on floor4 on-flag
	for _ in $(seq $(( (r - 1) % 5 ))); do set -- "${@:2}" "$1"; done # rotate
	for mode in "$@"; do
		case $mode in
		on) lnw_up "$TMPD/thr.out" -j ;;
		on-flag) set_flag 1; lnw_up "$TMPD/thr.out" -j ;;
		floor) floor_up tc,kfree_skb ;;
		floor4) floor_up ;;
		esac
		udp_run
		tcp_run
		case $mode in
		on) lnw_down ;;
		on-flag) lnw_down; set_flag 0
			[ "$(jq -r 'select(.type=="summary") | .paths.route_hooks.attached' "$TMPD/thr.out")" = true ] ||
				die "lnwatch with the flag on: route hooks not attached" ;;
		floor|floor4) floor_down ;;
		esac
		rec -n --argjson r "$r" --arg m "$mode" --argjson rx "$UDP_RX_PPS" \
			--argjson tx "$UDP_TX_PPS" --argjson bps "$TCP_BPS" \
			'{s:"thr", r:$r, mode:$m, udp_rx_pps:$rx, udp_tx_pps:$tx, tcp_bps:$bps}'
	done
done
# Which hook costs what: an empty program on one hook at a time, UDP flood
# (kfree_skb does not run for it: nothing is dropped).
want 2 && for r in 1 2 3; do
	set -- off tc fib_table_lookup sk_data_ready
	for _ in $(seq $(( (r - 1) % 4 ))); do set -- "${@:2}" "$1"; done
	for mode in "$@"; do
		[ "$mode" = off ] || floor_up "$mode"
		udp_run
		[ "$mode" = off ] || floor_down
		rec -n --argjson r "$r" --arg m "$mode" --argjson tx "$UDP_TX_PPS" \
			'{s:"hook", r:$r, mode:$m, udp_tx_pps:$tx}'
	done
done

# ------------------------------------------------ 3: martian flood, N
# bpftrace (tracefs in a private mount namespace, never the host's): what
# a user would type to count the same drops, its program on the same
# tracepoint. bt_up SCRIPT: started, attached (BTPID), or 1 and BT_WHY.
bt_up() {
	rm -f "$TMPD/bt.out"
	LNWB_BT="$1" unshare -m sh -c '
		mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
		r=$(sed -n "s/.*{ \([0-9]*\), \"IP_LOCALNET\" }.*/\1/p" \
			/sys/kernel/tracing/events/skb/kfree_skb/format)
		[ -n "$r" ] || { echo "no IP_LOCALNET in the tracepoint format"; exit 1; }
		echo "reason=$r"
		exec bpftrace -B line -e "$(printf "%s\n" "$LNWB_BT" | sed "s/@R@/$r/g")"' \
		>"$TMPD/bt.out" 2>"$TMPD/bt.err" &
	BTPID=$!
	PIDS+=("$BTPID")
	for _ in $(seq 1000); do
		grep -q '^Attaching' "$TMPD/bt.out" 2>/dev/null && return 0
		kill -0 "$BTPID" 2>/dev/null || break
		sleep 0.02
	done
	BT_WHY=$(cat "$TMPD/bt.out" "$TMPD/bt.err" 2>/dev/null | grep -v RLIMIT_MEMLOCK | head -3 | tr '\n' ' ')
	return 1
}
# plain count() of every drop: what a user types first; with the flag on
# the flood's packets are dropped for another reason (no socket)
BT_COUNT='tracepoint:skb:kfree_skb { @drops = count(); }'
# bt_flood N: the flood with bpftrace count() attached; BT_PPS, BT_N (its
# count), or null for both when bpftrace cannot run here
bt_flood() {
	BT_PPS=null BT_N=null
	command -v bpftrace >/dev/null || { BT_WHY="not installed"; return; }
	bt_up "$BT_COUNT" || return
	flood "$1"
	BT_PPS=$FLOOD_PPS
	kill -INT "$BTPID"
	wait "$BTPID"
	BT_N=$(sed -n 's/^@drops: //p' "$TMPD/bt.out")
	BT_N=${BT_N:-null}
}
want 3 && say "3/6 martian flood: $FRAMES frames, route_localnet off/on, default rate; nothing, lnwatch, bpftrace count()"
want 3 && for r in $(seq "$ROUNDS"); do
	late "$r" && break
	for flag in $(order "$r" 0 1); do
		set_flag "$flag"
		# the same flood with nothing attached and with bpftrace's
		# count(), before or after: what lnwatch costs a CPU that
		# receives a flood of martians, beside what a one-liner costs
		(( r % 2 )) && { flood "$FRAMES"; bare_pps=$FLOOD_PPS; bt_flood "$FRAMES"; }
		lnw_up "$TMPD/flood.out" -j
		m0=$(martian_dst)
		c0=$(cpu_ns "$LPID"); k0=$(cpu_ticks "$LPID")
		flood "$FRAMES"
		lnw_pps=$FLOOD_PPS fl_us=$((FLOOD_T1 - FLOOD_T0)) f0=$FLOOD_T0
		sleep 0.5 # drain ticks: the loader's work for this flood is done
		c1=$(cpu_ns "$LPID"); k1=$(cpu_ticks "$LPID"); t1=$(us)
		hwm=$(vmhwm_kib "$LPID"); rss=$(vmrss_kib "$LPID")
		lnw_down
		m1=$(martian_dst)
		win_us=$((t1 - f0))
		(( r % 2 )) || { bt_flood "$FRAMES"; flood "$FRAMES"; bare_pps=$FLOOD_PPS; }
		jq -c 'select(.type=="summary")' "$TMPD/flood.out" >"$TMPD/summary.json"
		[ -s "$TMPD/summary.json" ] || die "flood: no summary"
		rec -n --argjson r "$r" --argjson flag "$flag" --argjson n "$FRAMES" \
			--argjson pps "$lnw_pps" --argjson bare "$bare_pps" --argjson fl_us "$fl_us" \
			--argjson bt_pps "$BT_PPS" --argjson bt_n "$BT_N" --arg bt_why "${BT_WHY:-}" \
			--argjson win_us "$win_us" --argjson cpu_ns $((c1 - c0)) \
			--argjson ticks $((k1 - k0)) --argjson hz "$(getconf CLK_TCK)" \
			--argjson hwm "$hwm" --argjson rss "$rss" --argjson kmd $((m1 - m0)) \
			--argjson ev "$(jq -s '[.[] | select(.type=="event") | .verdict] | group_by(.) | map({(.[0]): length}) | add // {}' "$TMPD/flood.out")" \
			--slurpfile s "$TMPD/summary.json" \
			'{s:"flood", r:$r, flag:$flag, n:$n, pps:$pps, bare_pps:$bare, flood_us:$fl_us, window_us:$win_us,
			  bpftrace_pps:$bt_pps, bpftrace_count:$bt_n,
			  bpftrace_unavailable:(if $bt_pps == null then $bt_why else null end),
			  cpu_ns:$cpu_ns, cpu_ticks:$ticks, clk_tck:$hz, vmhwm_kib:$hwm, vmrss_kib:$rss,
			  kernel_martian_dst:$kmd, events:$ev,
			  counters: ($s[0].counters | map({(.verdict + (if .reason then "/" + .reason else "" end)): .packets}) | add),
			  lost:$s[0].lost_events, rate_limited:$s[0].rate_limited, elapsed_s:$s[0].elapsed_s}'
	done
done
set_flag 0

# --------------------------------------- 4: event throughput, -r 0
want 4 && say "4/6 event throughput: -r 0, output to /dev/null, ring buffer sizes"
# 1 MiB is the default. A larger ring loses less but takes its time to
# drain: at ~30k events/s, 16 MiB (~80k events) is the largest that keeps
# the bench short.
KIBS="1024 4096 16384"
# drain_round S R KIB ARGS...: lnwatch -r 0 (and ARGS) to /dev/null, one
# flood of N martians, drained to quiet; recorded as s:S.
drain_round() {
	local s=$1 r=$2 kib=$3 c0 c1 lost seen
	shift 3
	lnw_up /dev/null -r 0 --ringbuf-kib "$kib" "$@"
	c0=$(cpu_ns "$LPID")
	flood "$FRAMES"
	wait_quiet "$LPID"
	c1=$(cpu_ns "$LPID")
	lost=$(stat_sum "$LPID" 0)
	# martians are counted in the per-CPU array, a slot's key in it; a key
	# whose slot another holds, in the hash
	seen=$(( $(mapdump "$LPID" counters | jq '[.[] | select(.formatted.key.verdict == 1) | .formatted.values[].value.packets] | add // 0') +
		$(mapdump "$LPID" counters_hot | jq '[.[] | .formatted.values[].value | select(.used == 1 and .key.verdict == 1) | .val.packets] | add // 0') ))
	lnw_down
	rec -n --arg s "$s" --argjson r "$r" --argjson kib "$kib" --argjson n "$FRAMES" \
		--argjson pps "$FLOOD_PPS" --argjson lost "$lost" --argjson counted "$seen" \
		--argjson drain_us $((QUIET_US - FLOOD_T0)) --argjson cpu_ns $((c1 - c0)) \
		'{s:$s, r:$r, kib:$kib, n:$n, pps:$pps, lost:$lost, counted:$counted,
		  drained:($n - $lost), drain_us:$drain_us, cpu_ns:$cpu_ns}'
}
want 4 && for r in 1 2 3; do
	set -- $KIBS
	for _ in $(seq $(( (r - 1) % $# ))); do set -- "${@:2}" "$1"; done # rotate
	for kib in "$@"; do
		drain_round events "$r" "$kib"
	done
	# -j, default ring: a JSON line is built as the text line is
	drain_round events-json "$r" 1024 -j
done
# Once with the output kept (tmpfs): the lines really are N - lost.
if want 4; then
	lnw_up "$SHM_OUT" -j -r 0
	flood "$FRAMES"
	wait_quiet "$LPID"
	lnw_down
	rec -n --argjson n "$FRAMES" \
		--argjson lines "$(grep -c '"type":"event"' "$SHM_OUT")" \
		--argjson lost "$(tail -1 "$SHM_OUT" | jq 'select(.type=="summary") | .lost_events')" \
		'{s:"events-check", n:$n, event_lines:$lines, lost:$lost}'
	rm -f "$SHM_OUT"
fi

# ----------------------------------------------- 5: start-up and stop
want 5 && say "5/6 start-up and stop"
want 5 && for r in $(seq $((ROUNDS * 2))); do
	late "$r" && break
	lnw_up "$TMPD/start.out"
	lnw_down
	rec -n --argjson r "$r" --argjson ready "$READY_US" --argjson exit "$EXIT_US" \
		--argjson gone "$GONE_US" --arg left "$LEFT" \
		'{s:"start", r:$r, ready_us:$ready, exit_us:$exit, gone_us:$gone, left:$left}'
done

# ------------------------------------------------------------- 6: peers
if want 6; then
say "6/6 peers on the same flood: log_martians, bpftrace"
ip netns exec "$NODE" sysctl -qw net.ipv4.conf.all.log_martians=1 net.ipv4.conf.eth0.log_martians=1
LOGLINE="martian destination 127.0.0.1 from $PEER_IP, dev eth0"
kmsg_lines() { dmesg 2>/dev/null | grep -cF "$1"; }
kmsg_suppressed() { dmesg 2>/dev/null | sed -n 's/.*net_ratelimit: \([0-9]*\) callbacks suppressed.*/\1/p' | awk '{ s += $1 } END { print s + 0 }'; }
DMESG_OK=0
dmesg >/dev/null 2>&1 && DMESG_OK=1
# What a user would type: count and print every IP_LOCALNET drop. The
# reason's value is the kernel's (tracepoint format), not a guess.
BT_OK=0
if command -v bpftrace >/dev/null; then
	BT_OK=1
fi
BT_PRINT='tracepoint:skb:kfree_skb /args->reason == @R@/ {
	@localnet_drops = count();
	printf("IP_LOCALNET drop skb %lx\n", args->skbaddr); }'
bt_start() { bt_up "$BT_PRINT"; }
for r in 1 2 3; do
	bt=false
	if [ $BT_OK = 1 ] && bt_start; then bt=true; elif [ $BT_OK = 1 ]; then BT_OK=0; fi
	lnw_up "$TMPD/peer.out" -j
	l0=$(kmsg_lines "$LOGLINE"); s0=$(kmsg_suppressed)
	flood "$FRAMES"
	lnw_down
	sleep 0.5
	bt_count=null bt_lines=null bt_lost=null
	if $bt; then
		# it prints at its own pace: let it finish (at most 20 s)
		prev=-1
		for _ in $(seq 40); do
			cur=$(wc -l <"$TMPD/bt.out")
			[ "$cur" = "$prev" ] && break
			prev=$cur
			sleep 0.5
		done
		kill -INT "$BTPID"
		wait "$BTPID"
		bt_count=$(sed -n 's/^@localnet_drops: //p' "$TMPD/bt.out")
		bt_lines=$(grep -c '^IP_LOCALNET drop' "$TMPD/bt.out")
		bt_lost=$(sed -n 's/.*Lost \([0-9]*\) events.*/\1/p' "$TMPD/bt.out" "$TMPD/bt.err" | awk '{ s += $1 } END { print s + 0 }')
	fi
	l1=$(kmsg_lines "$LOGLINE"); s1=$(kmsg_suppressed)
	rec -n --argjson r "$r" --argjson n "$FRAMES" --argjson dm $DMESG_OK \
		--argjson lines $((l1 - l0)) --argjson supp $((s1 - s0)) \
		--argjson lnw "$(jq 'select(.type=="summary") | [.counters[] | select(.verdict=="martian-dst") | .packets] | add // 0' "$TMPD/peer.out")" \
		--argjson lnw_events "$(grep -c '"type":"event"' "$TMPD/peer.out")" \
		--argjson btc "${bt_count:-null}" --argjson btl "$bt_lines" --argjson btlost "$bt_lost" \
		--arg btwhy "${BT_WHY:-}" \
		'{s:"peers", r:$r, n:$n, dmesg_readable:($dm == 1), log_lines:$lines,
		  log_suppressed_hostwide:$supp, lnwatch_count:$lnw, lnwatch_events:$lnw_events,
		  bpftrace_count:$btc, bpftrace_lines:$btl, bpftrace_lost:$btlost,
		  bpftrace_unavailable:(if $btc == null then $btwhy else null end)}'
done
ip netns exec "$NODE" sysctl -qw net.ipv4.conf.all.log_martians=0 net.ipv4.conf.eth0.log_martians=0
fi

rec -n --argjson s $(( ($(us) - T_START) / 1000000 )) '{s:"info-end", bench_seconds:$s}'
tcj=-
want 1 && tcj=$OUT/bench-tc.json
cp "$REC" "${JSON%.json}.records.jsonl" # report.py can be run again on these
python3 "$HERE/report.py" "$REC" "$tcj" "$JSON" || die "report failed"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# tp_cost: ns per run of lnwatch's attached programs on live traffic, from
# the kernel's own run statistics (kernel.bpf_stats_enabled, on only for
# the run, then restored). lnwatch watches the e2e tests' node namespace;
# the peer sends, with tests/e2e/pktgen:
#   martian   N frames to 127.0.0.1 at the node's MAC, route_localnet off
#   ordinary  N UDP frames to 10.99.0.1:5001 (no listener: NO_SOCKET drop)
# kfree_skb and fib_table_lookup are global tracepoints: their counts also
# hold whatever else the machine did meanwhile, as in production.
#
# usage: tp_cost.sh [N]   (default 20000; OUT= the build directory)
# shellcheck source=../e2e/lib.sh
. "$(dirname "$0")/../e2e/lib.sh"

N=${1:-20000}
LNW=$OUT/lnwatch
PROGS="lnw_tc_ingress lnw_kfree_skb lnw_fib_lookup"
STATS_WAS=

die() { echo "tp_cost: $*" >&2; exit 1; }

restore_stats() {
	if [ -n "$STATS_WAS" ]; then sysctl -qw kernel.bpf_stats_enabled="$STATS_WAS"; fi
}
# lib.sh's cleanup removes the namespaces, processes and $TMPD.
trap 'restore_stats; cleanup' EXIT

# "NAME RUN_CNT RUN_TIME_NS" for the programs our lnwatch holds: a
# program's fdinfo names its id (this bpftool does not list owner pids).
prog_stats() {
	local ids
	ids=$(sed -n 's/^prog_id:\s*//p' /proc/"$LNW_PID"/fdinfo/* 2>/dev/null | sort -u | paste -sd, -)
	bpftool -j prog show | jq -r --arg ids "$ids" --arg names "$PROGS" '
		($ids | split(",") | map(tonumber)) as $ours | .[]
		| select(.id as $i | $ours | index($i))
		| select(.name as $n | $names | split(" ") | index($n))
		| "\(.name) \(.run_cnt // 0) \(.run_time_ns // 0)"'
}

# measure LABEL CMD...: the traffic CMD makes, per program, as a delta.
measure() {
	local label=$1 tc_runs; shift
	prog_stats >"$TMPD/before"
	"$@" || die "$label: traffic generator failed"
	sleep 0.3 # the receive backlog drains after the sender exits
	prog_stats >"$TMPD/after"
	awk -v label="$label" 'NR == FNR { cnt[$1] = $2; t[$1] = $3; next }
		{ c = $2 - cnt[$1]; d = $3 - t[$1]
		  printf "%-9s %-15s %9d %12d %8.1f\n", label, $1, c, d, c ? d / c : 0 }' \
		"$TMPD/before" "$TMPD/after" | tee "$TMPD/delta"
	# every frame must have crossed the node's tc ingress, or we measured nothing
	tc_runs=$(awk '$2 == "lnw_tc_ingress" { print $3 }' "$TMPD/delta")
	[ "${tc_runs:-0}" -ge "$N" ] || die "$label: lnw_tc_ingress ran ${tc_runs:-0} times, want >= $N"
}

case $N in "" | *[!0-9]*) die "N must be a number, not '$N'" ;; esac
[ "$(id -u)" = 0 ] || die "needs root (namespaces, BPF)"
for f in "$LNW" "$PKTGEN"; do [ -x "$f" ] || die "build $f first"; done
topo_basic || die "cannot build namespaces"
# A new netns may inherit route_localnet from the root one: off, explicitly.
for dev in all eth0; do rl "$NODE" "$dev" 0 || die "cannot clear route_localnet"; done

# -d: a bound on the run should this script be killed without its trap.
ip netns exec "$NODE" "$LNW" -d 300 --ready-file "$TMPD/ready" >/dev/null 2>"$TMPD/lnw.err" &
LNW_PID=$!
PIDS+=("$LNW_PID")
for _ in $(seq 100); do
	[ -f "$TMPD/ready" ] && break
	kill -0 "$LNW_PID" 2>/dev/null || break
	sleep 0.05
done
[ -f "$TMPD/ready" ] || die "lnwatch did not become ready: $(tail -3 "$TMPD/lnw.err")"
[ "$(prog_stats | wc -l)" = 3 ] || die "lnwatch does not hold: $PROGS"

STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled) || die "cannot read kernel.bpf_stats_enabled"
sysctl -qw kernel.bpf_stats_enabled=1 || die "cannot enable kernel.bpf_stats_enabled"

echo "tp_cost: $N frames per phase, kernel $(uname -r), $(nproc) cpus"
printf '%-9s %-15s %9s %12s %8s\n' phase program runs run_time_ns ns/run
measure martian ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" "$PEER_IP" 127.0.0.1 40000 5000 "$N"
measure ordinary ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" "$PEER_IP" "$NODE_IP" 40000 5001 "$N"

kill -INT "$LNW_PID"
wait "$LNW_PID" || die "lnwatch exited $?: $(tail -3 "$TMPD/lnw.err")"

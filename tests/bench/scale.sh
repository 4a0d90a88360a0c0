#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# scale.sh: lnwatch with thousands of interfaces (issue 13), in `make
# bench`: start-up (exec -> ready file) and stop (SIGINT -> process gone,
# nothing attached), the loader's peak RSS and its fds, with the default
# --attach auto (over 64 interfaces: clsact filters in netlink batches)
# and with --attach tcx (one RCU grace period a device each way in the
# kernel: see README, running in production). Rows in bench.sh's table
# style on stdout; the same rows as JSON in $OUT/bench_scale.json.
#
# usage: scale.sh [-n IFACES] [-r ROUNDS] [-R TCX_ROUNDS] [-o JSON]
#   -n  interfaces (veths, both ends in the bench namespace; default 4000)
#   -r  rounds with --attach auto (default 3)
#   -R  rounds with --attach tcx (default 1; ~12 ms a device each way)
#   -o  results (default $OUT/bench_scale.json)
# One namespace of its own (lnwb-scale-PID), removed on any exit.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "${OUT:-$HERE/../../build}" && pwd)
LNW=$OUT/lnwatch
# shellcheck source=../e2e/lib.sh
. "$HERE/../e2e/lib.sh"
lnw_bench_names "lnwb-scale$$" 10.215.0
NS="lnwb-scale-$$"
N=4000 ROUNDS=3 TCX_ROUNDS=1 JSON=$OUT/bench_scale.json
while getopts n:r:R:o:h o; do
	case $o in
	n) N=$OPTARG ;; r) ROUNDS=$OPTARG ;; R) TCX_ROUNDS=$OPTARG ;; o) JSON=$OPTARG ;;
	*) sed -n '3,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
	esac
done
die() { echo "scale.sh: $*" >&2; exit 1; }
us() { echo $(( $(date +%s%N) / 1000 )); }
[ -x "$LNW" ] || die "no $LNW (make bench-build)"

netns_add "$NS" || die "cannot create namespace $NS"
t0=$(us)
for i in $(seq $((N / 2))); do
	echo "link add a$i type veth peer name b$i"
	echo "link set a$i up"
	echo "link set b$i up"
done | ip -n "$NS" -batch - || die "cannot create $N veths"
echo "scale.sh: $N interfaces made in $(( ($(us) - t0) / 1000 )) ms; $(uptime)" >&2

# What of programs PROGS is attached in the bench namespace (lib.sh).
attached() { lnw_attached_in "$NS" "$1"; }

# one_round MODE: start, hold 1 s, stop; a JSON record on stdout.
one_round() {
	local mode=$1 t0 ready_us hwm fds stop_us left progs args=()
	args=(--attach "$mode")
	rm -f "$TMPD/ready"
	t0=$(us)
	"$LNW" --netns "$NS" --ready-file "$TMPD/ready" "${args[@]}" >/dev/null \
		2>"$TMPD/lnw.err" &
	LPID=$!
	PIDS+=("$LPID")
	while [ ! -e "$TMPD/ready" ] && kill -0 "$LPID" 2>/dev/null; do sleep 0.002; done
	[ -e "$TMPD/ready" ] || die "lnwatch ($mode) did not become ready: $(tail -3 "$TMPD/lnw.err")"
	ready_us=$(( $(stat -c %.6Y "$TMPD/ready" | tr -d .) - t0 ))
	progs=$(sed -n 's/^prog_id:\s*//p' /proc/"$LPID"/fdinfo/* 2>/dev/null | sort -un | paste -sd' ')
	sleep 1
	hwm=$(awk '/^VmHWM/ { print $2 }' /proc/"$LPID"/status)
	fds=$(ls /proc/"$LPID"/fd | wc -l)
	t0=$(us)
	kill -INT "$LPID"
	wait "$LPID"
	stop_us=$(( $(us) - t0 ))
	left=$(attached "$progs")
	jq -nc --arg mode "$mode" --argjson ready "$ready_us" --argjson stop "$stop_us" \
		--argjson hwm "$hwm" --argjson fds "$fds" --argjson left "$left" \
		--argjson n "$N" --argjson unwatched "$(grep -c 'not watched' "$TMPD/lnw.err")" \
		'{mode:$mode, n:$n, ready_us:$ready, stop_us:$stop, hwm_kib:$hwm, fds:$fds,
		  left:$left, unwatched:$unwatched}'
}

: >"$TMPD/rec.jsonl"
for r in $(seq "$((ROUNDS > TCX_ROUNDS ? ROUNDS : TCX_ROUNDS))"); do
	[ "$r" -le "$ROUNDS" ] && one_round auto >>"$TMPD/rec.jsonl"
	[ "$r" -le "$TCX_ROUNDS" ] && one_round tcx >>"$TMPD/rec.jsonl"
done

# Rows as report.py's Table makes them: section S.
jq -s --argjson n "$N" '
	def med: sort | if length == 0 then null else .[(length - 1) / 2 | floor] end;
	def row($fig; $vals; $target; $ok; $detail):
		{section: "S", figure: $fig, rounds: ($vals | length), values: $vals,
		 min: ($vals | min), median: ($vals | med), target: $target,
		 met: $ok, detail: $detail};
	[ ("auto", "tcx") as $m | map(select(.mode == $m)) | select(length > 0) |
	  (map(.ready_us / 1e6)) as $start | (map(.stop_us / 1e6)) as $stop |
	  # targets for the default; --attach tcx is shown for its cost
	  (if $m == "auto" then "<= 1" else "" end) as $t |
	  row("start to ready file, \($n) veths, \($m) (s)"; $start; $t;
	      (if $t == "" then null else ($start | med) <= 1 end);
	      "unwatched \(map(.unwatched) | max)"),
	  row("stop to process gone, \($n) veths, \($m) (s)"; $stop; $t;
	      (if $t == "" then null else ($stop | med) <= 1 end);
	      "left attached \(map(.left) | max)"),
	  row("loader peak RSS (VmHWM), \($m) (MiB)"; map(.hwm_kib / 1024); "<= 16";
	      (map(.hwm_kib) | max) <= 16384; ""),
	  row("fds held while watching, \($m)"; map(.fds); ""; null;
	      "\(map(.fds) | max) for \($n) interfaces") ]
	| {rows: ., records: $recs}' --slurpfile recs "$TMPD/rec.jsonl" \
	"$TMPD/rec.jsonl" >"$JSON" || die "cannot write $JSON"
jq -r '.rows[] | [.section, .figure, (.min | tostring), (.median | tostring),
	.target, ({"true": "yes", "false": "NO", "null": ""}[.met | tostring]), .detail] |
	@tsv' "$JSON" | awk -F'\t' '
	BEGIN { printf "%-3s %-52s %9s %9s %-10s %-4s %s\n", "#", "figure", "min",
		"median", "target", "met", "detail" }
	function num(v) { return v == int(v) ? sprintf("%d", v) : sprintf("%.2f", v) }
	{ printf "%-3s %-52s %9s %9s %-10s %-4s %s\n", $1, substr($2, 1, 52), num($3), num($4),
		$5, $6, $7 }'
echo "scale.sh: rows in $JSON" >&2

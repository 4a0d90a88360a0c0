# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Shared by the end-to-end tests: namespaces the test owns, lnwatch runs,
# assertions. Nothing here touches the root namespace's sysctls, routes,
# firewall or interfaces; everything made is removed on any exit (trap).
#
# Output protocol: TAP, one line per check, numbered per test file, the
# plan last (on any exit), so `prove --exec bash tests/e2e/test_X.sh` reads
# a file and tests/run-all.sh counts it:
#   ok N - NAME | not ok N - NAME: WHY | ok N - NAME # SKIP WHY | 1..N
# (a WHY of several lines: its first on the line, the rest as "# " lines)
#
# Names: everything a test makes carries this run's tag, LNW_RUN_TAG
# (tests/run-all.sh exports one per run; a file run alone makes its own):
# namespaces lnwt-TAG-PID-*, the temp dir /tmp/lnwt.TAG.*, and every
# process started from here inherits LNW_RUN_TAG in its environment. The
# suite's leftover check looks for exactly these, never at other runs'.

set -u

# ---- this run, and what is ours ---------------------------------------------
# tests/run-all.sh sources only this part (LNW_SCOPE_ONLY=1) for its
# leftover check: one definition of "ours" for the suite and the tests.
if [ -z "${LNW_RUN_TAG:-}" ]; then
	LNW_RUN_TAG=r$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
fi
export LNW_RUN_TAG

# lnw_prog_ids: every lnw_ program loaded now, anyone's: ids, one a line.
lnw_prog_ids() {
	bpftool -j prog show 2>/dev/null |
		jq -r '.[]? | select((.name // "") | startswith("lnw_")) | .id'
}

# run_pids: processes of this run, one pid a line: LNW_RUN_TAG=ours in
# their environment (inherited from run-all.sh or lib.sh), or the tag in
# their command line (a path in our temp dir, one of our namespaces).
run_pids() {
	{
		grep -lsxz "LNW_RUN_TAG=$LNW_RUN_TAG" /proc/[0-9]*/environ
		grep -lsaF -- "$LNW_RUN_TAG" /proc/[0-9]*/cmdline
	} | awk -F/ '{ print $3 }' | sort -un
}

# lnw_our_progs [BASE]: this run's lnw_ programs, one id a line: those a
# process of this run holds (an fd to the program or to a link of it, in
# /proc/PID/fdinfo: this bpftool cannot say who holds what), and those
# nobody holds that were not loaded at BASE (ids; default LNW_BASE_PROGS,
# taken when lib.sh was sourced): leaked, pinned, or held by a tc filter.
# A program only other processes hold is theirs: another lnwatch's.
lnw_our_progs() {
	local base=" ${1-${LNW_BASE_PROGS:-}} " ids tagged
	ids=$(lnw_prog_ids | tr '\n' ' ')
	[ -n "${ids// /}" ] || return 0
	tagged=$(run_pids | tr '\n' ' ')
	grep -rs '^prog_id:' /proc/[0-9]*/fdinfo |
	sed -nE 's#^/proc/([0-9]+)/fdinfo/[0-9]+:prog_id:[[:space:]]*([0-9]+)$#\1 \2#p' |
	awk -v ids="$ids" -v base="$base" -v tagged=" $tagged " '
		{ held[$2] = 1; if (index(tagged, " " $1 " ")) ours[$2] = 1 }
		END {
			n = split(ids, a, " ")
			for (i = 1; i <= n; i++)
				if ((a[i] in ours) || (!(a[i] in held) && !index(base, " " a[i] " ")))
					print a[i]
		}'
}

# run_netns: this run's namespaces (lnwt-TAG-*), one a line.
run_netns() {
	ip netns list 2>/dev/null | awk -v p="lnwt-$LNW_RUN_TAG-" 'index($1, p) == 1 { print $1 }'
}

# run_dirs: this run's temp dirs (/tmp/lnwt.TAG.*), one a line.
run_dirs() {
	local d
	for d in /tmp/lnwt."$LNW_RUN_TAG".*; do
		[ -e "$d" ] && echo "$d"
	done
}

# run_leftover_pids: processes of this run, other than the caller (a
# shell: $$), its ancestors and its descendants (its own pipelines); what a
# finished test file left running.
run_leftover_pids() {
	local f l p r up
	local -A ppid=()
	for f in /proc/[0-9]*/stat; do
		{ read -r l <"$f"; } 2>/dev/null || continue
		p=${l%% *}
		r=${l##*) }
		r=${r#* }
		ppid[$p]=${r%% *}
	done
	for p in $(run_pids); do
		[ -n "${ppid[$p]:-}" ] || continue # gone already
		# an ancestor of ours?
		up=$$
		while [ -n "$up" ] && [ "$up" != 0 ] && [ "$up" != "$p" ]; do
			up=${ppid[$up]:-}
		done
		[ "$up" = "$p" ] && continue
		# a descendant of ours?
		up=$p
		while [ -n "$up" ] && [ "$up" != 0 ] && [ "$up" != $$ ]; do
			up=${ppid[$up]:-}
		done
		[ "$up" = $$ ] && continue
		echo "$p"
	done
}

[ -n "${LNW_SCOPE_ONLY:-}" ] && return 0

# ---- the test file ------------------------------------------------------------
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${OUT:-$E2E_DIR/../../build}
OUT=$(cd "$OUT" && pwd)
LNW=${LNW:-$OUT/lnwatch-san}
PKTGEN=$OUT/pktgen
NETPY="python3 $E2E_DIR/net.py"
# ASan: a leak or error fails the run with this exit code.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=87}

# The lnw_ programs already loaded (another lnwatch's): not this file's.
LNW_BASE_PROGS=$(lnw_prog_ids | tr '\n' ' ')
TAG="lnwt-$LNW_RUN_TAG-$$" # every namespace name starts with it
NODE="$TAG-node"      # where lnwatch runs and route_localnet is toggled
PEER="$TAG-peer"      # the neighbour on the same L2 segment
NODE_IP=10.99.0.1
PEER_IP=10.99.0.2
TMPD=$(mktemp -d "/tmp/lnwt.$LNW_RUN_TAG.XXXXXX")
NAMESPACES=()
PIDS=()
FAILS=0
# lnw_bench_names TAG NET: a bench script's names instead (tests/bench):
# the e2e suite's leftover check looks for lnwt*, the bench's are lnwb*;
# NODE NET.1, PEER NET.2.
lnw_bench_names() {
	rmdir "$TMPD"
	TMPD=$(mktemp -d /tmp/lnwb.XXXXXX)
	TAG=$1
	NODE="$TAG-node"
	PEER="$TAG-peer"
	NODE_IP=$2.1
	PEER_IP=$2.2
}
TAP_N=0 # checks reported: the plan

cleanup() {
	local p ns running
	# only those still running as our jobs: a pid that ended is free for
	# the kernel to give to someone else's process
	running=" $(jobs -p | tr '\n' ' ') "
	for p in "${PIDS[@]}"; do
		[[ $running == *" $p "* ]] && kill -KILL "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	for ns in "${NAMESPACES[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$TMPD"
}
# The plan goes last, after the cleanup, whatever ended the file; a
# test's own test_cleanup, if it defines one, runs first. No result line,
# no plan: a test file that checked nothing fails the suite (and a script
# that only borrows lib.sh, as the bench's usage, prints no TAP).
lib_exit() {
	local rc=$?
	if declare -F test_cleanup >/dev/null; then test_cleanup; fi
	cleanup
	[ "$TAP_N" -eq 0 ] || echo "1..$TAP_N"
	exit $rc
}
trap lib_exit EXIT
trap 'exit 130' INT TERM

# tap_text TEXT: in TAP_T, on one line, '#' escaped (it would start a
# TAP directive).
tap_text() {
	TAP_T=${1//[$'\n\r']/ }
	TAP_T=${TAP_T//\#/\\#}
}
tap() { # STATUS TEXT: one numbered result line
	TAP_N=$((TAP_N + 1))
	printf '%s %d - %s\n' "$1" "$TAP_N" "$2"
}
ok() { tap_text "$1"; tap ok "$TAP_T"; }
fail() { # NAME WHY: WHY's first line on the result line, the rest after
	local name why=${2%%$'\n'*}
	tap_text "$1"; name=$TAP_T
	tap_text "$why"
	FAILS=$((FAILS + 1))
	tap "not ok" "$name: $TAP_T"
	[ "$why" = "$2" ] || printf '%s\n' "${2#*$'\n'}" | sed 's/^/#   /'
}
skip() { # NAME WHY
	local name
	tap_text "$1"; name=$TAP_T
	tap_text "$2"
	tap ok "$name # SKIP $TAP_T"
}

# check NAME ACTUAL EXPECTED
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

# check_ge NAME ACTUAL MIN
check_ge() {
	if [ "$2" -ge "$3" ] 2>/dev/null; then ok "$1"; else fail "$1" "got '$2', want >= $3"; fi
}

netns_add() {
	ip netns add "$1" || return 1
	NAMESPACES+=("$1")
	ip -n "$1" link set lo up
}

# veth_pair NS_A IF_A NS_B IF_B: made inside NS_A, never in the root ns.
veth_pair() {
	ip -n "$1" link add "$2" type veth peer name "$4" netns "$3" &&
	ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# The standard topology: node <-veth-> peer, 10.99.0.1 / 10.99.0.2.
topo_basic() {
	netns_add "$NODE" && netns_add "$PEER" &&
	veth_pair "$NODE" eth0 "$PEER" eth0 &&
	ip -n "$NODE" addr add $NODE_IP/24 dev eth0 &&
	ip -n "$PEER" addr add $PEER_IP/24 dev eth0 || return 1
	NODE_MAC=$(ip -n "$NODE" -j link show eth0 | jq -r '.[0].address')
}

mac_of() { ip -n "$1" -j link show "$2" | jq -r '.[0].address'; }

# topo_other: topo_basic and a third namespace OTHER, its eth0 to the
# peer's eth1 (another namespace's traffic); OTHER_MAC, OTHER_INO.
topo_other() {
	topo_basic || return 1
	OTHER="$TAG-other"
	netns_add "$OTHER" && veth_pair "$OTHER" eth0 "$PEER" eth1 || return 1
	OTHER_MAC=$(mac_of "$OTHER" eth0)
	OTHER_INO=$(netns_inode "$OTHER")
}

# rl NS IFACE VALUE: route_localnet inside a test namespace only.
rl() { ip netns exec "$1" sysctl -qw "net.ipv4.conf.$2.route_localnet=$3"; }

netns_inode() { stat -L -c %i "/run/netns/$1"; }

# bg NS CMD...: run in the background inside NS; remembered for cleanup.
bg() {
	local ns=$1; shift
	ip netns exec "$ns" "$@" &
	PIDS+=($!)
	BG_PID=$!
}

# lnw_start NS ARGS...: lnwatch -j in NS; waits for its ready file.
lnw_start() {
	local ns=$1 i; shift
	LNW_OUT=$TMPD/lnw.$RANDOM.json
	LNW_ERR=$LNW_OUT.err
	rm -f "$TMPD/ready"
	ip netns exec "$ns" "$LNW" -j --ready-file "$TMPD/ready" "$@" \
		>"$LNW_OUT" 2>"$LNW_ERR" &
	LNW_PID=$!
	PIDS+=("$LNW_PID")
	for i in $(seq 100); do
		[ -f "$TMPD/ready" ] && return 0
		kill -0 "$LNW_PID" 2>/dev/null || break
		sleep 0.05
	done
	echo "# lnwatch did not become ready: $(tail -3 "$LNW_ERR")"
	return 1
}

# lnw_wait_hooks true|false: until lnwatch's last route-hooks record says
# so (it reads route_localnet every 0.1 s); 1 after 3 s.
lnw_wait_hooks() {
	local i
	for i in $(seq 60); do
		[ "$(jq -r 'select(.type=="route-hooks") | .attached' "$LNW_OUT" 2>/dev/null |
		     tail -1)" = "$1" ] && return 0
		sleep 0.05
	done
	echo "# no route-hooks record with attached=$1 after 3 s"
	return 1
}

# lnw_stop: SIGINT, wait, exit code in LNW_RC; output in LNW_OUT.
lnw_stop() {
	sleep 0.3 # one drain tick after the last packet's verdict
	kill -INT "$LNW_PID" 2>/dev/null
	wait "$LNW_PID"
	LNW_RC=$?
	if [ -s "$LNW_ERR" ]; then sed 's/^/# stderr: /' "$LNW_ERR" | head -20; fi
}

# Count events matching a jq filter, e.g. ev '.verdict=="accept"'.
ev() { jq -c "select(.type==\"event\") | select($1)" "$LNW_OUT" | wc -l; }
# Sum summary counters matching a jq filter.
cnt() { jq "select(.type==\"summary\") | [.counters[] | select($1) | .packets] | add // 0" "$LNW_OUT"; }
# A jq expression on the summary object.
summ() { jq -r "select(.type==\"summary\") | $1" "$LNW_OUT"; }
# The distinct values of a jq expression over events, joined by ','.
evvals() { jq -r "select(.type==\"event\") | $1" "$LNW_OUT" | sort -u | paste -sd, -; }

# The kernel's in_martian_dst (/proc/net/stat/rt_cache, column 7, hex per
# CPU), read in $NODE; host-wide: a delta >= N is right.
martian_dst() {
	local sum=0 cols
	while read -r -a cols; do
		[ "${cols[0]}" = entries ] || sum=$((sum + 16#${cols[6]}))
	done < <(ip netns exec "$NODE" cat /proc/net/stat/rt_cache)
	echo $sum
}

# Links (tracepoints; tcx is type 11 for bpftool 7.1) of this run's lnw_
# programs (lnw_our_progs: another lnwatch's are not counted).
lnw_links() { # [TYPE]
	local ids
	ids=$(lnw_our_progs | jq -sc .)
	bpftool -j link show | jq --argjson ids "$ids" --arg t "${1:-}" \
		'[.[] | select(.prog_id as $p | $ids | index($p)) | select($t == "" or (.type|tostring) == $t)] | length'
}

# What of programs PROGS (ids, space-separated) is attached in namespace
# NS: their tcx links (bpftool 7.1 predates tcx: type 11, no ifindex)
# and the namespace's clsact qdiscs. The bench's scale and soak runs.
lnw_attached_in() { # NS PROGS
	local tcx tc
	tcx=$(bpftool -j link show 2>/dev/null | jq --arg ids " $2 " \
		'[.[] | select((.type == 11 or .type == "tcx") and
		  (.prog_id as $p | $ids | contains(" \($p) ")))] | length')
	tc=$(ip netns exec "$1" tc qdisc show | grep -c clsact)
	echo $(( ${tcx:-0} + tc ))
}

# Tracepoint links of this run's lnw_ programs on the tracepoint TP
# (bpftool's tp_name).
lnw_tp_links() { # TP
	local ids
	ids=$(lnw_our_progs | jq -sc .)
	bpftool -j link show | jq --argjson ids "$ids" --arg tp "$1" \
		'[.[] | select(.prog_id as $p | $ids | index($p)) | select(.tp_name == $tp)] | length'
}

# How many lnw_ programs this run has loaded (lnw_our_progs).
lnw_progs() { lnw_our_progs | wc -l; }
# Every line lnwatch printed must be JSON; the run must end cleanly.
check_run() {
	local name=$1
	if jq -e . "$LNW_OUT" >/dev/null 2>&1; then ok "$name: output is JSON"; \
	else fail "$name: output is JSON" "$(head -3 "$LNW_OUT")"; fi
	check "$name: exit code" "$LNW_RC" 0
	check "$name: lost events" "$(summ .lost_events)" 0
	# every martian dropped here crossed lnwatch's tc program first
	check "$name: no martian unseen by tc" "$(summ .tc_missed)" 0
}

e2e_done() {
	[ "$FAILS" -eq 0 ]
}

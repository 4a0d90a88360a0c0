# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Shared by the end-to-end tests: namespaces the test owns, lnwatch runs,
# assertions. Nothing here touches the root namespace's sysctls, routes,
# firewall or interfaces; everything made is removed on any exit (trap).
#
# Output protocol, counted by tests/run-all.sh: one line per check,
#   ok - NAME | FAIL - NAME: WHY | SKIP - NAME: WHY

set -u
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${OUT:-$E2E_DIR/../../build}
OUT=$(cd "$OUT" && pwd)
LNW=${LNW:-$OUT/lnwatch-san}
PKTGEN=$OUT/pktgen
NETPY="python3 $E2E_DIR/net.py"
# ASan: a leak or error fails the run with this exit code.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=87}

TAG="lnwt$$"          # every namespace name starts with lnwt<pid>
NODE="$TAG-node"      # where lnwatch runs and route_localnet is toggled
PEER="$TAG-peer"      # the neighbour on the same L2 segment
NODE_IP=10.99.0.1
PEER_IP=10.99.0.2
TMPD=$(mktemp -d /tmp/lnwt.XXXXXX)
NAMESPACES=()
PIDS=()
FAILS=0

cleanup() {
	local p ns
	for p in "${PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
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
trap cleanup EXIT
trap 'exit 130' INT TERM

ok()   { echo "ok - $1"; }
fail() { echo "FAIL - $1: $2"; FAILS=$((FAILS + 1)); }
skip() { echo "SKIP - $1: $2"; }

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

# Links (tracepoints; tcx is type 11 for bpftool 7.1) of lnw_ programs.
lnw_links() { # [TYPE]
	local ids
	ids=$(bpftool -j prog show | jq -c '[.[] | select(.name|startswith("lnw_")) | .id]')
	bpftool -j link show | jq --argjson ids "$ids" --arg t "${1:-}" \
		'[.[] | select(.prog_id as $p | $ids | index($p)) | select($t == "" or (.type|tostring) == $t)] | length'
}

# Tracepoint links of lnw_ programs on the tracepoint TP (bpftool's tp_name).
lnw_tp_links() { # TP
	local ids
	ids=$(bpftool -j prog show | jq -c '[.[] | select(.name|startswith("lnw_")) | .id]')
	bpftool -j link show | jq --argjson ids "$ids" --arg tp "$1" \
		'[.[] | select(.prog_id as $p | $ids | index($p)) | select(.tp_name == $tp)] | length'
}

# Every line lnwatch printed must be JSON; the run must end cleanly.
check_run() {
	local name=$1
	if jq -e . "$LNW_OUT" >/dev/null 2>&1; then ok "$name: output is JSON"; \
	else fail "$name: output is JSON" "$(head -3 "$LNW_OUT")"; fi
	check "$name: exit code" "$LNW_RC" 0
	check "$name: lost events" "$(summ .lost_events)" 0
}

e2e_done() {
	[ "$FAILS" -eq 0 ]
}

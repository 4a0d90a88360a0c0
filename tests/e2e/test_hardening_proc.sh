#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The process around the watch (issue 13): every catchable terminating
# signal ends the run with its cleanup (on the clsact path, where nothing
# else would remove the filter); output errors exit 1 with a message, a
# reader that went away ends the run quietly, even without traffic; fds
# 0-2 closed at start are /dev/null; the fd soft limit is raised.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
NX="ip netns exec $NODE"
ours() { tc -n "$NODE" filter show dev eth0 ingress | grep -c 'name lnw_tc_ingress'; }
qdiscs() { tc -n "$NODE" qdisc show dev eth0 | grep -c clsact; }

# Signals: a summary, exit 0, the filter and the qdisc it made gone.
for sig in QUIT USR1 USR2 ALRM VTALRM PROF XCPU IO PWR RTMIN+3; do
	lnw_start "$NODE" --fallback clsact || { fail "SIG$sig" "lnwatch did not start"; continue; }
	kill -s "$sig" "$LNW_PID"
	for i in $(seq 60); do kill -0 "$LNW_PID" 2>/dev/null || break; sleep 0.05; done
	kill -0 "$LNW_PID" 2>/dev/null && kill -KILL "$LNW_PID" # ignored it: a failure below
	wait "$LNW_PID"; rc=$?
	check "SIG$sig: exit code" "$rc" 0
	check "SIG$sig: summary printed, filter and qdisc removed" \
		"$(jq -c 'select(.type=="summary")' "$LNW_OUT" | wc -l) $(ours) $(qdiscs)" "1 0 0"
	tc -n "$NODE" qdisc del dev eth0 clsact 2>/dev/null
done

# Output errors: a message, exit 1.
for args in "-d 0.3" "-j -d 0.3" "--help"; do
	$NX "$LNW" $args >/dev/full 2>"$TMPD/full.err"; rc=$?
	check "'lnwatch $args >/dev/full': exit code" "$rc" 1
	check "'lnwatch $args >/dev/full': says so on stderr" \
		"$(grep -c 'cannot write to standard output: No space left on device' "$TMPD/full.err")" 1
done

# EPIPE: `lnwatch | head -1` ends, quietly, without any traffic.
start=$(date +%s%N)
timeout 10 $NX "$LNW" 2>"$TMPD/pipe.err" | head -1 >/dev/null
rc=${PIPESTATUS[0]}
took=$(( ($(date +%s%N) - start) / 1000000 ))
check "lnwatch | head -1: exit code" "$rc" 0
check "lnwatch | head -1: quiet" "$(grep -v 'route_localnet off' "$TMPD/pipe.err")" ""
if [ "$took" -lt 5000 ]; then ok "lnwatch | head -1: ends without traffic (${took} ms)"
else fail "lnwatch | head -1: ends without traffic" "${took} ms"; fi

# fds 0-2 closed at start: /dev/null, never an rtnetlink or BPF fd; and
# the fd soft limit raised to the hard one.
rm -f "$TMPD/ready"
(ulimit -S -n 200; exec $NX "$LNW" -j --ready-file "$TMPD/ready" <&- >&- 2>"$TMPD/closed.err") &
pid=$!
PIDS+=("$pid")
for i in $(seq 100); do [ -f "$TMPD/ready" ] && break; sleep 0.05; done
# the null device (1,3), whatever path its mount namespace shows
check "fd 0 closed at start: /dev/null" "$(stat -L -c %t,%T "/proc/$pid/fd/0")" 1,3
check "fd 1 closed at start: /dev/null" "$(stat -L -c %t,%T "/proc/$pid/fd/1")" 1,3
check "fd soft limit raised to the hard one" \
	"$(awk '/Max open files/ { print ($4 == $5) }' "/proc/$pid/limits")" 1
kill -INT "$pid"; wait "$pid"; rc=$?
check "fds closed at start: exit code" "$rc" 0
check "fds closed at start: no error" "$(cat "$TMPD/closed.err")" ""

e2e_done

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# What the output says (issue 11, item 7): the flag already on at the
# start, another namespace's devices, the exposure's fix, filters that
# matched nothing, -I totals, elapsed_s.
. "$(dirname "$0")/lib.sh"

topo_other || { fail "topology" "cannot build namespaces"; exit 1; }
send() { # IFACE MAC DPORT COUNT
	ip netns exec "$PEER" "$PKTGEN" "$1" "$2" $PEER_IP 127.0.0.1 40000 "$3" "$4"
}
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/udp"
for i in $(seq 100); do [ -f "$TMPD/udp" ] && break; sleep 0.05; done

# human NS OUT ARGS...: lnwatch for a person in NS, stdout in OUT, stderr
# in OUT.err; ready when it returns. human_stop ends it.
human() {
	local ns=$1 out=$2 i; shift 2
	rm -f "$TMPD/ready"
	ip netns exec "$ns" "$LNW" --ready-file "$TMPD/ready" "$@" >"$out" 2>"$out.err" &
	HPID=$!
	PIDS+=("$HPID")
	for i in $(seq 100); do [ -f "$TMPD/ready" ] && return 0; sleep 0.05; done
	return 1
}
human_stop() {
	sleep 0.3
	kill -INT "$HPID" 2>/dev/null
	wait "$HPID"
	HRC=$?
}
cols() { awk 'length > 79' "$@" | wc -l; }

# The flag already on at the start: a line on stderr, a record in JSON;
# the exposure's fix names only `all`, the one knob that was on.
rl "$NODE" all 1
human "$NODE" "$TMPD/on.txt" || fail "flag on at start" "lnwatch did not start"
send eth0 "$NODE_MAC" 5000 1
human_stop
check "flag on at start: exit code" "$HRC" 0
check "flag on at start: said on stderr" \
	"$(grep -c '^lnwatch: route_localnet already on at start: all$' "$TMPD/on.txt.err")" 1
check "exposure fix: only all" \
	"$(grep -c '^    fix: net.ipv4.conf.all.route_localnet=0, or a guard rule$' "$TMPD/on.txt")" 1
check "flag on at start: under 80 columns" "$(cols "$TMPD/on.txt" "$TMPD/on.txt.err")" 0
rl "$NODE" eth0 1
lnw_start "$NODE" || fail "flag on at start, JSON" "lnwatch did not start"
lnw_stop
check_run "flag on at start, JSON"
check "flag on at start: JSON record" \
	"$(jq -c 'select(.type=="route-localnet") | .on' "$LNW_OUT")" '["all","eth0"]'
rl "$NODE" all 0
rl "$NODE" eth0 0
lnw_start "$NODE" || fail "flag off at start, JSON" "lnwatch did not start"
lnw_stop
check "flag off at start: JSON record, empty" \
	"$(jq -c 'select(.type=="route-localnet") | .on' "$LNW_OUT")" '[]'

# --all-netns: another namespace's eth0 is eth0@INODE, the node's is eth0.
human "$NODE" "$TMPD/all.txt" --all-netns || fail "--all-netns" "lnwatch did not start"
send eth0 "$NODE_MAC" 5000 1
send eth1 "$OTHER_MAC" 5000 1
human_stop
check "--all-netns: exit code" "$HRC" 0
check "--all-netns: other's device with its namespace" \
	"$(grep -c " eth0@$OTHER_INO .* martian-dst$" "$TMPD/all.txt")" 1
check "--all-netns: own device unmarked" \
	"$(grep -c '^[0-9:]* eth0 .* martian-dst$' "$TMPD/all.txt")" 1
check "--all-netns: under 80 columns" "$(cols "$TMPD/all.txt")" 0
human "$NODE" "$TMPD/allw.txt" --all-netns -w || fail "--all-netns -w" "lnwatch did not start"
send eth1 "$OTHER_MAC" 5000 1
human_stop
check "--all-netns -w: other's device with its namespace" \
	"$(grep -c " eth0@$OTHER_INO  *udp .*martian-dst (IP_LOCALNET" "$TMPD/allw.txt")" 1

# A filter that matched nothing says so; -I tables are totals.
human "$NODE" "$TMPD/filt.txt" -p 6000 -I 0.3 || fail "filters" "lnwatch did not start"
send eth0 "$NODE_MAC" 5000 2
sleep 0.5
human_stop
check_ge "filters: nothing matched, said (each table)" \
	"$(grep -c '^(no packet to or from 127.0.0.0/8 matched the filters' "$TMPD/filt.txt")" 1
check "filters: not 'seen'" "$(grep -c 'seen)$' "$TMPD/filt.txt")" 0
check_ge "-I: totals titles" "$(grep -c '^-- totals at [0-9.]* s: ' "$TMPD/filt.txt")" 1
check "-I: no 'interval' title" "$(grep -c '^-- interval' "$TMPD/filt.txt")" 0
lnw_start "$NODE" -I 0.3 || fail "-I JSON" "lnwatch did not start"
sleep 0.5
lnw_stop
check_run "-I JSON"
check "-I JSON: intervals cumulative" \
	"$(jq -r 'select(.type=="interval") | .cumulative' "$LNW_OUT" | sort -u)" true
check "elapsed_s: at most 3 decimals" \
	"$(grep -o '"elapsed_s":[0-9.]*' "$LNW_OUT" | grep -vc '^"elapsed_s":[0-9]*\.[0-9]\{1,3\}$')" 0

e2e_done

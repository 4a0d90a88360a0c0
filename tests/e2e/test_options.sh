#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Filters (-p, -s, --verdict), --netns, -I, --latency, --overhead, and
# interfaces that come and go while lnwatch watches all of them.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/udp"
for i in $(seq 100); do [ -f "$TMPD/udp" ] && break; sleep 0.05; done
send() { # SRC DPORT COUNT [IFACE MAC]
	ip netns exec "$PEER" "$PKTGEN" "${4:-eth0}" "${5:-$NODE_MAC}" "$1" 127.0.0.1 40000 "$2" "$3"
}
ip -n "$PEER" addr add 10.99.0.3/24 dev eth0
rl "$NODE" eth0 1

# -p, -s, --verdict: counters and events alike.
lnw_start "$NODE" -r 0 -p 5000 -s 10.99.0.2/32 --verdict delivered
send $PEER_IP 5000 3   # selected
send $PEER_IP 5999 2   # other port (dropped: NO_SOCKET)
send 10.99.0.3 5000 4  # other source
lnw_stop
check_run "filters"
check "filters: only the selected verdict" "$(evvals .verdict)" delivered
check "filters: only the selected flow" "$(evvals '"\(.saddr) \(.dport)"')" "$PEER_IP 5000"
check "filters: events" "$(ev true)" 3
check "filters: counters too" "$(summ '[.counters[]|"\(.verdict)=\(.packets)"]|join(",")')" "delivered=3"

# --netns NAME, from the root namespace, without ip netns exec.
rm -f "$TMPD/ready"
"$LNW" -j --netns "$NODE" --ready-file "$TMPD/ready" > "$TMPD/netns.json" 2>&1 &
LNW_PID=$!; PIDS+=($LNW_PID); LNW_OUT=$TMPD/netns.json; LNW_ERR=/dev/null
for i in $(seq 100); do [ -f "$TMPD/ready" ] && break; sleep 0.05; done
send $PEER_IP 5000 2
lnw_stop
check_run "--netns"
check "--netns: the node's namespace" "$(evvals .netns)" "$(netns_inode "$NODE")"
check "--netns: accepted and delivered" "$(ev '.verdict=="accept"') $(ev '.verdict=="delivered"')" "2 2"
expect_missing=$("$LNW" -j --netns "$TAG-nope" 2>/dev/null); rc=$?
check "--netns missing: exit code" $rc 1
check "--netns missing: says so" "$(jq -r .error <<<"$expect_missing" | grep -c 'no network namespace named')" 1

# -I: the counter table every interval, then the summary.
lnw_start "$NODE" -I 0.3
send $PEER_IP 5000 1
sleep 1
lnw_stop
check_run "-I"
check_ge "-I: interval tables" "$(jq -c 'select(.type=="interval")' "$LNW_OUT" | wc -l)" 2
check "-I: the last interval counted the packet" \
	"$(jq -s '[.[]|select(.type=="interval")][-1] | [.counters[]|select(.verdict=="accept")|.packets]|add' "$LNW_OUT")" 1

# --latency: per-event latency and a histogram per verdict.
lnw_start "$NODE" --latency -r 0
send $PEER_IP 5000 5
lnw_stop
check_run "--latency"
check "--latency: every event timed" "$(ev '.latency_ns > 0')" 10
check "--latency: histogram counts = events" \
	"$(summ '[.latency.accept[].count]|add') $(summ '[.latency.delivered[].count]|add')" "5 5"
check "--latency: delivered after accepted" \
	"$(jq -s '[.[]|select(.type=="event")] | (map(select(.verdict=="delivered").latency_ns)|min) >= (map(select(.verdict=="accept").latency_ns)|min)' "$LNW_OUT")" true

# --overhead: the kernel's per-program stats, on for this run only
# (BPF_ENABLE_STATS holds them on through an fd; the sysctl is untouched).
stats_before=$(cat /proc/sys/kernel/bpf_stats_enabled)
lnw_start "$NODE" --overhead
send $PEER_IP 5000 50
lnw_stop
check_run "--overhead"
check "--overhead: stats restored" "$(cat /proc/sys/kernel/bpf_stats_enabled)" "$stats_before"
check_ge "--overhead: tc program ran for each frame" \
	"$(summ '.overhead[]|select(.prog=="lnw_tc_ingress")|.run_cnt')" 50
check "--overhead: every program listed" "$(summ '[.overhead[].prog]|sort|join(",")')" \
	"lnw_fib_lookup,lnw_kfree_skb,lnw_nf,lnw_sk_data_ready,lnw_sysctl,lnw_tc_ingress,lnw_tc_ingress_l3"
# kfree_skb runs only when something drops a packet, sysctl when a flag is
# written, netfilter while a nat chain exists: not here; tc, fib and
# sk_data_ready are
check "--overhead: programs on this path measured" \
	"$(summ '[.overhead[]|select(.prog != "lnw_kfree_skb" and .prog != "lnw_sysctl" and .prog != "lnw_nf" and .ns_per_run > 0)]|length')" 3

# --overhead without CAP_SYS_ADMIN (the rest it needs, as nobody): the
# message names the capability, not the kernel version.
CAPS=+bpf,+perfmon,+net_admin
out=$(ip netns exec "$NODE" setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all,$CAPS --ambient-caps=-all,$CAPS --bounding-set=-all,$CAPS \
	"$LNW" --overhead -d 0.3 2>&1 >/dev/null); rc=$?
check "--overhead without CAP_SYS_ADMIN: exit code" "$rc" 1
check "--overhead without CAP_SYS_ADMIN: names it" "$(grep -c 'needs CAP_SYS_ADMIN' <<<"$out")" 1
check "--overhead without CAP_SYS_ADMIN: does not blame the kernel" "$(grep -c 'Linux >=' <<<"$out")" 0

# Numbers: no blank around them; the range said as it is.
usage() { # NAME PATTERN -- ARGS...
	local name=$1 pat=$2 out rc; shift 3
	# in the test's namespace: if it were accepted, it would run there
	out=$(timeout 10 ip netns exec "$NODE" "$LNW" "$@" 2>&1); rc=$?
	check "$name: exit code" "$rc" 64
	check "$name: says '$pat'" "$(grep -c -- "$pat" <<<"$out")" 1
}
usage "-p ' 80'" "invalid --port ' 80'" -- -p " 80"
usage "-p '80 '" "invalid --port '80 '" -- -p "80 "
usage "-r ' 5'" "invalid --rate ' 5'" -- -r " 5"
usage "-d ' 1'" "invalid duration ' 1'" -- -d " 1"
usage "-I '1 '" "invalid interval '1 '" -- -I "1 "
usage "-s '10.0.0.0/ 8'" "invalid --source '10.0.0.0/ 8'" -- -s "10.0.0.0/ 8"
usage "-d 1e99: the real range" "at most 604800 (a week)" -- -d 1e99
usage "-I 0: the real range" "more than 0 and at most 604800" -- -I 0

# Interfaces that appear are attached to at once; gone ones forgotten;
# 200 of them later, nothing leaked.
lnw_start "$NODE" -r 0
ip -n "$NODE" link add new0 type veth peer name new0 netns "$PEER"
ip -n "$NODE" link set new0 up; ip -n "$PEER" link set new0 up
sleep 0.3
send $PEER_IP 5000 2 new0 "$(mac_of "$NODE" new0)"
fds_before=$(ls /proc/$LNW_PID/fd | wc -l)
for i in $(seq 200); do
	ip -n "$NODE" link add "hp$i" type veth peer name "hq$i"
	ip -n "$NODE" link del "hp$i"
done
sleep 0.5
fds_after=$(ls /proc/$LNW_PID/fd | wc -l)
tcx_now=$(lnw_links 11)
lnw_stop
check_run "hotplug"
check "hotplug: a new interface's martians reported" "$(ev '.ifname=="new0" and .verdict=="accept"')" 0
check "hotplug: new0 seen (flag off there: martian)" "$(ev '.ifname=="new0" and .verdict=="martian-dst"')" 2
check "hotplug: 200 interfaces later, no fd leaked" "$fds_after" "$fds_before"
check "hotplug: only eth0 and new0 still attached" "$tcx_now" 2

e2e_done

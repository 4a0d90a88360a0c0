#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The fib_table_lookup and sk_data_ready hooks fire on every routed packet
# of the host; lnwatch attaches them only while route_localnet is on for a
# watched device (or `all`), and follows the flag as it changes: martians
# are reported throughout, accepts from the moment the flag is on.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/udp"
for i in $(seq 100); do [ -f "$TMPD/udp" ] && break; sleep 0.05; done
send() { ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 "$1"; }
# hooks NAME WANT_FIB WANT_SK: the route hooks' links right now
hooks() {
	check "$1: fib_table_lookup / sk_data_ready / kfree_skb links" \
		"$(lnw_tp_links fib_table_lookup) $(lnw_tp_links sk_data_ready) $(lnw_tp_links kfree_skb)" \
		"$2 $2 1"
}
last_hooks() { jq -r 'select(.type=="route-hooks") | "\(.attached) \(.route_localnet_on)"' "$LNW_OUT" | tail -1; }

rl "$NODE" all 0; rl "$NODE" eth0 0
lnw_start "$NODE" || fail "auto" "lnwatch did not start"
check "flag off: first record says detached" "$(last_hooks)" "false null"
hooks "flag off" 0
send 3
sleep 0.3
check "flag off: martians still reported" "$(ev '.verdict=="martian-dst"')" 3

t0=$(date +%s%N)
rl "$NODE" eth0 1
lnw_wait_hooks true || fail "eth0 on" "hooks not attached"
took=$((($(date +%s%N) - t0) / 1000000))
check "eth0 on: attached, because of eth0" "$(last_hooks)" "true eth0"
check "eth0 on: attached within 500 ms (one 100 ms tick + jq polling)" \
	"$took ms, $((took <= 500))" "$took ms, 1"
hooks "eth0 on" 1
send 4
sleep 0.3
check "eth0 on: accepted" "$(ev '.verdict=="accept"')" 4
check "eth0 on: delivered" "$(ev '.verdict=="delivered"')" 4

rl "$NODE" eth0 0
lnw_wait_hooks false || fail "eth0 off" "hooks not detached"
hooks "eth0 off again" 0
send 2
sleep 0.3
check "eth0 off again: martians" "$(ev '.verdict=="martian-dst"')" 5

rl "$NODE" all 1
lnw_wait_hooks true || fail "all on" "hooks not attached"
check "all on: attached, because of all" "$(last_hooks)" "true all"
rl "$NODE" all 0
lnw_wait_hooks false || fail "all off" "hooks not detached"

# A device that appears with the flag on (a container's veth) counts too.
ip -n "$NODE" link add eth7 type veth peer name eth7 netns "$PEER"
ip -n "$NODE" link set eth7 up
rl "$NODE" eth7 1
lnw_wait_hooks true || fail "new device" "hooks not attached"
check "new device with the flag on: attached, because of it" "$(last_hooks)" "true eth7"
ip -n "$NODE" link del eth7
lnw_wait_hooks false || fail "device gone" "hooks not detached"

# Renaming the device that keeps them attached re-registers its sysctls:
# lnwatch follows the name, without a detach in between.
rl "$NODE" eth0 1
lnw_wait_hooks true || fail "rename" "hooks not attached"
records=$(jq -c 'select(.type=="route-hooks")' "$LNW_OUT" | wc -l)
ip -n "$NODE" link set eth0 down && ip -n "$NODE" link set eth0 name ethR &&
	ip -n "$NODE" link set ethR up
sleep 0.5
check "rename: no detach, no new record" \
	"$(jq -c 'select(.type=="route-hooks")' "$LNW_OUT" | wc -l) $(lnw_tp_links fib_table_lookup)" "$records 1"
ip -n "$NODE" link set ethR down && ip -n "$NODE" link set ethR name eth0 &&
	ip -n "$NODE" link set eth0 up
rl "$NODE" eth0 0
lnw_wait_hooks false || fail "rename back" "hooks not detached"

# Many devices (read 16 per tick) and churn beside them: a flag turned on
# on the last of 40 devices is still found, in a few ticks.
for i in $(seq 20); do ip -n "$NODE" link add "m$i" type veth peer name "n$i"; done
( while :; do ip -n "$NODE" link add churn type veth peer name churn2 2>/dev/null
	sleep 0.03; ip -n "$NODE" link del churn 2>/dev/null; sleep 0.03; done ) &
CHURN=$!
PIDS+=("$CHURN")
sleep 0.3
t0=$(date +%s%N)
rl "$NODE" n20 1
lnw_wait_hooks true || fail "churn" "hooks not attached"
took=$((($(date +%s%N) - t0) / 1000000))
kill "$CHURN"; wait "$CHURN" 2>/dev/null
check "40 devices and churn: attached because of n20" "$(last_hooks)" "true n20"
check "40 devices and churn: within 1500 ms (40/16 ticks)" "$took ms, $((took <= 1500))" "$took ms, 1"
for i in $(seq 20); do ip -n "$NODE" link del "m$i"; done
ip -n "$NODE" link del churn 2>/dev/null
lnw_wait_hooks false || fail "many devices gone" "hooks not detached"
lnw_stop
check_run "auto"
check "auto: summary route hooks" "$(summ '.paths.route_hooks|"\(.mode) \(.attached) \(.switches)"')" \
	"auto false 10"
check "auto: counters seen martian-dst accept delivered" \
	"$(cnt '.verdict=="seen"') $(cnt '.verdict=="martian-dst"') $(cnt '.verdict=="accept"') $(cnt '.verdict=="delivered"')" \
	"9 5 4 4"
check "auto: records in JSON" "$(jq -c 'select(.type=="route-hooks")' "$LNW_OUT" | wc -l)" 11

# Starting with the flag on: attached from the first packet.
rl "$NODE" eth0 1
lnw_start "$NODE" || fail "flag on at start" "lnwatch did not start"
check "flag on at start: first record" "$(last_hooks)" "true eth0"
hooks "flag on at start" 1
send 1
lnw_stop
check "flag on at start: accepted" "$(ev '.verdict=="accept"')" 1
rl "$NODE" eth0 0

# Forced on, and where lnwatch cannot read the flags (other namespaces).
for args in --route-hooks-always --all-netns; do
	lnw_start "$NODE" $args || fail "$args" "lnwatch did not start"
	hooks "$args, flag off" 1
	lnw_stop
	check "$args: summary route hooks" "$(summ '.paths.route_hooks|"\(.mode) \(.attached)"')" \
		"always true"
done

# Verdicts that never need them: never attached, whatever the flag.
rl "$NODE" eth0 1
lnw_start "$NODE" --verdict seen,martian-dst || fail "--verdict" "lnwatch did not start"
hooks "--verdict seen,martian-dst, flag on" 0
lnw_stop
check "--verdict seen,martian-dst: summary route hooks" \
	"$(summ '.paths.route_hooks|"\(.mode) \(.attached)"')" "never false"
rl "$NODE" eth0 0

# A person is told, on stderr, why accepts are not traced yet.
ip netns exec "$NODE" "$LNW" -d 0.3 >"$TMPD/human" 2>"$TMPD/human.err"
check "human: exit code" $? 0
check "human: says accepts wait for the flag" \
	"$(grep -c 'route_localnet off on every watched device: only martians for now' "$TMPD/human.err")" 1
check "human: stderr under 80 columns" "$(awk 'length > 79' "$TMPD/human.err" | wc -l)" 0

e2e_done

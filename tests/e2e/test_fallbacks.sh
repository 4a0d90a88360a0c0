#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Paths for older kernels, forced on this one (--fallback): clsact instead
# of tcx (< 6.6), join by interface and address instead of the sk_buff
# (no bpf_cast_to_kern_ctx, < 6.3), inferred martians (no IP_LOCALNET
# reason, < ~6.13). Each must give the native path's verdicts.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/udp"
for i in $(seq 100); do [ -f "$TMPD/udp" ] && break; sleep 0.05; done
ip netns exec "$NODE" nft -f - <<EOF
table ip lnwtest {
	chain pre {
		type nat hook prerouting priority dstnat;
		iifname "eth0" udp dport 8080 dnat to 127.0.0.1:5000
	}
}
EOF

clsact_count() { tc -n "$NODE" qdisc show dev eth0 | grep -c clsact; }

# path_case FALLBACKS ATTACH JOIN REASON [LOCATIONS]
path_case() {
	local fb=$1 attach=$2 join=$3 reason=$4 loc=${5:-kernel} name="path ${1:-native}" args=() dport=5000
	[ -n "$fb" ] && args=(--fallback "$fb")
	[ "$join" = addr ] && dport=null # no sk_buff: the routed port is unknown
	rl "$NODE" eth0 0
	lnw_start "$NODE" "${args[@]}" || { fail "$name" "lnwatch did not start"; return; }
	ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 4
	rl "$NODE" eth0 1
	lnw_wait_hooks true || fail "$name: route hooks" "not attached after the flag went on"
	local replies
	replies=$(ip netns exec "$PEER" $NETPY udp-client $NODE_IP 8080 3 0.3)
	lnw_stop
	check_run "$name"
	check "$name: paths" "$(summ '.paths|"\(.attach) \(.join) \(.reason)"')" "$attach $join $reason"
	check "$name: martian-dst events" "$(ev '.verdict=="martian-dst" and .daddr=="127.0.0.1"')" 4
	check "$name: martian reason source" "$(evvals 'select(.verdict=="martian-dst") | .reason_source')" "$reason"
	check "$name: martian flags" "$(evvals 'select(.verdict=="martian-dst") | .route_localnet|"\(.all)/\(.dev)/\(.effective)"')" "0/0/0"
	check "$name: martian location, named by the $loc" \
		"$(evvals 'select(.verdict=="martian-dst") | .location | sub("\\+0x[0-9a-f]+$"; "")') $(summ .paths.location)" \
		"ip_rcv_finish_core $loc"
	check "$name: accept events (DNAT)" "$(ev '.verdict=="accept"')" 3
	check "$name: delivered events (DNAT)" "$(ev '.verdict=="delivered"')" 3
	check "$name: accept tuple" \
		"$(evvals 'select(.verdict=="accept") | "\(.orig_daddr):\(.orig_dport)>\(.daddr):\(.dport) \(.join)"')" \
		"$NODE_IP:8080>127.0.0.1:$dport $join"
	check "$name: accept flags" "$(evvals 'select(.verdict=="accept") | .route_localnet|"\(.all)/\(.dev)/\(.effective)"')" "0/1/1"
	check "$name: delivered events" "$(evvals 'select(.verdict=="delivered") | "\(.socket.addr):\(.socket.port) \(.comm)"')" \
		"127.0.0.1:5000 python3"
	check "$name: counters" "$(cnt '.verdict=="martian-dst"') $(cnt '.verdict=="accept"') $(cnt '.verdict=="delivered"') $(cnt '.verdict=="seen"')" "4 3 3 4"
	check "$name: udp replies" "$replies" 3
	check "$name: no qdisc left" "$(clsact_count)" 0
}

path_case "" tcx skb kernel
path_case clsact clsact skb kernel
path_case addr-join tcx addr kernel
path_case infer tcx skb inferred
path_case clsact,addr-join,infer clsact addr inferred
path_case kallsyms tcx skb kernel kallsyms

# A clsact qdisc someone else made stays; only our filter goes.
tc -n "$NODE" qdisc add dev eth0 clsact
lnw_start "$NODE" --fallback clsact || fail "foreign clsact" "lnwatch did not start"
check "foreign clsact: our filter attached" "$(tc -n "$NODE" filter show dev eth0 ingress | grep -c lnw_tc_ingress)" 1
lnw_stop
check "foreign clsact: exit code" "$LNW_RC" 0
check "foreign clsact: qdisc kept" "$(clsact_count)" 1
check "foreign clsact: our filter removed" "$(tc -n "$NODE" filter show dev eth0 ingress | wc -l)" 0
tc -n "$NODE" qdisc del dev eth0 clsact

e2e_done

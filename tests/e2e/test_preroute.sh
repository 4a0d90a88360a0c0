#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Drops between tc ingress and the route decision: the raw PREROUTING guard
# that `lnwatch audit` recommends (and newer Docker installs), a filter
# chain after a DNAT to 127.0.0.1, a mangle rule on a forged 127.x source.
# Each is a `drop` with the kernel's reason and location, never a silent
# `seen`; checked against the rule's own counter and the listener.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/lo5000"
for _ in $(seq 100); do [ -f "$TMPD/lo5000" ] && break; sleep 0.05; done
N=4
nft_node() { ip netns exec "$NODE" nft "$@"; }
# rule_count TABLE CHAIN: packets counted by the chain's counter rule
rule_count() {
	nft_node -j list chain ip "$1" "$2" |
		jq '[.nftables[].rule? // empty | .expr[] | .counter? // empty | .packets] | add // 0'
}
frames() { # DST SRC DPORT
	ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" "$2" "$1" 40000 "$3" $N
}

guard() {
	nft_node flush ruleset
	nft_node -f - <<'NFT'
table ip raw {
	chain pre {
		type filter hook prerouting priority -300;
		iifname != "lo" ip daddr 127.0.0.0/8 counter drop;
		iifname != "lo" ip daddr 10.99.0.1 udp dport 9999 counter drop;
	}
}
NFT
}

# guard_case NAME FLAG [LNWATCH ARGS]
guard_case() {
	local name=$1 flag=$2; shift 2
	guard
	rl "$NODE" eth0 "$flag"
	lnw_start "$NODE" "$@" || { fail "$name" "lnwatch did not start"; return; }
	frames 127.0.0.1 $PEER_IP 5000
	frames $NODE_IP $PEER_IP 9999 # dropped too, but no 127/8 in it
	lnw_stop
	check_run "$name"
	check "$name: the guard dropped them (its counter)" "$(rule_count raw pre)" $((2 * N))
	check "$name: nothing delivered" "$(cat "$TMPD/lo5000")" 0
	check "$name: drop events" "$(ev '.verdict=="drop"')" $N
	check "$name: reason, location, tuple" \
		"$(evvals '"\(.reason) \(.location|sub("\\+0x[0-9a-f]+$";"")) \(.saddr) \(.daddr):\(.dport) nat=\(.nat)"')" \
		"NETFILTER_DROP nft_do_chain $PEER_IP 127.0.0.1:5000 nat=false"
	check "$name: counter drop NETFILTER_DROP" \
		"$(cnt '.verdict=="drop" and .reason=="NETFILTER_DROP"')" $N
	check "$name: nothing else" "$(ev '.verdict!="drop"')" 0
}

guard_case "raw guard, flag on" 1
guard_case "raw guard, flag off" 0
guard_case "raw guard, old-kernel paths" 1 --fallback addr-join,clsact

# A DNAT to 127.0.0.1, then a filter chain on the same hook drops it.
nft_node flush ruleset
nft_node -f - <<'NFT'
table ip nat {
	chain pre {
		type nat hook prerouting priority -100;
		ip daddr 10.99.0.1 udp dport 8080 dnat to 127.0.0.1:5000;
	}
}
table ip late {
	chain pre {
		type filter hook prerouting priority 0;
		ip daddr 127.0.0.0/8 counter drop;
	}
}
NFT
rl "$NODE" eth0 1
lnw_start "$NODE" || fail "DNAT then drop" "lnwatch did not start"
frames $NODE_IP $PEER_IP 8080
lnw_stop
check_run "DNAT then drop"
check "DNAT then drop: the late chain dropped them" "$(rule_count late pre)" $N
check "DNAT then drop: nothing delivered" "$(cat "$TMPD/lo5000")" 0
check "DNAT then drop: drop events, original and routed" \
	"$(evvals 'select(.verdict=="drop") | "\(.reason) \(.orig_daddr):\(.orig_dport)>\(.daddr):\(.dport) nat=\(.nat)"')" \
	"NETFILTER_DROP $NODE_IP:8080>127.0.0.1:5000 nat=true"
check "DNAT then drop: one per packet" "$(ev '.verdict=="drop"')" $N

# A forged 127.x source dropped in mangle PREROUTING.
nft_node flush ruleset
nft_node -f - <<'NFT'
table ip mangle {
	chain pre {
		type filter hook prerouting priority -150;
		ip saddr 127.0.0.0/8 counter drop;
	}
}
NFT
lnw_start "$NODE" || fail "forged source" "lnwatch did not start"
frames $NODE_IP 127.0.0.9 5001
lnw_stop
check_run "forged source"
check "forged source: mangle dropped them" "$(rule_count mangle pre)" $N
check "forged source: drop events" \
	"$(evvals 'select(.verdict=="drop") | "\(.reason) \(.saddr) \(.daddr):\(.dport)"')" \
	"NETFILTER_DROP 127.0.0.9 $NODE_IP:5001"
check "forged source: counted" "$(cnt '.verdict=="drop"')" $N
nft_node flush ruleset

e2e_done

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# 127.0.0.0/8 on the wire, DNAT'd to a real address: Docker publishing a
# port on every address (`-p 8125:8125/udp`) DNATs whatever is addressed
# to a local address, and 127.0.0.1 is one. A neighbour's frame to
# 127.0.0.1:8125 at the node's MAC reaches the container with
# route_localnet 0 everywhere: the martian check never sees 127/8. lnwatch
# reports `dnat-exposed`, where it went, and the exposure; a guard or a
# FORWARD drop makes it a `drop` instead. Checked against the container's
# listener. Rule shapes after moby's (iptables: nat PREROUTING
# `-m addrtype --dst-type LOCAL -j DOCKER`, a DNAT per port in DOCKER,
# FORWARD's accept to the container; nftables: `fib daddr type local`).
. "$(dirname "$0")/lib.sh"

CT="$TAG-ct"
topo_basic && netns_add "$CT" &&
	ip -n "$NODE" link add docker0 type bridge && ip -n "$NODE" link set docker0 up &&
	ip -n "$NODE" addr add 172.17.0.1/16 dev docker0 &&
	veth_pair "$NODE" vethc "$CT" eth0 && ip -n "$NODE" link set vethc master docker0 &&
	ip -n "$CT" addr add 172.17.0.2/16 dev eth0 &&
	ip -n "$CT" route add default via 172.17.0.1 &&
	ip netns exec "$NODE" sysctl -qw net.ipv4.ip_forward=1 ||
	{ fail "topology" "cannot build namespaces"; exit 1; }
bg "$CT" $NETPY udp-server 0.0.0.0 8125 "$TMPD/ct"
bg "$NODE" $NETPY udp-server 10.99.0.1 9000 "$TMPD/host"
for _ in $(seq 100); do [ -f "$TMPD/ct" ] && [ -f "$TMPD/host" ] && break; sleep 0.05; done
N=3
ipt() { ip netns exec "$NODE" iptables-nft "$@"; }
docker_iptables() {
	ipt -t nat -N DOCKER && ipt -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER &&
	ipt -t nat -A DOCKER ! -i docker0 -p udp -m udp --dport 8125 \
		-j DNAT --to-destination 172.17.0.2:8125 &&
	ipt -P FORWARD DROP && ipt -N DOCKER && ipt -A FORWARD -o docker0 -j DOCKER &&
	ipt -A FORWARD -i docker0 -j ACCEPT &&
	ipt -A DOCKER -d 172.17.0.2/32 ! -i docker0 -o docker0 -p udp -m udp --dport 8125 -j ACCEPT
}
docker_nft() {
	ip netns exec "$NODE" nft -f - <<'NFT'
table ip docker {
	chain pre {
		type nat hook prerouting priority -100;
		fib daddr type local udp dport 8125 dnat to 172.17.0.2:8125;
		fib daddr type local udp dport 9000 dnat to 10.99.0.1:9000;
	}
}
NFT
}
reset() { ip netns exec "$NODE" nft flush ruleset; }
# this run's netfilter links (bpftool 7.1 names the type by its number, 10)
nf_links_ours() { lnw_links 10; }

# exposed_case NAME WHERE(forwarded|local) PORT COUNTFILE [ARGS]
exposed_case() {
	local name=$1 where=$2 port=$3 file=$4 before oif=0; shift 4
	[ "$where" = forwarded ] && oif=$(ip -n "$NODE" -j link show docker0 | jq '.[0].ifindex')
	before=$(cat "$file")
	lnw_start "$NODE" "$@" || { fail "$name" "lnwatch did not start"; return; }
	ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 "$port" $N
	for _ in $(seq 40); do [ $(($(cat "$file") - before)) -ge $N ] && break; sleep 0.05; done
	lnw_stop
	check_run "$name"
	check "$name: it got there (the kernel)" $(($(cat "$file") - before)) $N
	check "$name: dnat-exposed, where it went" \
		"$(evvals 'select(.verdict=="dnat-exposed") | "\(.ifname) \(.orig_daddr):\(.orig_dport)>\(.daddr):\(.dport) \(.reached) \(.oif) exposure=\(.exposure)"')" \
		"$(jq -rn --arg w "$where" --arg p "$port" --argjson o "$oif" --arg d "$([ "$where" = local ] && echo 10.99.0.1 || echo 172.17.0.2)" \
			'"eth0 127.0.0.1:\($p)>\($d):\($p) \($w) \($o) exposure=true"')"
	check "$name: counted" "$(cnt '.verdict=="dnat-exposed"')" $N
	check "$name: the summary's exposure" \
		"$(summ '.exposures[] | "\(.kind) \(.via):\(.via_port) \(.packets)"')" "dnat 127.0.0.1:$port $N"
	check "$name: no martian, no drop" "$(cnt '.verdict=="martian-dst" or .verdict=="drop"')" 0
}

# drop_case NAME: it must not get through, and lnwatch says where it stopped
drop_case() {
	local name=$1 before; shift
	before=$(cat "$TMPD/ct")
	lnw_start "$NODE" || { fail "$name" "lnwatch did not start"; return; }
	ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 8125 $N
	lnw_stop
	check_run "$name"
	check "$name: it did not get there (the kernel)" $(($(cat "$TMPD/ct") - before)) 0
	check "$name: a drop, with its reason" "$(evvals 'select(.verdict=="drop") | .reason')" \
		NETFILTER_DROP
	check "$name: counted" "$(cnt '.verdict=="drop"')" $N
	check "$name: not exposed" "$(cnt '.verdict=="dnat-exposed"') $(summ '.exposures|length')" "0 0"
}

# lnwatch first, Docker's rules after: the netfilter hooks are attached
# only while a nat chain on PREROUTING exists, within a read of the ruleset
lnw_start "$NODE" || fail "rules after start" "lnwatch did not start"
docker_iptables || fail "iptables-nft" "rules refused"
sleep 0.3
before=$(cat "$TMPD/ct")
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 8125 $N
for _ in $(seq 40); do [ $(($(cat "$TMPD/ct") - before)) -ge $N ] && break; sleep 0.05; done
lnw_stop
check_run "rules after start"
check "rules after start: it got there, and was seen" \
	"$(($(cat "$TMPD/ct") - before)) $(cnt '.verdict=="dnat-exposed"')" "$N $N"
exposed_case "docker -p, iptables" forwarded 8125 "$TMPD/ct"
exposed_case "docker -p, iptables, old-kernel join" forwarded 8125 "$TMPD/ct" --fallback addr-join
ipt -D FORWARD -o docker0 -j DOCKER
drop_case "docker -p, FORWARD drops it"
reset
lnw_start "$NODE" || fail "no nat" "lnwatch did not start"
check "no nat chain: no netfilter hook of ours attached" "$(nf_links_ours)" 0
lnw_stop
docker_nft
lnw_start "$NODE" || fail "nat chain" "lnwatch did not start"
check "a nat chain on PREROUTING: the three netfilter hooks attached" "$(nf_links_ours)" 3
lnw_stop
exposed_case "fib daddr type local, nftables" forwarded 8125 "$TMPD/ct"
exposed_case "DNAT to a local address" local 9000 "$TMPD/host"
# the guard newer Docker installs: raw PREROUTING, before the DNAT
ip netns exec "$NODE" nft -f - <<'NFT'
table ip raw {
	chain pre {
		type filter hook prerouting priority -300;
		iifname != "lo" ip daddr 127.0.0.0/8 drop;
	}
}
NFT
drop_case "with the raw guard"
reset

e2e_done

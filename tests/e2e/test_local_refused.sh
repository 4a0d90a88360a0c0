#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A local client's connection to 127.0.0.1 that a nat OUTPUT DNAT sends off
# the host (kube-proxy's localhost NodePorts; Docker's or podman's
# published ports with the userland proxy off; CNI portmap through
# localhost): with route_localnet off on the output device the kernel drops
# it on its way out. lnwatch says so, by default: `local-refused`, with the
# process, the original 127.0.0.1 port, the translated destination, the
# device and the drop's reason. Checked against what the client got.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
bg "$PEER" $NETPY tcp-server 0.0.0.0 8080 "$TMPD/backend_tcp"
bg "$PEER" $NETPY udp-server 0.0.0.0 5353 "$TMPD/backend_udp"
for _ in $(seq 100); do [ -f "$TMPD/backend_tcp" ] && [ -f "$TMPD/backend_udp" ] && break; sleep 0.05; done
# The shape kube-proxy installs for a NodePort reached on localhost (its
# KUBE-NODEPORTS DNAT from nat OUTPUT, KUBE-POSTROUTING's masquerade),
# reduced to one rule each.
ip netns exec "$NODE" nft -f - <<NFT || fail "ruleset" "nft refused it"
table ip nat {
	chain out {
		type nat hook output priority -100;
		ip daddr 127.0.0.1 tcp dport 30080 dnat to $PEER_IP:8080;
		ip daddr 127.0.0.1 udp dport 30053 dnat to $PEER_IP:5353;
	}
	chain post {
		type nat hook postrouting priority 100;
		ip daddr $PEER_IP masquerade;
	}
}
NFT

# The flag off on eth0 (the default): refused, and said.
lnw_start "$NODE" || fail "flag off" "lnwatch did not start"
got_tcp=$(ip netns exec "$NODE" $NETPY tcp-client 127.0.0.1 30080 1.5)
got_udp=$(ip netns exec "$NODE" $NETPY udp-client 127.0.0.1 30053 1 1)
lnw_stop
check_run "flag off"
check "flag off: the TCP client could not connect" "$got_tcp" 0
check "flag off: the UDP client got no answer" "$got_udp" 0
check "flag off: the backend saw nothing" "$(cat "$TMPD/backend_tcp") $(cat "$TMPD/backend_udp")" "0 0"
check_ge "flag off: local-refused events for the SYN (and its retries)" \
	"$(ev '.verdict=="local-refused" and .proto=="tcp"')" 1
check "flag off: one for the datagram" "$(ev '.verdict=="local-refused" and .proto=="udp"')" 1
check "flag off: what, where, who" \
	"$(evvals 'select(.verdict=="local-refused") | "\(.proto) \(.saddr) \(.orig_daddr):\(.orig_dport)>\(.daddr):\(.dport) nat=\(.nat) \(.ifname) rl=\(.route_localnet.effective) \(.reason) \(.comm)"')" \
	"tcp 127.0.0.1 127.0.0.1:30080>$PEER_IP:8080 nat=true eth0 rl=0 NETFILTER_DROP python3,udp 127.0.0.1 127.0.0.1:30053>$PEER_IP:5353 nat=true eth0 rl=0 NETFILTER_DROP python3"
check "flag off: the sender's pid" "$(jq -r 'select(.verdict=="local-refused") | .pid > 1' "$LNW_OUT" | sort -u)" true
check "flag off: counted (as many as events and held back)" \
	"$(cnt '.verdict=="local-refused" and .ifname=="local"')" \
	"$(jq -s '[.[]|select(.verdict=="local-refused")|1 + .suppressed]|add' "$LNW_OUT")"
check "flag off: nothing else reported" "$(ev '.verdict!="local-refused"')" 0

# The flag on for eth0: it connects, and nothing is refused.
rl "$NODE" eth0 1
lnw_start "$NODE" || fail "flag on" "lnwatch did not start"
got_tcp=$(ip netns exec "$NODE" $NETPY tcp-client 127.0.0.1 30080 2)
got_udp=$(ip netns exec "$NODE" $NETPY udp-client 127.0.0.1 30053 1 2)
lnw_stop
check_run "flag on"
check "flag on: the TCP client connected" "$got_tcp" 1
check "flag on: the UDP client got its answer" "$got_udp" 1
check "flag on: the backend saw both" "$(cat "$TMPD/backend_tcp") $(cat "$TMPD/backend_udp")" "1 1"
check "flag on: no local-refused" "$(ev '.verdict=="local-refused"')" 0

e2e_done

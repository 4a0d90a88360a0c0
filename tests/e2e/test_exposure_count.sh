#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# An observed exposure is counted in packets, exactly, whatever -r holds
# back of its events: as many as the 127.0.0.1 service really received.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/lo5000"
for _ in $(seq 100); do [ -f "$TMPD/lo5000" ] && break; sleep 0.05; done
N=120
rl "$NODE" eth0 1
lnw_start "$NODE" || { fail "start" "lnwatch did not start"; exit 1; }
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 $N
for _ in $(seq 100); do [ "$(cat "$TMPD/lo5000")" -ge $N ] && break; sleep 0.02; done
lnw_stop
check_run "exposure count"
check "the service received them all" "$(cat "$TMPD/lo5000")" $N
check_ge "events held back by the default rate" "$(summ .rate_limited)" 1
check "the exposure counted in packets" \
	"$(summ '.exposures[] | "\(.saddr) \(.ifname) \(.service_addr):\(.service_port)/\(.proto) \(.packets)"')" \
	"$PEER_IP eth0 127.0.0.1:5000/udp $N"
check "the delivered counter agrees" "$(cnt '.verdict=="delivered"')" $N

e2e_done

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A neighbour floods martians at full speed: the counters stay exact, the
# event stream stays readable (per-flow rate limit, the held-back count
# carried on the next event), and the kernel's own counter agrees.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
N=20000
RATE=5

rl "$NODE" all 0; rl "$NODE" eth0 0
before=$(martian_dst)
lnw_start "$NODE" -r $RATE || fail "flood" "lnwatch did not start"
start=$(date +%s%N)
# two bursts, more than one rate window apart: the second burst's first
# event carries what the first burst had held back
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 $((N / 2))
sleep 1.1
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 $((N / 2))
secs=$(( ($(date +%s%N) - start + 999999999) / 1000000000 ))
lnw_stop
after=$(martian_dst)
check_run "flood"
check "flood: counter exactly N" "$(cnt '.verdict=="martian-dst"')" $N
check "flood: seen exactly N" "$(cnt '.verdict=="seen"')" $N
check_ge "flood: kernel in_martian_dst moved by >= N" $((after - before)) $N
events=$(ev true)
# one flow: at most RATE per started second, plus one window's burst
max=$(( RATE * (secs + 1) + RATE ))
if [ "$events" -ge 1 ] && [ "$events" -le $max ]; then ok "flood: $events events for $N packets in ${secs}s (<= $max)"; \
else fail "flood: events within the rate" "$events, want 1..$max"; fi
held=$(summ .rate_limited)
check "flood: events + held back = N" $((events + held)) $N
# what was held back rides on the flow's next event
carried=$(jq -s '[.[] | select(.type=="event") | .suppressed] | add' "$LNW_OUT")
check_ge "flood: the first burst's held-back count carried" "$carried" $((N / 2 - RATE))
echo "# flood: $N packets in ${secs}s, $events events, $held held back, $carried carried"

# -r 0: every packet is an event, and the ring buffer does not lose any
# at this size (or says exactly how many it lost).
lnw_start "$NODE" -r 0 --ringbuf-kib 16384 || fail "flood -r 0" "lnwatch did not start"
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 $N
lnw_stop
check "flood -r 0: exit code" "$LNW_RC" 0
lost=$(summ .lost_events)
check "flood -r 0: events + lost = N" $(( $(ev true) + lost )) $N
check "flood -r 0: counter exactly N" "$(cnt '.verdict=="martian-dst"')" $N
echo "# flood -r 0: $(ev true) events, $lost lost"

e2e_done

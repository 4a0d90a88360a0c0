#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# --metrics under a real Prometheus (Debian's), started here with its own
# configuration and data directory, scraping lnwatch every second inside
# the test's namespace: a flood of martians, on a device with a plain name
# and on one whose name is hostile, adds up in Prometheus exactly as in
# lnwatch's summary, and the kernel's counter agrees; promtool accepts the
# body; the flags, route hooks, an observed exposure and the build info
# are what the namespace really has; bad addresses and a taken port fail
# as the other options do.
. "$(dirname "$0")/lib.sh"

REPO=$(cd "$E2E_DIR/../.." && pwd)
RULES=$REPO/deploy/prometheus/lnwatch.rules.yml
PORT=9862            # lnwatch, in the node's own namespace: never taken
PROM=127.0.0.1:9091  # Prometheus, beside it
# quote, backslash, escape, a byte that is not UTF-8: as the kernel allows
HOSTILE=$'h"\\\x1b\xff'
HOSTILE_READ='h"\x5c\x1b\xff' # what Prometheus must read back

for tool in prometheus promtool curl; do
	command -v $tool >/dev/null || { fail "$tool installed" "missing (make deps)"; exit 1; }
done
topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
# the second segment: the hostile name on the node, eth1 on the peer
ip -n "$NODE" link add "$HOSTILE" address 02:00:00:00:00:aa type veth \
	peer name eth1 netns "$PEER" &&
	ip -n "$NODE" link set "$HOSTILE" up && ip -n "$PEER" link set eth1 up ||
	{ fail "hostile device" "cannot create it"; exit 1; }
rl "$NODE" all 0; rl "$NODE" eth0 0

# ---- Prometheus -----------------------------------------------------------
cat >"$TMPD/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: lnwatch
    static_configs:
      - targets: ['127.0.0.1:$PORT']
EOF
bg "$NODE" prometheus --config.file="$TMPD/prometheus.yml" \
	--storage.tsdb.path="$TMPD/prom-data" --web.listen-address=$PROM \
	--log.level=warn >"$TMPD/prometheus.log" 2>&1

in_node() { ip netns exec "$NODE" "$@"; }
# promq QUERY: the first result's value ("none" when there is none)
promq() {
	in_node curl -sf --max-time 5 --data-urlencode "query=$1" \
		"http://$PROM/api/v1/query" | jq -r '.data.result[0].value[1] // "none"'
}
# promq_all QUERY: every result, "LABEL=VALUE ... VALUE" a line, sorted
# (without the name, instance, job and netns labels)
promq_all() {
	in_node curl -sf --max-time 5 --data-urlencode "query=$1" "http://$PROM/api/v1/query" |
		jq -r '.data.result[] | [(.metric | to_entries[] |
			select(.key | IN("__name__", "instance", "job", "netns") | not) |
			"\(.key)=\(.value)"), .value[1]] | join(" ")' | sort
}
# prom_wait QUERY WANT: until QUERY's value is WANT, 30 s at most
prom_wait() {
	local i
	for i in $(seq 300); do
		[ "$(promq "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}
# scraped_after T: until Prometheus holds a scrape that began after T
# (epoch seconds), 30 s at most
scraped_after() {
	local i ts
	for i in $(seq 300); do
		ts=$(promq 'timestamp(up{job="lnwatch"})')
		[ "$ts" != none ] && awk -v a="$ts" -v b="$1" 'BEGIN { exit !(a > b) }' && return 0
		sleep 0.1
	done
	return 1
}
scrape() { in_node curl -sf --max-time 5 "http://127.0.0.1:$PORT/metrics"; }

for _ in $(seq 300); do
	in_node curl -sf --max-time 1 "http://$PROM/-/ready" >/dev/null 2>&1 && break
	sleep 0.1
done
if in_node curl -sf --max-time 1 "http://$PROM/-/ready" >/dev/null 2>&1; then
	ok "prometheus $(prometheus --version 2>&1 | awk 'NR == 1 { print $3 }') ready"
else
	fail "prometheus ready" "$(tail -5 "$TMPD/prometheus.log")"; exit 1
fi

# ---- bad arguments, a taken port ----------------------------------------------
for bad in 0 70000 localhost:$PORT 1.2.3:$PORT ::1:$PORT "[::1]:" :$PORT 127.0.0.1:; do
	in_node "$LNW" --metrics "$bad" -d 1 >/dev/null 2>"$TMPD/bad.err"
	check "--metrics '$bad' refused" $? 64
done
in_node "$LNW" --metrics $PROM -d 1 >/dev/null 2>"$TMPD/taken.err"
rc=$?
check "a port already taken: exit 1" $rc 1
if grep -q "cannot listen: Address already in use" "$TMPD/taken.err"; then ok "a port already taken: said"; \
else fail "a port already taken: said" "$(cat "$TMPD/taken.err")"; fi

# ---- libmicrohttpd is opened only for --metrics (2.5 MiB of RSS otherwise)
if lnw_start "$NODE" -q; then
	check "without --metrics: libmicrohttpd not mapped" \
		"$(grep -c libmicrohttpd "/proc/$LNW_PID/maps")" 0
	lnw_stop
else
	fail "without --metrics" "lnwatch did not start: $(tail -2 "$LNW_ERR")"
fi

# ---- the flood ------------------------------------------------------------------
N=5000 M=300
before=$(martian_dst)
lnw_start "$NODE" -q --overhead --metrics 127.0.0.1:$PORT || { fail "start" "lnwatch did not start"; exit 1; }
check_ge "with --metrics: libmicrohttpd mapped" "$(grep -c libmicrohttpd "/proc/$LNW_PID/maps")" 1
prom_wait 'up{job="lnwatch"}' 1 && ok "prometheus scrapes lnwatch" ||
	{ fail "prometheus scrapes lnwatch" "$(promq 'up') $(tail -3 "$TMPD/prometheus.log")"; exit 1; }
# scrapes of our own all through the flood: they must not cost a packet
( for _ in $(seq 100); do scrape >/dev/null; done ) &
scraper=$!
PIDS+=("$scraper")
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 $N
ip netns exec "$PEER" "$PKTGEN" eth1 02:00:00:00:00:aa $PEER_IP 127.0.0.1 40001 5001 $M
flood_end=$(date +%s.%N)
wait "$scraper"
check "100 scrapes during the flood all answered" $? 0
sleep 0.2 # the last packets' verdicts
scraped_after "$(awk -v t="$flood_end" 'BEGIN { printf "%.3f", t + 0.2 }')" &&
	ok "prometheus scraped after the flood" || fail "prometheus scraped after the flood" "no new scrape in 30 s"
check "prometheus: sum of martian-dst = N + M" \
	"$(promq 'sum(lnwatch_packets_total{verdict="martian-dst"})')" $((N + M))
check "prometheus: martian-dst by device" \
	"$(promq_all 'sum by (ifname) (lnwatch_packets_total{verdict="martian-dst"})' | tr '\n' ';')" \
	"ifname=eth0 $N;ifname=$HOSTILE_READ $M;"
check "prometheus: every packet seen, no other verdict" \
	"$(promq 'sum(lnwatch_packets_total{verdict="seen"})') $(promq 'count(lnwatch_packets_total{verdict!~"seen|martian-dst"})')" \
	"$((N + M)) none"
check "prometheus: no event lost, none uncounted" \
	"$(promq 'lnwatch_events_lost_total') $(promq 'lnwatch_packets_uncounted_total') $(promq 'lnwatch_tc_missed_total')" "0 0 0"
check_ge "prometheus: --overhead: tc ingress runs >= N + M" \
	"$(promq 'lnwatch_bpf_runs_total{program="lnw_tc_ingress"}')" $((N + M))
check "prometheus: the hostile device's flag read" \
	"$(promq_all 'lnwatch_route_localnet{scope="device"}' | tr '\n' ';')" \
	"ifname=eth0 scope=device 0;ifname=$HOSTILE_READ scope=device 0;"

body=$(scrape)
if printf '%s\n' "$body" | promtool check metrics >"$TMPD/lint" 2>&1; then ok "promtool check metrics"; \
else fail "promtool check metrics" "$(cat "$TMPD/lint")"; fi
if printf '%s' "$body" | LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]'; then
	fail "no raw control byte in the body" "$(printf '%s' "$body" | grep -a 'h"' | cat -v)"
else ok "no raw control byte in the body"; fi
if printf '%s' "$body" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; then ok "the body is UTF-8"; \
else fail "the body is UTF-8" "iconv refuses it"; fi
check "the body's packets as Prometheus's" \
	"$(printf '%s\n' "$body" | awk '/^lnwatch_packets_total\{.*verdict="martian-dst"/ { s += $NF } END { print s }')" \
	$((N + M))
# every metric the alert rules use is one lnwatch exports
missing=""
for m in $(grep -o 'lnwatch_[a-z_]*' "$RULES" | sort -u); do
	printf '%s\n' "$body" | grep -q "^# TYPE $m " || missing+=" $m"
done
check "every metric of the alert rules is exported" "${missing:-none}" none

# ---- flags, route hooks, an exposure ---------------------------------------------
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/lo5000"
for _ in $(seq 100); do [ -f "$TMPD/lo5000" ] && break; sleep 0.05; done
rl "$NODE" eth0 1
prom_wait 'lnwatch_route_localnet{ifname="eth0",scope="device"}' 1 &&
	ok "prometheus: eth0's route_localnet on" || fail "prometheus: eth0's route_localnet on" \
	"$(promq 'lnwatch_route_localnet{ifname="eth0",scope="device"}')"
prom_wait 'lnwatch_route_hooks_attached' 1 && ok "prometheus: route hooks attached" ||
	fail "prometheus: route hooks attached" "$(promq lnwatch_route_hooks_attached)"
check_ge "prometheus: a flag change counted" "$(promq lnwatch_flag_changes_total)" 1
K=40
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40002 5000 $K
for _ in $(seq 100); do [ "$(cat "$TMPD/lo5000")" -ge $K ] && break; sleep 0.02; done
check "the service received them all" "$(cat "$TMPD/lo5000")" $K
prom_wait 'sum(lnwatch_exposures_observed_total)' $K && ok "prometheus: the exposure, exactly" ||
	fail "prometheus: the exposure, exactly" "$(promq_all lnwatch_exposures_observed_total)"
check "prometheus: the exposure's labels" \
	"$(promq_all lnwatch_exposures_observed_total | tr '\n' ';')" \
	"comm=python3 ifname=eth0 proto=udp service=127.0.0.1:5000 $K;"
check "prometheus: build info" \
	"$(promq_all lnwatch_build_info)" \
	"attach=tcx join=skb kernel=$(uname -r) reason=kernel version=$("$LNW" --version | awk '{ print $2 }') 1"

# ---- HTTP ------------------------------------------------------------------------
code() { in_node curl -s -o /dev/null -w '%{http_code}' "$@"; }
check "HTTP: HEAD /metrics" "$(code -I "http://127.0.0.1:$PORT/metrics")" 200
check "HTTP: POST refused" "$(code -X POST -d x "http://127.0.0.1:$PORT/metrics")" 405
check "HTTP: another path" "$(code "http://127.0.0.1:$PORT/")" 404

# every scrape of the last minute taken (a body Prometheus refused is up 0)
check "prometheus: every scrape taken" "$(promq 'min_over_time(up{job="lnwatch"}[1m])')" 1
check "prometheus: no duplicate, out-of-order or rejected sample" "$(in_node curl -sf \
	"http://$PROM/metrics" | awk '/^prometheus_target_scrapes_(sample_duplicate_timestamp|sample_out_of_order|sample_out_of_bounds|exceeded_sample_limit)_total / { s += $2 } END { print s + 0 }')" 0

# ---- --netns: served where lnwatch starts, about the namespace it watches ----------
rm -f "$TMPD/ready2"
ip netns exec "$PEER" "$LNW" -q --netns "$NODE" --metrics 127.0.0.1:$((PORT + 1)) \
	--ready-file "$TMPD/ready2" >"$TMPD/netns.out" 2>&1 &
npid=$!
PIDS+=("$npid")
for _ in $(seq 100); do [ -f "$TMPD/ready2" ] && break; sleep 0.05; done
nbody=$(ip netns exec "$PEER" curl -sf --max-time 5 "http://127.0.0.1:$((PORT + 1))/metrics")
check "--netns: the watched namespace's devices and inode" \
	"$(printf '%s\n' "$nbody" | grep -c "^lnwatch_route_localnet{netns=\"$(netns_inode "$NODE")\",ifname=\"h")" 1
check "--netns: no socket in the watched namespace" \
	"$(code "http://127.0.0.1:$((PORT + 1))/metrics")" 000
kill -INT "$npid"
wait "$npid"
check "--netns: exit code" $? 0

# ---- the end: lnwatch's own summary and the kernel agree ----------------------------
lnw_stop
after=$(martian_dst)
check_run "metrics"
check "the summary: martian-dst = N + M" "$(cnt '.verdict=="martian-dst"')" $((N + M))
check "the summary: the exposure" "$(summ '[.exposures[].packets] | add')" $K
check_ge "kernel in_martian_dst moved by >= N + M" $((after - before)) $((N + M))
check "-q: no event line" "$(ev true)" 0
check "stopped: the port is closed" "$(code "http://127.0.0.1:$PORT/metrics")" 000
echo "# metrics: $N + $M martians, $K exposed packets; 100 scrapes of our own beside Prometheus's"

e2e_done

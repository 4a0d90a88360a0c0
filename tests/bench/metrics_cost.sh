#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# metrics_cost.sh: what a Prometheus scrape of `lnwatch --metrics` costs
# the loader, with 300 interfaces (150 veth pairs in one namespace of its
# own, each end carrying martians, so every one has counter rows).
#
# Side by side, over the same wall time: lnwatch left alone (its 0.1 s
# tick) and lnwatch scraped SCRAPES times back to back over one kept-alive
# connection, as Prometheus does. CPU is the kernel's per-thread count
# (/proc/PID/task/*/schedstat, ns) and /proc/PID/stat's utime + stime
# (ticks); the main thread's share (the event drain's) is given apart:
# scrapes run on libmicrohttpd's thread and should leave it as idle.
#
# usage: metrics_cost.sh [-n SCRAPES] [-o JSON]   (root; OUT=build dir)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "${OUT:-$HERE/../../build}" && pwd)
LNW=$OUT/lnwatch # release build
# shellcheck source=../e2e/lib.sh
. "$HERE/../e2e/lib.sh"
# lib.sh named its namespace and temp dir for the e2e suite: ours are lnwb*
rmdir "$TMPD"
TMPD=$(mktemp -d /tmp/lnwb.XXXXXX)
NODE="lnwbm$$-node"
PAIRS=150
PORT=9862
SCRAPES=1000
JSON=$OUT/bench_metrics.json
while getopts "n:o:h" opt; do
	case $opt in
	n) SCRAPES=$OPTARG ;;
	o) JSON=$OPTARG ;;
	*) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
	esac
done
case "$SCRAPES" in ''|*[!0-9]*) echo "metrics_cost: -n takes a number" >&2; exit 2 ;; esac
die() { echo "metrics_cost: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (namespaces, BPF): sudo make bench"
[ -x "$LNW" ] && [ -x "$PKTGEN" ] || die "lnwatch or pktgen missing: make bench-build"

netns_add "$NODE" || die "cannot create a namespace"
echo "metrics_cost: $PAIRS veth pairs ($((2 * PAIRS)) interfaces)" >&2
mac() { printf '02:00:%02x:00:%02x:%02x' "$1" $(($2 / 256)) $(($2 % 256)); }
{
	for i in $(seq $PAIRS); do
		echo "link add a$i address $(mac 1 "$i") type veth peer name b$i address $(mac 2 "$i")"
		echo "link set a$i up"
		echo "link set b$i up"
	done
} | ip -n "$NODE" -batch - || die "cannot create the veths"

in_node() { ip netns exec "$NODE" "$@"; }
# not through a function: $! must be lnwatch itself (ip netns exec execs)
ip netns exec "$NODE" "$LNW" -q --metrics 127.0.0.1:$PORT --ready-file "$TMPD/ready" \
	>"$TMPD/lnw.out" 2>"$TMPD/lnw.err" &
LPID=$!
PIDS+=("$LPID")
for _ in $(seq 200); do [ -f "$TMPD/ready" ] && break; sleep 0.05; done
[ -f "$TMPD/ready" ] || die "lnwatch did not start: $(tail -3 "$TMPD/lnw.err")"
# martians on every interface: each end's peer sends three to it
in_node bash -c "for i in \$(seq $PAIRS); do
	$PKTGEN a\$i \$(printf '02:00:02:00:%02x:%02x' \$((i / 256)) \$((i % 256))) 10.0.0.1 127.0.0.1 40000 5000 3 &&
	$PKTGEN b\$i \$(printf '02:00:01:00:%02x:%02x' \$((i / 256)) \$((i % 256))) 10.0.0.1 127.0.0.1 40000 5000 3 || exit 1
done" >/dev/null || die "pktgen failed"

# cpu_ns: every thread's on-CPU time (ns); main_ns: the main thread's;
# ticks: utime + stime of the whole process
cpu_ns() { cat /proc/"$LPID"/task/*/schedstat | awk '{ s += $1 } END { printf "%.0f\n", s }'; }
main_ns() { awk '{ printf "%.0f\n", $1 }' /proc/"$LPID"/task/"$LPID"/schedstat; }
ticks() { awk '{ sub(/.*\) /, ""); printf "%.0f\n", $12 + $13 }' /proc/"$LPID"/stat; }
us() { echo "${EPOCHREALTIME/./}"; }

# scrape N times over one connection; prints body bytes and series
SCRAPER='
import http.client, sys
n = int(sys.argv[1]); c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[2]))
for i in range(n):
    c.request("GET", "/metrics"); r = c.getresponse(); body = r.read()
    assert r.status == 200, r.status
print(len(body), sum(1 for l in body.splitlines() if l and not l.startswith(b"#")))
'
in_node python3 -c "$SCRAPER" 1 $PORT >/dev/null || die "cannot scrape"

# scraped
t0=$(us) c0=$(cpu_ns) m0=$(main_ns) k0=$(ticks)
read -r bytes series < <(in_node python3 -c "$SCRAPER" "$SCRAPES" $PORT) || die "scrapes failed"
t1=$(us) c1=$(cpu_ns) m1=$(main_ns) k1=$(ticks)
wall_us=$((t1 - t0))
# alone, as long
c2=$(cpu_ns) m2=$(main_ns) k2=$(ticks)
sleep "$(awk -v u=$wall_us 'BEGIN { printf "%.3f", u / 1e6 }')"
c3=$(cpu_ns) m3=$(main_ns) k3=$(ticks)

kill -INT "$LPID"
wait "$LPID"
rc=$?
[ $rc -eq 0 ] || die "lnwatch exited $rc: $(tail -3 "$TMPD/lnw.err")"
rows=$(awk '$3 ~ /^(seen|martian-dst)$/ { n++ } END { print n + 0 }' "$TMPD/lnw.out")

rm -f "$JSON"
jq -n --argjson scrapes "$SCRAPES" --argjson ifaces $((2 * PAIRS)) --argjson rows "$rows" \
	--argjson bytes "$bytes" --argjson series "$series" --argjson wall_us "$wall_us" \
	--argjson scraped_ns $((c1 - c0)) --argjson idle_ns $((c3 - c2)) \
	--argjson scraped_main_ns $((m1 - m0)) --argjson idle_main_ns $((m3 - m2)) \
	--argjson scraped_ticks $((k1 - k0)) --argjson idle_ticks $((k3 - k2)) \
	--argjson hz "$(getconf CLK_TCK)" --arg kernel "$(uname -r)" \
	'{kernel:$kernel, scrapes:$scrapes, interfaces:$ifaces, counter_rows:$rows,
	  body_bytes:$bytes, series:$series, wall_s:($wall_us / 1e6),
	  cpu_scraped_ms:($scraped_ns / 1e6), cpu_idle_ms:($idle_ns / 1e6),
	  main_thread_scraped_ms:($scraped_main_ns / 1e6), main_thread_idle_ms:($idle_main_ns / 1e6),
	  ticks_scraped:$scraped_ticks, ticks_idle:$idle_ticks, clk_tck:$hz,
	  ms_per_scrape:((($scraped_ns - $idle_ns) / $scrapes) / 1e6),
	  ms_per_scrape_ticks:(((($scraped_ticks - $idle_ticks) * 1000 / $hz)) / $scrapes)}' \
	>"$JSON" || die "cannot write $JSON"
jq -r '"
metrics scrape cost: \(.interfaces) interfaces, \(.counter_rows) counter rows, \(.series) series, \(.body_bytes) bytes a scrape
                          alone      scraped x\(.scrapes)
wall (s)           \(.wall_s | tostring | .[0:10] | "          " + . | .[-10:])           same
loader CPU (ms)    \(.cpu_idle_ms | floor | tostring | "          " + . | .[-10:])  \(.cpu_scraped_ms | floor | tostring | "          " + . | .[-10:])
  main thread (ms) \(.main_thread_idle_ms | floor | tostring | "          " + . | .[-10:])  \(.main_thread_scraped_ms | floor | tostring | "          " + . | .[-10:])
utime+stime (ticks)\(.ticks_idle | tostring | "          " + . | .[-10:])  \(.ticks_scraped | tostring | "          " + . | .[-10:])
per scrape: \(.ms_per_scrape * 1000 | floor / 1000) ms CPU (schedstat), \(.ms_per_scrape_ticks * 1000 | floor / 1000) ms (utime+stime)"' "$JSON"
echo "metrics_cost: results in $JSON" >&2

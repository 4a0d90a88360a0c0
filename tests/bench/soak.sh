#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# soak.sh: lnwatch for a long while under everything at once (issue 13),
# in `make bench` (not CI). In a node namespace beside a peer: veths made
# and deleted, route_localnet toggled on them, martian floods to
# 127.0.0.1 and UDP a DNAT rule sends to 127.0.0.1, and lnwatch SIGKILLed
# and restarted now and then. Sampled: the loader's RSS and fds (a table
# on stdout, a CSV). Checked at the end of each run of lnwatch:
#   - its RSS grew by less than 1 MiB from its first sample to its last,
#     its fds came back to where they were (churn devices aside);
#   - stopped by SIGINT: its martian counters are exactly the kernel's
#     (nft counters in the node, on the same packets);
#   - SIGKILLed, and at the end: nothing of lnwatch's left attached in the
#     node (tcx links, tc filters, clsact qdiscs, programs nobody holds).
#
# usage: soak.sh [-t SECONDS] [-s SAMPLE_SECONDS] [-o CSV]
#   -t  how long (default $SOAK_SECONDS, else 1800)
#   -s  seconds between samples (default 10)
#   -o  the samples (default $OUT/soak.csv)
# Exit 0 when every check held, 1 otherwise. Everything it makes is
# removed on any exit (lib.sh's trap).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(cd "${OUT:-$HERE/../../build}" && pwd)
LNW=$OUT/lnwatch
PKTGEN=$OUT/pktgen
# shellcheck source=../e2e/lib.sh
. "$HERE/../e2e/lib.sh"
lnw_bench_names "lnwb-soak$$" 10.214.0
SECS=${SOAK_SECONDS:-1800} SAMPLE=10 CSV=$OUT/soak.csv
while getopts t:s:o:h o; do
	case $o in
	t) SECS=$OPTARG ;; s) SAMPLE=$OPTARG ;; o) CSV=$OPTARG ;;
	*) sed -n '3,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
	esac
done
die() { echo "soak.sh: $*" >&2; exit 1; }
now() { date +%s; }
CHURN=8        # veth pairs made and deleted each step (16 devices)
BURST=2000     # martian frames each step
DNAT_BURST=200 # frames to the DNAT'd port each step
FAILED=0
bad() { echo "soak.sh: FAIL: $*"; FAILED=1; }
[ -x "$LNW" ] && [ -x "$PKTGEN" ] || die "no $LNW or $PKTGEN (make bench-build)"

topo_basic || die "cannot build namespaces"
ip netns exec "$NODE" sysctl -qw net.ipv4.conf.all.route_localnet=0 \
	net.ipv4.conf.eth0.route_localnet=0
# The kernel's count of the same packets, before any NAT: the oracle.
ip netns exec "$NODE" nft -f - <<EOF || die "nft"
table ip lnwsoak {
	chain raw {
		type filter hook prerouting priority -300;
		iifname "eth0" ip daddr 127.0.0.0/8 counter name martians
		iifname "eth0" udp dport 8080 counter name natted
	}
	counter martians { }
	counter natted { }
	chain nat {
		type nat hook prerouting priority dstnat;
		iifname "eth0" udp dport 8080 dnat to 127.0.0.1:5000
	}
}
EOF
kcount() { ip netns exec "$NODE" nft -j list counter ip lnwsoak "$1" |
	jq '.nftables[] | select(.counter) | .counter.packets'; }

# An instance's own programs (ids), while it runs.
progs_of() { sed -n 's/^prog_id:\s*//p' /proc/"$1"/fdinfo/* 2>/dev/null | sort -un; }
# What of programs PROGS is attached in the node namespace (lib.sh).
attached() { lnw_attached_in "$NODE" "$1"; }
# Programs of ids still loaded (none may be, once their lnwatch is gone).
still_loaded() {
	local id n=0
	for id in $1; do bpftool prog show id "$id" >/dev/null 2>&1 && n=$((n + 1)); done
	echo $n
}

echo "t_s,run,pid,rss_kib,fds,devices,martians_sent,route_localnet_on" >"$CSV"
printf '%-6s %-4s %-8s %9s %5s %7s %9s\n' t_s run pid rss_kib fds devices martians
T0=$(now)
END=$((T0 + SECS))
# each run of lnwatch: a third of the soak, 20 s to 300 s
RUNLEN=$((SECS / 3)); [ $RUNLEN -lt 20 ] && RUNLEN=20; [ $RUNLEN -gt 300 ] && RUNLEN=300
run=0 step=0 sent_total=0 runs_checked=0 kills=0
while [ "$(now)" -lt "$END" ]; do
	run=$((run + 1))
	rm -f "$TMPD/ready"
	LOUT=$TMPD/run$run.json
	"$LNW" --netns "$NODE" -j --ready-file "$TMPD/ready" >"$LOUT" 2>"$LOUT.err" &
	LPID=$!
	PIDS+=("$LPID")
	while [ ! -e "$TMPD/ready" ] && kill -0 "$LPID" 2>/dev/null; do sleep 0.01; done
	[ -e "$TMPD/ready" ] || die "lnwatch did not start: $(tail -3 "$LOUT.err")"
	LPROGS=$(progs_of "$LPID" | paste -sd' ')
	k_m0=$(kcount martians) k_d0=$(kcount natted)
	sent=0 dsent=0 first_rss="" first_fds="" last_rss=0 max_fds=0 next_sample=0
	run_end=$(( $(now) + RUNLEN )); [ $run_end -gt "$END" ] && run_end=$END
	# odd runs but the last end with SIGKILL, the others with SIGINT
	kill9=$(( run % 2 == 1 && run_end < END ))
	prev=""
	while [ "$(now)" -lt "$run_end" ]; do
		step=$((step + 1))
		# churn: this step's veths in, the last step's out
		for i in $(seq $CHURN); do
			echo "link add c${step}a$i type veth peer name c${step}b$i"
			echo "link set c${step}a$i up"
		done | ip -n "$NODE" -batch - 2>/dev/null
		[ -n "$prev" ] && for i in $(seq $CHURN); do echo "link del c${prev}a$i"; done |
			ip -n "$NODE" -batch - 2>/dev/null
		prev=$step
		# flags: route_localnet on, then off, on a churn device (route
		# hooks attached, then detached)
		ip netns exec "$NODE" sysctl -qw "net.ipv4.conf.c${step}a1.route_localnet=$((step % 2))"
		# martians and DNAT'd UDP from the peer
		ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 $BURST &&
			sent=$((sent + BURST))
		ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP $NODE_IP 40001 8080 $DNAT_BURST &&
			dsent=$((dsent + DNAT_BURST))
		if [ "$(now)" -ge "$next_sample" ]; then
			next_sample=$(( $(now) + SAMPLE ))
			rss=$(awk '/^VmRSS/ { print $2 }' /proc/"$LPID"/status)
			fds=$(ls /proc/"$LPID"/fd | wc -l)
			devs=$(ip -n "$NODE" -o link | wc -l)
			rl_on=$(ip netns exec "$NODE" sysctl -n "net.ipv4.conf.c${step}a1.route_localnet")
			[ -z "$first_rss" ] && first_rss=$rss first_fds=$fds
			last_rss=$rss
			[ "$fds" -gt "$max_fds" ] && max_fds=$fds
			echo "$(( $(now) - T0 )),$run,$LPID,$rss,$fds,$devs,$((sent_total + sent)),$rl_on" >>"$CSV"
			printf '%-6s %-4s %-8s %9s %5s %7s %9s\n' $(( $(now) - T0 )) $run "$LPID" \
				"$rss" "$fds" "$devs" $((sent_total + sent))
		fi
		sleep 1
	done
	[ -n "$prev" ] && for i in $(seq $CHURN); do echo "link del c${prev}a$i"; done |
		ip -n "$NODE" -batch - 2>/dev/null
	sent_total=$((sent_total + sent))
	growth=$(( last_rss - first_rss ))
	[ "$growth" -lt 1024 ] || bad "run $run: RSS grew by $growth KiB ($first_rss -> $last_rss)"
	# churn devices are 2*CHURN at most beside the rest: 1 fd each (tcx)
	[ "$max_fds" -le $((first_fds + 2 * CHURN)) ] ||
		bad "run $run: fds grew from $first_fds to $max_fds"
	sleep 0.3 # a drain tick after the last packet
	if [ "$kill9" = 1 ]; then
		kill -KILL "$LPID"; wait "$LPID" 2>/dev/null
		kills=$((kills + 1))
		sleep 0.2
		left=$(attached "$LPROGS") progs=$(still_loaded "$LPROGS")
		[ "$left" = 0 ] && [ "$progs" = 0 ] ||
			bad "run $run (SIGKILL): left attached $left, programs still loaded $progs"
		echo "# run $run: SIGKILLed after $sent martians; RSS $first_rss -> $last_rss KiB," \
			"fds $first_fds..$max_fds; left attached $left, programs $progs"
		continue
	fi
	kill -INT "$LPID"; wait "$LPID"; rc=$?
	k_m=$(( $(kcount martians) - k_m0 )) k_d=$(( $(kcount natted) - k_d0 ))
	got=$(jq -s '[.[] | select(.type=="summary") | .counters[] |
		select(.verdict=="martian-dst") | .packets] | add // 0' "$LOUT")
	seen=$(jq -s '[.[] | select(.type=="summary") | .counters[] |
		select(.verdict=="seen") | .packets] | add // 0' "$LOUT")
	verdicts=$(jq -rs '[.[] | select(.type=="summary") | .counters[] |
		"\(.verdict)=\(.packets)"] | join(" ")' "$LOUT")
	runs_checked=$((runs_checked + 1))
	[ "$rc" = 0 ] || bad "run $run: exit code $rc: $(tail -2 "$LOUT.err")"
	[ "$seen" = "$k_m" ] || bad "run $run: seen $seen, kernel counted $k_m to 127/8"
	# the kernel drops both as martians: the direct ones and the DNAT'd
	[ "$got" = $((k_m + k_d)) ] ||
		bad "run $run: martian-dst $got, kernel $k_m + $k_d DNAT'd (sent $sent + $dsent)"
	left=$(attached "$LPROGS") progs=$(still_loaded "$LPROGS")
	[ "$left" = 0 ] && [ "$progs" = 0 ] ||
		bad "run $run (SIGINT): left attached $left, programs still loaded $progs"
	echo "# run $run: stopped; kernel $k_m martians + $k_d DNAT'd, lnwatch seen $seen," \
		"martian-dst $got ($verdicts); RSS $first_rss -> $last_rss KiB, fds" \
		"$first_fds..$max_fds; left attached $left"
done
echo "# soak: $(( $(now) - T0 )) s, $run runs of lnwatch ($kills SIGKILLed," \
	"$runs_checked counted), $sent_total martians; samples in $CSV"
[ "$FAILED" = 0 ] && echo "# soak: every check held" || echo "# soak: FAILED"
exit "$FAILED"

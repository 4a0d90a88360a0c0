#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Least privilege (README, Running in production): lnwatch and the audit
# run with exactly the capabilities the README states, fail without any
# one of them naming it (exit 1, nothing attached), and once attached the
# watch holds only what the rest of the run uses: /proc/PID/status says so,
# and what it still does (new interfaces, route hooks, netfilter hooks,
# owners of sockets) still works with that.
#
# Runs are `setpriv` as root with a bounding set of exactly CAPS (root's
# permitted set is then CAPS; no file capability is involved), or as
# nobody with CAPS ambient, entered into the node's namespace with nsenter
# (the mount namespace stays: the cgroup2 root is in sight, as in
# production; `ip netns exec` would need CAP_SYS_ADMIN to mount one).
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
bg "$NODE" $NETPY udp-server 127.0.0.1 5000 "$TMPD/udp"
for i in $(seq 100); do [ -f "$TMPD/udp" ] && break; sleep 0.05; done
SERVER_PID=$BG_PID
NSX="nsenter --net=/run/netns/$NODE"

# Capability bits as /proc/PID/status prints them.
CAP_DAC_READ_SEARCH=2 CAP_NET_ADMIN=12 CAP_SYS_PTRACE=19 CAP_SYS_ADMIN=21
CAP_BPF=39
capmask() { # BIT...: %016x of those bits
	local m=0 b
	for b in "$@"; do m=$((m | (1 << b))); done
	printf '%016x' $m
}
STATED=+bpf,+perfmon,+net_admin
# what the watch keeps once attached, of the stated set
KEPT=$(capmask $CAP_BPF $CAP_NET_ADMIN)
KEPT_OWNERS=$(capmask $CAP_BPF $CAP_NET_ADMIN $CAP_SYS_PTRACE $CAP_DAC_READ_SEARCH)

# as_root CAPS: root whose bounding (so permitted, effective) set is CAPS.
as_root() { echo "setpriv --bounding-set=-all,$1 --inh-caps=-all"; }
# as_nobody CAPS: nobody with CAPS ambient (systemd's AmbientCapabilities=).
as_nobody() {
	echo "setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all,$1" \
	     "--ambient-caps=-all,$1 --bounding-set=-all,$1"
}

# start WRAP ARGS...: lnwatch -j under WRAP in the node, until ready (its
# caps dropped by then); PID in P, output in OUT, stderr in ERR.
start() {
	local wrap=$1 i; shift
	OUT=$TMPD/run.$RANDOM.json ERR=$TMPD/run.err.$RANDOM
	rm -f "$TMPD/rdy/ready"
	$NSX $wrap "$LNW" -j -r 0 --ready-file "$TMPD/rdy/ready" "$@" >"$OUT" 2>"$ERR" &
	P=$!
	PIDS+=("$P")
	for i in $(seq 200); do
		[ -f "$TMPD/rdy/ready" ] && return 0
		kill -0 "$P" 2>/dev/null || break
		sleep 0.05
	done
	echo "# not ready: $(tail -2 "$ERR") $(tail -1 "$OUT")"
	return 1
}
stop() { kill -INT "$P" 2>/dev/null; wait "$P"; RC=$?; }
status_of() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
# links_of PID TYPE: BPF links of that type the process holds
links_of() { grep -hs "^link_type:[[:space:]]*$2\$" /proc/"$1"/fdinfo/* | wc -l; }
send() { ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" "$PEER_IP" 127.0.0.1 40000 5000 "$1"; }
# a ready-file directory nobody may write to (and reach)
chmod 711 "$TMPD"
mkdir -m 1777 "$TMPD/rdy"
# no_progs: this run's lnw_ programs, once the kernel released them (RCU)
no_progs() {
	local i
	for i in $(seq 60); do [ "$(lnw_progs)" = 0 ] && break; sleep 0.05; done
	lnw_progs
}

# ---- the stated set: works, and keeps only what the run uses --------------
name="stated set (CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN)"
if start "$(as_root $STATED)"; then
	ok "$name: starts"
	check "$name: CapEff after start" "$(status_of $P CapEff)" "$KEPT"
	check "$name: CapPrm after start" "$(status_of $P CapPrm)" "$KEPT"
	check "$name: CapInh, CapAmb empty" "$(status_of $P CapInh)/$(status_of $P CapAmb)" \
		"0000000000000000/0000000000000000"
	check "$name: no new privileges" "$(status_of $P NoNewPrivs)" 1
	check "$name: tcx on both ends of the veth" "$(links_of $P tcx)" 1
	# what the run does after the drop: a new interface, route hooks, NAT
	ip -n "$NODE" link add eth7 type veth peer name eth8 &&
		ip -n "$NODE" link set eth7 up && ip -n "$NODE" link set eth8 up
	rl "$NODE" eth0 1
	ip netns exec "$NODE" nft -f - <<-'EOF'
	table ip lnwt_nat {
		chain pre {
			type nat hook prerouting priority -100;
			udp dport 9999 dnat to 127.0.0.1:5000
		}
	}
	EOF
	for i in $(seq 40); do [ "$(links_of $P tcx)" -ge 3 ] && [ "$(links_of $P netfilter)" -ge 1 ] && break; sleep 0.1; done
	check "$name: new interfaces attached after the drop" "$(links_of $P tcx)" 3
	check_ge "$name: route hooks attached after the drop" "$(links_of $P raw_tracepoint)" 2
	check_ge "$name: netfilter hooks attached after the drop" "$(links_of $P netfilter)" 1
	send 3
	sleep 0.3
	check "$name: delivered packets seen" \
		"$(jq -c 'select(.type=="event" and .verdict=="delivered")' "$OUT" | wc -l)" 3
	# the server runs as root with every capability: ptrace access to its
	# fds needs CAP_SYS_PTRACE, which this set does not have
	check "$name: an owner it may not read is not named" \
		"$(jq -r 'select(.type=="event" and .verdict=="delivered") | .pid' "$OUT" | sort -u)" null
	check "$name: and it said why at start" \
		"$(grep -c 'without CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH' "$ERR")" 1
	stop
	check "$name: clean exit" "$RC" 0
	check "$name: no error" "$(grep -v 'without CAP_SYS_PTRACE' "$ERR" | head -2)" ""
	ip netns exec "$NODE" nft delete table ip lnwt_nat
	ip -n "$NODE" link del eth7
	rl "$NODE" eth0 0
else
	fail "$name: starts" "$(tail -3 "$ERR")"
fi
check "stated set: nothing left attached" "$(no_progs)" 0

# ---- --metrics: its server's thread holds the same reduced set ------------
# (capabilities are per thread: a thread started before the drop keeps all)
name="stated set with --metrics"
if start "$(as_root $STATED)" --metrics 127.0.0.1:9863; then
	threads=$(ls /proc/$P/task | wc -l)
	check_ge "$name: a server thread runs" "$threads" 2
	bad=0
	for t in /proc/$P/task/*; do
		[ "$(awk '$1 == "CapEff:" { print $2 }' "$t/status")" = "$KEPT" ] || bad=$((bad + 1))
	done
	check "$name: every thread's CapEff is the reduced set" "$bad" 0
	body=$(ip netns exec "$NODE" curl -s --max-time 5 http://127.0.0.1:9863/metrics)
	case $body in *lnwatch_build_info*) ok "$name: scraped after the drop" ;;
	*) fail "$name: scraped after the drop" "no lnwatch_build_info" ;; esac
	stop
	check "$name: exit" "$RC" 0
else
	fail "$name: starts" "$(tail -2 "$ERR")"
fi

# ---- with the owners' capabilities: they are named, and kept ---------------
name="stated set + CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH"
rl "$NODE" eth0 1
if start "$(as_root $STATED,+sys_ptrace,+dac_read_search)"; then
	check "$name: CapEff after start" "$(status_of $P CapEff)" "$KEPT_OWNERS"
	send 2
	sleep 0.3
	check "$name: the owner of the socket named" \
		"$(jq -r 'select(.type=="event" and .verdict=="delivered") | .pid' "$OUT" | sort -u)" \
		"$SERVER_PID"
	stop
	check "$name: clean exit" "$RC" 0
else
	fail "$name: starts" "$(tail -3 "$ERR")"
fi
rl "$NODE" eth0 0

# ---- as root with every capability (sudo): the same reduced set ------------
name="root, every capability"
if start ""; then
	check "$name: CapEff after start" "$(status_of $P CapEff)" "$KEPT_OWNERS"
	check "$name: bounding set cut to it too" "$(status_of $P CapBnd)" "$KEPT_OWNERS"
	stop
	check "$name: clean exit" "$RC" 0
else
	fail "$name: starts" "$(tail -3 "$ERR")"
fi

# ---- as nobody with the stated set ambient (a systemd unit) ----------------
name="nobody, stated set ambient"
if start "$(as_nobody $STATED)"; then
	check "$name: CapEff after start" "$(status_of $P CapEff)" "$KEPT"
	check "$name: CapAmb emptied" "$(status_of $P CapAmb)" 0000000000000000
	stop
	check "$name: clean exit" "$RC" 0
else
	fail "$name: starts" "$(tail -3 "$ERR")"
fi

# ---- drop locations from /proc/kallsyms: CAP_SYSLOG, kept on that path ----
name="--fallback kallsyms with CAP_SYSLOG"
if start "$(as_root $STATED,+syslog)" --fallback kallsyms; then
	check "$name: CAP_SYSLOG kept" "$(status_of $P CapEff)" "$(capmask $CAP_BPF $CAP_NET_ADMIN 34)"
	stop
	check "$name: nothing said about kallsyms" "$(grep -c kallsyms "$ERR")" 0
else
	fail "$name: starts" "$(tail -3 "$ERR")"
fi
name="--fallback kallsyms without CAP_SYSLOG"
if start "$(as_root $STATED)" --fallback kallsyms; then
	stop
	# the kernel shows addresses to all with perf_event_paranoid <= 1
	check "$name: says locations are not named (paranoid > 1)" \
		"$(grep -c 'kallsyms shows no addresses without CAP_SYSLOG' "$ERR")" \
		"$(($(cat /proc/sys/kernel/perf_event_paranoid) > 1 ? 1 : 0))"
else
	fail "$name: starts" "$(tail -3 "$ERR")"
fi

# ---- one capability fewer: refused, naming it, nothing attached ------------
# fails WRAP WANT ARGS...: exit 1, the message names WANT, nothing attached
fails() {
	local wrap=$1 want=$2 what=$3 out; shift 3
	out=$(timeout -k 2 20 $NSX $wrap "$LNW" -d 2 --ready-file "$TMPD/rdy/no" "$@" 2>&1 >/dev/null)
	RC=$?
	check "$what: exit 1" "$RC" 1
	if grep -q "missing.*$want\|$want.*missing\|needs $want" <<<"$out"; then
		ok "$what: the message names $want"
	else
		fail "$what: the message names $want" "$out"
	fi
	check "$what: never ready" "$(ls "$TMPD/rdy/no" 2>/dev/null | wc -l)" 0
	check "$what: nothing attached" "$(no_progs)" 0
}
fails "$(as_root +perfmon,+net_admin)" CAP_BPF "without CAP_BPF"
fails "$(as_root +bpf,+net_admin)" CAP_PERFMON "without CAP_PERFMON"
fails "$(as_root +bpf,+perfmon)" CAP_NET_ADMIN "without CAP_NET_ADMIN"
fails "$(as_nobody +bpf,+perfmon)" CAP_NET_ADMIN "nobody without CAP_NET_ADMIN"
# CAP_SYS_ADMIN stands in for CAP_BPF and CAP_PERFMON, never CAP_NET_ADMIN
fails "$(as_root +sys_admin)" CAP_NET_ADMIN "CAP_SYS_ADMIN only"

# ---- --netns, --overhead: CAP_SYS_ADMIN too, and it is dropped after --------
fails "$(as_root $STATED)" CAP_SYS_ADMIN "--overhead without CAP_SYS_ADMIN" --overhead
out=$(timeout -k 2 20 $(as_root $STATED) "$LNW" -d 1 --netns "$NODE" 2>&1 >/dev/null); rc=$?
check "--netns without CAP_SYS_ADMIN: exit 1" "$rc" 1
check "--netns without CAP_SYS_ADMIN: names it" "$(grep -c 'needs CAP_SYS_ADMIN' <<<"$out")" 1
check "--netns without CAP_SYS_ADMIN: nothing attached" "$(no_progs)" 0

name="--overhead with CAP_SYS_ADMIN"
if start "$(as_root $STATED,+sys_admin)" --overhead; then
	check "$name: CAP_SYS_ADMIN dropped after start" "$(status_of $P CapEff)" "$KEPT"
	stop
	check "$name: clean exit" "$RC" 0
	check "$name: the stats still read" \
		"$(jq -r 'select(.type=="summary") | .overhead | length' "$OUT")" 7
else
	fail "$name: starts" "$(tail -3 "$ERR")"
fi

name="--netns with CAP_SYS_ADMIN"
rm -f "$TMPD/rdy/ready"
$(as_root $STATED,+sys_admin) "$LNW" -j --netns "$NODE" --ready-file "$TMPD/rdy/ready" \
	>"$TMPD/netns.json" 2>"$TMPD/netns.err" &
P=$!
PIDS+=("$P")
for i in $(seq 200); do [ -f "$TMPD/rdy/ready" ] && break; kill -0 $P 2>/dev/null || break; sleep 0.05; done
if [ -f "$TMPD/rdy/ready" ]; then
	check "$name: CAP_SYS_ADMIN dropped after start" "$(status_of $P CapEff)" "$KEPT"
	stop
	check "$name: clean exit" "$RC" 0
else
	fail "$name: starts" "$(tail -3 "$TMPD/netns.err")"
fi
check "privileges: nothing left attached" "$(no_progs)" 0

# ---- the audit: CAP_NET_ADMIN (CAP_SYS_ADMIN too for --netns) ---------------
audit() { # WRAP ARGS...: rc in RC, stderr in AERR
	timeout -k 2 30 $1 "$LNW" audit "${@:2}" >"$TMPD/a.out" 2>"$TMPD/a.err"
	RC=$?
	AERR=$(cat "$TMPD/a.err")
}
audit "$NSX $(as_root +net_admin)"
check "audit with CAP_NET_ADMIN: a report (exit 0 or 1)" "$([ $RC -le 1 ] && [ -s "$TMPD/a.out" ] && echo yes || echo "no: exit $RC: $AERR")" yes
audit "$NSX $(as_nobody +net_admin)"
check "audit as nobody with CAP_NET_ADMIN: a report" "$([ $RC -le 1 ] && [ -s "$TMPD/a.out" ] && echo yes || echo "no: exit $RC: $AERR")" yes
# the owner of a socket: its pid from /proc, as the watch reads it
owner() { jq -r '[.. | objects | select(.port? == 5000 and .proto? == "udp") | .pid | tostring] | unique | join(",")' "$TMPD/a.out"; }
audit "$NSX $(as_root +net_admin)" -j
check "audit with CAP_NET_ADMIN only: a root service's owner not named" "$(owner)" null
audit "$NSX $(as_root +net_admin,+sys_ptrace,+dac_read_search)" -j
check "audit with CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH too: its owner named" "$(owner)" "$SERVER_PID"
audit "$NSX $(as_root +sys_admin)"
check "audit without CAP_NET_ADMIN: exit 2" "$RC" 2
check "audit without CAP_NET_ADMIN: names it" "$(grep -c 'CAP_NET_ADMIN' <<<"$AERR")" 1
audit "$(as_root +net_admin)" --netns "$NODE"
check "audit --netns without CAP_SYS_ADMIN: exit 2" "$RC" 2
check "audit --netns without CAP_SYS_ADMIN: names it" "$(grep -c 'CAP_SYS_ADMIN' <<<"$AERR")" 1
audit "$(as_root +net_admin,+sys_admin)" --netns "$NODE"
check "audit --netns with both: a report" "$([ $RC -le 1 ] && [ -s "$TMPD/a.out" ] && echo yes || echo "no: exit $RC: $AERR")" yes

e2e_done

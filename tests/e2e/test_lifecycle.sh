#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Start, stop, die, and refuse: nothing stays attached however lnwatch
# exits, and bad input gets a clear message and a non-zero exit.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }

# lnw_progs (lib.sh): this run's lnw_ programs, not another lnwatch's.
# Program release is deferred (RCU): give the kernel a moment.
wait_no_progs() {
	local i
	for i in $(seq 40); do [ "$(lnw_progs)" = 0 ] && break; sleep 0.05; done
	lnw_progs
}
BASE_PROGS=$(lnw_progs)
check "no lnwatch program loaded before" "$BASE_PROGS" 0

# SIGKILL: the tcx link belongs to the process's fd and dies with it; so
# do the route hooks (attached: the flag is on).
rl "$NODE" eth0 1
lnw_start "$NODE" || fail "SIGKILL" "lnwatch did not start"
check "running: one tcx link" "$(lnw_links 11)" 1
check "running: three tracepoint links" "$(lnw_links raw_tracepoint)" 3
check "running: 8 programs loaded (tc for Ethernet and for IP-only devices, kfree_skb, fib, sk_data_ready, ksym, sysctl, netfilter)" "$(lnw_progs)" 8
kill -KILL "$LNW_PID"; wait "$LNW_PID" 2>/dev/null
check "SIGKILL: no program left" "$(wait_no_progs)" 0
check "SIGKILL: no link left" "$(lnw_links)" 0
check "SIGKILL: no clsact either" "$(tc -n "$NODE" qdisc show dev eth0 | grep -c clsact)" 0
rl "$NODE" eth0 0

# SIGTERM: a summary, exit 0, nothing left.
lnw_start "$NODE" || fail "SIGTERM" "lnwatch did not start"
kill -TERM "$LNW_PID"; wait "$LNW_PID"; rc=$?
check "SIGTERM: exit code" $rc 0
check "SIGTERM: summary printed" "$(jq -c 'select(.type=="summary")' "$LNW_OUT" | wc -l)" 1
check "SIGTERM: no program left" "$(wait_no_progs)" 0
check "SIGTERM: ready file removed" "$(ls "$TMPD/ready" 2>/dev/null | wc -l)" 0

# --duration ends it by itself.
start=$(date +%s%N)
ip netns exec "$NODE" "$LNW" -j -d 0.5 > "$TMPD/d.json" 2>&1; rc=$?
took=$(( ($(date +%s%N) - start) / 1000000 ))
check "-d 0.5: exit code" $rc 0
check "-d 0.5: one summary" "$(jq -c 'select(.type=="summary")' "$TMPD/d.json" | wc -l)" 1
if [ "$took" -lt 5000 ]; then ok "-d 0.5: ends within 5 s (${took} ms)"; else fail "-d 0.5: ends" "${took} ms"; fi

# clsact SIGTERM cleanup: covered in test_fallbacks.sh (qdisc gone).

# Bad input: message, non-zero exit, no hang, JSON errors are JSON.
expect_err() { # NAME RC PATTERN -- CMD...
	local name=$1 want=$2 pat=$3 out rc; shift 4
	out=$(timeout 10 "$@" 2>&1); rc=$?
	check "$name: exit code" $rc "$want"
	if grep -q -- "$pat" <<<"$out"; then ok "$name: says '$pat'"; \
	else fail "$name: message" "got: $(head -2 <<<"$out")"; fi
}
NX="ip netns exec $NODE"
expect_err "unknown interface" 1 "unknown interface 'nope0'" -- $NX "$LNW" -i nope0
expect_err "loopback interface" 1 "loopback device" -- $NX "$LNW" -i lo
expect_err "bad duration" 64 "invalid duration" -- "$LNW" -d abc
expect_err "negative duration" 64 "invalid duration" -- "$LNW" -d -1
expect_err "unknown option" 64 "unrecognized option" -- "$LNW" --bogus
expect_err "stray argument" 64 "unexpected argument" -- "$LNW" eth0
expect_err "bad fallback" 64 "invalid --fallback" -- "$LNW" --fallback tcx
expect_err "interface name too long" 64 "invalid interface name" -- "$LNW" -i 0123456789abcdefg
expect_err "unwritable ready file" 1 "cannot create ready file" -- $NX "$LNW" -d 0.2 --ready-file /nonexistent/dir/r
out=$($NX "$LNW" -j -i nope0 2>/dev/null); rc=$?
check "JSON error: exit code" $rc 1
check "JSON error: an {\"error\"} object" "$(jq -r '.error' <<<"$out" 2>/dev/null | grep -c "unknown interface")" 1

out=$("$LNW" -j -d soon 2>/dev/null); rc=$?
check "JSON usage error: exit code" $rc 64
check "JSON usage error: an {\"error\"} object" "$(jq -r '.error' <<<"$out" 2>/dev/null)" "invalid duration 'soon': want seconds, more than 0 and at most 604800 (a week)"
out=$("$LNW" --bogus -j 2>/dev/null); rc=$?
check "JSON unknown option: exit code" $rc 64
check "JSON unknown option: an {\"error\"} object" "$(jq -r 'has("error")' <<<"$out" 2>/dev/null)" true

# No interface but lo.
LONE="$TAG-lone"
netns_add "$LONE"
expect_err "no interface to watch" 1 "no non-loopback interface" -- ip netns exec "$LONE" "$LNW"

# Not root: names what is missing.
expect_err "unprivileged" 1 "needs root" -- \
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$LNW" -d 1

# No kernel BTF: a private mount namespace hides it from lnwatch only.
expect_err "no BTF" 1 "needs kernel BTF" -- \
	$NX unshare -m sh -c "mount -t tmpfs none /sys/kernel/btf && exec $LNW -d 1"

check "nothing left loaded at the end" "$(wait_no_progs)" 0
e2e_done

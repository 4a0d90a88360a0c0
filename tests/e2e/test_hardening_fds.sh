#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# File descriptors and many interfaces (issue 13): the fd soft limit is
# raised to the hard one, so a low soft limit watches everything; with a
# low hard limit the interfaces past the fds a tcx link each can have go
# through clsact (no fd a device), said without -v, none left unwatched;
# the interface list has no cap (4,096 today).
. "$(dirname "$0")/lib.sh"

MANY="$TAG-many"
netns_add "$MANY" || { fail "namespace" "cannot create it"; exit 1; }
for i in $(seq 60); do echo "link add d$i type ifb"; echo "link set d$i up"; done |
	ip -n "$MANY" -batch - || { fail "60 interfaces" "cannot create them"; exit 1; }

# Soft limit 50, hard as it is: raised, all 60 watched.
(ulimit -S -n 50; exec ip netns exec "$MANY" "$LNW" -v -d 0.3 >/dev/null 2>"$TMPD/soft.err"); rc=$?
check "soft limit 50: exit code" "$rc" 0
check "soft limit 50: every interface watched" \
	"$(grep -o 'lnwatch: [0-9]* interface(s)' "$TMPD/soft.err")" "lnwatch: 60 interface(s)"

# Hard limit 50: no fd to spare for a tcx link each, so every interface
# is watched through clsact (no fd a device), and that is said without -v.
(ulimit -n 50; exec ip netns exec "$MANY" "$LNW" -d 0.3 >/dev/null 2>"$TMPD/hard.err"); rc=$?
check "hard limit 50: exit code" "$rc" 0
check "hard limit 50: the switch to clsact is said once, without -v" \
	"$(grep -c 'leaves no fd for a tcx link on every interface' "$TMPD/hard.err")" 1
check "hard limit 50: no interface left unwatched" "$(grep -c 'not watched' "$TMPD/hard.err")" 0
check "hard limit 50: no qdisc left" "$(ip netns exec "$MANY" tc qdisc show | grep -c clsact)" 0

# 600 interfaces under `ulimit -n 256` with --attach tcx (a tcx link
# each would need 600; auto would go clsact past 64 anyway): every one
# watched, tcx while fds last and clsact after, counted in the kernel
# while lnwatch runs; nothing left after.
FDNS="$TAG-fds"
netns_add "$FDNS" || { fail "namespace" "cannot create it"; exit 1; }
for i in $(seq 600); do echo "link add f$i type ifb"; echo "link set f$i up"; done |
	ip -n "$FDNS" -batch - || { fail "600 interfaces" "cannot create them"; exit 1; }
rm -f "$TMPD/ready"
(ulimit -n 256; exec ip netns exec "$FDNS" "$LNW" --attach tcx -d 60 --ready-file "$TMPD/ready" \
	>/dev/null 2>"$TMPD/fds.err") &
FPID=$!
PIDS+=("$FPID")
for _ in $(seq 600); do [ -f "$TMPD/ready" ] || ! kill -0 "$FPID" 2>/dev/null && break; sleep 0.1; done
# its tcx links from its fds (this bpftool predates tcx), its filters from tc
tcx=$(grep -ls '^link_type:[[:space:]]*tcx' /proc/"$FPID"/fdinfo/* | wc -l)
cls=$(ip netns exec "$FDNS" bpftool -j net | jq '[.[0].tc[]? | select(.name | startswith("lnw_"))] | length')
fds=$(ls /proc/"$FPID"/fd 2>/dev/null | wc -l)
progs=$(sed -n 's/^prog_id:\s*//p' /proc/"$FPID"/fdinfo/* 2>/dev/null | sort -un | paste -sd' ')
kill -INT "$FPID" 2>/dev/null
wait "$FPID"; rc=$?
check "ulimit -n 256, 600 interfaces: exit code" "$rc" 0
check "ulimit -n 256, 600 interfaces: every one attached in the kernel (tcx + clsact)" \
	$((tcx + cls)) 600
check_ge "ulimit -n 256, 600 interfaces: tcx while fds last" "$tcx" 100
if [ "$fds" -ge 1 ] && [ "$fds" -le 256 ]; then ok "ulimit -n 256: $fds fds held"; \
else fail "ulimit -n 256: fds held" "$fds"; fi
check "ulimit -n 256: the switch to clsact said once, without -v" \
	"$(grep -c 'leaves no fd for a tcx link on every interface' "$TMPD/fds.err")" 1
check "ulimit -n 256: no interface left unwatched" "$(grep -c 'not watched' "$TMPD/fds.err")" 0
check "ulimit -n 256: no filter left" \
	"$(ip netns exec "$FDNS" bpftool -j net | jq '[.[0].tc[]?] | length')" 0
check "ulimit -n 256: no tcx link of its programs left" "$(bpftool -j link show |
	jq --arg ids " $progs " '[.[] | select(.type == 11 and (.prog_id as $p | $ids | contains(" \($p) ")))] | length')" 0
check "ulimit -n 256: no qdisc left" "$(ip netns exec "$FDNS" tc qdisc show | grep -c clsact)" 0

# No cap on the interface list: the 4,101st interface is found.
LOTS="$TAG-lots"
netns_add "$LOTS" || { fail "namespace" "cannot create it"; exit 1; }
for i in $(seq 4100); do echo "link add d$i type ifb"; done | ip -n "$LOTS" -batch - &&
ip -n "$LOTS" link add late0 type ifb && ip -n "$LOTS" link set late0 up ||
	{ fail "4,101 interfaces" "cannot create them"; exit 1; }
ip netns exec "$LOTS" "$LNW" -i late0 -d 0.3 >/dev/null 2>"$TMPD/lots.err"; rc=$?
check "-i late0, the 4,101st interface: exit code" "$rc" 0
check "-i late0, the 4,101st interface: found" "$(grep -c 'unknown interface' "$TMPD/lots.err")" 0

e2e_done

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# File descriptors and many interfaces (issue 13): the fd soft limit is
# raised to the hard one, so a low soft limit watches everything; an
# interface that cannot be watched (the hard limit reached) is said
# without -v; the interface list has no cap (4,096 today).
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

# Hard limit 50: some cannot be watched, and each is said without -v.
(ulimit -n 50; exec ip netns exec "$MANY" "$LNW" -d 0.3 >/dev/null 2>"$TMPD/hard.err")
check_ge "hard limit 50: each interface left unwatched is said, without -v" \
	"$(grep -c 'not watched: tcx attach failed: Too many open files' "$TMPD/hard.err")" 10

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

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# --ready-file as root in a directory others can write to: never written
# through a planted link, never over a device, FIFO or directory, and
# removed at exit only while it is still the file lnwatch made.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }

# run_with PATH: lnwatch -d 1 in the node with --ready-file PATH; rc in RC.
run_with() {
	timeout -k 2 10 ip netns exec "$NODE" "$LNW" -d 1 --ready-file "$1" \
		>"$TMPD/out" 2>"$TMPD/err"
	RC=$?
}

# A world-writable directory, as /tmp is; `nobody` plants links there.
W=$TMPD/world
mkdir -m 1777 "$W"
echo secret >"$TMPD/victim"
chmod 600 "$TMPD/victim"

ln -s "$TMPD/victim" "$W/ready"
run_with "$W/ready"
check "symlink: refused (exit 1)" "$RC" 1
check "symlink: its target untouched" "$(cat "$TMPD/victim")" secret
check "symlink: the link itself left" "$(readlink "$W/ready")" "$TMPD/victim"
check "symlink: the message says why" \
	"$(grep -c 'symbolic link, not a regular file' "$TMPD/err")" 1
rm -f "$W/ready"

mknod "$W/null" c 1 3
run_with "$W/null"
check "device node: refused (exit 1)" "$RC" 1
check "device node: still a device" "$(stat -c %F "$W/null")" "character special file"

mkfifo "$W/fifo"
start=$(date +%s%N)
run_with "$W/fifo"
ms=$((($(date +%s%N) - start) / 1000000))
check "FIFO: refused (exit 1)" "$RC" 1
check "FIFO: no hang (refused within 5 s)" "$([ "$ms" -lt 5000 ] && echo yes || echo "no: $ms ms")" yes
check "FIFO: still a FIFO" "$(stat -c %F "$W/fifo")" fifo

# A stale regular file is replaced, with our PID, and removed at exit.
echo stale >"$W/plain"
ip netns exec "$NODE" "$LNW" --ready-file "$W/plain" >"$TMPD/out" 2>"$TMPD/err" &
pid=$!
PIDS+=("$pid")
for _ in $(seq 100); do grep -qx "$pid" "$W/plain" 2>/dev/null && break; sleep 0.05; done
check "regular file: holds lnwatch's PID" "$(cat "$W/plain" 2>/dev/null)" "$pid"
check "regular file: mode 0644" "$(stat -c %a "$W/plain")" 644
check "regular file: no temporary left beside it" "$(ls "$W" | grep -c '^plain\.')" 0
kill -INT "$pid"; wait "$pid"; rc=$?
check "regular file: clean exit" "$rc" 0
check "regular file: removed at exit" "$(ls "$W/plain" 2>/dev/null | wc -l)" 0

# Replaced by someone else meanwhile: theirs is left alone.
ip netns exec "$NODE" "$LNW" --ready-file "$W/mine" >"$TMPD/out" 2>"$TMPD/err" &
pid=$!
PIDS+=("$pid")
for _ in $(seq 100); do [ -s "$W/mine" ] && break; sleep 0.05; done
echo theirs >"$W/other" && mv "$W/other" "$W/mine"
kill -INT "$pid"; wait "$pid"; rc=$?
check "replaced meanwhile: clean exit" "$rc" 0
check "replaced meanwhile: the other file is kept" "$(cat "$W/mine" 2>/dev/null)" theirs

e2e_done

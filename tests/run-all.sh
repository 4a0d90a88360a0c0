#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Every test: unit (pure logic), BPF (BPF_PROG_TEST_RUN in this kernel),
# end to end (real packets through namespaces each test creates). After
# each, nothing may be left behind. Ends with "N passed, N failed".
# A SKIP fails the suite unless LNW_ALLOW_SKIP=1 (CI never sets it).
set -u
OUT=$(cd "${1:-build}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
export OUT
PASSED=0 FAILED=0 SKIPPED=0
LOG=$(mktemp /tmp/lnw-suite.XXXXXX)
trap 'rm -f "$LOG"' EXIT

tally() { # reads a test's output, echoes it, counts it
	local line
	while IFS= read -r line; do
		printf '%s\n' "$line"
		case $line in
		"ok - "*) PASSED=$((PASSED + 1)) ;;
		"FAIL - "*) FAILED=$((FAILED + 1)) ;;
		"SKIP - "*) SKIPPED=$((SKIPPED + 1)) ;;
		esac
	done
}

# run NAME CMD...: a test program; a crash or non-zero exit without a
# FAIL line still counts as a failure.
run() {
	local name=$1 rc before=$FAILED; shift
	echo "# --- $name"
	"$@" >"$LOG" 2>&1
	rc=$?
	tally <"$LOG"
	if [ $rc -ne 0 ] && [ $FAILED -eq $before ]; then
		echo "FAIL - $name: exited $rc without a FAIL line"
		FAILED=$((FAILED + 1))
	fi
	leftovers "$name"
}

# The machine as we found it: namespaces, programs, processes, files.
leftovers() {
	local left="" i
	for i in $(seq 40); do # program release is RCU-deferred
		bpftool prog show 2>/dev/null | grep -q ' name lnw_' || break
		sleep 0.05
	done
	left+=$(ip netns list 2>/dev/null | awk '/^lnwt/ {printf " netns:%s", $1}')
	left+=$(bpftool prog show 2>/dev/null | awk '/ name lnw_/ {printf " prog:%s", $4}')
	left+=$(pgrep -f "$OUT/lnwatch-san" | awk '{printf " pid:%s", $1}')
	left+=$(ls -d /tmp/lnwt.* 2>/dev/null | awk '{printf " dir:%s", $1}')
	if [ -z "$left" ]; then
		echo "ok - $1: nothing left behind"
		PASSED=$((PASSED + 1))
	else
		echo "FAIL - $1: left behind:$left"
		FAILED=$((FAILED + 1))
	fi
}

if [ "$(id -u)" != 0 ]; then
	echo "SKIP - whole suite: needs root (BPF, namespaces): run 'sudo make check'"
	echo "0 passed, 1 failed"
	exit 1
fi

for t in "$OUT"/unit/test_*; do
	run "unit/$(basename "$t")" "$t"
done
run bpf-test-run "$OUT/test_tc_run"
for t in "$HERE"/e2e/test_*.sh; do
	run "e2e/$(basename "$t" .sh)" bash "$t"
done

# The kernel matrix: Debian 12's 6.1 and 6.12 under qemu (tests/kernels).
if [ "${LNW_SKIP_KERNELS:-0}" != 1 ]; then
	run kernels "$HERE/kernels/run.sh" "$OUT"
fi

if [ $SKIPPED -gt 0 ] && [ "${LNW_ALLOW_SKIP:-0}" != 1 ]; then
	echo "FAIL - suite: $SKIPPED test(s) skipped; nothing may skip"
	FAILED=$((FAILED + 1))
fi
echo "$PASSED passed, $FAILED failed"
[ $FAILED -eq 0 ]

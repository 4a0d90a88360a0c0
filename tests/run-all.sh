#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Every test: unit (pure logic), BPF (BPF_PROG_TEST_RUN in this kernel),
# end to end (real packets through namespaces each test creates). After
# each, nothing of this run may be left behind. Ends with
# "N passed, N failed".
# A SKIP fails the suite unless LNW_ALLOW_SKIP=1 (CI never sets it).
#
# usage: tests/run-all.sh [OUT [TEST...]]: with TESTs (test programs or
# e2e .sh files), only those, each followed by its leftover check.
#
# Every test program prints TAP, numbered per program, its plan last:
#   ok N - NAME | not ok N - NAME: WHY | ok N - NAME # SKIP WHY | 1..N
# (`prove --exec bash tests/e2e/test_scope.sh`, `prove --exec ''
# build/unit/test_unit` read one). This script echoes every line and
# counts them; its own lines (leftover checks, what a program did wrong)
# are TAP too, in its own numbering, its plan before the last line.
#
# This run is LNW_RUN_TAG (exported; tests/e2e/lib.sh names what it makes
# after it): the leftover check looks at this run's namespaces, temp dirs,
# processes and BPF programs only, never at another lnwatch's or another
# checkout's test run on the same machine.
set -u
OUT=$(cd "${1:-build}" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
shift $(($# > 0 ? 1 : 0))
export OUT
PASSED=0 FAILED=0 SKIPPED=0
OWN=0 # this script's own result lines
LOG=$(mktemp /tmp/lnw-suite.XXXXXX)
trap 'rm -f "$LOG"' EXIT

# This run's tag, always a new one (a run inside a test is a run of its
# own), and what is ours: lib.sh's first part.
unset LNW_RUN_TAG
LNW_SCOPE_ONLY=1
. "$HERE/e2e/lib.sh"
unset LNW_SCOPE_ONLY

own_ok() {
	OWN=$((OWN + 1)) PASSED=$((PASSED + 1))
	echo "ok $OWN - $1"
}
own_fail() {
	OWN=$((OWN + 1)) FAILED=$((FAILED + 1))
	echo "not ok $OWN - $1"
}

# tally NAME: reads a test program's output, echoes it, counts its TAP
# lines; a plan that does not match them is a failure.
tally() {
	local line plan="" n=0 re_res='^(not )?ok( [0-9]+)?( |$)'
	while IFS= read -r line; do
		printf '%s\n' "$line"
		if [[ $line =~ $re_res ]]; then
			[ -n "${BASH_REMATCH[2]}" ] && n=$((n + 1))
			if [ -n "${BASH_REMATCH[1]}" ]; then
				FAILED=$((FAILED + 1))
			elif [[ ${line,,} =~ \ \#\ *skip ]]; then
				SKIPPED=$((SKIPPED + 1))
			else
				PASSED=$((PASSED + 1))
			fi
		elif [[ $line =~ ^1\.\.([0-9]+) ]]; then
			plan=${BASH_REMATCH[1]}
		elif [[ $line == "Bail out!"* || $line == "FAIL - "* ]]; then
			FAILED=$((FAILED + 1)) # FAIL, SKIP: the old protocol's lines
		elif [[ $line == "SKIP - "* ]]; then
			SKIPPED=$((SKIPPED + 1))
		fi
	done
	if [ -z "$plan" ]; then
		own_fail "$1: printed its plan (1..N): none"
	elif [ "$plan" != $n ]; then
		own_fail "$1: printed its plan (1..N): 1..$plan for $n result lines"
	fi
}

# run NAME CMD...: a test program; a crash or non-zero exit without a
# failing line still counts as a failure.
run() {
	local name=$1 rc before=$FAILED base; shift
	echo "# --- $name"
	base=$(lnw_prog_ids | tr '\n' ' ')
	"$@" >"$LOG" 2>&1
	rc=$?
	tally "$name" <"$LOG"
	if [ $rc -ne 0 ] && [ $FAILED -eq $before ]; then
		own_fail "$name: exited $rc without a failing line"
	fi
	leftovers "$name" "$base"
}

# leftovers NAME BASE: what this run made is gone (lib.sh says what is
# ours): namespaces lnwt-TAG-*, temp dirs /tmp/lnwt.TAG.*, processes with
# the tag, lnw_ programs a process of ours holds or that nobody holds and
# were not loaded before the program ran (BASE).
leftovers() {
	local left="" i progs
	for i in $(seq 60); do # program release is RCU-deferred
		progs=$(lnw_our_progs "$2")
		[ -z "$progs" ] && break
		sleep 0.05
	done
	left+=$(run_netns | awk '{printf " netns:%s", $1}')
	left+=$(echo "$progs" | awk 'NF {printf " prog:%s", $1}')
	left+=$(run_leftover_pids | while read -r p; do
		printf ' pid:%s(%s)' "$p" "$(tr -d '\n' </proc/"$p"/comm 2>/dev/null)"; done)
	left+=$(run_dirs | awk '{printf " dir:%s", $1}')
	if [ -z "$left" ]; then
		own_ok "$1: nothing left behind"
	else
		own_fail "$1: left behind:$left"
	fi
}

finish() {
	echo "1..$OWN"
	echo "$PASSED passed, $FAILED failed"
	[ $FAILED -eq 0 ]
	exit
}

if [ "$(id -u)" != 0 ]; then
	own_fail "whole suite: needs root (BPF, namespaces): run 'sudo make check'"
	finish
fi
echo "# run $LNW_RUN_TAG"

if [ $# -gt 0 ]; then
	for t in "$@"; do
		case $t in
		*.sh) run "$(basename "$(dirname "$t")")/$(basename "$t" .sh)" bash "$t" ;;
		*) run "$(basename "$t")" "$t" ;;
		esac
	done
else
	for t in "$OUT"/unit/test_*; do
		run "unit/$(basename "$t")" "$t"
	done
	run bpf-test-run "$OUT/test_tc_run"
	# libFuzzer targets, 30 s each on their committed corpus
	run fuzz "$HERE/fuzz/run.sh" "$OUT" "${LNW_FUZZ_TIME:-30}"
	for t in "$HERE"/e2e/test_*.sh; do
		run "e2e/$(basename "$t" .sh)" bash "$t"
	done

	# The kernel matrix: Debian 12's 6.1 and 6.12 under qemu (tests/kernels).
	if [ "${LNW_SKIP_KERNELS:-0}" != 1 ]; then
		run kernels "$HERE/kernels/run.sh" "$OUT"
	fi
fi

if [ $SKIPPED -gt 0 ] && [ "${LNW_ALLOW_SKIP:-0}" != 1 ]; then
	own_fail "suite: $SKIPPED test(s) skipped; nothing may skip"
fi
finish

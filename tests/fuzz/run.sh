#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Runs every libFuzzer target ($OUT/fuzz/fuzz_*) for SECONDS on its
# committed corpus (tests/fuzz/corpus/TARGET, each file one input, the
# regression inputs of fixed bugs among them), prints TAP: one line per
# target, with its executions and executions per second. A crash, a leak,
# a sanitizer report or a timeout fails the target; the input that did it
# is printed (base64) so it can be added to the corpus with the fix.
#
# usage: tests/fuzz/run.sh OUT [SECONDS [KEEP_DIR]]: new inputs go to
# KEEP_DIR/TARGET (make fuzz), else to a temp dir removed at exit.
set -u
OUT=$(cd "${1:-build}" && pwd)
SECS=${2:-30}
KEEP=${3:-}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d /tmp/lnw-fuzz.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
n=0 failed=0

for bin in "$OUT"/fuzz/fuzz_*; do
	[ -x "$bin" ] && [ -f "$bin" ] || continue
	t=$(basename "$bin")
	t=${t#fuzz_}
	n=$((n + 1))
	seeds=$HERE/corpus/$t
	if [ -n "$KEEP" ]; then
		work=$KEEP/$t
	else
		work=$TMP/corpus-$t
	fi
	art=$TMP/art-$t
	[ -n "$KEEP" ] && art=$KEEP/artifacts-$t
	mkdir -p "$work" "$art"
	log=$TMP/$t.log
	# -rss_limit_mb: far above what any input needs; -timeout: a hang is
	# a failure too. The first dir takes new inputs, the seeds stay as they are.
	"$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=1024 \
		-print_final_stats=1 -artifact_prefix="$art/" \
		"$work" "$seeds" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	if [ $rc -eq 0 ] && [ -n "$execs" ]; then
		echo "ok $n - fuzz $t: ${SECS}s, $execs executions, $rate/s," \
		     "$(ls "$seeds" | wc -l) seeds, no crash or leak"
		continue
	fi
	failed=$((failed + 1))
	why=$(grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY' "$log")
	echo "not ok $n - fuzz $t: exit $rc: ${why:-no final stats}"
	sed 's/^/# /' "$log" | grep -v '^# #[0-9]' | tail -40
	for a in "$art"/*; do
		[ -f "$a" ] || continue
		echo "# input $(basename "$a") (base64; add to tests/fuzz/corpus/$t with the fix):"
		base64 -w 76 "$a" | sed 's/^/#   /'
	done
done
if [ $n -eq 0 ]; then
	n=1
	echo "not ok 1 - fuzz: no target built in $OUT/fuzz (make fuzz-build)"
	failed=1
fi
echo "1..$n"
[ $failed -eq 0 ]

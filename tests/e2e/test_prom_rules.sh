#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The alert rules of deploy/prometheus: valid for Prometheus (promtool
# check rules), each alert unit-tested on series shaped as lnwatch exports
# them (promtool test rules), and a broken rule fails its test. No kernel
# and no namespace: promtool evaluates them on its own.
. "$(dirname "$0")/lib.sh"

DIR=$(cd "$E2E_DIR/../../deploy/prometheus" && pwd)
RULES=lnwatch.rules.yml
TESTS=lnwatch.rules.test.yml

command -v promtool >/dev/null || { fail "promtool installed" "missing (make deps)"; exit 1; }
if out=$(cd "$DIR" && promtool check rules $RULES 2>&1); then ok "promtool check rules"; \
else fail "promtool check rules" "$out"; fi
if out=$(cd "$DIR" && promtool test rules $TESTS 2>&1); then ok "promtool test rules"; \
else fail "promtool test rules" "$out"; fi

# every alert has a case that fires it
untested=""
for a in $(sed -n 's/^ *- alert: *//p' "$DIR/$RULES"); do
	grep -A3 "alertname: $a\$" "$DIR/$TESTS" | grep -q 'exp_labels' || untested+=" $a"
done
check "every alert has a firing case" "${untested:-none}" none
check "the five alerts" "$(grep -c '^ *- alert:' "$DIR/$RULES")" 5

# the tests can fail: a martian threshold twice as high misses the case
sed 's/) > 1$/) > 3/' "$DIR/$RULES" >"$TMPD/$RULES"
cp "$DIR/$TESTS" "$TMPD/"
if (cd "$TMPD" && promtool test rules $TESTS >/dev/null 2>&1); then
	fail "a broken rule fails its test" "promtool passed it"
else ok "a broken rule fails its test"; fi

e2e_done

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The suite beside another lnwatch. Two lnwatch runs that are not this
# suite's, as another checkout's tests or a service would run them: no
# LNW_RUN_TAG, their namespaces and temp dirs named as other runs name
# theirs (lnwt<N>-*, /tmp/lnwt.*), their programs loaded and attached; one
# (build/lnwatch) started before, one (lnwatch-san, what the old check
# looked for) while a test file runs. tests/run-all.sh runs real e2e files
# beside them, with its leftover check: all pass, and the two are
# untouched and still watching. Then a test file that leaks a namespace, a
# running lnwatch-san and a temp dir: the check names exactly those,
# nothing of the other two's. Everything made here goes on any exit.
. "$(dirname "$0")/lib.sh"

RUN_ALL=$E2E_DIR/../run-all.sh
INNER=("$E2E_DIR/test_lifecycle.sh" "$E2E_DIR/test_route_hooks.sh")
WINDOW=e2e/test_route_hooks # the file during which the second one starts
LEAK_INFO=$TMPD/leak.info   # what the leaking file made: "NETNS PID DIR"
F_DIRS=()

# leak_cleanup: whatever the leaking file left (made by this test)
leak_cleanup() {
	local ns pid dir
	if [ -s "$LEAK_INFO" ]; then
		read -r ns pid dir <"$LEAK_INFO"
		# the leaked lnwatch-san, if that pid still is it
		if [ -n "$pid" ] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$dir/"; then
			kill -KILL "$pid" 2>/dev/null
		fi
		case $ns in lnwt-"$INNER_TAG"-*) ip netns del "$ns" 2>/dev/null ;; esac
		case $dir in /tmp/lnwt."$INNER_TAG".*) rm -rf "$dir" ;; esac
	fi
	rm -f "$LEAK_INFO"
}
# sweep TAG: whatever a run started here (tests/run-all.sh, its own tag)
# left, were it cut short or failing: its processes (TERM: their traps
# clean up; then KILL), namespaces, temp dirs. All of them were made here.
sweep() {
	local tag=$1 sig p ns n
	[[ $tag =~ ^r[0-9a-f]{8}$ ]] || return 0 # a tag as run-all.sh makes them, or nothing
	for sig in TERM KILL; do
		n=0
		for p in $(LNW_RUN_TAG=$tag run_pids); do
			[ "$p" = $$ ] && continue
			# still that run's (the pid may be a gone grep's)
			grep -qsxz "LNW_RUN_TAG=$tag" "/proc/$p/environ" ||
				tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -qF -- "$tag" || continue
			kill -"$sig" "$p" 2>/dev/null && n=$((n + 1))
		done
		[ $n -eq 0 ] && break
		sleep 1
	done
	for ns in $(LNW_RUN_TAG=$tag run_netns); do ip netns del "$ns"; done
	rm -rf /tmp/lnwt."$tag".*
}
test_cleanup() { # lib.sh, on exit: the runs started here, the leak, the foreign runs' dirs
	local t
	for t in "${INNER_TAGS[@]}"; do sweep "$t"; done
	leak_cleanup
	rm -rf "${F_DIRS[@]}"
}
INNER_TAG=none INNER_TAGS=()

# foreign_start LABEL BINARY: an lnwatch outside this run, --netns its own
# namespace with a veth pair; sets F_PID F_NS F_DIR F_IDS (its programs).
foreign_start() {
	local i
	F_NS="lnwt$((RANDOM % 90000 + 10000))-coexist-$1"
	F_DIR=$(mktemp -d /tmp/lnwt.XXXXXX)
	F_DIRS+=("$F_DIR")
	F_PID=
	ip netns add "$F_NS" || return 1
	NAMESPACES+=("$F_NS")
	ip -n "$F_NS" link set lo up &&
	ip -n "$F_NS" link add v0 type veth peer name v1 &&
	ip -n "$F_NS" link set v0 up && ip -n "$F_NS" link set v1 up || return 1
	env -u LNW_RUN_TAG "$2" -j --netns "$F_NS" --ready-file "$F_DIR/ready" \
		>"$F_DIR/out.json" 2>"$F_DIR/err" &
	F_PID=$!
	PIDS+=("$F_PID")
	for i in $(seq 300); do
		[ -f "$F_DIR/ready" ] && break
		kill -0 "$F_PID" 2>/dev/null || break
		sleep 0.05
	done
	if [ ! -f "$F_DIR/ready" ]; then
		echo "# $1: not ready: $(tail -3 "$F_DIR/err")"
		return 1
	fi
	F_IDS=$(held_by "$F_PID")
}

held_by() { # PID: the program ids it holds, sorted, on one line
	grep -hs '^prog_id:' /proc/"$1"/fdinfo/* | awk '{print $2}' | sort -un | paste -sd' ' -
}

# intact LABEL PID NS DIR IDS: still running, holding the same programs,
# its namespace and temp dir there.
intact() {
	local gone="" id
	check "$1: still running" "$(kill -0 "$2" 2>/dev/null && echo yes)" yes
	for id in $5; do bpftool prog show id "$id" >/dev/null 2>&1 || gone+=" $id"; done
	check "$1: its programs still loaded ($5)" "${gone# }" ""
	check "$1: still holds them" "$(held_by "$2")" "$5"
	check "$1: its namespace still there" "$(ip netns list | awk '{print $1}' | grep -cx "$3")" 1
	check "$1: its temp dir still there" "$(ls "$4/ready" 2>/dev/null | wc -l)" 1
}

# foreign_stop LABEL PID NS DIR IDS: a martian into its namespace is
# reported (it still watches); SIGINT: exit 0; then its programs, its
# namespace and its dir go.
foreign_stop() {
	local rc i left id mac
	mac=$(mac_of "$3" v0)
	ip netns exec "$3" "$PKTGEN" v1 "$mac" 10.98.0.2 127.0.0.1 40000 5000 2
	sleep 0.3
	kill -INT "$2" 2>/dev/null
	wait "$2"
	rc=$?
	check "$1: stops on SIGINT, exit 0" "$rc" 0
	check "$1: still watched its namespace (martians on v0 reported)" \
		"$(jq -c 'select(.type=="event" and .verdict=="martian-dst" and .ifname=="v0")' \
			"$4/out.json" | wc -l)" 2
	for i in $(seq 60); do
		left=""
		for id in $5; do bpftool prog show id "$id" >/dev/null 2>&1 && left+=" $id"; done
		[ -z "$left" ] && break
		sleep 0.05
	done
	check "$1: its programs gone" "${left# }" ""
	ip netns del "$3"
	check "$1: its namespace removed" "$(ip netns list | awk '{print $1}' | grep -cx "$3")" 0
	rm -rf "$4"
}

# inner_start LOG TEST...: tests/run-all.sh on those files, in the
# background (INNER_PID); it makes a run tag of its own.
inner_start() {
	local log=$1 i; shift
	: >"$log"
	"$RUN_ALL" "$OUT" "$@" >>"$log" 2>&1 &
	INNER_PID=$!
	PIDS+=("$INNER_PID")
	for i in $(seq 100); do
		INNER_TAG=$(sed -n 's/^# run //p' "$log")
		[ -n "$INNER_TAG" ] && break
		sleep 0.05
	done
	[ -n "$INNER_TAG" ] && INNER_TAGS+=("$INNER_TAG")
}
inner_wait() { # LOG: sets INNER_RC, INNER_LAST; the failures as comments
	wait "$INNER_PID"
	INNER_RC=$?
	INNER_LAST=$(tail -1 "$1")
	if [ "$INNER_RC" != "${2:-0}" ]; then
		grep -E '^not ok' "$1" | sed 's/^/#   inner: /'
		tail -3 "$1" | sed 's/^/#   inner: /'
	fi
}

# ---- A: before the suite's files run ---------------------------------------
if ! foreign_start a "$OUT/lnwatch"; then
	fail "foreign a: build/lnwatch --netns starts" "not ready"
	exit 1
fi
A_PID=$F_PID A_NS=$F_NS A_DIR=$F_DIR A_IDS=$F_IDS
check "foreign a: its programs loaded and held (4 or more)" "$(($(wc -w <<<"$A_IDS") >= 4))" 1
check "foreign a: attached (two tcx links, v0 and v1)" \
	"$(bpftool -j link show | jq --argjson ids "[${A_IDS// /,}]" \
		'[.[] | select(.type == 11 and (.prog_id as $p | $ids | index($p)))] | length')" 2

# ---- the suite's files, and B while one of them runs -----------------------
LOG=$TMPD/beside.log
inner_start "$LOG" "${INNER[@]}"
for i in $(seq 1200); do
	grep -q "^# --- $WINDOW\$" "$LOG" && break
	kill -0 "$INNER_PID" 2>/dev/null || break
	sleep 0.05
done
if ! foreign_start b "$OUT/lnwatch-san"; then
	fail "foreign b: lnwatch-san --netns starts" "not ready"
	exit 1
fi
B_PID=$F_PID B_NS=$F_NS B_DIR=$F_DIR B_IDS=$F_IDS
check "foreign b: loaded while $WINDOW ran" \
	"$(kill -0 "$INNER_PID" 2>/dev/null && echo running) $(grep -c "^# --- $WINDOW\$" "$LOG") \
$(grep -cE "^(not )?ok [0-9]+ - $WINDOW: (nothing left|left behind)" "$LOG")" "running 1 0"
inner_wait "$LOG"
check "beside them: run-all passes" "$INNER_RC" 0
check "beside them: its last line" "$(sed -E 's/^[1-9][0-9]* passed/N passed/' <<<"$INNER_LAST")" \
	"N passed, 0 failed"
for t in "${INNER[@]}"; do
	n=e2e/$(basename "$t" .sh)
	check "beside them: $n ran, and left nothing behind" \
		"$(grep -c "^# --- $n\$" "$LOG") $(grep -cE "^ok [0-9]+ - $n: nothing left behind\$" "$LOG")" "1 1"
done
intact "foreign a" "$A_PID" "$A_NS" "$A_DIR" "$A_IDS"
intact "foreign b" "$B_PID" "$B_NS" "$B_DIR" "$B_IDS"

# ---- a test file that leaks, beside them: only the leak is named ----------
cat >"$TMPD/test_leak.sh" <<'EOF'
# made by tests/e2e/test_coexist.sh: leaves a namespace, a running
# lnwatch-san and a temp dir behind, as a broken test would
. "$LNW_E2E_LIB"
LEAK_NS=$TAG-leak LEAK_DIR=/tmp/lnwt.$LNW_RUN_TAG.leak
ip netns add "$LEAK_NS" && ip -n "$LEAK_NS" link add v0 type veth peer name v1 &&
	ip -n "$LEAK_NS" link set v0 up && mkdir "$LEAK_DIR" ||
	{ fail "leak: namespace, dir" "cannot make them"; exit 1; }
"$LNW" -j --netns "$LEAK_NS" --ready-file "$LEAK_DIR/ready" >/dev/null 2>&1 &
echo "$LEAK_NS $! $LEAK_DIR" >"$LEAK_INFO"
for i in $(seq 300); do [ -f "$LEAK_DIR/ready" ] && break; sleep 0.05; done
check "leak: lnwatch-san ready, left running" "$(ls "$LEAK_DIR/ready" 2>/dev/null | wc -l)" 1
EOF
LOG=$TMPD/leak.log
export LNW_E2E_LIB=$E2E_DIR/lib.sh LEAK_INFO
inner_start "$LOG" "$TMPD/test_leak.sh"
inner_wait "$LOG" 1
read -r L_NS L_PID L_DIR <"$LEAK_INFO" 2>/dev/null
L_IDS=$(held_by "${L_PID:-0}")
check "a leak: run-all fails" "$INNER_RC" 1
check "a leak: its last line" "$(sed -E 's/^[1-9][0-9]* passed/N passed/' <<<"$INNER_LAST")" \
	"N passed, 1 failed"
line=$(grep -E '^not ok [0-9]+ - .*/test_leak: left behind:' "$LOG")
want="dir:$L_DIR netns:$L_NS pid:$L_PID(lnwatch-san)"
for id in $L_IDS; do want+=" prog:$id"; done
check "a leak: named exactly: its namespace, process, programs, dir" \
	"$(tr ' ' '\n' <<<"${line#*left behind: }" | sort | paste -sd' ' -)" \
	"$(tr ' ' '\n' <<<"$want" | sort | paste -sd' ' -)"
others=""
for w in $A_NS $B_NS $A_DIR $B_DIR pid:$A_PID pid:$B_PID; do
	grep -qF -- "$w" <<<"$line" && others+=" $w"
done
for id in $A_IDS $B_IDS; do grep -qw -- "prog:$id" <<<"$line" && others+=" prog:$id"; done
check "a leak: nothing of the other two's named" "${others# }" ""
leak_cleanup
for i in $(seq 60); do kill -0 "$L_PID" 2>/dev/null || break; sleep 0.05; done
check "a leak: removed again" \
	"$(kill -0 "$L_PID" 2>/dev/null && echo running) $(ip netns list | awk '{print $1}' | grep -cx "$L_NS") $(ls -d "$L_DIR" 2>/dev/null | wc -l)" \
	" 0 0"
intact "foreign a, after the leak" "$A_PID" "$A_NS" "$A_DIR" "$A_IDS"
intact "foreign b, after the leak" "$B_PID" "$B_NS" "$B_DIR" "$B_IDS"

# ---- the two stop, and go ---------------------------------------------------
foreign_stop "foreign a" "$A_PID" "$A_NS" "$A_DIR" "$A_IDS"
foreign_stop "foreign b" "$B_PID" "$B_NS" "$B_DIR" "$B_IDS"

e2e_done

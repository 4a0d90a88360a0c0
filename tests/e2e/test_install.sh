#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# make install / uninstall into a DESTDIR with PREFIX=/usr: the installed
# binary runs (--help, --version, a short watch that counts a martian in a
# test namespace, with exactly the capability set of lnwatch.service); the
# man page covers every option, the audit and the exit status; the units
# pass `systemd-analyze verify` and get an offline security score; bash
# completion offers options, verdicts, interfaces and `ip netns` names;
# uninstall leaves no file.
. "$(dirname "$0")/lib.sh"

TOP=$(cd "$E2E_DIR/../.." && pwd)
DEST=$TMPD/dest
mk() { make -C "$TOP" --no-print-directory OUT="$OUT" "$@"; }

if out=$(mk install DESTDIR="$DEST" PREFIX=/usr 2>&1); then
	ok "make install DESTDIR PREFIX=/usr"
else
	fail "make install DESTDIR PREFIX=/usr" "$out"
	exit 1
fi
want="usr/lib/systemd/system/lnwatch-audit.service usr/lib/systemd/system/lnwatch-audit.timer usr/lib/systemd/system/lnwatch.service usr/sbin/lnwatch usr/share/bash-completion/completions/lnwatch usr/share/man/man8/lnwatch.8"
check "exactly the files expected" "$(cd "$DEST" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')" "$want "
BIN=$DEST/usr/sbin/lnwatch
check "binary mode 755" "$(stat -c %a "$BIN")" 755
check "units' ExecStart rewritten to PREFIX" \
	"$(grep -h '^ExecStart=' "$DEST"/usr/lib/systemd/system/*.service | awk '{print $1}' | sort -u | tr '\n' ' ')" \
	"ExecStart=/usr/sbin/lnwatch "

# ---- the installed binary ------------------------------------------------------
"$BIN" --help >"$TMPD/help" 2>&1
check "installed --help: exit 0" "$?" 0
check "installed --version" "$("$BIN" --version | awk '{print $1}')" lnwatch
topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
rl "$NODE" eth0 0
# lnwatch.service's CapabilityBoundingSet, nothing more, as a user that is
# not root (DynamicUser=yes): setpriv's list from the unit's
caps=$(sed -n 's/^AmbientCapabilities=//p' "$DEST/usr/lib/systemd/system/lnwatch.service" |
	tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
bound=$(sed -n 's/^CapabilityBoundingSet=//p' "$DEST/usr/lib/systemd/system/lnwatch.service" |
	tr 'A-Z' 'a-z' | sed 's/cap_/+/g; s/ /,/g')
check "ambient set = bounding set" "$caps" "$bound"
cp "$BIN" "$TMPD/lnwatch.run" && chmod 755 "$TMPD" "$TMPD/lnwatch.run"
ip netns exec "$NODE" unshare -m sh -c 'mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null
	exec setpriv --reuid 61234 --regid 61234 --clear-groups --bounding-set "-all,$1" \
		--inh-caps "-all,$1" --ambient-caps "-all,$1" -- "$2" -j -d 3' sh "$caps" \
	"$TMPD/lnwatch.run" >"$TMPD/run.json" 2>"$TMPD/run.err" &
RUN=$!
PIDS+=("$RUN")
sleep 1.5
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" "$PEER_IP" 127.0.0.1 40000 5000 7 >/dev/null
wait "$RUN"
check "a run with the unit's capabilities only, not root: exit 0" "$?" 0
[ -s "$TMPD/run.err" ] && sed 's/^/# stderr: /' "$TMPD/run.err" | head -5
check "it counts the 7 martians a neighbour sent" \
	"$(jq 'select(.type=="summary") | [.counters[] | select(.verdict=="martian-dst") | .packets] | add // 0' "$TMPD/run.json")" 7
check "it sees route_localnet writes (cgroup/sysctl), no fallback" \
	"$(jq -r 'select(.type=="summary") | .paths.flag_writes' "$TMPD/run.json")" "cgroup/sysctl"

# lnwatch.service's own command line, with the same capabilities: a scrape
# from inside the namespace has the martians, SIGTERM ends it with 0
read -r -a args <<<"$(sed -n 's/^ExecStart=[^ ]* //p' "$DEST/usr/lib/systemd/system/lnwatch.service")"
ip netns exec "$NODE" unshare -m sh -c 'mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null
	c=$1 b=$2; shift 2
	exec setpriv --reuid 61234 --regid 61234 --clear-groups --bounding-set "-all,$c" \
		--inh-caps "-all,$c" --ambient-caps "-all,$c" -- "$b" "$@"' sh "$caps" \
	"$TMPD/lnwatch.run" "${args[@]}" >"$TMPD/svc.out" 2>"$TMPD/svc.err" &
SVC=$!
PIDS+=("$SVC")
addr=$(printf '%s\n' "${args[@]}" | grep -m1 -E '^[0-9.]+:[0-9]+$')
scrape() {
	ip netns exec "$NODE" python3 -c 'import sys, urllib.request
print(urllib.request.urlopen("http://%s/metrics" % sys.argv[1], timeout=2).read().decode())' "$addr"
}
for i in $(seq 100); do scrape >/dev/null 2>&1 && break; sleep 0.1; done
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" "$PEER_IP" 127.0.0.1 40000 5000 5 >/dev/null
sleep 1.5
scrape >"$TMPD/svc.metrics" 2>&1
check "the unit's command line ($addr, -q): the 5 martians scraped" \
	"$(awk '/^lnwatch_packets_total\{/ && /verdict="martian-dst"/ { s += $NF } END { print s + 0 }' "$TMPD/svc.metrics")" 5
check "the unit's command line: no event line (-q)" "$(grep -c martian "$TMPD/svc.out")" 0
kill -TERM "$SVC"
wait "$SVC"
check "the unit's command line: SIGTERM, exit 0" "$?" 0

# ---- the man page ------------------------------------------------------------------
MAN=$DEST/usr/share/man/man8/lnwatch.8
man -l "$MAN" 2>/dev/null | col -b >"$TMPD/man.txt"
missing=
for o in $(sed -n 's/^ \{1,\}\(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' "$TMPD/help") \
	 $("$BIN" audit --help | sed -n 's/^ \{1,\}\(-[A-Za-z], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p'); do
	grep -q -- "$o" "$TMPD/man.txt" || missing="$missing $o"
done
check "the man page has every option of lnwatch and lnwatch audit" "${missing:-none}" none
check "the man page has the AUDIT section and both exit statuses" \
	"$(grep -c -E '^(AUDIT|EXIT STATUS)$|^ +EXIT STATUS$|could not tell' "$TMPD/man.txt" | awk '{print ($1 >= 3)}')" 1

# ---- the systemd units ---------------------------------------------------------------
# verify, on copies whose ExecStart is the DESTDIR's binary (it checks the
# command is there and executable); man:lnwatch(8) resolved through man(1)
# in the installed tree
UNITS=$TMPD/units
mkdir -p "$UNITS"
for u in lnwatch.service lnwatch-audit.service lnwatch-audit.timer; do
	sed "s|/usr/sbin/lnwatch|$BIN|" "$DEST/usr/lib/systemd/system/$u" >"$UNITS/$u"
done
if out=$(cd "$UNITS" && MANPATH=$DEST/usr/share/man SYSTEMD_LOG_COLOR=0 systemd-analyze verify \
	./lnwatch.service ./lnwatch-audit.service ./lnwatch-audit.timer 2>&1); [ -z "$out" ]; then
	ok "systemd-analyze verify: the three units, silent"
else
	fail "systemd-analyze verify: the three units, silent" "$out"
fi
sed -i 's|^ExecStart=[^ ]*|&.missing|' "$UNITS/lnwatch.service"
out=$(cd "$UNITS" && MANPATH=$DEST/usr/share/man systemd-analyze verify ./lnwatch.service 2>&1)
check "verify would see a wrong ExecStart" "$(echo "$out" | grep -c 'is not executable')" 1
# every option of every ExecStart is one of this binary's
for o in $(sed -n 's/^ExecStart=[^ ]* //p' "$UNITS"/*.service | tr ' ' '\n' | grep '^-'); do
	if "$BIN" --help | grep -q -- "^ *\(-[a-zA-Z], \)\{0,1\}$o\b\|^ *$o," ||
	   "$BIN" audit --help | grep -q -- "^ *\(-[a-zA-Z], \)\{0,1\}$o\b"; then
		ok "ExecStart option $o is an option of lnwatch"
	else
		fail "ExecStart option $o is an option of lnwatch" "not in --help"
	fi
done
for u in lnwatch.service lnwatch-audit.service; do
	score=$(cd "$UNITS" && systemd-analyze security --offline=true "./$u" 2>&1 |
		sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
	if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 3.0) }'; then
		ok "systemd-analyze security --offline: $u $score (<= 3.0)"
	else
		fail "systemd-analyze security --offline: $u" "score '$score', want <= 3.0"
	fi
done

# ---- bash completion --------------------------------------------------------------------
# comp WORDS...: what the installed completion offers for the last word
comp() {
	bash --norc --noprofile -c '
		. "$1"; shift
		complete -p lnwatch >/dev/null || { echo "no complete for lnwatch"; exit 1; }
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_lnwatch; printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		x "$DEST/usr/share/bash-completion/completions/lnwatch" "$BIN" "$@"
}
check "complete -p names the function" \
	"$(bash --norc -c '. "$1"; complete -p lnwatch' x "$DEST/usr/share/bash-completion/completions/lnwatch")" \
	"complete -F _lnwatch lnwatch"
opts_help=$(sed -n 's/^ \{1,\}\(-[A-Za-z?], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' "$TMPD/help" | sort | tr '\n' ' ')
check "--: every long option of --help" "$(comp --)" "$opts_help"
check "--verd" "$(comp --verd)" "--verdict "
check "audit --: the audit's options" "$(comp audit --)" "--help --json --netns --prometheus --usage --version "
check "first word: audit among the options" "$(comp au)" "audit "
check "--verdict d" "$(comp --verdict d)" "delivered dnat-exposed drop "
check "--verdict martian-dst,mar" "$(comp --verdict martian-dst,mar)" "martian-dst,martian-dst martian-dst,martian-src "
check "--verdict=: every verdict of --help" "$(comp --verdict = '' | wc -w)" \
	"$(awk '/--verdict/ {on=1} on && /of:/ {sub(/.*of:/, ""); g=1} g && /^ +-/ && !/--verdict/ {exit} g {print}' "$TMPD/help" | wc -w)"
check "--netns: our namespaces among ip netns" "$(comp --netns "$TAG")" "$(printf '%s\n' "$NODE" "$PEER" | sort | tr '\n' ' ')"
check "-i with --netns NODE: that namespace's interfaces" "$(comp --netns "$NODE" -i '')" "eth0 lo "
check "audit --netns: namespaces too" "$(comp audit --netns "$NODE")" "$NODE "

# ---- uninstall ---------------------------------------------------------------------------
touch "$DEST/usr/sbin/someone-else"
if out=$(mk uninstall DESTDIR="$DEST" PREFIX=/usr 2>&1); then
	ok "make uninstall"
else
	fail "make uninstall" "$out"
fi
check "uninstall leaves no file of ours, and others' alone" \
	"$(cd "$DEST" && find . -type f | tr '\n' ' ')" "./usr/sbin/someone-else "

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# lnwatch audit --prometheus FILE: node_exporter's textfile format, checked
# by promtool, and every number in it equal to the audit's -j document of
# the same namespace, with a known exposure (a TCP and a UDP service on
# 127.0.0.1, route_localnet on eth0, a guard for the UDP one, a DNAT that
# works); a label value with a quote, a backslash and a newline read back
# in lib/prom's printable form; the file replaced whole, never through a
# symlink; a failed audit still writes its status.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
# the UDP service's process name: a quote, a backslash and a newline
bg "$NODE" python3 -c '
import ctypes, socket, sys, time
ctypes.CDLL(None).prctl(15, b"u\"d\\p\nsrv", 0, 0, 0)  # PR_SET_NAME
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5000))
open(sys.argv[1], "w").close()
time.sleep(3600)' "$TMPD/udp"
bg "$NODE" $NETPY tcp-server 127.0.0.1 5001 "$TMPD/tcp"
for i in $(seq 100); do
	[ -f "$TMPD/udp" ] && [ -f "$TMPD/tcp" ] && break
	sleep 0.05
done
rl "$NODE" eth0 1
ip netns exec "$NODE" nft -f - <<'EOF' || fail "ruleset" "nft refused it"
table ip t {
	chain pre { type nat hook prerouting priority -100;
		tcp dport 8080 dnat to 127.0.0.1:5001;
	}
	chain in { type filter hook input priority 0;
		udp dport 5000 ip daddr 127.0.0.0/8 drop;
	}
}
EOF

PROM=$TMPD/out/lnwatch.prom
mkdir -p "$TMPD/out"
"$LNW" audit --netns "$NODE" -j >"$TMPD/a.json" 2>"$TMPD/a.err"
JRC=$?
before=$(date +%s)
(umask 077; "$LNW" audit --netns "$NODE" --prometheus "$PROM" >"$TMPD/a.txt" 2>>"$TMPD/a.err")
PRC=$?
after=$(date +%s)
[ -s "$TMPD/a.err" ] && sed 's/^/# stderr: /' "$TMPD/a.err" | head -5
check "exit status 1 (exposed), -j and --prometheus alike" "$JRC $PRC" "1 1"
check "the human report still goes to stdout" "$(grep -c '^verdict: EXPOSED' "$TMPD/a.txt")" 1
check "the JSON has the known exposure" \
	"$(jq -r '[.exposure[] | "\(.ifname) \(.service.proto) \(.service.port) \(.status)"] | sort | join(",")' "$TMPD/a.json")" \
	"eth0 tcp 5001 exposed,eth0 udp 5000 guarded"
if out=$(promtool check metrics <"$PROM" 2>&1); then
	ok "promtool check metrics passes"
else
	fail "promtool check metrics passes" "$out"
fi
check "mode 0644 whatever the umask (node_exporter reads it)" "$(stat -c %a "$PROM")" 644
check "no temporary file left beside it" "$(ls -A "$TMPD/out" | tr '\n' ' ')" "lnwatch.prom "

# Every number of the file against the JSON: a parser of the text format
# (escapes undone) prints "NAME{k=v,...} VALUE" lines, sorted; the same
# lines are made from the JSON.
parse_prom() {
	python3 - "$1" <<'EOF'
import re, sys
line_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
lab_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?')
out = []
for raw in open(sys.argv[1], encoding="utf-8"):
    raw = raw.rstrip("\n")
    if raw.startswith("#") or not raw:
        continue
    m = line_re.match(raw)
    if not m:
        sys.exit("bad line: " + raw)
    labs, pos = [], 0
    body = m.group(2) or ""
    while pos < len(body):
        lm = lab_re.match(body, pos)
        if not lm:
            sys.exit("bad labels: " + body)
        v = re.sub(r'\\(.)', lambda e: {"n": "\n"}.get(e.group(1), e.group(1)), lm.group(2))
        labs.append("%s=%s" % (lm.group(1), v.replace("\n", "<NL>")))
        pos = lm.end()
    out.append("%s{%s} %s" % (m.group(1), ",".join(labs), m.group(3)))
print("\n".join(sorted(out)))
EOF
}
parse_prom "$PROM" >"$TMPD/prom.txt" || fail "the file parses" "$(cat "$TMPD/prom.txt")"
grep -v '^lnwatch_audit_last_run' "$TMPD/prom.txt" >"$TMPD/prom.cmp"
jq -r --argjson rc "$JRC" '
	# lib/prom: a backslash and control bytes as the text \xNN
	def nl: gsub("\\\\"; "\\x5c") | gsub("\n"; "\\x0a");
	"lnwatch_audit_status{} \($rc)",
	(.exposure | group_by([.ifname, .service.proto, .service.addr, .service.port,
			       (.service.comm // ""), .status])[] |
	 "lnwatch_audit_exposed{ifname=\(.[0].ifname),proto=\(.[0].service.proto),addr=\(.[0].service.addr),port=\(.[0].service.port),comm=\((.[0].service.comm // "") | nl),status=\(.[0].status)} \(length)"),
	([.interfaces[] | select(.route_localnet)][0].route_localnet |
	 "lnwatch_audit_route_localnet{ifname=all,scope=all} \(.all)",
	 "lnwatch_audit_route_localnet{ifname=default,scope=default} \(.default)"),
	(.interfaces[] | select(.route_localnet) | . as $i | ("dev", "effective") |
	 "lnwatch_audit_route_localnet{ifname=\($i.ifname),scope=\(if . == "dev" then "device" else . end)} \($i.route_localnet[.])"),
	"lnwatch_audit_guards{} \(.guards | length)",
	(.nat_paths as $p | ("works", "broken", "partial", "blocked", "exposed", "guarded", "not-forwarded", "unused") |
	 . as $s | "lnwatch_audit_dnat_paths{state=\($s)} \([$p[] | select(.status == $s)] | length)")
' "$TMPD/a.json" | sort >"$TMPD/json.cmp"
if diff -u "$TMPD/json.cmp" "$TMPD/prom.cmp" >"$TMPD/diff"; then
	ok "every series equals the -j document ($(wc -l <"$TMPD/prom.cmp") series)"
else
	fail "every series equals the -j document" "$(cat "$TMPD/diff")"
fi
check "the quoted, backslashed, two-line process name: one line, quote kept, \\ and newline as \\xNN" \
	"$(grep -c 'comm=u"d\\x5cp\\x0asrv,status=guarded} 1$' "$TMPD/prom.cmp")" 1
check "one DNAT path that works" "$(grep -c '^lnwatch_audit_dnat_paths{state=works} 1$' "$TMPD/prom.cmp")" 1
check "eth0's flag on, effective" \
	"$(grep -c '^lnwatch_audit_route_localnet{ifname=eth0,scope=effective} 1$' "$TMPD/prom.cmp")" 1
ts=$(sed -n 's/^lnwatch_audit_last_run_timestamp_seconds{} \([0-9]*\).*/\1/p' "$TMPD/prom.txt")
if [ -n "$ts" ] && [ "$ts" -ge "$before" ] && [ "$ts" -le "$after" ]; then
	ok "last run timestamp is the run's time"
else
	fail "last run timestamp is the run's time" "got '$ts', want $before..$after"
fi

# Never through a symlink, never over what is not a regular file.
echo keep >"$TMPD/victim"
ln -s "$TMPD/victim" "$TMPD/out/link.prom"
"$LNW" audit --netns "$NODE" --prometheus "$TMPD/out/link.prom" >/dev/null 2>"$TMPD/e"
rc=$?
check "a symlink at FILE: refused, exit 2" "$rc" 2
check "a symlink at FILE: says why" "$(grep -c 'not a regular file' "$TMPD/e")" 1
check "a symlink at FILE: its target untouched, the link kept" \
	"$(cat "$TMPD/victim") $(readlink "$TMPD/out/link.prom")" "keep $TMPD/victim"
mkdir "$TMPD/out/dir.prom"
"$LNW" audit --netns "$NODE" --prometheus "$TMPD/out/dir.prom" >/dev/null 2>&1
check "a directory at FILE: refused, exit 2" "$?" 2
"$LNW" audit --netns "$NODE" --prometheus "$TMPD/nowhere/x.prom" >/dev/null 2>"$TMPD/e"
check "a missing directory: exit 2" "$?" 2
check "a missing directory: says so" "$(grep -c 'cannot create a file in' "$TMPD/e")" 1
check "nothing else left in the directory" "$(ls -A "$TMPD/out" | sort | tr '\n' ' ')" \
	"dir.prom link.prom lnwatch.prom "

# A failed audit: the status (2) and the time, no stale rows.
"$LNW" audit --netns "$TAG-nosuch" --prometheus "$PROM" >/dev/null 2>&1
check "an audit that cannot run: exit 2" "$?" 2
parse_prom "$PROM" >"$TMPD/prom2.txt"
check "an audit that cannot run: status 2, the time, nothing else" \
	"$(sed 's/ [0-9.]*$//' "$TMPD/prom2.txt" | tr '\n' ' ')" \
	"lnwatch_audit_last_run_timestamp_seconds{} lnwatch_audit_status{} "
check "an audit that cannot run: status 2" "$(grep -c '^lnwatch_audit_status{} 2$' "$TMPD/prom2.txt")" 1
if out=$(promtool check metrics <"$PROM" 2>&1); then
	ok "promtool check metrics passes on the failure's file"
else
	fail "promtool check metrics passes on the failure's file" "$out"
fi
"$LNW" audit --prometheus '' >/dev/null 2>&1
check "an empty --prometheus: exit 64 (bad arguments)" "$?" 64

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The systemd units under a real systemd: a Debian 12 root (debootstrap,
# cached in $OUT/systemd-root, the libraries lnwatch needs by their
# packages) booted by podman with systemd as PID 1 in a test namespace,
# `make install`'s tree on /usr/local. lnwatch.service runs sandboxed as
# a dynamic user with its capabilities only (checked in /proc), counts the
# martians a neighbour sends (scraped), names the owner of a socket of
# another user and sees a route_localnet write; lnwatch-audit.service
# writes the textfile; `systemd-analyze security` scores both. The root's
# changes go to an overlay, dropped with the container.
. "$(dirname "$0")/lib.sh"

TOP=$(cd "$E2E_DIR/../.." && pwd)
ROOT=$OUT/systemd-root
CTR=lnwt-$LNW_RUN_TAG-$$-systemd
test_cleanup() { podman rm -f --time 0 "$CTR" >/dev/null 2>&1; }

# ---- the root, once ----------------------------------------------------------------
# the Debian packages of the libraries lnwatch links
pkgs=$(ldd "$OUT/lnwatch" | awk '$3 ~ /^\// {print $3}' | while read -r l; do
	dpkg -S "$(readlink -f "$l")" 2>/dev/null || dpkg -S "$l" 2>/dev/null
done | cut -d: -f1 | sort -u | tr '\n' ',')
# and the one --metrics opens (dlopen: ldd does not list it)
want="systemd,systemd-sysv,dbus,python3-minimal,libmicrohttpd12,${pkgs%,}"
if [ ! -f "$ROOT/.lnw-complete" ] || [ "$(cat "$ROOT/.lnw-complete")" != "$want" ]; then
	rm -rf "$ROOT" "$ROOT.tmp"
	if debootstrap --variant=minbase --include="$want" bookworm "$ROOT.tmp" \
		"${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$TMPD/debootstrap.log" 2>&1; then
		echo "$want" >"$ROOT.tmp/.lnw-complete"
		mv "$ROOT.tmp" "$ROOT"
	else
		fail "a Debian 12 root with systemd (debootstrap)" "$(grep -m3 -E '^(E|W):' "$TMPD/debootstrap.log")"
		rm -rf "$ROOT.tmp"
		exit 1
	fi
fi
ok "a Debian 12 root with systemd and lnwatch's libraries ($want)"

DEST=$TMPD/dest
out=$(make -C "$TOP" --no-print-directory OUT="$OUT" install DESTDIR="$DEST" PREFIX=/usr/local 2>&1) ||
	{ fail "make install" "$out"; exit 1; }
topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }

if ! out=$(podman run -d --name "$CTR" --runtime runc --ulimit nofile=1024:1024 \
	--ulimit nproc=1024:1024 --privileged --systemd=always --network "ns:/run/netns/$NODE" \
	-v "$DEST/usr/local:/usr/local:ro" --rootfs "$ROOT:O" /lib/systemd/systemd 2>&1); then
	fail "systemd boots in a container" "$out"
	exit 1
fi
sx() { podman exec "$CTR" "$@"; }
for i in $(seq 100); do
	state=$(sx systemctl is-system-running 2>/dev/null)
	case $state in running | degraded) break ;; esac
	sleep 0.2
done
check "systemd is up (PID 1 of the container)" "$state" running

# ---- lnwatch.service -------------------------------------------------------------------
scrape() {
	ip netns exec "$NODE" python3 -c 'import urllib.request
print(urllib.request.urlopen("http://127.0.0.1:9862/metrics", timeout=2).read().decode())'
}
metric() { scrape 2>/dev/null | awk -v re="$1" '$0 ~ re { s += $NF } END { print s + 0 }'; }
sx systemctl start lnwatch.service
for i in $(seq 100); do scrape >/dev/null 2>&1 && break; sleep 0.1; done
check "lnwatch.service active" "$(sx systemctl is-active lnwatch.service)" active
pid=$(sx systemctl show -P MainPID lnwatch.service)
uid=$(sx awk '/^Uid:/ {print $2}' "/proc/$pid/status")
if [ -n "$uid" ] && [ "$uid" != 0 ]; then ok "it runs as a dynamic user (uid $uid)"; else fail "it runs as a dynamic user" "uid '$uid'"; fi
# CapEff as names, against the unit's list
eff=$(sx awk '/^CapEff:/ {print $2}' "/proc/$pid/status")
# once attached lnwatch drops CAP_PERFMON (README, Running in production)
want_caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$TOP/deploy/systemd/lnwatch.service" | tr ' ' '\n' |
	grep -vx CAP_PERFMON | sort | tr '\n' ' ')
check "its effective capabilities are the unit's less CAP_PERFMON, dropped after attaching" \
	"$(capsh --decode="$eff" | sed 's/.*=//' | tr ',' '\n' | tr 'a-z' 'A-Z' | sort | tr '\n' ' ')" "$want_caps"
N=13
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" "$PEER_IP" 127.0.0.1 40000 5000 $N >/dev/null
sleep 1.5
check "the $N martians a neighbour sent, scraped" "$(metric '^lnwatch_packets_total.*verdict="martian-dst"')" $N
# a UDP service of another user (nobody) in the container, the flag on
sx setpriv --reuid 65534 --regid 65534 --clear-groups python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5000))
time.sleep(120)' &
PIDS+=($!)
sleep 0.5
rl "$NODE" eth0 1
sleep 0.5
ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" "$PEER_IP" 127.0.0.1 40000 5000 4 >/dev/null
sleep 1.5
check "the route_localnet write seen" "$(metric '^lnwatch_flag_changes_total')" 1
check "the 4 delivered to nobody's socket: an exposure, its owner named" \
	"$(metric '^lnwatch_exposures_observed_total.*service="127.0.0.1:5000",comm="python3"')" 4
check "no event line in the journal (-q)" "$(sx journalctl -u lnwatch.service -o cat | grep -c '127.0.0.1:5000')" 0

# ---- lnwatch-audit.service ------------------------------------------------------------
check "the timer is there" "$(sx systemctl show -P Unit lnwatch-audit.timer)" lnwatch-audit.service
sx systemctl start lnwatch-audit.service
# its exit status 1 (the file below says it was 1) is no failure
check "lnwatch-audit.service: exit 1 (exposed) is a success, not a failed unit" \
	"$(sx systemctl show -P Result lnwatch-audit.service) $(sx systemctl is-failed lnwatch-audit.service)" "success inactive"
sx cat /var/lib/node_exporter/textfile_collector/lnwatch.prom >"$TMPD/audit.prom" 2>&1
check "its textfile: status 1" "$(grep -c '^lnwatch_audit_status 1$' "$TMPD/audit.prom")" 1
check "its textfile: nobody's service, its owner named" \
	"$(grep -c '^lnwatch_audit_exposed{ifname="eth0",proto="udp",addr="127.0.0.1",port="5000",comm="python3",status="exposed"} 1$' "$TMPD/audit.prom")" 1
if out=$(promtool check metrics <"$TMPD/audit.prom" 2>&1); then ok "promtool check metrics on it"; else fail "promtool check metrics on it" "$out"; fi
check "readable by node_exporter (0644, directory 0755)" \
	"$(sx stat -c %a /var/lib/node_exporter/textfile_collector/lnwatch.prom /var/lib/node_exporter/textfile_collector | tr '\n' ' ')" "644 755 "

# ---- systemd-analyze security, with a running systemd -------------------------------------
for u in lnwatch.service lnwatch-audit.service; do
	score=$(sx systemd-analyze security --no-pager "$u" 2>&1 |
		sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
	echo "# systemd-analyze security $u: $score"
	if [ -n "$score" ] && awk -v s="$score" 'BEGIN { exit !(s <= 3.0) }'; then
		ok "systemd-analyze security: $u $score (<= 3.0, OK)"
	else
		fail "systemd-analyze security: $u" "score '$score', want <= 3.0"
	fi
done
sx systemctl stop lnwatch.service
check "lnwatch.service stops cleanly" "$(sx systemctl show -P Result lnwatch.service)" success
check "no failed unit of ours" "$(sx systemctl list-units --failed --no-legend 'lnwatch*' | wc -l)" 0

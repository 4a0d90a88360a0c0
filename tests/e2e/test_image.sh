#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The container image (deploy/image): built offline FROM scratch by
# buildah, it holds the binary and its shared libraries only; podman runs
# it (runc) in a test namespace with lnwatch.service's capability set, and
# what it counts is what a neighbour sent: with --metrics, scraped from
# inside the namespace; without, the summary it prints. The image and any
# container are this run's own (a unique tag) and removed on exit.
. "$(dirname "$0")/lib.sh"

TOP=$(cd "$E2E_DIR/../.." && pwd)
IMG=localhost/lnwatch-test:$LNW_RUN_TAG-$$
CTR=lnwt-$LNW_RUN_TAG-$$
test_cleanup() {
	podman rm -f --time 0 "$CTR" >/dev/null 2>&1
	podman rmi -f "$IMG" >/dev/null 2>&1
}
PODMAN=(podman run --rm --name "$CTR" --runtime runc
	--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

if out=$("$TOP/deploy/image/build.sh" "$OUT/lnwatch" "$IMG" 2>&1); then
	ok "the image builds offline, FROM scratch"
else
	fail "the image builds offline, FROM scratch" "$out"
	exit 1
fi
size=$(podman image inspect --format '{{.Size}}' "$IMG")
echo "# image $IMG: $size bytes"
check_ge "the image is not empty (bytes)" "$size" 1000000
if [ "$size" -le 20000000 ]; then ok "the image is small: $size bytes (<= 20 MB)"; else fail "image size" "$size bytes"; fi
# what is in it: lnwatch, its libraries, /etc/passwd and group, /tmp
podman create --name "$CTR" "$IMG" >/dev/null 2>&1 &&
	mnt_list=$(podman export "$CTR" | tar -t | sort) || mnt_list=
podman rm -f "$CTR" >/dev/null 2>&1
echo "# in the image: $(echo "$mnt_list" | grep -v '/$' | tr '\n' ' ')"
check "it holds usr/sbin/lnwatch" "$(echo "$mnt_list" | grep -c '^usr/sbin/lnwatch$')" 1
check "every file is lnwatch, a shared library, busybox, etc/passwd or etc/group" \
	"$(echo "$mnt_list" | grep -v -e '/$' -e '^usr/sbin/lnwatch$' -e '\.so' -e '^bin/busybox$' -e '^etc/passwd$' -e '^etc/group$' -e '^$' | tr '\n' ' ')" ""
check "--version from the image" \
	"$("${PODMAN[@]}" --network none "$IMG" --version 2>&1)" "$("$OUT/lnwatch" --version)"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }
caps=$(sed -n 's/^AmbientCapabilities=//p' "$TOP/deploy/systemd/lnwatch.service" |
	tr 'A-Z' 'a-z' | sed 's/cap_//g; s/ /,/g')
# podman's default seccomp profile refuses bpf(2): unconfined; the host's
# cgroup2 (cgroupns host) for route_localnet writes; the host's BTF
RUN=("${PODMAN[@]}" --network "ns:/run/netns/$NODE" --cap-drop all --cap-add "$caps"
	--security-opt seccomp=unconfined --cgroupns host
	-v /sys/kernel/btf:/sys/kernel/btf:ro -v /sys/fs/cgroup:/sys/fs/cgroup:ro,rbind "$IMG")
N=9
if "$OUT/lnwatch" --help | grep -q -- '--metrics'; then
	PORT=9862
	"${RUN[@]}" --metrics "127.0.0.1:$PORT" -q >"$TMPD/ctr.out" 2>"$TMPD/ctr.err" &
	PIDS+=($!)
	scrape() {
		ip netns exec "$NODE" python3 -c 'import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=2).read().decode())' "$PORT"
	}
	for i in $(seq 100); do scrape >/dev/null 2>&1 && break; sleep 0.1; done
	ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" "$PEER_IP" 127.0.0.1 40000 5000 $N >/dev/null
	sleep 1.5
	scrape >"$TMPD/metrics" 2>&1
	got=$(awk '/^lnwatch_packets_total\{/ && /verdict="martian-dst"/ { s += $NF } END { print s + 0 }' "$TMPD/metrics")
	check "scraped from inside the namespace: the $N martians" "$got" "$N"
	if out=$(promtool check metrics <"$TMPD/metrics" 2>&1); then ok "promtool check metrics on the scrape"; else fail "promtool check metrics on the scrape" "$out"; fi
	podman stop --time 5 "$CTR" >/dev/null 2>&1
	wait
else
	# no --metrics in this tree yet: the summary it prints
	mkdir -p "$TMPD/ready"
	RUN=("${RUN[@]:0:${#RUN[@]}-1}" -v "$TMPD/ready:/ready" "$IMG")
	"${RUN[@]}" -j -d 4 --ready-file /ready/r >"$TMPD/ctr.out" 2>"$TMPD/ctr.err" &
	CPID=$!
	PIDS+=("$CPID")
	for i in $(seq 200); do [ -f "$TMPD/ready/r" ] && break; sleep 0.05; done
	check "ready (its --ready-file, through a volume)" "$([ -f "$TMPD/ready/r" ] && echo yes)" yes
	ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" "$PEER_IP" 127.0.0.1 40000 5000 $N >/dev/null
	wait "$CPID"
	check "the container exits 0 after -d" "$?" 0
	[ -s "$TMPD/ctr.err" ] && sed 's/^/# stderr: /' "$TMPD/ctr.err" | head -5
	check "its summary counts the $N martians" \
		"$(jq 'select(.type=="summary") | [.counters[] | select(.verdict=="martian-dst") | .packets] | add // 0' "$TMPD/ctr.out")" "$N"
	check "route_localnet writes seen through the host's cgroup2" \
		"$(jq -r 'select(.type=="summary") | .paths.flag_writes' "$TMPD/ctr.out")" "cgroup/sysctl"
fi
# The Kubernetes audit container's command, with its capabilities and the
# runtime's default seccomp profile: the textfile, status 1 (a TCP service
# on 127.0.0.1 and route_localnet on eth0 in the namespace; host PID, as
# the DaemonSet, to name its owner)
bg "$NODE" $NETPY tcp-server 127.0.0.1 5001 "$TMPD/tcp"
for i in $(seq 100); do [ -f "$TMPD/tcp" ] && break; sleep 0.05; done
rl "$NODE" eth0 1
mkdir -p "$TMPD/textfile"
"${PODMAN[@]}" --network "ns:/run/netns/$NODE" --cap-drop all \
	--cap-add net_admin,sys_ptrace,dac_read_search --read-only --pid host \
	-v "$TMPD/textfile:/textfile" --entrypoint /bin/busybox "$IMG" sh -c \
	'/usr/sbin/lnwatch audit --prometheus /textfile/lnwatch.prom >/dev/null; echo $?' >"$TMPD/audit.rc" 2>"$TMPD/audit.err"
check "the audit container: exit 1 (exposed)" "$(cat "$TMPD/audit.rc")" 1
check "the audit container: its textfile says status 1" \
	"$(grep -c '^lnwatch_audit_status 1$' "$TMPD/textfile/lnwatch.prom" 2>/dev/null)" 1
check "the audit container: the exposed service with its owner" \
	"$(grep -c 'lnwatch_audit_exposed{ifname="eth0",proto="tcp",addr="127.0.0.1",port="5001",comm="python3",status="exposed"} 1' "$TMPD/textfile/lnwatch.prom" 2>/dev/null)" 1
check "no container of ours left" "$(podman ps -a --filter "name=$CTR" --format '{{.Names}}')" ""

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# lnwatch beside other tc users (issue 13, 11e): it removes only what it
# added (an admin's filter, a second lnwatch's filter and the qdisc they
# sit in stay), sweeps the filters a killed lnwatch left (and nothing
# else), and runs ahead of every filter or tcx program already there, so
# one that ends the chain (TC_ACT_OK, TCX_PASS) does not blind it.
. "$(dirname "$0")/lib.sh"

topo_basic || { fail "topology" "cannot build namespaces"; exit 1; }

# A foreign program that ends the chain: TC_ACT_OK (0) is TCX_PASS too;
# and one named like lnwatch's, of another origin, that does nothing.
cat >"$TMPD/pass.bpf.c" <<'EOF'
#include <linux/bpf.h>
#define SEC(n) __attribute__((section(n), used))
SEC("tc") int foreign_pass(struct __sk_buff *skb) { return 0; }
char _license[] SEC("license") = "GPL";
EOF
sed 's/foreign_pass/lnw_tc_ingress/; s/return 0/return -1/' "$TMPD/pass.bpf.c" >"$TMPD/fake.bpf.c"
sed 's/foreign_pass/admin_drop/; s/return 0/return 2/' "$TMPD/pass.bpf.c" >"$TMPD/drop.bpf.c" # TC_ACT_SHOT
# Holds a tcx link for the foreign program until killed.
cat >"$TMPD/tcx_hold.c" <<'EOF'
#include <stdio.h>
#include <unistd.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
int main(int argc, char **argv)
{
	struct bpf_object *o = bpf_object__open_file(argv[1], NULL);
	FILE *f;

	if (argc != 4 || !o || bpf_object__load(o))
		return 1;
	if (bpf_link_create(bpf_program__fd(bpf_object__next_program(o, NULL)),
			    (int)if_nametoindex(argv[2]), 46 /* BPF_TCX_INGRESS */, NULL) < 0)
		return 1;
	f = fopen(argv[3], "w");
	if (!f)
		return 1;
	fclose(f);
	pause();
	return 0;
}
EOF
INC="-I/usr/include/$(gcc -print-multiarch)"
for p in pass fake drop; do
	clang -O2 -g -target bpf $INC -c "$TMPD/$p.bpf.c" -o "$TMPD/$p.bpf.o" ||
		{ fail "build $p.bpf.o" "clang failed"; exit 1; }
done
cc -O2 "$TMPD/tcx_hold.c" -o "$TMPD/tcx_hold" -lbpf || { fail "build tcx_hold" "cc failed"; exit 1; }

NX="ip netns exec $NODE"
filters() { tc -n "$NODE" filter show dev eth0 ingress; }
ours() { filters | grep -c 'name lnw_tc_ingress tag'; }
qdiscs() { tc -n "$NODE" qdisc show dev eth0 | grep -c clsact; }
send4() { ip netns exec "$PEER" "$PKTGEN" eth0 "$NODE_MAC" $PEER_IP 127.0.0.1 40000 5000 4; }
martians() { ev '.verdict=="martian-dst" and .daddr=="127.0.0.1"'; }

# 1. An admin adds a drop filter while lnwatch (which made the qdisc)
# runs: at exit both stay, and only lnwatch's filter goes.
lnw_start "$NODE" --fallback clsact || fail "admin filter" "lnwatch did not start"
tc -n "$NODE" filter add dev eth0 ingress pref 100 protocol ip bpf da obj "$TMPD/drop.bpf.o" sec tc
lnw_stop
check "admin filter: exit code" "$LNW_RC" 0
check "admin filter: lnwatch's filter removed" "$(ours)" 0
check "admin filter: the admin's drop filter kept" "$(filters | grep -c 'name admin_drop')" 1
check "admin filter: the qdisc holding it kept" "$(qdiscs)" 1
tc -n "$NODE" filter del dev eth0 ingress pref 100
lnw_start "$NODE" --fallback clsact || fail "empty qdisc" "lnwatch did not start"
lnw_stop
check "no one else's filter: the qdisc lnwatch found is left" "$(qdiscs)" 1
tc -n "$NODE" qdisc del dev eth0 clsact

# 2. Two lnwatch: the first (which made the qdisc) stops; the second keeps
# its filter and still sees packets.
lnw_start "$NODE" --fallback clsact || fail "two lnwatch" "first did not start"
A_PID=$LNW_PID A_OUT=$LNW_OUT A_ERR=$LNW_ERR
lnw_start "$NODE" --fallback clsact || fail "two lnwatch" "second did not start"
check "two lnwatch: two filters" "$(ours)" 2
kill -INT "$A_PID"; wait "$A_PID"; rc=$?
check "two lnwatch: first exit code" "$rc" 0
check "two lnwatch: the first did not take the second's filter" "$(ours)" 1
check "two lnwatch: nor the qdisc it sits in" "$(qdiscs)" 1
send4
lnw_stop
check "two lnwatch: the second still sees packets" "$(martians)" 4
check "two lnwatch: second exit, no error" "$(cat "$LNW_ERR" "$A_ERR" | grep -ci 'qdisc')" 0
check "two lnwatch: no filter left" "$(ours)" 0
tc -n "$NODE" qdisc del dev eth0 clsact 2>/dev/null

# 3. SIGKILL leaves a filter; the next start removes it and says so.
lnw_start "$NODE" --fallback clsact || fail "stale" "lnwatch did not start"
kill -KILL "$LNW_PID"; wait "$LNW_PID" 2>/dev/null
check "SIGKILL: its filter is left" "$(ours)" 1
lnw_start "$NODE" --fallback clsact || fail "stale" "lnwatch did not restart"
check "restart: the stale filter swept, its own attached" "$(ours)" 1
check "restart: says so" "$(grep -c 'removed a tc filter a killed lnwatch left' "$LNW_ERR")" 1
send4
lnw_stop
check "restart: sees packets" "$(martians)" 4
check "restart: no filter left" "$(ours)" 0
tc -n "$NODE" qdisc del dev eth0 clsact

# 4. A filter named lnw_tc_ingress that no process holds but is not
# lnwatch's program (another tag): left, and said.
tc -n "$NODE" qdisc add dev eth0 clsact
tc -n "$NODE" filter add dev eth0 ingress pref 9 protocol all bpf da obj "$TMPD/fake.bpf.o" sec tc
lnw_start "$NODE" --fallback clsact || fail "look-alike" "lnwatch did not start"
lnw_stop
check "look-alike: said, not removed" "$(grep -c 'not this lnwatch.s build: left in place' "$LNW_ERR")" 1
check "look-alike: still there" "$(filters | grep -c 'fake.bpf.o')" 1
tc -n "$NODE" qdisc del dev eth0 clsact

# 5. A foreign cls_bpf filter that ends the chain (TC_ACT_OK) at pref 1,
# Cilium's shape, then at pref 7: lnwatch runs before it.
for pref in 1 7; do
	tc -n "$NODE" qdisc add dev eth0 clsact
	tc -n "$NODE" filter add dev eth0 ingress pref $pref protocol all bpf da \
		obj "$TMPD/pass.bpf.o" sec tc
	lnw_start "$NODE" --fallback clsact || fail "foreign pref $pref" "lnwatch did not start"
	want=$((pref > 1 ? pref - 1 : 1))
	check "foreign pass at pref $pref: lnwatch's filter runs first (pref $want)" \
		"$(filters | grep -m1 handle | grep -o 'pref [0-9]* .*name lnw_tc_ingress' | cut -d' ' -f2)" "$want"
	send4
	lnw_stop
	check "foreign pass at pref $pref: lnwatch sees the packets" "$(martians)" 4
	check "foreign pass at pref $pref: the foreign filter kept" "$(filters | grep -c foreign_pass)" 1
	tc -n "$NODE" qdisc del dev eth0 clsact
done

# 5b. pref 1 held by a filter lnwatch cannot share (another protocol):
# it still attaches, behind it, and says what it cannot see.
tc -n "$NODE" qdisc add dev eth0 clsact
tc -n "$NODE" filter add dev eth0 ingress pref 1 protocol ip bpf da obj "$TMPD/pass.bpf.o" sec tc
lnw_start "$NODE" --fallback clsact || fail "pref 1 taken" "lnwatch did not start"
before_m=$(martian_dst)
send4
lnw_stop
check "pref 1 taken: exit code" "$LNW_RC" 0
check "pref 1 taken: says it runs behind it" "$(grep -c 'holds pref 1 at ingress: lnwatch cannot run before it' "$LNW_ERR")" 1
# blind to them, and it says how much: martians the kernel dropped here
# that never crossed lnwatch's program
check_ge "pref 1 taken: the kernel dropped them as martians" $(($(martian_dst) - before_m)) 4
check "pref 1 taken: none seen, all counted as missed" "$(martians) $(summ .tc_missed)" "0 4"
check "pref 1 taken: the filter kept, ours gone" "$(filters | grep -c foreign_pass) $(ours)" "1 0"
tc -n "$NODE" qdisc del dev eth0 clsact

# hold_pass: the foreign TCX_PASS program on the node's eth0, held by
# HOLD_PID until killed; 1 when it could not be attached.
hold_pass() {
	local i
	rm -f "$TMPD/held"
	bg "$NODE" "$TMPD/tcx_hold" "$TMPD/pass.bpf.o" eth0 "$TMPD/held"
	HOLD_PID=$BG_PID
	for i in $(seq 100); do [ -f "$TMPD/held" ] && return 0; sleep 0.05; done
	return 1
}

# 6. tcx: a foreign program attached first that returns TCX_PASS.
if hold_pass; then
	lnw_start "$NODE" || fail "tcx head" "lnwatch did not start"
	send4
	lnw_stop
	check "tcx: foreign TCX_PASS program first, lnwatch still sees the packets" "$(martians)" 4
	check "tcx: attach path" "$(summ .paths.attach)" tcx
else
	fail "tcx head" "the foreign tcx program could not be attached"
fi
kill "$HOLD_PID" 2>/dev/null; wait "$HOLD_PID" 2>/dev/null

# 7. Many interfaces (--attach auto): over 64, clsact filters in netlink
# batches instead of a tcx link each (an RCU grace period under RTNL each
# way), save on a device where another tcx program already is: there a tcx
# link at the head, so that it does not blind lnwatch.
echo "$(for i in $(seq 35); do echo "link add s$i type veth peer name t$i"
	echo "link set s$i up"; echo "link set t$i up"; done)" | ip -n "$NODE" -batch - ||
	fail "scale" "cannot create 70 veths"
ours_on() { tc -n "$NODE" filter show dev "$1" ingress | grep -c 'name lnw_tc_ingress tag'; }
ours_all() { # how many devices carry lnwatch's clsact filter
	local d n=0
	for d in $(ip -n "$NODE" -j link show | jq -r '.[].ifname'); do
		[ "$(ours_on "$d")" -gt 0 ] && n=$((n + 1))
	done
	echo $n
}
tcx_links() { bpftool -j link show | jq '[.[] | select(.type == 11)] | length'; }
links0=$(tcx_links)
if hold_pass; then
	lnw_start "$NODE" || fail "scale auto" "lnwatch did not start"
	send4
	ip -n "$NODE" link add late0 type veth peer name late1
	ip -n "$NODE" link set late0 up
	sleep 0.5
	check "scale auto: the late device watched through clsact" "$(ours_on late0)" 1
	check "scale auto: eth0 (foreign tcx program) by a tcx link, the 70 by clsact" \
		"$(( $(tcx_links) - links0 )) $(ours_all)" "2 72"
	lnw_stop
	check "scale auto: exit code" "$LNW_RC" 0
	check "scale auto: says it went clsact, once" "$(grep -c 'over 64 interfaces: tc ingress through clsact' "$LNW_ERR")" 1
	check "scale auto: martians behind the foreign TCX_PASS program still seen" "$(martians)" 4
	check "scale auto: attach path" "$(summ .paths.attach)" tcx+clsact
	check "scale auto: nothing of lnwatch left (filters, tcx links)" \
		"$(ours_all) $(( $(tcx_links) - links0 ))" "0 1"
	check "scale auto: no qdisc left where lnwatch made it" \
		"$(tc -n "$NODE" qdisc show | grep -c clsact)" 0
else
	fail "scale auto" "the foreign tcx program could not be attached"
fi
kill "$HOLD_PID" 2>/dev/null; wait "$HOLD_PID" 2>/dev/null
ip -n "$NODE" link del late0 2>/dev/null
lnw_start "$NODE" --attach tcx || fail "scale tcx" "lnwatch did not start"
send4
check "--attach tcx: a tcx link on every device, no filter" \
	"$(( $(tcx_links) - links0 )) $(ours_all)" "71 0"
lnw_stop
check "--attach tcx: martians counted, path, nothing left" \
	"$(martians) $(summ .paths.attach) $(( $(tcx_links) - links0 ))" "4 tcx 0"
lnw_start "$NODE" --attach clsact || fail "attach clsact" "lnwatch did not start"
send4
lnw_stop
check "--attach clsact: martians counted, path, nothing left" \
	"$(martians) $(summ .paths.attach) $(ours_all)" "4 clsact 0"
"$LNW" --attach bogus >/dev/null 2>"$TMPD/bogus.err"
check "--attach bogus: usage error" "$? $(grep -c "invalid --attach 'bogus'" "$TMPD/bogus.err")" "64 1"

e2e_done

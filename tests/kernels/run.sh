#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The kernel matrix (`make check-kernels`): for each kernel in kernels.list,
# fetch it from Debian's archive (cached under $OUT/kernels, nothing
# installed), build an initramfs (busybox, the tree's binaries, the tools
# and modules the test needs), boot it under qemu's software emulation and
# run kernel-test.sh inside; the running kernel runs the same test natively.
#
# Output: TAP (prove reads it), every result line with its kernel,
# `ok N - [6.1.0-50-amd64] ...`, `not ok N - [...] NAME: WHY`, numbered
# anew here; then per kernel `RELEASE: N passed, N failed` and a time line;
# last the plan `1..N` and the total, `N passed, N failed`. A kernel that
# cannot be fetched, does not boot, hangs (KERNEL_TIMEOUT), fails a test or
# does not print its plan fails the run, with the guest console's tail
# shown. A SKIP counts as a failure.
#
# usage: tests/kernels/run.sh [OUT]
# Environment:
#   KERNELS_LIST    the list (tests/kernels/kernels.list)
#   KERNELS_CACHE   downloads and extracted kernels ($OUT/kernels/cache)
#   KERNELS_MIRROR  Debian mirror (http://deb.debian.org)
#   KERNELS_ONLY    test only kernels whose suite or release contains this
#   KERNEL_TIMEOUT  seconds one guest may run (300; they take 20-60)
#   KERNEL_APPEND   more kernel command line for the guests
#   KERNELS_JOBS    guests booted at once (2)
#   GUEST_LNW       the loader run in the guests ($OUT/lnwatch-san)
set -u -o pipefail

OUT=$(cd "${1:-build}" && pwd) || exit 1
HERE=$(cd "$(dirname "$0")" && pwd)
LIST=${KERNELS_LIST:-$HERE/kernels.list}
CACHE=${KERNELS_CACHE:-$OUT/kernels/cache}
MIRROR=${KERNELS_MIRROR:-http://deb.debian.org}
ONLY=${KERNELS_ONLY:-}
TIMEOUT=${KERNEL_TIMEOUT:-300}
APPEND=${KERNEL_APPEND:-}
JOBS=${KERNELS_JOBS:-2}
GUEST_LNW=${GUEST_LNW:-$OUT/lnwatch-san}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# Modules, with what they depend on: veth, clsact and cls_bpf (tc), and
# nftables' DNAT (libcrc32c needs a crc32c, a soft dependency).
MODULES="veth sch_ingress cls_bpf crc32c_generic nft_chain_nat nft_nat"
GUEST_MEM=1024
# Tools copied into the guest with their shared libraries; busybox's own
# ip and tc lack netns and bpf.
GUEST_TOOLS="/usr/sbin/ip /usr/sbin/tc /usr/sbin/nft /usr/bin/jq /usr/sbin/bpftool"
BINS="$GUEST_LNW $OUT/test_tc_run $OUT/pktgen $OUT/kernels/probe $OUT/kernels/probe.bpf.o"

PASSED=0 FAILED=0
WORK=$(mktemp -d /tmp/lnwk-run.XXXXXX)
cleanup() {
	local f
	for f in "$WORK"/k*/guest.pid; do # timeout(1) passes it on to qemu
		[ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s; }
T_START=$(now)
say() { printf '%s\n' "$*"; }
RN=0 # result lines printed: the plan
# say_ok TEXT, say_fail TEXT: a result line of ours (TEXT is TAP already)
say_ok() { RN=$((RN + 1)); say "ok $RN - $*"; }
say_fail() { RN=$((RN + 1)); say "not ok $RN - $*"; }

# ---- the list ----------------------------------------------------------------
# ENTRIES[i]="suite package attach join reason"
ENTRIES=()
while read -r suite pkg a j r rest; do
	case $suite in '' | '#'*) continue ;; esac
	if [ -z "$r" ] || [ -n "$rest" ]; then
		say_fail "kernels.list: bad line: $suite $pkg $a $j $r $rest"
		FAILED=$((FAILED + 1))
		continue
	fi
	ENTRIES+=("$suite $pkg $a $j $r")
done <"$LIST"

# ---- fetching: Debian's archive through apt, with a private state ----------
APT=$CACHE/apt
APT_OPTS=(
	-o "Dir::Etc::SourceList=$APT/sources.list"
	-o "Dir::Etc::SourceParts=$APT/sources.list.d"
	-o "Dir::Etc::Preferences=$APT/preferences"
	-o "Dir::Etc::PreferencesParts=$APT/preferences.d"
	-o "Dir::State=$APT/state" -o "Dir::State::Lists=$APT/lists"
	-o "Dir::State::status=$APT/status" -o "Dir::Cache=$APT/cache"
	-o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=srcpkgcache.bin
	-o APT::Architecture=amd64 -o APT::Architectures=amd64
	-o Acquire::Languages=none -o Acquire::Retries=3
	-o Acquire::http::Timeout=30 -o APT::Sandbox::User=root
)
APT_READY=

# The indexes of the suites in the list; old ones are used if the archive
# cannot be reached (a warm cache works offline).
apt_index() {
	local s suites i
	[ -n "$APT_READY" ] && return "$APT_READY"
	mkdir -p "$APT"/{sources.list.d,preferences.d,state,lists/partial,cache/archives/partial}
	: >"$APT/preferences"
	: >"$APT/status"
	suites=$(for e in "${ENTRIES[@]}"; do set -- $e; [ "$1" = native ] || echo "$1"; done | sort -u)
	for s in $suites; do
		case $s in
		*-security) echo "deb [signed-by=$KEYRING] $MIRROR/debian-security $s main" ;;
		*) echo "deb [signed-by=$KEYRING] $MIRROR/debian $s main" ;;
		esac
	done >"$APT/sources.list"
	for i in 1 2 3; do
		if apt-get -qq "${APT_OPTS[@]}" update >"$WORK/apt-update.log" 2>&1 &&
		   ! grep -q -E '^(E:|W: Failed to fetch|W: Some index files failed)' \
			"$WORK/apt-update.log"; then
			APT_READY=0
			return 0
		fi
		[ $i -lt 3 ] && sleep $((i * 5))
	done
	if ls "$APT"/lists/*_Packages* >/dev/null 2>&1; then
		say "# kernels: the archive's indexes could not be updated; using the cached ones:"
		sed 's/^/#   /' "$WORK/apt-update.log" | tail -5
		APT_READY=0
	else
		APT_READY=1
	fi
	return "$APT_READY"
}

# resolve SUITE PACKAGE: sets R_PKG R_VER (the image package itself, when
# PACKAGE is a metapackage such as linux-image-amd64) or R_ERR.
resolve() {
	local suite=$1 pkg=$2 show dep
	R_PKG= R_VER= R_ERR=
	if ! apt_index; then
		R_ERR="cannot read Debian's package index: $(grep -m1 . "$WORK/apt-update.log")"
		return 1
	fi
	if ! show=$(apt-cache "${APT_OPTS[@]}" show "$pkg/$suite" 2>&1); then
		R_ERR="$pkg is not in $suite: $(echo "$show" | grep -m1 -v '^N:')"
		return 1
	fi
	R_PKG=$pkg
	R_VER=$(echo "$show" | awk '/^Version:/ {print $2; exit}')
	case $pkg in
	linux-image-[0-9]*) ;;
	*)	# a metapackage: the image it depends on
		dep=$(echo "$show" | awk '/^Depends:/ {sub(/^Depends: */, ""); print; exit}' |
		      tr ',' '\n' | grep -m1 -o 'linux-image-[0-9][^ ]* (= [^)]*)')
		R_PKG=${dep%% *}
		R_VER=${dep##*= }
		R_VER=${R_VER%)}
		;;
	esac
	if [ -z "$R_PKG" ] || [ -z "$R_VER" ]; then
		R_ERR="cannot tell which kernel $pkg/$suite is"
		return 1
	fi
}

# fetch PKG VER: the extracted package in $CACHE/x/RELEASE (sets K_DIR).
fetch() {
	local pkg=$1 ver=$2 rel=${1#linux-image-} i deb tmp
	K_DIR=$CACHE/x/$rel
	K_ERR=
	if [ -f "$K_DIR/.lnw-complete" ] && [ "$(cat "$K_DIR/.lnw-complete")" = "$pkg $ver" ]; then
		return 0
	fi
	tmp=$CACHE/dl.$rel
	rm -rf "$tmp" "$K_DIR" "$K_DIR.tmp"
	mkdir -p "$tmp" "$CACHE/x"
	for i in 1 2 3; do
		if (cd "$tmp" && apt-get -q "${APT_OPTS[@]}" download "$pkg=$ver") \
			>"$WORK/dl-$rel.log" 2>&1; then
			break
		fi
		rm -f "$tmp"/*.deb
		[ $i -lt 3 ] && sleep $((i * 10))
	done
	deb=$(ls "$tmp"/*.deb 2>/dev/null | head -1)
	if [ -z "$deb" ]; then
		K_ERR="download of $pkg $ver failed (3 tries): $(grep -m1 -E '^(E|Err):' "$WORK/dl-$rel.log")"
		rm -rf "$tmp"
		return 1
	fi
	if ! dpkg-deb -x "$deb" "$K_DIR.tmp" 2>"$WORK/x-$rel.log" ||
	   [ ! -f "$K_DIR.tmp/boot/vmlinuz-$rel" ]; then
		K_ERR="cannot extract $deb: $(head -1 "$WORK/x-$rel.log")"
		rm -rf "$tmp" "$K_DIR.tmp"
		return 1
	fi
	rm -rf "$tmp"
	echo "$pkg $ver" >"$K_DIR.tmp/.lnw-complete"
	mv "$K_DIR.tmp" "$K_DIR"
}

# ---- the initramfs -------------------------------------------------------------
# put FILE DEST: a file and, for an ELF, the shared libraries it needs.
. "$HERE/../../deploy/put-elf.sh"
put() { put_elf "$STAGE" "$1" "$2"; }

# The part every kernel shares: busybox, tools, binaries, scripts.
common_initramfs() {
	local b
	STAGE=$WORK/common
	mkdir -p "$STAGE"/{bin,lnw/bin,proc,sys,dev,tmp,run,etc}
	for b in $BINS; do
		[ -f "$b" ] || { echo "missing $b (make kernels-build)"; return 1; }
	done
	put /bin/busybox /bin/busybox || return 1 # busybox-static; a dynamic one works too
	put "$GUEST_LNW" /lnw/bin/lnwatch && put "$OUT/test_tc_run" /lnw/bin/test_tc_run &&
	put "$OUT/pktgen" /lnw/bin/pktgen && put "$OUT/kernels/probe" /lnw/bin/probe &&
	put "$OUT/kernels/probe.bpf.o" /lnw/bin/probe.bpf.o || return 1
	for b in $GUEST_TOOLS; do
		put "$b" "$b" || { echo "missing $b"; return 1; }
	done
	install -m 755 "$HERE/init" "$STAGE/init" &&
	install -m 755 "$HERE/kernel-test.sh" "$STAGE/lnw/kernel-test.sh" || return 1
	(cd "$STAGE" && find . | busybox cpio -o -H newc -R 0:0 2>/dev/null) >"$WORK/common.cpio.tmp" &&
	mv "$WORK/common.cpio.tmp" "$WORK/common.cpio" || { echo "cpio failed"; return 1; }
}

ko_cat() {
	case $1 in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -dcq "$1" ;;
	*.gz) gzip -dc "$1" ;;
	*) cat "$1" ;;
	esac
}

# add_module NAME: NAME after what it depends on, from the extracted tree.
declare -A MODFILE MODDONE
add_module() {
	local n=${1//-/_} f dep
	[ -n "${MODDONE[$n]:-}" ] && return 0
	MODDONE[$n]=1
	if grep -q "/${n}\.ko\$\|/${1}\.ko\$" "$MODDIR/modules.builtin" 2>/dev/null; then
		return 0
	fi
	f=${MODFILE[$n]:-}
	if [ -z "$f" ]; then
		echo "module $1: not in $(basename "$MODDIR") (neither file nor built in)"
		return 1
	fi
	ko_cat "$f" >"$STAGE/lnw/modules/$n.ko" || return 1
	for dep in $(tr '\000' '\n' <"$STAGE/lnw/modules/$n.ko" | sed -n 's/^depends=//p' | head -1 | tr ',' ' '); do
		add_module "$dep" || return 1
	done
	echo "$n.ko" >>"$STAGE/lnw/modules/order"
}

# kernel_initramfs DIR RELEASE NAME EXPECT -> DIR/initrd
kernel_initramfs() {
	local kd=$1 rel=$2 name=$3 expect=$4 f b m
	STAGE=$kd/stage
	MODDIR=$K_DIR/lib/modules/$rel
	[ -d "$MODDIR" ] || MODDIR=$K_DIR/usr/lib/modules/$rel
	mkdir -p "$STAGE/lnw/modules"
	: >"$STAGE/lnw/modules/order"
	MODFILE=()
	MODDONE=()
	while IFS= read -r f; do
		b=${f##*/}
		b=${b%%.ko*}
		MODFILE[${b//-/_}]=$f
	done < <(find "$MODDIR" -name '*.ko' -o -name '*.ko.[xgz]z' -o -name '*.ko.zst')
	for m in $MODULES; do
		add_module "$m" || return 1
	done
	printf 'KERNEL_NAME=%s\nEXPECT="%s"\n' "$name" "$expect" >"$STAGE/lnw/kernel.conf"
	(cd "$STAGE" && find . | busybox cpio -o -H newc -R 0:0 2>/dev/null) >"$kd/kernel.cpio" &&
	cat "$WORK/common.cpio" "$kd/kernel.cpio" >"$kd/initrd" &&
	rm -rf "$STAGE" "$kd/kernel.cpio"
}

# ---- running ---------------------------------------------------------------------
# boot DIR VMLINUZ: the guest, bounded; DIR/results (ttyS1), DIR/console.
boot() {
	local kd=$1 start rc
	start=$(now)
	timeout -k 10 "$TIMEOUT" qemu-system-x86_64 -nodefaults -no-user-config \
		-machine pc -accel tcg,thread=multi -cpu max -smp 2 -m $GUEST_MEM \
		-display none -no-reboot -net none \
		-kernel "$2" -initrd "$kd/initrd" \
		-append "console=ttyS0,115200 panic=-1 oops=panic loglevel=5 mitigations=off rdinit=/init $APPEND" \
		-serial "file:$kd/console" -serial "file:$kd/results" \
		-serial "file:$kd/artifacts" \
		</dev/null >"$kd/qemu.log" 2>&1 &
	echo $! >"$kd/guest.pid"
	wait $!
	rc=$?
	rm -f "$kd/guest.pid"
	echo "$rc $(($(now) - start))" >"$kd/status"
}

# native DIR EXPECT: the same test on this machine's kernel, in a private
# mount namespace (the test's netns mounts vanish with it).
native() {
	local kd=$1 start rc
	start=$(now)
	mkdir -p /run/netns
	LNW=$GUEST_LNW TC_RUN=$OUT/test_tc_run PKTGEN=$OUT/pktgen \
	PROBE=$OUT/kernels/probe PROBE_OBJ=$OUT/kernels/probe.bpf.o \
	IP=/usr/sbin/ip TC=/usr/sbin/tc NFT=/usr/sbin/nft JQ=/usr/bin/jq \
	BPFTOOL=/usr/sbin/bpftool EXPECT=$2 READY_WAIT=30 ARTIFACTS=$kd/artifacts \
	ASAN_OPTIONS=detect_leaks=1:exitcode=86 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=87 \
		timeout -k 10 "$TIMEOUT" unshare --mount --propagation private \
		sh -c 'mount -t tmpfs lnwk /run/netns && exec sh "$0"' "$HERE/kernel-test.sh" \
		</dev/null >"$kd/results" 2>&1
	rc=$?
	echo "# lnw-guest: done rc=$rc" >>"$kd/results"
	echo "$rc $(($(now) - start))" >"$kd/status"
}

# report DIR NAME: the kernel's lines, prefixed and renumbered; its tally.
report() {
	local kd=$1 name=$2 line p=0 f=0 s=0 rc secs done_line tail_shown= logs
	local st d n=0 plan=
	read -r rc secs <"$kd/status"
	if [ -f "$kd/results" ]; then
		while IFS= read -r line; do
			line=${line%$'\r'}
			case $line in
			"not ok"*) st=fail d=${line#not ok} ;;
			"ok "* | ok) st=ok d=${line#ok} ;;
			# the old protocol's lines (tests/kernels/init's)
			"FAIL - "*) say_fail "[$name] ${line#FAIL - }"; f=$((f + 1)); continue ;;
			"SKIP - "*) say_ok "[$name] ${line#SKIP - } # SKIP"; s=$((s + 1)); continue ;;
			1..*) plan=${line#1..}; continue ;;
			"# lnw-guest: "*) continue ;;
			"#"*) say "# [$name]${line#\#}"; continue ;;
			*) continue ;;
			esac
			if [[ $d =~ ^\ ?([0-9]+)?\ ?(-\ )?(.*)$ ]]; then
				[ -n "${BASH_REMATCH[1]}" ] && n=$((n + 1))
				d=${BASH_REMATCH[3]}
			fi
			if [ $st = fail ]; then
				say_fail "[$name] $d"
				f=$((f + 1))
			elif [[ ${d,,} =~ (^|\ )\#\ *skip ]]; then
				say_ok "[$name] $d"
				s=$((s + 1))
			else
				say_ok "[$name] $d"
				p=$((p + 1))
			fi
		done <"$kd/results"
	fi
	done_line=$(grep -a '^# lnw-guest: done' "$kd/results" 2>/dev/null | tr -d '\r')
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		say_fail "[$name] finished within ${TIMEOUT} s: killed after $secs s (hang)"
		f=$((f + 1))
	elif [ -z "$done_line" ]; then
		say_fail "[$name] guest ran the tests to the end: no end marker (boot failure or crash; qemu exit $rc)"
		f=$((f + 1))
	elif [ "${done_line#*rc=0}" = "$done_line" ] && [ $f -eq 0 ]; then
		say_fail "[$name] test script: $done_line, without a failing line"
		f=$((f + 1))
	elif [ "$plan" != $n ]; then
		say_fail "[$name] test script printed its plan: 1..${plan:-(none)} for $n result lines"
		f=$((f + 1))
	fi
	if [ $s -gt 0 ]; then
		say_fail "[$name] nothing skipped: $s test(s) skipped"
		f=$((f + 1))
	fi
	if [ -s "$kd/console" ]; then
		if grep -aq -E '(WARNING: CPU|BUG:|Oops|Kernel panic|general protection)' "$kd/console"; then
			say_fail "[$name] kernel log clean: a warning, BUG or oops:"
			f=$((f + 1))
			grep -a -m3 -A12 -E '(WARNING: CPU|BUG:|Oops|Kernel panic|general protection)' \
				"$kd/console" | tr -d '\r' | sed 's/^/#   /'
			tail_shown=1
		fi
		if [ $f -gt 0 ] && [ -z "$tail_shown" ]; then
			say "# [$name] console tail:"
			tail -n 40 "$kd/console" | tr -d '\r' | sed 's/^/#   /'
		fi
	elif [ $f -gt 0 ] && [ -s "$kd/qemu.log" ]; then
		sed 's/^/#   qemu: /' "$kd/qemu.log" | tail -5
	fi
	logs=$OUT/kernels/logs/$name
	rm -rf "$logs"
	mkdir -p "$logs"
	cp "$kd"/{results,console,artifacts,qemu.log} "$logs/" 2>/dev/null
	[ $f -eq 0 ] || say "# [$name] logs: $logs"
	if [ $s -gt 0 ]; then
		say "$name: $p passed, $f failed, $s skipped"
	else
		say "$name: $p passed, $f failed"
	fi
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
	SUMMARY+=("$(printf '%-22s %-9s %-22s %3s passed %3s failed  %3s s + %3s s' "$name" "$3" \
		"$(grep -a -m1 '^# paths: ' "$kd/results" 2>/dev/null | tr -d '\r' | sed 's/^# paths: //')" \
		"$p" "$((f + s))" "${4:-0}" "$secs")")
}

# ---- main ------------------------------------------------------------------------
for t in qemu-system-x86_64 busybox dpkg-deb apt-get timeout unshare xz; do
	if ! command -v $t >/dev/null; then
		say_fail "kernels: $t is not installed (make deps)"
		say "1..$RN"
		say "0 passed, $((FAILED + 1)) failed"
		exit 1
	fi
done
if [ "$(id -u)" != 0 ]; then
	say_fail "kernels: needs root (BPF, namespaces): run 'sudo make check-kernels'"
	say "1..$RN"
	say "0 passed, $((FAILED + 1)) failed"
	exit 1
fi
# The shared part of the initramfs, once, when the first guest needs it.
COMMON_ERR=
common_once() {
	[ -f "$WORK/common.cpio" ] && return 0
	[ -n "$COMMON_ERR" ] && return 1
	if ! COMMON_ERR=$(common_initramfs 2>&1); then
		COMMON_ERR=${COMMON_ERR:-failed}
		return 1
	fi
	say "# kernels: initramfs base $(($(stat -c %s "$WORK/common.cpio") / 1048576)) MiB, loader $(basename "$GUEST_LNW")"
}

# Prepare each kernel (fetch, initramfs), then run the guests JOBS at a
# time and the native test; report in list order.
SUMMARY=()
NAMES=() KDIRS=() SUITES=() PREP=() STATE=()
KEEP=()
ALL_RESOLVED=1
i=0
for e in "${ENTRIES[@]}"; do
	set -- $e
	suite=$1 pkg=$2 expect="$3 $4 $5"
	kd=$WORK/k$i
	mkdir -p "$kd"
	i=$((i + 1))
	t0=$(now)
	if [ "$suite" = native ]; then
		name=$(uname -r)
		if [ -n "$ONLY" ] && [[ $suite != *"$ONLY"* && $name != *"$ONLY"* ]]; then continue; fi
		NAMES+=("$name") KDIRS+=("$kd") SUITES+=(native) PREP+=(0) STATE+=("native $expect")
		continue
	fi
	if ! resolve "$suite" "$pkg"; then
		ALL_RESOLVED=
		if [ -n "$ONLY" ] && [[ $suite != *"$ONLY"* && $pkg != *"$ONLY"* ]]; then continue; fi
		NAMES+=("$suite/$pkg") KDIRS+=("$kd") SUITES+=("$suite") PREP+=(0)
		STATE+=("error cannot resolve $pkg in $suite: $R_ERR")
		continue
	fi
	rel=${R_PKG#linux-image-}
	KEEP+=("$rel")
	if [ -n "$ONLY" ] && [[ $suite != *"$ONLY"* && $rel != *"$ONLY"* ]]; then continue; fi
	if ! fetch "$R_PKG" "$R_VER"; then
		NAMES+=("$rel") KDIRS+=("$kd") SUITES+=("$suite") PREP+=($(($(now) - t0)))
		STATE+=("error cannot fetch $R_PKG $R_VER: $K_ERR")
		continue
	fi
	if ! common_once; then
		NAMES+=("$rel") KDIRS+=("$kd") SUITES+=("$suite") PREP+=($(($(now) - t0)))
		STATE+=("error initramfs: $COMMON_ERR")
		continue
	fi
	if ! err=$(kernel_initramfs "$kd" "$rel" "$rel" "$expect" 2>&1); then
		NAMES+=("$rel") KDIRS+=("$kd") SUITES+=("$suite") PREP+=($(($(now) - t0)))
		STATE+=("error initramfs: $err")
		continue
	fi
	say "# kernels: $rel ($R_PKG $R_VER from $suite) ready in $(($(now) - t0)) s"
	NAMES+=("$rel") KDIRS+=("$kd") SUITES+=("$suite") PREP+=($(($(now) - t0)))
	STATE+=("boot $K_DIR/boot/vmlinuz-$rel")
done

# Drop cached kernels the list no longer names (only after a full resolve).
if [ -d "$CACHE/x" ] && [ -n "$ALL_RESOLVED" ]; then
	for d in "$CACHE"/x/*; do
		[ -d "$d" ] || continue
		keep=
		for k in "${KEEP[@]}"; do [ "$d" = "$CACHE/x/$k" ] && keep=1; done
		[ -n "$keep" ] || rm -rf "$d"
	done
fi

# Guests in the background, JOBS at a time; the native run after them.
running=0
# STATE[i]: "boot VMLINUZ", "native EXPECT" or "error WHY"
for i in "${!NAMES[@]}"; do
	[ "${STATE[$i]%% *}" = boot ] || continue
	while [ "$running" -ge "$JOBS" ]; do
		wait -n
		running=$((running - 1))
	done
	boot "${KDIRS[$i]}" "${STATE[$i]#boot }" &
	running=$((running + 1))
done
wait
for i in "${!NAMES[@]}"; do
	[ "${STATE[$i]%% *}" = native ] && native "${KDIRS[$i]}" "${STATE[$i]#native }"
done

for i in "${!NAMES[@]}"; do
	if [ "${STATE[$i]%% *}" = error ]; then
		say_fail "[${NAMES[$i]}] fetched and prepared: ${STATE[$i]#error }"
		say "${NAMES[$i]}: 0 passed, 1 failed"
		FAILED=$((FAILED + 1))
		SUMMARY+=("$(printf '%-22s %-9s %-22s %3s passed %3s failed  %3s s' "${NAMES[$i]}" \
			"${SUITES[$i]}" - 0 1 "${PREP[$i]}")")
		continue
	fi
	report "${KDIRS[$i]}" "${NAMES[$i]}" "${SUITES[$i]}" "${PREP[$i]}"
done

say "# kernels: matrix done in $(($(now) - T_START)) s; per kernel: fetch+initramfs s + boot+tests s"
for l in "${SUMMARY[@]}"; do say "#   $l"; done
if [ ${#NAMES[@]} -eq 0 ] && [ $FAILED -eq 0 ]; then
	say_fail "kernels: no kernel selected (KERNELS_ONLY=$ONLY)"
	FAILED=1
fi
say "1..$RN"
say "$PASSED passed, $FAILED failed"
[ $FAILED -eq 0 ]

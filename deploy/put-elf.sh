# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# put_elf STAGE SRC DST: copy SRC to STAGE/DST and, for a dynamic ELF, the
# shared libraries it needs (ldd) at their own paths under STAGE, the
# dynamic loader among them. Sourced by the kernel matrix's initramfs
# (tests/kernels/run.sh) and the container image (deploy/image/build.sh).
# Prints why and returns 1 on a failure.
put_elf() {
	local stage=$1 src=$2 dst=$1$3 lib
	mkdir -p "$(dirname "$dst")" && cp -L "$src" "$dst" || { echo "cannot copy $src"; return 1; }
	# a static binary: ldd fails, nothing to copy
	{ ldd "$src" 2>/dev/null || true; } |
	awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' |
	while read -r lib; do
		[ -e "$stage$lib" ] && continue
		mkdir -p "$(dirname "$stage$lib")" && cp -L "$lib" "$stage$lib" ||
			{ echo "cannot copy $lib (for $src)"; return 1; }
	done
}

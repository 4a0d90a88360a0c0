#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The container image, offline, FROM scratch: BINARY and the shared
# libraries ldd names (deploy/put-elf.sh, as the kernel matrix's
# initramfs) and libmicrohttpd, which --metrics opens, a static busybox for the Kubernetes audit container's loop
# (/bin/busybox, no applet links), an /etc/passwd for user names, built by
# buildah from
# deploy/image/Containerfile as IMAGE.
#
# usage: deploy/image/build.sh BINARY IMAGE     (`make image`)
set -eu -o pipefail
bin=$1 image=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../put-elf.sh"
ctx=$(mktemp -d "${TMPDIR:-/tmp}/lnwimg.XXXXXX")
trap 'rm -rf "$ctx"' EXIT
cp "$here/Containerfile" "$ctx/"
put_elf "$ctx/rootfs" "$bin" /usr/sbin/lnwatch
put_elf "$ctx/rootfs" /bin/busybox /bin/busybox
# --metrics opens libmicrohttpd itself (dlopen): ldd does not name it
mhd=$(ldconfig -p | awk '$1 == "libmicrohttpd.so.12" && /x86-64/ { print $NF; exit }')
[ -n "$mhd" ] || { echo "libmicrohttpd.so.12 not found (Debian: libmicrohttpd12)" >&2; exit 1; }
put_elf "$ctx/rootfs" "$mhd" "$mhd"
mkdir -p "$ctx/rootfs/etc" "$ctx/rootfs/tmp"
chmod 1777 "$ctx/rootfs/tmp"
echo 'root:x:0:0:root:/:/usr/sbin/lnwatch' >"$ctx/rootfs/etc/passwd"
echo 'root:x:0:' >"$ctx/rootfs/etc/group"
buildah bud --quiet --pull=never -f "$ctx/Containerfile" -t "$image" "$ctx" >/dev/null

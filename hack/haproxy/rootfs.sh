#!/usr/bin/env bash
# Makes the HAProxy the project ships and tests, without a container registry: a Debian trixie root
# filesystem with Debian's haproxy 3.0 package (bookworm, the host's release, has 2.6), installed by
# debootstrap from Debian's packages. It serves twice:
#   ROOT/                 the balancer image's root filesystem (hack/realnode builds the image from it);
#   BIN/haproxy           the same binary, patched to load trixie's libraries from ROOT, so the data-plane
#                         tests run HAProxy 3.0 on the host with host paths (no chroot).
#   usage: rootfs.sh OUTPUT_DIR     (writes OUTPUT_DIR/root and OUTPUT_DIR/bin/haproxy)
set -euo pipefail

out=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root

# debootstrap's default mirror is Debian's own archive. perl-base (minbase) serves the reload sidecar.
debootstrap --variant=minbase --include=haproxy trixie "$root" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log"; exit 1; }
# What a runtime image does not need: package caches and indexes, documentation, locales.
rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/{doc,man,info,locale}/* \
  "$root"/var/log/* "$root"/tmp/*

rm -rf "$out"
mkdir -p "$out/bin"
mv "$root" "$out/root"
cp "$out/root/usr/sbin/haproxy" "$out/bin/haproxy"
# DT_RPATH (--force-rpath), unlike RUNPATH, also applies to the libraries' own dependencies.
patchelf --set-interpreter "$out/root/usr/lib64/ld-linux-x86-64.so.2" --force-rpath \
  --set-rpath "$out/root/usr/lib/x86_64-linux-gnu:$out/root/lib/x86_64-linux-gnu" "$out/bin/haproxy"
"$out/bin/haproxy" -v | head -1

#!/usr/bin/env bash
# Makes the operator image's base without pulling from any container registry: a Debian bookworm
# root filesystem with the OpenJDK 17 runtime, installed by debootstrap from Debian's packages, written
# as a `docker save`-style tarball (one layer, hack/image/docker-archive.sh) that Jib reads as `tar://` base image.
#   usage: jre-base.sh OUTPUT.tar
set -euo pipefail

out=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

# debootstrap's default mirror is Debian's own archive.
debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log"; exit 1; }
# What a runtime image does not need: package caches and indexes, documentation, locales.
rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/{doc,man,info,locale}/* \
  "$rootfs"/var/log/* "$rootfs"/tmp/*
java_home=/usr/lib/jvm/java-17-openjdk-amd64
"$(dirname "$0")/docker-archive.sh" "$rootfs" shop-operator-jre:17-bookworm "$(jq -n --arg java_home "$java_home" '{
    Env: ["PATH=\($java_home)/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "JAVA_HOME=\($java_home)", "LANG=C.UTF-8"]}')" "$out"
echo "JRE base image: $out ($(du -h "$out" | cut -f1))"

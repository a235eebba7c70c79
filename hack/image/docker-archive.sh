#!/usr/bin/env bash
# Writes a root filesystem as a one-layer image in `docker save` format, which `ctr images import`,
# `docker load` and Jib's tar:// base image read. The layer is reproducible: same files, same digest.
#   usage: docker-archive.sh ROOTFS NAME:TAG CONFIG_JSON OUTPUT.tar
#   CONFIG_JSON: the image config's "config" object, e.g. '{"Entrypoint": ["/pause"], "User": "65535"}'
set -euo pipefail

rootfs=$1 name=$2 config=$3 out=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tar -C "$rootfs" --sort=name --numeric-owner --mtime=@0 -cf "$work/layer.tar" .
jq -n --arg diff "sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)" --argjson config "$config" \
  '{architecture: "amd64", os: "linux", config: $config, rootfs: {type: "layers", diff_ids: [$diff]}}' \
  >"$work/config.json"
jq -n --arg name "$name" '[{Config: "config.json", RepoTags: [$name], Layers: ["layer.tar"]}]' >"$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$work" -cf "$out.tmp" manifest.json config.json layer.tar
mv "$out.tmp" "$out"

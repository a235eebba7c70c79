#!/usr/bin/env bash
# Builds the operator image without a Docker daemon and writes it as an OCI image-layout tarball.
# Quarkus Jib builds the image on the JRE base (tar://) and can only hand it to a registry or a Docker
# daemon, so it pushes to a throwaway registry on loopback (crane's), from which crane writes the OCI
# layout that `ctr images import`, `k3s ctr images import`, `kind load image-archive` and `docker load` read.
#   env: MVN, CRANE, JRE_BASE, IMAGE (repository:tag), OUT (the tarball)
set -euo pipefail

work=$(mktemp -d)
registry_pid=
cleanup() {
  if [ -n "$registry_pid" ]; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$CRANE" registry serve --address 127.0.0.1:0 2>"$work/registry.log" &
registry_pid=$!
for _ in $(seq 100); do
  port=$(sed -n 's/.*serving on port \([0-9]*\).*/\1/p' "$work/registry.log")
  [ -n "$port" ] && break
  kill -0 "$registry_pid" || { cat "$work/registry.log"; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "the loopback registry did not start"; exit 1; }
registry=127.0.0.1:$port

$MVN -q package -DskipTests \
  -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true \
  -Dquarkus.container-image.registry="$registry" -Dquarkus.container-image.insecure=true \
  -Dquarkus.container-image.tag="${IMAGE##*:}" -Dquarkus.jib.base-jvm-image="tar://$JRE_BASE"

"$CRANE" pull --insecure --format=oci "$registry/$IMAGE" "$work/layout"
# Name the image in the layout's index as users pull it, not after the throwaway registry.
jq --arg name "docker.io/$IMAGE" --arg tag "${IMAGE##*:}" \
  '.manifests[0].annotations += {"io.containerd.image.name": $name, "org.opencontainers.image.ref.name": $tag}' \
  "$work/layout/index.json" >"$work/index.json"
mv "$work/index.json" "$work/layout/index.json"
mkdir -p "$(dirname "$OUT")"
tar -C "$work/layout" --sort=name -cf "$OUT" .
echo "image docker.io/$IMAGE: $OUT ($(du -h "$OUT" | cut -f1))"

#!/usr/bin/env bash
# Builds the real node's images without a container registry, each a one-layer `docker save` tarball
# that `ctr images import` loads:
#   pause.tar    localhost/realnode/pause:1      the pod sandbox: a static C program (pause/pause.c)
#   shop.tar     localhost/realnode/shop:1       busybox-static's httpd (Debian): /healthz, and "/"
#                                                answering with the pod's name (shop/www)
#   loadgen.tar  localhost/realnode/loadgen:1    the load generator (loadgen/, Go standard library)
#   coredns.tar  localhost/realnode/coredns:1    the cluster DNS, built from its Go module
#   haproxy.tar  docker.io/library/haproxy:3.0   the balancer: `make haproxy`'s Debian trixie root
#                                                with haproxy 3.0, named as the chart's default
#   usage: images.sh OUTPUT_DIR HAPROXY_ROOT COREDNS_BINARY
set -euo pipefail

out=$1 haproxy_root=$2 coredns=$3
here=$(cd "$(dirname "$0")" && pwd)
archive=$here/../image/docker-archive.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# Non-root users with numeric ids, so runAsNonRoot admits them without a runAsUser.
mkdir -p "$work/pause"
gcc -static -O2 -Wall -o "$work/pause/pause" "$here/pause/pause.c"
"$archive" "$work/pause" localhost/realnode/pause:1 '{"Entrypoint": ["/pause"], "User": "65535"}' "$out/pause.tar"

(cd "$work" && apt-get download -q busybox-static >/dev/null 2>&1) || { apt-get update -qq && (cd "$work" && apt-get download -q busybox-static); }
dpkg-deb -x "$work"/busybox-static_*.deb "$work/busybox"
mkdir -p "$work/shop/bin"
cp "$work/busybox/bin/busybox" "$work/shop/bin/busybox"
cp -r "$here/shop/www" "$work/shop/www"
"$archive" "$work/shop" localhost/realnode/shop:1 \
  '{"Entrypoint": ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"], "User": "65532:65532"}' "$out/shop.tar"

mkdir -p "$work/loadgen"
(cd "$here" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$work/loadgen/loadgen" ./loadgen)
"$archive" "$work/loadgen" localhost/realnode/loadgen:1 '{"Entrypoint": ["/loadgen"], "User": "65532:65532"}' \
  "$out/loadgen.tar"

mkdir -p "$work/coredns"
cp "$coredns" "$work/coredns/coredns"
"$archive" "$work/coredns" localhost/realnode/coredns:1 \
  '{"Entrypoint": ["/coredns"], "Cmd": ["-conf", "/etc/coredns/Corefile"], "User": "65532:65532"}' "$out/coredns.tar"

# As the official image: uid 99, stopped gracefully by SIGUSR1; the Deployment passes HAProxy's
# arguments only, so the entrypoint is haproxy itself.
"$archive" "$haproxy_root" docker.io/library/haproxy:3.0 '{
    "Entrypoint": ["/usr/sbin/haproxy"], "Cmd": ["-f", "/usr/local/etc/haproxy/haproxy.cfg"], "User": "99:99",
    "StopSignal": "SIGUSR1", "WorkingDir": "/var/lib/haproxy",
    "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]}' "$out/haproxy.tar"
ls -l "$out"

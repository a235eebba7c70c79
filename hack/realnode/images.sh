#!/usr/bin/env bash
# Builds the real node's images without a container registry, each a one-layer `docker save` tarball
# that `ctr images import` loads:
#   pause.tar    localhost/realnode/pause:1      the pod sandbox: a static C program (pause/pause.c)
#   shop.tar     localhost/realnode/shop:1       the test shop (shop/, Go standard library): /healthz,
#                                                and any other path answered with the pod's name
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

go_image() { # NAME: the static Go program ./NAME of this module, as the image's only file
  mkdir -p "$work/$1"
  (cd "$here" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$work/$1/$1" "./$1")
  "$archive" "$work/$1" "localhost/realnode/$1:1" "{\"Entrypoint\": [\"/$1\"], \"User\": \"65532:65532\"}" "$out/$1.tar"
}
go_image shop
go_image loadgen

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

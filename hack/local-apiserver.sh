#!/usr/bin/env bash
# Starts or stops a local etcd + kube-apiserver (built by `make kube-binaries`) on loopback, with a
# static admin token and a kubeconfig at $LOCAL_CLUSTER_DIR/kubeconfig. For the README's run command
# when no cluster is reachable; it has no controller-manager or nodes, so no pod ever runs.
set -euo pipefail

BIN=${KUBE_BIN_DIR:?KUBE_BIN_DIR must point at the kube binaries}
DIR=${LOCAL_CLUSTER_DIR:-/tmp/shop-operator-local}
API_PORT=${LOCAL_API_PORT:-16443}
ETCD_PORT=${LOCAL_ETCD_PORT:-12379}

start() {
  stop >/dev/null 2>&1 || true
  rm -rf "$DIR" && mkdir -p "$DIR/certs"
  openssl genrsa -out "$DIR/sa.key" 2048 2>/dev/null
  token=$(openssl rand -hex 16)
  echo "$token,admin,admin,system:masters" > "$DIR/tokens.csv"

  "$BIN/etcd" --data-dir "$DIR/etcd" --name local \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-cluster "local=http://127.0.0.1:$((ETCD_PORT + 1))" >"$DIR/etcd.log" 2>&1 &
  echo $! > "$DIR/etcd.pid"

  "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" --cert-dir "$DIR/certs" \
    --token-auth-file "$DIR/tokens.csv" --authorization-mode RBAC \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$DIR/sa.key" \
    --service-account-signing-key-file "$DIR/sa.key" --service-cluster-ip-range 10.96.0.0/16 \
    --disable-admission-plugins ServiceAccount >"$DIR/apiserver.log" 2>&1 &
  echo $! > "$DIR/apiserver.pid"

  cat > "$DIR/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "https://127.0.0.1:$API_PORT", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {token: "$token"}
contexts:
- name: local
  context: {cluster: local, user: admin, namespace: default}
current-context: local
KUBECONFIG

  for _ in $(seq 1 120); do
    if "$BIN/kubectl" --kubeconfig "$DIR/kubeconfig" get --raw /readyz >/dev/null 2>&1; then
      echo "local API server ready at https://127.0.0.1:$API_PORT (kubeconfig: $DIR/kubeconfig)"
      return 0
    fi
    sleep 0.5
  done
  echo "local API server did not become ready; see $DIR/apiserver.log" >&2
  tail -20 "$DIR/apiserver.log" >&2
  return 1
}

stop() {
  for name in apiserver etcd; do
    if [ -f "$DIR/$name.pid" ]; then
      pid=$(cat "$DIR/$name.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$DIR/$name.pid"
    fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Starts or stops a simulated cluster on loopback, all built by `make kube-binaries`: etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler and kwok with three simulated nodes (pods
# scheduled there become Running and Ready). Writes a kubeconfig to $LOCAL_CLUSTER_DIR/kubeconfig.
# `start` leaves the processes running; `stop` ends every one of them.
# The real-node tier (hack/realnode/node.sh) runs the same control plane inside its node's network
# namespace: LOCAL_CLUSTER_ADDRESS is then the node's address and LOCAL_CLUSTER_NODES=0 leaves the
# nodes to a real kubelet, whose pods get service-account tokens that verify the API server's cert.
set -euo pipefail

BIN=${KUBE_BIN_DIR:?KUBE_BIN_DIR must point at the kube binaries}
DIR=${LOCAL_CLUSTER_DIR:-/tmp/shop-operator-local}
PORT_BASE=${LOCAL_CLUSTER_PORT_BASE:-16440}
API_PORT=$PORT_BASE
ETCD_PORT=$((PORT_BASE + 1))
ETCD_PEER_PORT=$((PORT_BASE + 2))
CM_PORT=$((PORT_BASE + 3))
SCHED_PORT=$((PORT_BASE + 4))
KWOK_PORT=$((PORT_BASE + 5))
NODES=${LOCAL_CLUSTER_NODES:-3}
ADDRESS=${LOCAL_CLUSTER_ADDRESS:-127.0.0.1}
SERVICE_CIDR=10.96.0.0/16
COMPONENTS="kwok kube-scheduler kube-controller-manager kube-apiserver etcd"

kubectl() { "$BIN/kubectl" --kubeconfig "$DIR/kubeconfig" "$@"; }

launch() { # name, command...
  local name=$1; shift
  "$@" >"$DIR/$name.log" 2>&1 &
  echo $! > "$DIR/$name.pid"
}

start() {
  stop >/dev/null 2>&1 || true
  rm -rf "$DIR" && mkdir -p "$DIR/certs"
  openssl genrsa -out "$DIR/sa.key" 2048 2>/dev/null
  # A CA and a serving cert for every name clients use, in-cluster ones (kubernetes.default.svc) too.
  openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj /CN=shop-operator-local-ca \
    -keyout "$DIR/certs/ca.key" -out "$DIR/certs/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj /CN=kube-apiserver \
    -keyout "$DIR/certs/apiserver.key" -out "$DIR/certs/apiserver.csr" 2>/dev/null
  openssl x509 -req -days 7 -in "$DIR/certs/apiserver.csr" -CA "$DIR/certs/ca.crt" -CAkey "$DIR/certs/ca.key" \
    -CAcreateserial -out "$DIR/certs/apiserver.crt" -extfile <(printf '%s\n' "extendedKeyUsage=serverAuth" \
    "subjectAltName=IP:127.0.0.1,IP:$ADDRESS,IP:10.96.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local") 2>/dev/null
  token=$(openssl rand -hex 16)
  echo "$token,admin,admin,system:masters" > "$DIR/tokens.csv"
  cat > "$DIR/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster: {server: "https://$ADDRESS:$API_PORT", certificate-authority-data: "$(base64 -w0 "$DIR/certs/ca.crt")"}
users:
- name: admin
  user: {token: "$token"}
contexts:
- name: local
  context: {cluster: local, user: admin, namespace: default}
current-context: local
KUBECONFIG

  launch etcd "$BIN/etcd" --data-dir "$DIR/etcd" --name local \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "local=http://127.0.0.1:$ETCD_PEER_PORT"
  launch kube-apiserver "$BIN/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address "$ADDRESS" --advertise-address "$ADDRESS" --secure-port "$API_PORT" \
    --tls-cert-file "$DIR/certs/apiserver.crt" --tls-private-key-file "$DIR/certs/apiserver.key" \
    --token-auth-file "$DIR/tokens.csv" --authorization-mode RBAC --kubelet-preferred-address-types InternalIP \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$DIR/sa.key" \
    --service-account-signing-key-file "$DIR/sa.key" --service-cluster-ip-range "$SERVICE_CIDR" \
    $([ "$NODES" = 0 ] || echo --disable-admission-plugins ServiceAccount)
  for _ in $(seq 1 120); do
    kubectl get --raw /readyz >/dev/null 2>&1 && break
    sleep 0.5
  done
  kubectl get --raw /readyz >/dev/null || { echo "API server not ready; see $DIR/kube-apiserver.log" >&2; return 1; }

  launch kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$DIR/kubeconfig" \
    --authentication-kubeconfig "$DIR/kubeconfig" --authorization-kubeconfig "$DIR/kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port "$CM_PORT" \
    --controllers '*,-serviceaccount-token,-nodeipam' --use-service-account-credentials=false \
    --service-cluster-ip-range "$SERVICE_CIDR" --root-ca-file "$DIR/certs/ca.crt" \
    $([ "$NODES" = 0 ] || echo --node-monitor-grace-period 1h)
  # kwok's simulated nodes can miss a heartbeat on a busy machine; the node lifecycle controller would then
  # mark every pod Ready=False for good (kwok does not set it back). A real kubelet (NODES=0) keeps the default.
  launch kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$DIR/kubeconfig" \
    --authentication-kubeconfig "$DIR/kubeconfig" --authorization-kubeconfig "$DIR/kubeconfig" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port "$SCHED_PORT"
  if [ "$NODES" = 0 ]; then
    echo "control plane ready at https://$ADDRESS:$API_PORT (kubeconfig: $DIR/kubeconfig)"
    return
  fi
  launch kwok "$BIN/kwok" --kubeconfig "$DIR/kubeconfig" --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --server-address "127.0.0.1:$KWOK_PORT"

  for i in $(seq 0 $((NODES - 1))); do
    cat <<NODE | kubectl apply -f - >/dev/null
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, type: kwok, topology.kubernetes.io/zone: zone-$((i % 2))}
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
NODE
  done
  kubectl wait --for=condition=Ready node --all --timeout=60s >/dev/null
  echo "simulated cluster ready: $NODES kwok nodes at https://127.0.0.1:$API_PORT (kubeconfig: $DIR/kubeconfig)"
}

stop() {
  for name in $COMPONENTS; do
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

#!/usr/bin/env bash
# The README's run command: runs the operator against the current kubeconfig's cluster or, when none
# is reachable, against a local API server it starts; applies examples/, shows `kubectl get shops`,
# then stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${KUBE_BIN_DIR:?KUBE_BIN_DIR must point at the kube binaries}
KUBECTL="$BIN/kubectl"
WORK=$(mktemp -d /tmp/shop-operator-run.XXXXXX)
OPERATOR_PID=""
STARTED_LOCAL=""

cleanup() {
  [ -n "$OPERATOR_PID" ] && kill "$OPERATOR_PID" 2>/dev/null && wait "$OPERATOR_PID" 2>/dev/null || true
  [ -n "$STARTED_LOCAL" ] && hack/local-cluster.sh stop || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "${KUBECONFIG:-}${HOME:+}" ] && "$KUBECTL" get --raw /readyz --request-timeout=3s >/dev/null 2>&1; then
  echo "== using the current kubeconfig's cluster: $("$KUBECTL" config current-context)"
else
  echo "== no cluster reachable through the current kubeconfig: starting a local API server"
  hack/local-cluster.sh start
  export KUBECONFIG=${LOCAL_CLUSTER_DIR:-/tmp/shop-operator-local}/kubeconfig
  STARTED_LOCAL=1
fi
CACHE="$WORK/cache-before-crd"
kubectl() { "$KUBECTL" --cache-dir "$CACHE" "$@"; }

echo "== installing the ShopCluster CRD"
kubectl apply --server-side -f crds/ >/dev/null
kubectl wait --for=condition=Established crd/shopclusters.shopcluster.dev --timeout=60s >/dev/null
CACHE="$WORK/cache"   # fresh API discovery, so the short name `shops` resolves

echo "== starting the operator (log: $WORK/operator.log)"
QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=${OPERATOR_HTTP_PORT:-18080} \
  java -jar target/quarkus-app/quarkus-run.jar >"$WORK/operator.log" 2>&1 &
OPERATOR_PID=$!

echo "== applying examples/"
kubectl apply -f examples/
shops=$(kubectl get shops -o name | wc -l)
for _ in $(seq 1 120); do
  reported=$(kubectl get shops -o jsonpath='{range .items[*]}{.status.observedGeneration}{"\n"}{end}' | grep -c . || true)
  [ "$reported" -ge "$shops" ] && break
  kill -0 "$OPERATOR_PID" 2>/dev/null || { echo "operator exited:"; tail -30 "$WORK/operator.log"; exit 1; }
  sleep 0.5
done
echo
kubectl get shops
echo
kubectl get deployments -l app.kubernetes.io/managed-by=shop-operator
if [ -n "$STARTED_LOCAL" ]; then
  echo
  echo "(the local API server runs no controllers or nodes, so no pod starts and the shops stay Ready=False;"
  echo " on a real cluster they turn Ready as their pods pass the health check)"
fi

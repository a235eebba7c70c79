#!/usr/bin/env bash
# The README's run command. Runs the operator against the current kubeconfig's cluster or, when none is
# reachable, against a simulated cluster it starts (hack/local-cluster.sh); applies examples/, shows the
# shops going Ready; on the simulated cluster also makes the ActiveStandby primary's pods unready and
# shows the promotion. Then it stops everything it started and removes what it applied.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${KUBE_BIN_DIR:?KUBE_BIN_DIR must point at the kube binaries}
WORK=$(mktemp -d /tmp/shop-operator-run.XXXXXX)
NAMESPACE=shop-demo
OPERATOR_PID=""
SIMULATED=""

# SIGTERM first (the operator stops in well under a second); a safety net, not the expected path.
stop_operator() {
  kill "$OPERATOR_PID" 2>/dev/null || return 0
  for _ in $(seq 1 20); do
    kill -0 "$OPERATOR_PID" 2>/dev/null || return 0
    sleep 0.5
  done
  echo "(the operator did not stop within 10 s of SIGTERM: killing it)"
  kill -9 "$OPERATOR_PID" 2>/dev/null || true
}

cleanup() {
  if [ -z "$SIMULATED" ]; then
    kubectl delete namespace "$NAMESPACE" --ignore-not-found --wait=false >/dev/null 2>&1 || true
  fi
  [ -n "$OPERATOR_PID" ] && stop_operator
  [ -n "$SIMULATED" ] && hack/local-cluster.sh stop || true
  rm -rf "$WORK"
}
trap cleanup EXIT

CACHE="$WORK/cache-before-crd"
kubectl() { "$BIN/kubectl" --cache-dir "$CACHE" "$@"; }

if kubectl get --raw /readyz --request-timeout=3s >/dev/null 2>&1; then
  echo "== using the current kubeconfig's cluster: $(kubectl config current-context)"
else
  echo "== no cluster reachable through the current kubeconfig: starting a simulated one"
  export LOCAL_CLUSTER_DIR="$WORK/cluster"
  hack/local-cluster.sh start
  export KUBECONFIG=$LOCAL_CLUSTER_DIR/kubeconfig
  SIMULATED=1
fi

echo "== installing the ShopCluster CRD"
kubectl apply --server-side -f crds/ >/dev/null
kubectl wait --for=condition=Established crd/shopclusters.shopcluster.dev --timeout=60s >/dev/null
CACHE="$WORK/cache"   # fresh API discovery, so the short name `shops` resolves

echo "== starting the operator (log: $WORK/operator.log)"
QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=${OPERATOR_HTTP_PORT:-18080} \
  java -jar target/quarkus-app/quarkus-run.jar >"$WORK/operator.log" 2>&1 &
OPERATOR_PID=$!

echo "== applying examples/ to namespace $NAMESPACE"
kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl -n "$NAMESPACE" apply -f examples/
echo "== waiting for the shops to become Ready (kubectl wait --for=condition=Ready shops --all)"
if ! kubectl -n "$NAMESPACE" wait --for=condition=Ready shops --all --timeout=180s >/dev/null; then
  echo "(not all shops are Ready yet; on a real cluster their images may still be pulling)"
fi
kubectl -n "$NAMESPACE" get shops

if [ -n "$SIMULATED" ]; then
  echo
  echo "== making the primary's pods of shop/payments unready, as a failing readiness probe would"
  for pod in $(kubectl -n "$NAMESPACE" get pods -l app.kubernetes.io/instance=payments,shopcluster.dev/group=a -o name); do
    kubectl -n "$NAMESPACE" patch "$pod" --subresource=status --type=strategic \
      -p '{"status":{"conditions":[{"type":"Ready","status":"False"}]}}' >/dev/null
  done
  echo "== waiting for the promotion (failoverAfterSeconds: 5)"
  kubectl -n "$NAMESPACE" wait --for=jsonpath='{.status.currentPrimary}'=b shop/payments --timeout=60s >/dev/null
  kubectl -n "$NAMESPACE" get shop payments
  echo
  kubectl -n "$NAMESPACE" get shop payments \
    -o jsonpath='{range .status.conditions[*]}{.type}={.status} ({.reason}): {.message}{"\n"}{end}'
  echo
  kubectl -n "$NAMESPACE" get events --field-selector involvedObject.name=payments \
    --sort-by=.lastTimestamp -o custom-columns=TYPE:.type,REASON:.reason,MESSAGE:.message | tail -6
fi
echo
echo "== done; stopping what this command started"

#!/usr/bin/env bash
# The README's run command. By default it starts a simulated cluster on 127.0.0.1 (hack/local-cluster.sh)
# and never touches any other cluster; CLUSTER=current runs against the current kubeconfig context
# instead, after saying which one. Applies examples/, shows the shops going Ready; on the simulated
# cluster also makes the ActiveStandby primary's pods unready and shows the promotion. Then it stops
# everything it started, removes what it applied and says what is left.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${KUBE_BIN_DIR:?KUBE_BIN_DIR must point at the kube binaries}
WORK=$(mktemp -d /tmp/shop-operator-run.XXXXXX)
NAMESPACE=shop-demo
CRD=shopclusters.shopcluster.dev
CLUSTER=${CLUSTER:-simulated}
OPERATOR_PID=""
SIMULATED=""
CRD_INSTALLED=""
NAMESPACE_CREATED=""

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
  [ -n "$OPERATOR_PID" ] && stop_operator
  if [ -n "$SIMULATED" ]; then
    hack/local-cluster.sh stop || true
    echo "== left behind: nothing (the simulated cluster's processes are stopped, its files removed)"
  elif [ -n "$NAMESPACE_CREATED" ]; then
    # Pods get their grace period; the namespace goes once they are gone.
    kubectl delete namespace "$NAMESPACE" --ignore-not-found --wait=false >/dev/null 2>&1 || true
    echo "== left behind in context $CONTEXT: namespace $NAMESPACE while it terminates (with it its ShopClusters,"
    echo "   pods, Services, Lease and events); images the nodes pulled stay in their image caches."
  fi
  if [ -z "$SIMULATED" ] && [ -n "$CRD_INSTALLED" ]; then
    kubectl delete crd "$CRD" --ignore-not-found --wait=false >/dev/null 2>&1 || true
    echo "   The CRD $CRD this run installed is deleted."
  elif [ -z "$SIMULATED" ] && [ -n "$NAMESPACE_CREATED" ]; then
    echo "   The CRD $CRD stays: it was there before this run."
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

CACHE="$WORK/cache-before-crd"
kubectl() { "$BIN/kubectl" --cache-dir "$CACHE" "$@"; }

case "$CLUSTER" in
  simulated)
    echo "== starting a simulated cluster on 127.0.0.1 (no other cluster is touched; CLUSTER=current uses yours)"
    export LOCAL_CLUSTER_DIR="$WORK/cluster"
    SIMULATED=1
    hack/local-cluster.sh start
    export KUBECONFIG=$LOCAL_CLUSTER_DIR/kubeconfig
    ;;
  current)
    CONTEXT=$(kubectl config current-context)
    SERVER=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')
    echo "== using kubeconfig context \"$CONTEXT\" ($SERVER), with your credentials"
    kubectl get --raw /readyz --request-timeout=5s >/dev/null || { echo "context $CONTEXT is not reachable" >&2; exit 1; }
    # An installed operator would act on the demo's shops too: two operators, one set of children.
    if kubectl get leases -A --field-selector metadata.name=shop-operator-leader -o name 2>/dev/null | grep -q .; then
      echo "an operator already runs in this cluster (Lease shop-operator-leader); the demo would compete with it." >&2
      echo "Run the demo on the simulated cluster (make run) instead." >&2
      exit 1
    fi
    if kubectl get namespace "$NAMESPACE" >/dev/null 2>&1; then
      echo "namespace $NAMESPACE exists already; the demo deletes it at the end, so it will not use one it did not create." >&2
      exit 1
    fi
    ;;
  *) echo "CLUSTER must be simulated (default) or current, not $CLUSTER" >&2; exit 2 ;;
esac

if kubectl get crd "$CRD" >/dev/null 2>&1; then
  echo "== the ShopCluster CRD is installed already: using it as it is"
else
  echo "== installing the ShopCluster CRD (removed again at the end)"
  CRD_INSTALLED=1
  kubectl apply --server-side -f crds/ >/dev/null
fi
# `kubectl wait` fails outright on a CRD without conditions yet, so poll.
for _ in $(seq 1 120); do
  [ "$(kubectl get crd "$CRD" -o jsonpath='{.status.conditions[?(@.type=="Established")].status}' 2>/dev/null)" = True ] && break
  sleep 0.5
done
CACHE="$WORK/cache"   # fresh API discovery, so the short name `shops` resolves

kubectl create namespace "$NAMESPACE" >/dev/null
NAMESPACE_CREATED=1
# Watching only the demo namespace, with its own Lease there (KUBERNETES_NAMESPACE), so it goes with it.
echo "== starting the operator for namespace $NAMESPACE (log: $WORK/operator.log)"
QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=${OPERATOR_HTTP_PORT:-18080} QUARKUS_OPERATOR_SDK_NAMESPACES=$NAMESPACE \
  KUBERNETES_NAMESPACE=$NAMESPACE SHOP_OPERATOR_LEADER_ELECTION_LEASE_NAME=shop-operator-demo \
  java -jar target/quarkus-app/quarkus-run.jar >"$WORK/operator.log" 2>&1 &
OPERATOR_PID=$!

echo "== applying examples/ to namespace $NAMESPACE"
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

#!/usr/bin/env bash
# Starts or stops a one-node Kubernetes with a real kubelet, on this host, inside a network namespace
# of its own: the control plane of hack/local-cluster.sh (etcd, kube-apiserver, controller-manager,
# scheduler), containerd + runc, the CNI bridge, kube-proxy (iptables) and CoreDNS, with every image
# loaded from local tarballs (no registry). Every address is inside that namespace; processes on the
# host reach the API server through netns-forward on 127.0.0.1, with $REALNODE_DIR/kubeconfig.
#
#   env: KUBE_BIN_DIR        kube-apiserver, etcd, kubectl, controller-manager, scheduler, kubelet, kube-proxy
#        REALNODE_IMAGES     directory of image tarballs (hack/realnode/images.sh), all loaded
#        REALNODE_FORWARD    the netns-forward binary
#        OPERATOR_IMAGE      optional: the operator image tarball (`make image`), loaded too
#        REALNODE_DIR        run directory (default /tmp/shop-realnode): logs, state, kubeconfig
#   start: stops any earlier node first, then starts one and waits until the node and CoreDNS are Ready.
#   stop:  removes everything start made, whatever state it is in: processes (every one runs in the
#          cgroup $CGROUP, so none escapes), mounts, cgroups, the namespace with its links and iptables
#          rules. Safe to repeat.
set -euo pipefail

BIN=${KUBE_BIN_DIR:?KUBE_BIN_DIR must point at the kube binaries}
DIR=$(realpath -m "${REALNODE_DIR:-/tmp/shop-realnode}")
HERE=$(cd "$(dirname "$0")" && pwd)
NETNS=shop-realnode
CGROUP=shop-realnode
NODE_NAME=realnode
NODE_IP=10.250.0.10
API_PORT=6443
POD_CIDR=10.244.0.0/16
POD_SUBNET=10.244.0.0/24
CLUSTER_DNS=10.96.0.10
CONTAINERD_SOCKET=$DIR/containerd/containerd.sock
DAEMONS="netns-forward kube-proxy kubelet containerd"

kubectl() { "$BIN/kubectl" --kubeconfig "$DIR/kubeconfig" "$@"; }
in_node() { nsenter --net="/run/netns/$NETNS" "$@"; }
ctr_node() { ctr --address "$CONTAINERD_SOCKET" --namespace k8s.io "$@"; }

launch() { # name, command... : a daemon in the node's network namespace
  local name=$1; shift
  in_node "$@" >"$DIR/logs/$name.log" 2>&1 &
  echo $! >"$DIR/$name.pid"
}

wait_for() { # seconds, description, command...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "timed out after ${seconds}s waiting for $what; logs in $DIR/logs" >&2
  return 1
}

cgroup_roots() { # the cgroup v1 hierarchies (and the v2 one, where mounted) the node's cgroup lives in
  for hierarchy in /sys/fs/cgroup/*/; do
    [ -f "$hierarchy/cgroup.procs" ] && echo "${hierarchy%/}/$CGROUP"
  done
}

cgroup_pids() {
  find "/sys/fs/cgroup/pids/$CGROUP" -name cgroup.procs -exec cat {} + 2>/dev/null || true
}

start() {
  stop >/dev/null 2>&1 || true
  mkdir -p "$DIR/logs" "$DIR/cni" "$DIR/containerd"

  ip netns add "$NETNS"
  in_node ip link set lo up
  # The node's address, on a bridge without ports (this kernel has no dummy links): traffic to
  # anything outside the namespace ends there.
  in_node ip link add node0 type bridge
  in_node ip addr add "$NODE_IP/24" dev node0
  in_node ip link set node0 up
  in_node ip route add default dev node0
  in_node sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1

  # Every process from here on, and every pod (the kubelet's cgroup root), lives in $CGROUP.
  for cgroup in $(cgroup_roots); do
    mkdir -p "$cgroup"
    case $cgroup in */cpuset/*)
      cat /sys/fs/cgroup/cpuset/cpuset.cpus >"$cgroup/cpuset.cpus"
      cat /sys/fs/cgroup/cpuset/cpuset.mems >"$cgroup/cpuset.mems" ;;
    esac
  done
  # The node gets the CPU weight of a machine of its own (8 busy host threads' worth), so pods and
  # their control plane keep up when other work shares this host's cores.
  echo 8192 >"/sys/fs/cgroup/cpu/$CGROUP/cpu.shares"
  for hierarchy in pids cpu; do
    mkdir -p "/sys/fs/cgroup/$hierarchy/$CGROUP/daemons"
    echo $$ >"/sys/fs/cgroup/$hierarchy/$CGROUP/daemons/cgroup.procs"
  done

  LOCAL_CLUSTER_DIR=$DIR/control-plane LOCAL_CLUSTER_PORT_BASE=$API_PORT LOCAL_CLUSTER_NODES=0 \
    LOCAL_CLUSTER_ADDRESS=$NODE_IP in_node "$HERE/../local-cluster.sh" start
  "$REALNODE_FORWARD" -netns "/run/netns/$NETNS" -connect "$NODE_IP:$API_PORT" -port-file "$DIR/api-port" \
    >"$DIR/logs/netns-forward.log" 2>&1 &
  echo $! >"$DIR/netns-forward.pid"
  wait_for 10 "netns-forward" test -s "$DIR/api-port"
  sed "s|server: \"https://$NODE_IP:$API_PORT\"|server: \"https://127.0.0.1:$(cat "$DIR/api-port")\"|" \
    "$DIR/control-plane/kubeconfig" >"$DIR/kubeconfig"

  start_containerd
  start_kubelet
  start_kube_proxy
  kubectl apply -f "$HERE/coredns.yaml" >/dev/null
  wait_for 120 "CoreDNS to become available" \
    kubectl -n kube-system wait deployment/coredns --for=condition=Available --timeout=1s
  echo "real node $NODE_NAME ready; API server https://127.0.0.1:$(cat "$DIR/api-port") (kubeconfig: $DIR/kubeconfig)"
}

start_containerd() {
  cat >"$DIR/containerd/config.toml" <<TOML
version = 2
root = "$DIR/containerd/root"
state = "$DIR/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.zfs"]
[grpc]
  address = "$CONTAINERD_SOCKET"
[plugins."io.containerd.internal.v1.opt"]
  path = "$DIR/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/realnode/pause:1"
  # This machine withholds CAP_SYS_RESOURCE: without it every sandbox fails to start.
  restrict_oom_score_adj = true
  # Pod network namespaces under the state directory rather than /run/netns, so stop finds them all.
  netns_mounts_under_state_dir = true
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$DIR/containerd/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$DIR/cni"
TOML
  cat >"$DIR/cni/10-realnode.conflist" <<JSON
{"cniVersion": "1.0.0", "name": "realnode", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "$DIR/cni/ipam", "ranges": [[{"subnet": "$POD_SUBNET"}]],
            "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
JSON
  launch containerd containerd --config "$DIR/containerd/config.toml"
  wait_for 30 "containerd" ctr_node version
  for image in "$REALNODE_IMAGES"/*.tar ${OPERATOR_IMAGE:+"$OPERATOR_IMAGE"}; do
    ctr_node images import "$image" >/dev/null
  done
}

start_kubelet() {
  printf '# no upstream DNS: nothing resolves outside the cluster\n' >"$DIR/resolv.conf"
  cat >"$DIR/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
cgroupRoot: /$CGROUP
failCgroupV1: false
failSwapOn: false
containerRuntimeEndpoint: unix://$CONTAINERD_SOCKET
authentication: {anonymous: {enabled: true}, webhook: {enabled: false}}
authorization: {mode: AlwaysAllow}
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
clusterDNS: [$CLUSTER_DNS]
clusterDomain: cluster.local
resolvConf: $DIR/resolv.conf
podLogsDir: $DIR/pod-logs
# The default, stated: a changed ConfigMap reaches a running pod's volume on the pod's next sync.
syncFrequency: 1m
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
YAML
  launch kubelet "$BIN/kubelet" --config "$DIR/kubelet.yaml" --kubeconfig "$DIR/control-plane/kubeconfig" \
    --root-dir "$DIR/kubelet" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP"
  wait_for 120 "node $NODE_NAME to become Ready" kubectl wait "node/$NODE_NAME" --for=condition=Ready --timeout=1s
}

start_kube_proxy() {
  cat >"$DIR/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $DIR/control-plane/kubeconfig}
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $POD_CIDR
# The namespace's conntrack table is the host's to size.
conntrack: {maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
YAML
  launch kube-proxy "$BIN/kube-proxy" --config "$DIR/kube-proxy.yaml"
  wait_for 30 "kube-proxy" in_node iptables -t nat -n -L KUBE-SERVICES
}

stop() {
  set +e # best effort, step by step: whatever is left is named at the end
  for name in $DAEMONS; do
    [ -f "$DIR/$name.pid" ] && kill "$(cat "$DIR/$name.pid")" 2>/dev/null
    rm -f "$DIR/$name.pid"
  done
  [ -d "$DIR/control-plane" ] && KUBE_BIN_DIR=$BIN LOCAL_CLUSTER_DIR=$DIR/control-plane "$HERE/../local-cluster.sh" stop
  # Whatever is left (containerd's shims, the containers, a daemon that ignored SIGTERM) is in the cgroup.
  for _ in $(seq 1 100); do
    pids=$(cgroup_pids)
    [ -z "$pids" ] && break
    kill -9 $pids 2>/dev/null || true
    sleep 0.1
  done
  # Mounts: containers' root filesystems, pod volumes, pod network namespaces, the kubelet's own.
  for _ in 1 2 3; do
    mounts=$(awk -v dir="$DIR/" 'index($5, dir) == 1 {print $5}' /proc/self/mountinfo | sort -r)
    [ -z "$mounts" ] && break
    for mount in $mounts; do umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || true; done
  done
  # The shims' sockets: containerd names them after the hash of its address, namespace and task id.
  for bundle in "$DIR"/containerd/state/io.containerd.runtime.v2.task/*/*; do
    [ -d "$bundle" ] || continue
    ns_id=${bundle#"$DIR/containerd/state/io.containerd.runtime.v2.task/"}
    rm -f "/run/containerd/s/$(printf '%s' "$CONTAINERD_SOCKET/$ns_id" | sha256sum | cut -d' ' -f1)"
  done
  for cgroup in $(cgroup_roots); do
    [ -d "$cgroup" ] && find "$cgroup" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  ip netns del "$NETNS" 2>/dev/null || true
  rmdir /run/containerd/s /run/containerd 2>/dev/null # containerd's, when it left them empty
  # Logs stay for the record; the state goes.
  rm -rf "$DIR/containerd" "$DIR/kubelet" "$DIR/cni" "$DIR/pod-logs" "$DIR/api-port" "$DIR/control-plane/etcd"
  leftovers
}

leftovers() { # fails, naming them, if anything start made is still there
  local found=0
  if [ -n "$(cgroup_pids)" ]; then
    echo "processes left in cgroup $CGROUP" >&2; found=1
  fi
  if awk -v dir="$DIR/" 'index($5, dir) == 1 {found=1} END {exit !found}' /proc/self/mountinfo; then
    echo "mounts left under $DIR" >&2; found=1
  fi
  if ip netns list | grep -qw "$NETNS"; then echo "network namespace $NETNS left" >&2; found=1; fi
  for cgroup in $(cgroup_roots); do
    [ -d "$cgroup" ] && { echo "cgroup $cgroup left" >&2; found=1; }
  done
  return $found
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

package dev.shopcluster.operator.haproxy;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where a rendered config runs: the balancer pod, or a test bed on loopback. Operator-controlled, never
 * taken from a ShopCluster.
 *
 * @param clusterDomain the cluster's DNS domain, usually cluster.local
 * @param nameservers DNS servers for backend discovery; empty: the ones in the pod's resolv.conf
 * @param bindAddress address the frontends bind; empty: all
 * @param httpPort the traffic frontend's port
 * @param monitorPort the health endpoint's and Prometheus exporter's port
 * @param runtimeDir directory of the admin socket
 */
public record HaproxyEnvironment(String clusterDomain, List<InetSocketAddress> nameservers, String bindAddress,
        int httpPort, int monitorPort, String runtimeDir) {

    /** Ports above 1024 so HAProxy runs without privileges. */
    public static final int POD_HTTP_PORT = 8080;
    public static final int POD_MONITOR_PORT = 8405;
    /** An emptyDir in the pod, shared with the reload sidecar. */
    public static final String POD_RUNTIME_DIR = "/var/run/haproxy";

    public HaproxyEnvironment {
        nameservers = List.copyOf(nameservers);
    }

    /** The balancer pod: resolvers from resolv.conf, the pod's ports. */
    public static HaproxyEnvironment pod(String clusterDomain) {
        return new HaproxyEnvironment(clusterDomain, List.of(), "", POD_HTTP_PORT, POD_MONITOR_PORT, POD_RUNTIME_DIR);
    }
}

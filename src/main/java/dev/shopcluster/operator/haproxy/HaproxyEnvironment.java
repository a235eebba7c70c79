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
public record HaproxyEnvironment(
        String clusterDomain,
        List<InetSocketAddress> nameservers,
        String bindAddress,
        int httpPort,
        int monitorPort,
        String runtimeDir) {

    public HaproxyEnvironment {
        nameservers = List.copyOf(nameservers);
    }

    /** The balancer pod: resolvers from resolv.conf, the pod's ports and runtime directory. */
    public static HaproxyEnvironment pod(String clusterDomain) {
        return new HaproxyEnvironment(
                clusterDomain,
                List.of(),
                "",
                BalancerPodLayout.HTTP_PORT,
                BalancerPodLayout.MONITOR_PORT,
                BalancerPodLayout.RUNTIME_DIR);
    }
}

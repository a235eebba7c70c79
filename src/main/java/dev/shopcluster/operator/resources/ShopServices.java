package dev.shopcluster.operator.resources;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.haproxy.BalancerPodLayout;
import dev.shopcluster.operator.topology.ShopGroup;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Services of a ShopCluster: per-group headless Services, the entry Service, the primary Service and
 * the balancer's metrics Service.
 */
public final class ShopServices {

    public static final String METRICS_PORT_NAME = "metrics";

    private ShopServices() {}

    /** Headless Service of one pool or slot: its DNS name lists the group's ready pods for HAProxy. */
    public static Service headless(ShopCluster shop, ShopGroup group) {
        return service(
                shop,
                group.objectName(),
                ShopLabels.COMPONENT_SHOP,
                ShopLabels.groupSelector(shop, group.name()),
                "None",
                shop.getSpec().getPort(),
                ShopDeployment.PORT_NAME,
                "ClusterIP");
    }

    /** A group no pod belongs to: slots are a and b. */
    public static final String FENCED_GROUP = "fenced";

    /** The Service clients use: the balancer's pods. */
    public static Service entry(ShopCluster shop) {
        var balancer = shop.getSpec().getBalancer();
        Service entry = service(
                shop,
                shop.getMetadata().getName(),
                ShopLabels.COMPONENT_BALANCER,
                ShopLabels.selector(shop, ShopLabels.COMPONENT_BALANCER),
                null,
                balancer.getPort(),
                BalancerPodLayout.HTTP_PORT_NAME,
                balancer.getServiceType().name());
        if (balancer.getServiceAnnotations() != null) {
            entry.getMetadata().setAnnotations(new TreeMap<>(balancer.getServiceAnnotations()));
        }
        if (balancer.getExternalTrafficPolicy() != null) {
            entry.getSpec()
                    .setExternalTrafficPolicy(
                            balancer.getExternalTrafficPolicy().name());
        }
        return entry;
    }

    /**
     * Headless Service NAME-balancer on the balancer pods' HAProxy metrics port, for a ServiceMonitor or
     * for listing the balancer pods. Its own Service, so a NodePort or LoadBalancer entry Service never
     * exposes metrics outside the cluster.
     */
    public static Service balancerMetrics(ShopCluster shop) {
        Service metrics = service(
                shop,
                ShopLabels.balancerName(shop),
                ShopLabels.COMPONENT_BALANCER,
                ShopLabels.selector(shop, ShopLabels.COMPONENT_BALANCER),
                "None",
                BalancerPodLayout.MONITOR_PORT,
                BalancerPodLayout.MONITOR_PORT_NAME,
                "ClusterIP");
        metrics.getSpec().getPorts().get(0).setName(METRICS_PORT_NAME);
        return metrics;
    }

    /**
     * ActiveStandby: the wired primary slot's pods, for clients that must bypass the balancer.
     *
     * @param primary the slot to select; null selects no pod (fenced while a promotion is delivered)
     */
    public static Service primary(ShopCluster shop, Slot primary) {
        return service(
                shop,
                ShopLabels.primaryServiceName(shop),
                ShopLabels.COMPONENT_SHOP,
                ShopLabels.groupSelector(shop, primary == null ? FENCED_GROUP : primary.id()),
                null,
                shop.getSpec().getPort(),
                ShopDeployment.PORT_NAME,
                "ClusterIP");
    }

    private static Service service(
            ShopCluster shop,
            String name,
            String component,
            Map<String, String> selector,
            String clusterIP,
            int port,
            String targetPort,
            String type) {
        return new ServiceBuilder()
                .withMetadata(OwnedMetadata.of(shop, name, ShopLabels.common(shop, component)))
                .withNewSpec()
                .withType(type)
                .withClusterIP(clusterIP)
                .withSelector(selector)
                .addNewPort()
                .withName("http")
                .withProtocol("TCP")
                .withPort(port)
                .withTargetPort(new IntOrString(targetPort))
                .endPort()
                .endSpec()
                .build();
    }
}

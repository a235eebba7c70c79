package dev.shopcluster.operator.resources;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.haproxy.BalancerPodLayout;
import dev.shopcluster.operator.topology.ShopGroup;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;

/** The Services of a ShopCluster: per-group headless Services, the entry Service, the primary Service. */
public final class ShopServices {

    private ShopServices() {
    }

    /** Headless Service of one pool or slot: its DNS name lists the group's ready pods for HAProxy. */
    public static Service headless(ShopCluster shop, ShopGroup group) {
        return service(shop, group.objectName(), ShopLabels.COMPONENT_SHOP, ShopLabels.groupSelector(shop, group.name()),
                "None", shop.getSpec().getPort(), ShopDeployment.PORT_NAME, "ClusterIP");
    }

    /** A group no pod belongs to: slots are a and b. */
    public static final String FENCED_GROUP = "fenced";

    /** The Service clients use: the balancer's pods. */
    public static Service entry(ShopCluster shop) {
        var balancer = shop.getSpec().getBalancer();
        return service(shop, shop.getMetadata().getName(), ShopLabels.COMPONENT_BALANCER,
                ShopLabels.selector(shop, ShopLabels.COMPONENT_BALANCER), null, balancer.getPort(),
                BalancerPodLayout.HTTP_PORT_NAME, balancer.getServiceType().name());
    }

    /**
     * ActiveStandby: the wired primary slot's pods, for clients that must bypass the balancer.
     *
     * @param primary the slot to select; null selects no pod (fenced while a promotion is delivered)
     */
    public static Service primary(ShopCluster shop, Slot primary) {
        return service(shop, ShopLabels.primaryServiceName(shop), ShopLabels.COMPONENT_SHOP,
                ShopLabels.groupSelector(shop, primary == null ? FENCED_GROUP : primary.id()), null,
                shop.getSpec().getPort(), ShopDeployment.PORT_NAME, "ClusterIP");
    }

    private static Service service(ShopCluster shop, String name, String component, Map<String, String> selector,
            String clusterIP, int port, String targetPort, String type) {
        return new ServiceBuilder()
                .withMetadata(OwnedMetadata.of(shop, name, ShopLabels.common(shop, component)))
                .withNewSpec()
                    .withType(type)
                    .withClusterIP(clusterIP)
                    .withSelector(selector)
                    .addNewPort().withName("http").withProtocol("TCP").withPort(port)
                        .withTargetPort(new IntOrString(targetPort)).endPort()
                .endSpec()
                .build();
    }
}

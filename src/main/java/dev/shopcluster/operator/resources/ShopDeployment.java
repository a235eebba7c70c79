package dev.shopcluster.operator.resources;

import dev.shopcluster.operator.api.HealthCheckSpec;
import dev.shopcluster.operator.api.HighAvailabilityMode;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.topology.ShopGroup;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Deployment of one pool or slot of shop pods. */
public final class ShopDeployment {

    public static final String CONTAINER = "shop";
    public static final String PORT_NAME = "http";

    private ShopDeployment() {
    }

    public static Deployment desired(ShopCluster shop, ShopGroup group) {
        Map<String, String> podLabels = ShopLabels.common(shop, ShopLabels.COMPONENT_SHOP);
        podLabels.put(ShopLabels.GROUP, group.name());
        Map<String, String> labels = new java.util.TreeMap<>(podLabels);
        if (group.role() != ShopGroup.Role.SERVING) {
            labels.put(ShopLabels.ROLE, group.role() == ShopGroup.Role.PRIMARY ? "primary" : "standby");
        }
        return new DeploymentBuilder()
                .withMetadata(OwnedMetadata.of(shop, group.objectName(), labels))
                .withNewSpec()
                    .withReplicas(group.replicas())
                    .withRevisionHistoryLimit(3)
                    .withNewSelector().withMatchLabels(ShopLabels.groupSelector(shop, group.name())).endSelector()
                    // Surge first: capacity never drops below the desired replicas during a rollout.
                    .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                        .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0))
                    .endRollingUpdate().endStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(podLabels).endMetadata()
                        .withNewSpec()
                            .withEnableServiceLinks(false)
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .withTopologySpreadConstraints(spread(shop, group))
                            .withContainers(container(shop))
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    private static Container container(ShopCluster shop) {
        HealthCheckSpec health = shop.getSpec().getHealthCheck();
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(shop.getSpec().getImage())
                .addNewPort().withName(PORT_NAME).withContainerPort(shop.getSpec().getPort()).withProtocol("TCP").endPort()
                .withNewReadinessProbe()
                    .withNewHttpGet().withPath(health.getPath()).withPort(new IntOrString(PORT_NAME)).endHttpGet()
                    .withPeriodSeconds(Math.max(1, (health.getIntervalMillis() + 999) / 1000))
                    .withTimeoutSeconds(1)
                    .withFailureThreshold(health.getFall())
                    .withSuccessThreshold(health.getRise())
                .endReadinessProbe()
                .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .build();
    }

    /** Spread each group over nodes; ActiveActive also over zones, where nodes carry zone labels. */
    private static List<TopologySpreadConstraint> spread(ShopCluster shop, ShopGroup group) {
        List<String> keys = new ArrayList<>(List.of("kubernetes.io/hostname"));
        if (shop.getSpec().getHighAvailability().getMode() == HighAvailabilityMode.ActiveActive) {
            keys.add("topology.kubernetes.io/zone");
        }
        return keys.stream()
                .map(key -> new TopologySpreadConstraintBuilder()
                        .withMaxSkew(1)
                        .withTopologyKey(key)
                        .withWhenUnsatisfiable("ScheduleAnyway")
                        .withLabelSelector(new LabelSelectorBuilder()
                                .withMatchLabels(ShopLabels.groupSelector(shop, group.name())).build())
                        .build())
                .toList();
    }
}

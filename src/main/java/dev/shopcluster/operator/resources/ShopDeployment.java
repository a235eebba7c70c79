package dev.shopcluster.operator.resources;

import dev.shopcluster.operator.api.HealthCheckSpec;
import dev.shopcluster.operator.api.HighAvailabilityMode;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.ShopPodSpec;
import dev.shopcluster.operator.topology.ShopGroup;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Deployment of one pool or slot of shop pods. The operator sets the image, port, readiness probe,
 * selector labels and restricted security context; {@code spec.pod} adds the rest of what a shop needs.
 */
public final class ShopDeployment {

    public static final String CONTAINER = "shop";
    public static final String PORT_NAME = "http";

    private ShopDeployment() {}

    public static Deployment desired(ShopCluster shop, ShopGroup group) {
        ShopPodSpec settings = shop.getSpec().getPod() != null ? shop.getSpec().getPod() : new ShopPodSpec();
        Map<String, String> podLabels = ShopLabels.common(shop, ShopLabels.COMPONENT_SHOP);
        podLabels.put(ShopLabels.GROUP, group.name());
        Map<String, String> labels = new java.util.TreeMap<>(podLabels);
        if (group.role() != ShopGroup.Role.SERVING) {
            labels.put(ShopLabels.ROLE, group.role() == ShopGroup.Role.PRIMARY ? "primary" : "standby");
        }
        PodSpec pod = new PodSpecBuilder()
                .withEnableServiceLinks(false)
                .withServiceAccountName(settings.getServiceAccountName())
                .withTerminationGracePeriodSeconds(settings.getTerminationGracePeriodSeconds())
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(settings.getRunAsUser())
                .withFsGroup(settings.getFsGroup())
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .withTopologySpreadConstraints(spread(shop, group, settings))
                .withContainers(container(shop, settings))
                .build();
        if (settings.getVolumes() != null) {
            pod.setVolumes(settings.getVolumes());
        }
        Deployment deployment = OwnedDeployment.of(
                OwnedMetadata.of(shop, group.objectName(), labels),
                group.replicas(),
                ShopLabels.groupSelector(shop, group.name()),
                podLabels,
                pod);
        UserPodSettings.apply(settings, deployment.getSpec().getTemplate());
        return deployment;
    }

    private static Container container(ShopCluster shop, ShopPodSpec settings) {
        HealthCheckSpec health = shop.getSpec().getHealthCheck();
        Container container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(shop.getSpec().getImage())
                .addNewPort()
                .withName(PORT_NAME)
                .withContainerPort(shop.getSpec().getPort())
                .withProtocol("TCP")
                .endPort()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath(health.getPath())
                .withPort(new IntOrString(PORT_NAME))
                .endHttpGet()
                .withPeriodSeconds(Math.max(1, (health.getIntervalMillis() + 999) / 1000))
                .withTimeoutSeconds(1)
                .withFailureThreshold(health.getFall())
                .withSuccessThreshold(health.getRise())
                .endReadinessProbe()
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .withResources(settings.getResources())
                .withLivenessProbe(settings.getLivenessProbe())
                .withStartupProbe(settings.getStartupProbe())
                .build();
        // Unset lists stay absent rather than empty: the applied object then matches what the API server keeps.
        if (settings.getEnv() != null) {
            container.setEnv(settings.getEnv());
        }
        if (settings.getEnvFrom() != null) {
            container.setEnvFrom(settings.getEnvFrom());
        }
        if (settings.getVolumeMounts() != null) {
            container.setVolumeMounts(settings.getVolumeMounts());
        }
        if (settings.getPreStop() != null) {
            container.setLifecycle(
                    new LifecycleBuilder().withPreStop(settings.getPreStop()).build());
        }
        return container;
    }

    /**
     * Spread each group over nodes; ActiveActive also over zones, where nodes carry zone labels. A user
     * constraint on the same topology key replaces the operator's; one without a selector selects the group.
     */
    private static List<TopologySpreadConstraint> spread(ShopCluster shop, ShopGroup group, ShopPodSpec settings) {
        LabelSelector groupPods = new LabelSelectorBuilder()
                .withMatchLabels(ShopLabels.groupSelector(shop, group.name()))
                .build();
        List<TopologySpreadConstraint> user = settings.getTopologySpreadConstraints() == null
                ? List.of()
                : settings.getTopologySpreadConstraints().stream()
                        .map(c -> c.getLabelSelector() != null
                                ? c
                                : new TopologySpreadConstraintBuilder(c)
                                        .withLabelSelector(groupPods)
                                        .build())
                        .toList();
        Set<String> userKeys =
                user.stream().map(TopologySpreadConstraint::getTopologyKey).collect(Collectors.toSet());
        List<String> keys = new ArrayList<>(List.of("kubernetes.io/hostname"));
        if (shop.getSpec().getHighAvailability().getMode() == HighAvailabilityMode.ActiveActive) {
            keys.add("topology.kubernetes.io/zone");
        }
        List<TopologySpreadConstraint> constraints = new ArrayList<>();
        keys.stream()
                .filter(key -> !userKeys.contains(key))
                .map(key -> new TopologySpreadConstraintBuilder()
                        .withMaxSkew(1)
                        .withTopologyKey(key)
                        .withWhenUnsatisfiable("ScheduleAnyway")
                        .withLabelSelector(groupPods)
                        .build())
                .forEach(constraints::add);
        constraints.addAll(user);
        return constraints;
    }
}

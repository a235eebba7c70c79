package dev.shopcluster.operator.resources;

import dev.shopcluster.operator.api.BalancerSpec;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.haproxy.HaproxyConfigRenderer;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;

/** The HAProxy balancer Deployment. */
public final class BalancerDeployment {

    public static final String CONTAINER = "haproxy";
    public static final String PORT_NAME = "http";
    public static final String CONFIG_HASH_ANNOTATION = "shopcluster.dev/config-hash";
    static final String CONFIG_DIR = "/usr/local/etc/haproxy";
    /** The official image's haproxy user. */
    static final long HAPROXY_UID = 99;

    private BalancerDeployment() {
    }

    /** @param configHash hash of the rendered config: a change rolls the balancer pods onto the new config */
    public static Deployment desired(ShopCluster shop, String configHash) {
        BalancerSpec balancer = shop.getSpec().getBalancer();
        Map<String, String> labels = ShopLabels.common(shop, ShopLabels.COMPONENT_BALANCER);
        return new DeploymentBuilder()
                .withMetadata(OwnedMetadata.of(shop, ShopLabels.balancerName(shop), labels))
                .withNewSpec()
                    .withReplicas(balancer.getReplicas())
                    .withRevisionHistoryLimit(3)
                    .withNewSelector().withMatchLabels(ShopLabels.selector(shop, ShopLabels.COMPONENT_BALANCER)).endSelector()
                    .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                        .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0))
                    .endRollingUpdate().endStrategy()
                    .withNewTemplate()
                        .withNewMetadata()
                            .withLabels(labels)
                            .withAnnotations(Map.of(CONFIG_HASH_ANNOTATION, configHash))
                        .endMetadata()
                        .withNewSpec()
                            .withEnableServiceLinks(false)
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true)
                                .withRunAsUser(HAPROXY_UID)
                                .withRunAsGroup(HAPROXY_UID)
                                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .addNewTopologySpreadConstraint()
                                .withMaxSkew(1).withTopologyKey("kubernetes.io/hostname")
                                .withWhenUnsatisfiable("ScheduleAnyway")
                                .withNewLabelSelector()
                                    .withMatchLabels(ShopLabels.selector(shop, ShopLabels.COMPONENT_BALANCER))
                                .endLabelSelector()
                            .endTopologySpreadConstraint()
                            .addNewContainer()
                                .withName(CONTAINER)
                                .withImage(balancer.getImage())
                                .withArgs("-W", "-db", "-f", CONFIG_DIR + "/" + BalancerConfigMap.CONFIG_KEY)
                                .addNewPort().withName(PORT_NAME).withContainerPort(HaproxyConfigRenderer.HTTP_PORT)
                                    .withProtocol("TCP").endPort()
                                .addNewPort().withName("monitor").withContainerPort(HaproxyConfigRenderer.MONITOR_PORT)
                                    .withProtocol("TCP").endPort()
                                .withNewReadinessProbe()
                                    .withNewHttpGet().withPath(HaproxyConfigRenderer.HEALTH_PATH)
                                        .withPort(new IntOrString("monitor")).endHttpGet()
                                    .withPeriodSeconds(2).withFailureThreshold(2)
                                .endReadinessProbe()
                                .withNewLivenessProbe()
                                    .withNewHttpGet().withPath(HaproxyConfigRenderer.HEALTH_PATH)
                                        .withPort(new IntOrString("monitor")).endHttpGet()
                                    .withPeriodSeconds(10).withFailureThreshold(3)
                                .endLivenessProbe()
                                .withNewResources()
                                    .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("64Mi")))
                                    .withLimits(Map.of("memory", new Quantity("256Mi")))
                                .endResources()
                                .withNewSecurityContext()
                                    .withAllowPrivilegeEscalation(false)
                                    .withReadOnlyRootFilesystem(true)
                                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                                .endSecurityContext()
                                .addNewVolumeMount().withName("config").withMountPath(CONFIG_DIR).withReadOnly(true)
                                    .endVolumeMount()
                                .addNewVolumeMount().withName("runtime").withMountPath(HaproxyConfigRenderer.RUNTIME_DIR)
                                    .endVolumeMount()
                            .endContainer()
                            .addNewVolume().withName("config").withNewConfigMap()
                                .withName(ShopLabels.balancerName(shop)).endConfigMap().endVolume()
                            .addNewVolume().withName("runtime").withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }
}

package dev.shopcluster.operator.resources;

import static dev.shopcluster.operator.ShopFixtures.shop;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.HighAvailabilityMode;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.ShopPodSpec;
import dev.shopcluster.operator.topology.ShopGroup;
import dev.shopcluster.operator.topology.ShopGroup.Role;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LifecycleHandlerBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShopDeploymentTest {

    private static final ShopGroup MAIN = new ShopGroup("main", "web-main", 3, 1, Role.SERVING);

    @Test
    void readinessProbeFollowsTheHealthCheck() {
        ShopCluster shop = shop("web");
        shop.getSpec().getHealthCheck().setPath("/ready?deep=1");
        shop.getSpec().getHealthCheck().setIntervalMillis(1500);
        shop.getSpec().getHealthCheck().setFall(4);
        shop.getSpec().getHealthCheck().setRise(3);

        Probe probe = container(ShopDeployment.desired(shop, MAIN)).getReadinessProbe();

        assertThat(probe.getHttpGet().getPath()).isEqualTo("/ready?deep=1");
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(ShopDeployment.PORT_NAME);
        assertThat(probe.getPeriodSeconds())
                .as("1500 ms rounded up to whole seconds")
                .isEqualTo(2);
        assertThat(probe.getFailureThreshold()).isEqualTo(4);
        assertThat(probe.getSuccessThreshold()).isEqualTo(3);
    }

    @Test
    void runsTheImageOnItsPortAsTheGroupsReplicas() {
        ShopCluster shop = shop("web");
        shop.getSpec().setPort(9000);
        Deployment deployment = ShopDeployment.desired(shop, MAIN);
        assertThat(deployment.getMetadata().getName()).isEqualTo("web-main");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
        assertThat(container(deployment).getImage()).isEqualTo("registry.example.com/storefront:1.4.2");
        assertThat(container(deployment).getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort())
                .isEqualTo(9000));
    }

    @Test
    void podsMeetPodSecurityRestricted() {
        Deployment deployment = ShopDeployment.desired(shop("web"), MAIN);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(container(deployment).getSecurityContext().getAllowPrivilegeEscalation())
                .isFalse();
        assertThat(container(deployment).getSecurityContext().getCapabilities().getDrop())
                .containsExactly("ALL");
    }

    @Test
    void selectorIsTheImmutableSubsetOfThePodLabels() {
        Deployment deployment = ShopDeployment.desired(shop("web"), MAIN);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .containsEntry(ShopLabels.GROUP, "main")
                .doesNotContainKey(ShopLabels.ROLE);
    }

    @Test
    void roleLabelsTheSlotDeploymentButNotItsPodsSoPromotionRestartsNothing() {
        Deployment primary = ShopDeployment.desired(shop("pay"), new ShopGroup("a", "pay-a", 3, 1, Role.PRIMARY));
        Deployment standby = ShopDeployment.desired(shop("pay"), new ShopGroup("a", "pay-a", 1, 1, Role.STANDBY));
        assertThat(primary.getMetadata().getLabels()).containsEntry(ShopLabels.ROLE, "primary");
        assertThat(standby.getMetadata().getLabels()).containsEntry(ShopLabels.ROLE, "standby");
        assertThat(standby.getSpec().getTemplate())
                .isEqualTo(ShopDeployment.desired(shop("pay"), new ShopGroup("a", "pay-a", 3, 1, Role.PRIMARY))
                        .getSpec()
                        .getTemplate());
    }

    @Test
    void activeActiveSpreadsOverNodesAndZones() {
        ShopCluster shop = shop("web");
        assertThat(spreadKeys(ShopDeployment.desired(shop, MAIN))).containsExactly("kubernetes.io/hostname");
        shop.getSpec().getHighAvailability().setMode(HighAvailabilityMode.ActiveActive);
        assertThat(spreadKeys(ShopDeployment.desired(shop, MAIN)))
                .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    }

    @Test
    void podSettingsReachThePodAndTheShopContainer() {
        ShopCluster shop = shop("web");
        ShopPodSpec pod = new ShopPodSpec();
        pod.setResources(new ResourceRequirementsBuilder()
                .withLimits(Map.of("cpu", new Quantity("500m")))
                .build());
        pod.setEnv(List.of(new EnvVarBuilder()
                .withName("DB_PASSWORD")
                .withNewValueFrom()
                .withNewSecretKeyRef("password", "db", false)
                .endValueFrom()
                .build()));
        pod.setEnvFrom(List.of(new EnvFromSourceBuilder()
                .withNewConfigMapRef("web-config", false)
                .build()));
        pod.setVolumes(List.of(new VolumeBuilder()
                .withName("cache")
                .withNewEmptyDir()
                .endEmptyDir()
                .build()));
        pod.setVolumeMounts(List.of(new VolumeMountBuilder()
                .withName("cache")
                .withMountPath("/cache")
                .build()));
        pod.setImagePullSecrets(List.of(new LocalObjectReference("registry")));
        pod.setServiceAccountName("web");
        pod.setNodeSelector(Map.of("pool", "shops"));
        pod.setTolerations(List.of(new TolerationBuilder()
                .withKey("dedicated")
                .withOperator("Exists")
                .build()));
        pod.setAffinity(
                new AffinityBuilder().withNewNodeAffinity().endNodeAffinity().build());
        pod.setLabels(Map.of("team", "checkout"));
        pod.setAnnotations(Map.of("prometheus.io/scrape", "true"));
        pod.setLivenessProbe(new ProbeBuilder()
                .withNewHttpGet()
                .withPath("/live")
                .withNewPort("http")
                .endHttpGet()
                .build());
        pod.setStartupProbe(new ProbeBuilder()
                .withNewTcpSocket()
                .withNewPort("http")
                .endTcpSocket()
                .build());
        pod.setTerminationGracePeriodSeconds(45L);
        pod.setPreStop(new LifecycleHandlerBuilder().withNewSleep(10L).build());
        pod.setRunAsUser(1000L);
        pod.setFsGroup(2000L);
        shop.getSpec().setPod(pod);

        Deployment deployment = ShopDeployment.desired(shop, MAIN);
        PodSpec podSpec = deployment.getSpec().getTemplate().getSpec();
        Container container = container(deployment);

        assertThat(container.getResources()).isEqualTo(pod.getResources());
        assertThat(container.getEnv()).isEqualTo(pod.getEnv());
        assertThat(container.getEnvFrom()).isEqualTo(pod.getEnvFrom());
        assertThat(container.getVolumeMounts()).isEqualTo(pod.getVolumeMounts());
        assertThat(container.getLivenessProbe()).isEqualTo(pod.getLivenessProbe());
        assertThat(container.getStartupProbe()).isEqualTo(pod.getStartupProbe());
        assertThat(container.getLifecycle().getPreStop()).isEqualTo(pod.getPreStop());
        assertThat(podSpec.getVolumes()).isEqualTo(pod.getVolumes());
        assertThat(podSpec.getImagePullSecrets())
                .extracting(LocalObjectReference::getName)
                .containsExactly("registry");
        assertThat(podSpec.getServiceAccountName()).isEqualTo("web");
        assertThat(podSpec.getNodeSelector()).containsEntry("pool", "shops");
        assertThat(podSpec.getTolerations()).isEqualTo(pod.getTolerations());
        assertThat(podSpec.getAffinity()).isEqualTo(pod.getAffinity());
        assertThat(podSpec.getTerminationGracePeriodSeconds()).isEqualTo(45L);
        assertThat(podSpec.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        assertThat(podSpec.getSecurityContext().getFsGroup()).isEqualTo(2000L);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("team", "checkout")
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true");
    }

    @Test
    void theOperatorKeepsImagePortReadinessAndSecurityWhateverThePodSettings() {
        ShopCluster plain = shop("web");
        ShopCluster configured = shop("web");
        ShopPodSpec pod = new ShopPodSpec();
        pod.setLabels(Map.of("team", "checkout"));
        pod.setRunAsUser(1000L);
        configured.getSpec().setPod(pod);

        Container expected = container(ShopDeployment.desired(plain, MAIN));
        Container actual = container(ShopDeployment.desired(configured, MAIN));
        assertThat(actual.getImage()).isEqualTo(expected.getImage());
        assertThat(actual.getPorts()).isEqualTo(expected.getPorts());
        assertThat(actual.getReadinessProbe()).isEqualTo(expected.getReadinessProbe());
        assertThat(actual.getSecurityContext()).isEqualTo(expected.getSecurityContext());
        assertThat(ShopDeployment.desired(configured, MAIN)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getSecurityContext()
                        .getRunAsNonRoot())
                .isTrue();
    }

    @Test
    void unsetPodSettingsLeaveThePodAsBefore() {
        ShopCluster shop = shop("web");
        Deployment before = ShopDeployment.desired(shop, MAIN);
        shop.getSpec().setPod(new ShopPodSpec());
        assertThat(ShopDeployment.desired(shop, MAIN)).isEqualTo(before);
        PodSpec pod = before.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes()).isEmpty();
        assertThat(pod.getImagePullSecrets()).isEmpty();
        assertThat(container(before).getEnv()).isEmpty();
        assertThat(container(before).getLifecycle()).isNull();
    }

    @Test
    void aUserSpreadConstraintReplacesTheOperatorsOnItsKeyAndSelectsTheGroupByDefault() {
        ShopCluster shop = shop("web");
        shop.getSpec().getHighAvailability().setMode(HighAvailabilityMode.ActiveActive);
        ShopPodSpec pod = new ShopPodSpec();
        pod.setTopologySpreadConstraints(List.of(new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("DoNotSchedule")
                .build()));
        shop.getSpec().setPod(pod);

        List<TopologySpreadConstraint> spread = ShopDeployment.desired(shop, MAIN)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getTopologySpreadConstraints();
        assertThat(spread)
                .extracting(TopologySpreadConstraint::getTopologyKey)
                .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        assertThat(spread.get(1).getWhenUnsatisfiable()).isEqualTo("DoNotSchedule");
        assertThat(spread.get(1).getLabelSelector().getMatchLabels()).containsEntry(ShopLabels.GROUP, "main");
    }

    private static java.util.List<String> spreadKeys(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().stream()
                .map(TopologySpreadConstraint::getTopologyKey)
                .toList();
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}

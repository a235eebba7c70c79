package dev.shopcluster.operator.resources;

import static dev.shopcluster.operator.ShopFixtures.shop;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.HighAvailabilityMode;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.topology.ShopGroup;
import dev.shopcluster.operator.topology.ShopGroup.Role;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
        assertThat(probe.getPeriodSeconds()).as("1500 ms rounded up to whole seconds").isEqualTo(2);
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
        assertThat(container(deployment).getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(9000));
    }

    @Test
    void podsMeetPodSecurityRestricted() {
        Deployment deployment = ShopDeployment.desired(shop("web"), MAIN);
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(container(deployment).getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container(deployment).getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
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
        assertThat(standby.getSpec().getTemplate()).isEqualTo(
                ShopDeployment.desired(shop("pay"), new ShopGroup("a", "pay-a", 3, 1, Role.PRIMARY)).getSpec().getTemplate());
    }

    @Test
    void activeActiveSpreadsOverNodesAndZones() {
        ShopCluster shop = shop("web");
        assertThat(spreadKeys(ShopDeployment.desired(shop, MAIN))).containsExactly("kubernetes.io/hostname");
        shop.getSpec().getHighAvailability().setMode(HighAvailabilityMode.ActiveActive);
        assertThat(spreadKeys(ShopDeployment.desired(shop, MAIN)))
                .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
    }

    private static java.util.List<String> spreadKeys(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().stream()
                .map(TopologySpreadConstraint::getTopologyKey).toList();
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }
}

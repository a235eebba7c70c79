package dev.shopcluster.operator.resources;

import static dev.shopcluster.operator.ShopFixtures.activeStandby;
import static dev.shopcluster.operator.ShopFixtures.readBack;
import static dev.shopcluster.operator.ShopFixtures.shop;
import static dev.shopcluster.operator.ShopFixtures.withPools;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.BalancerServiceType;
import dev.shopcluster.operator.api.PoolSpec;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.topology.SlotPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class DesiredChildrenTest {

    @Test
    void aPlainShopOwnsItsPoolBalancerServicesAndBudgets() {
        DesiredChildren children = DesiredChildren.of(shop("web"), null, "cluster.local");
        assertThat(children.objects())
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactly(
                        "Service/web-main",
                        "Deployment/web-main",
                        "ConfigMap/web-balancer",
                        "Deployment/web-balancer",
                        "Service/web-balancer",
                        "Service/web",
                        "PodDisruptionBudget/web",
                        "PodDisruptionBudget/web-balancer");
        assertThat(children.objects()).allSatisfy(o -> {
            assertThat(o.getMetadata().getNamespace()).isEqualTo("shop");
            assertThat(o.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> assertThat(ref.getUid())
                    .isEqualTo("uid-web"));
        });
    }

    @Test
    void activeStandbyAddsBothSlotsAndThePrimaryService() {
        DesiredChildren children =
                DesiredChildren.of(activeStandby("pay"), new SlotPlan(Slot.B, 1, 3), "cluster.local");
        assertThat(children.objects())
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .contains("Deployment/pay-a", "Deployment/pay-b", "Service/pay-primary")
                .doesNotContain("Deployment/pay-main");
        Service primary = (Service) find(children, "Service", "pay-primary");
        assertThat(primary.getSpec().getSelector()).containsEntry(ShopLabels.GROUP, "b");
    }

    @Test
    void singlePodsGetNoDisruptionBudget() {
        ShopCluster shop = shop("tiny");
        shop.getSpec().setReplicas(1);
        shop.getSpec().getBalancer().setReplicas(1);
        assertThat(DesiredChildren.of(shop, null, "cluster.local").objects())
                .noneMatch(o -> o.getKind().equals("PodDisruptionBudget"));
    }

    @Test
    void entryServiceSelectsTheBalancerWithTheRequestedType() {
        ShopCluster shop = shop("web");
        shop.getSpec().getBalancer().setServiceType(BalancerServiceType.LoadBalancer);
        shop.getSpec().getBalancer().setPort(443);
        Service entry = (Service) find(DesiredChildren.of(shop, null, "cluster.local"), "Service", "web");
        assertThat(entry.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(entry.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort())
                .isEqualTo(443));
        assertThat(entry.getSpec().getSelector()).containsEntry(ShopLabels.COMPONENT, ShopLabels.COMPONENT_BALANCER);
    }

    @Test
    void aShopReadBackFromTheApiServerGivesTheSameObjectsToTheByte() {
        ShopCluster shop = withPools("web", new PoolSpec("large", 2, 3), new PoolSpec("small", null, 1));
        DesiredChildren built = DesiredChildren.of(shop, null, "cluster.local");
        DesiredChildren rebuilt = DesiredChildren.of(readBack(shop), null, "cluster.local");

        assertThat(rebuilt).isEqualTo(built);
        // What server-side apply sends: map and list order included, so an unchanged shop is never rewritten.
        assertThat(Serialization.asJson(rebuilt.objects())).isEqualTo(Serialization.asJson(built.objects()));
    }

    private static HasMetadata find(DesiredChildren children, String kind, String name) {
        return children.objects().stream()
                .filter(o ->
                        o.getKind().equals(kind) && o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}

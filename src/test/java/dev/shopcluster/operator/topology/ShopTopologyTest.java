package dev.shopcluster.operator.topology;

import static dev.shopcluster.operator.ShopFixtures.activeStandby;
import static dev.shopcluster.operator.ShopFixtures.shop;
import static dev.shopcluster.operator.ShopFixtures.withPools;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.PoolSpec;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.api.StrategyType;
import dev.shopcluster.operator.topology.ShopGroup.Role;
import org.junit.jupiter.api.Test;

class ShopTopologyTest {

    @Test
    void withoutPoolsRunsOneMainPoolOfSpecReplicas() {
        assertThat(ShopTopology.groups(shop("web"), null))
                .containsExactly(new ShopGroup("main", "web-main", 3, 1, Role.SERVING));
    }

    @Test
    void poolsTakeTheirOwnReplicasOrSpecReplicasAndTheirWeights() {
        ShopCluster shop = withPools("web", new PoolSpec("large", 5, 3), new PoolSpec("small", null, 1));
        assertThat(ShopTopology.groups(shop, null))
                .containsExactly(
                        new ShopGroup("large", "web-large", 5, 3, Role.SERVING),
                        new ShopGroup("small", "web-small", 3, 1, Role.SERVING));
    }

    @Test
    void randomIgnoresPoolWeights() {
        ShopCluster shop = withPools("web", new PoolSpec("large", 5, 3), new PoolSpec("small", null, 1));
        shop.getSpec().getStrategy().setType(StrategyType.Random);
        assertThat(ShopTopology.groups(shop, null))
                .extracting(ShopGroup::weight)
                .containsExactly(1, 1);
    }

    @Test
    void activeStandbyRunsTheSlotsAsPlannedWithThePlannedPrimary() {
        ShopCluster shop = activeStandby("pay");
        assertThat(ShopTopology.groups(shop, new SlotPlan(Slot.A, 3, 2)))
                .containsExactly(
                        new ShopGroup("a", "pay-a", 3, 1, Role.PRIMARY),
                        new ShopGroup("b", "pay-b", 2, 1, Role.STANDBY));
        assertThat(ShopTopology.groups(shop, new SlotPlan(Slot.B, 2, 3)))
                .containsExactly(
                        new ShopGroup("a", "pay-a", 2, 1, Role.STANDBY),
                        new ShopGroup("b", "pay-b", 3, 1, Role.PRIMARY));
        assertThat(ShopTopology.serving(ShopTopology.groups(shop, new SlotPlan(Slot.B, 1, 3))))
                .extracting(ShopGroup::name)
                .containsExactly("b");
    }
}

package dev.shopcluster.operator.topology;

import dev.shopcluster.operator.api.HighAvailabilityMode;
import dev.shopcluster.operator.api.PoolSpec;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.ShopClusterSpec;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.api.StrategyType;
import java.util.List;

/** The groups of shop pods a ShopCluster runs, derived from its spec and the wired primary slot. */
public final class ShopTopology {

    public static final String DEFAULT_POOL = "main";

    private ShopTopology() {}

    /**
     * @param plan ActiveStandby: the wired primary and each slot's pods; ignored in the other modes
     */
    public static List<ShopGroup> groups(ShopCluster shop, SlotPlan plan) {
        ShopClusterSpec spec = shop.getSpec();
        String name = shop.getMetadata().getName();
        if (spec.getHighAvailability().getMode() == HighAvailabilityMode.ActiveStandby) {
            return List.of(slot(name, Slot.A, plan), slot(name, Slot.B, plan));
        }
        // Random spreads evenly by definition; every other strategy honours pool weights.
        boolean weighted = spec.getStrategy().getType() != StrategyType.Random;
        List<PoolSpec> pools = spec.getPools() == null || spec.getPools().isEmpty()
                ? List.of(new PoolSpec(DEFAULT_POOL, null, 1))
                : spec.getPools();
        return pools.stream()
                .map(pool -> new ShopGroup(
                        pool.getName(),
                        name + "-" + pool.getName(),
                        pool.getReplicas() != null ? pool.getReplicas() : spec.getReplicas(),
                        weighted ? pool.getWeight() : 1,
                        ShopGroup.Role.SERVING))
                .toList();
    }

    private static ShopGroup slot(String name, Slot slot, SlotPlan plan) {
        return new ShopGroup(
                slot.id(),
                name + "-" + slot.id(),
                plan.replicas(slot),
                1,
                slot == plan.primary() ? ShopGroup.Role.PRIMARY : ShopGroup.Role.STANDBY);
    }

    /** The groups whose pods take traffic normally: pools, or the primary slot. */
    public static List<ShopGroup> serving(List<ShopGroup> groups) {
        return groups.stream().filter(g -> !g.isBackup()).toList();
    }
}

package dev.shopcluster.operator.resources;

import dev.shopcluster.operator.api.HighAvailabilityMode;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.haproxy.HaproxyConfigRenderer;
import dev.shopcluster.operator.haproxy.HaproxyEnvironment;
import dev.shopcluster.operator.topology.ShopGroup;
import dev.shopcluster.operator.topology.ShopTopology;
import dev.shopcluster.operator.topology.SlotPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Every object a ShopCluster should own, as a pure function of its spec and the wired primary slot,
 * in the order they are applied: a group's Service before its pods, the config before the balancer
 * that mounts it, the entry Service last.
 *
 * @param objects the desired objects
 * @param groups the pools or slots they run
 * @param balancerConfig the rendered haproxy.cfg
 */
public record DesiredChildren(List<HasMetadata> objects, List<ShopGroup> groups, String balancerConfig) {

    /** @param plan ActiveStandby: the wired primary and each slot's pods; ignored in the other modes */
    public static DesiredChildren of(ShopCluster shop, SlotPlan plan, String clusterDomain) {
        List<ShopGroup> groups = ShopTopology.groups(shop, plan);
        String config = HaproxyConfigRenderer.render(shop, groups, HaproxyEnvironment.pod(clusterDomain));
        List<HasMetadata> objects = new ArrayList<>();
        for (ShopGroup group : groups) {
            objects.add(ShopServices.headless(shop, group));
            objects.add(ShopDeployment.desired(shop, group));
        }
        objects.add(BalancerConfigMap.desired(shop, config));
        objects.add(BalancerDeployment.desired(shop, BalancerConfigMap.hash(config)));
        objects.add(ShopServices.balancerMetrics(shop));
        objects.add(ShopServices.entry(shop));
        if (shop.getSpec().getHighAvailability().getMode() == HighAvailabilityMode.ActiveStandby) {
            objects.add(ShopServices.primary(shop, plan.primaryService()));
        }
        DisruptionBudgets.shop(
                        shop, groups.stream().mapToInt(ShopGroup::replicas).sum())
                .ifPresent(objects::add);
        DisruptionBudgets.balancer(shop).ifPresent(objects::add);
        return new DesiredChildren(List.copyOf(objects), groups, config);
    }
}

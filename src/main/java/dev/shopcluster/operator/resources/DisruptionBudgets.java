package dev.shopcluster.operator.resources;

import dev.shopcluster.operator.api.ShopCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Optional;

/**
 * PodDisruptionBudgets of the shop pods (NAME) and the balancer (NAME-balancer): a voluntary
 * disruption takes at most one pod at a time. Only where at least two pods exist, since a budget
 * over one pod would block node drains forever.
 */
public final class DisruptionBudgets {

    private DisruptionBudgets() {}

    public static Optional<PodDisruptionBudget> shop(ShopCluster shop, int shopPods) {
        return budget(shop, shop.getMetadata().getName(), ShopLabels.COMPONENT_SHOP, shopPods);
    }

    public static Optional<PodDisruptionBudget> balancer(ShopCluster shop) {
        return budget(
                shop,
                ShopLabels.balancerName(shop),
                ShopLabels.COMPONENT_BALANCER,
                shop.getSpec().getBalancer().getReplicas());
    }

    private static Optional<PodDisruptionBudget> budget(ShopCluster shop, String name, String component, int pods) {
        if (pods < 2) {
            return Optional.empty();
        }
        return Optional.of(new PodDisruptionBudgetBuilder()
                .withMetadata(OwnedMetadata.of(shop, name, ShopLabels.common(shop, component)))
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector()
                .withMatchLabels(ShopLabels.selector(shop, component))
                .endSelector()
                .endSpec()
                .build());
    }
}

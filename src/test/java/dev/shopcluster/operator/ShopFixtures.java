package dev.shopcluster.operator;

import dev.shopcluster.operator.api.HighAvailabilityMode;
import dev.shopcluster.operator.api.PoolSpec;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.ShopClusterSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;

/** ShopClusters for unit tests, as the API server would hand them over (defaults applied, uid set). */
public final class ShopFixtures {

    private ShopFixtures() {}

    public static ShopCluster shop(String name) {
        ShopCluster shop = new ShopCluster();
        shop.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace("shop")
                .withUid("uid-" + name)
                .withGeneration(1L)
                .build());
        ShopClusterSpec spec = new ShopClusterSpec();
        spec.setImage("registry.example.com/storefront:1.4.2");
        spec.setReplicas(3);
        shop.setSpec(spec);
        return shop;
    }

    public static ShopCluster activeStandby(String name) {
        ShopCluster shop = shop(name);
        shop.getSpec().getHighAvailability().setMode(HighAvailabilityMode.ActiveStandby);
        return shop;
    }

    /**
     * The object as it comes back from the API server: written to JSON and read again, as informers
     * hand it to the operator (fresh collections, no shared instances).
     */
    @SuppressWarnings("unchecked")
    public static <T> T readBack(T object) {
        return (T) Serialization.unmarshal(Serialization.asJson(object), object.getClass());
    }

    public static ShopCluster withPools(String name, PoolSpec... pools) {
        ShopCluster shop = shop(name);
        shop.getSpec().setPools(List.of(pools));
        return shop;
    }
}

package dev.shopcluster.operator.dataplane;

import static dev.shopcluster.operator.ShopFixtures.shop;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.HashOn;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.api.StrategyType;
import dev.shopcluster.operator.dataplane.Traffic.Sample;
import dev.shopcluster.operator.topology.SlotPlan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** Shops, requests and waits the data-plane tests and benchmark share. */
final class DataPlaneFixtures {

    /** Concurrent clients of a load. */
    static final int CLIENTS = 4;

    static final SlotPlan PRIMARY_A = new SlotPlan(Slot.A, 3, 2);

    private DataPlaneFixtures() {}

    /** A shop with the strategy, health checks fast enough for tests and no slow start. */
    static ShopCluster fast(ShopCluster shop, StrategyType strategy) {
        shop.getSpec().getStrategy().setType(strategy);
        shop.getSpec().getHealthCheck().setIntervalMillis(200);
        shop.getSpec().getHealthCheck().setRise(1);
        shop.getSpec().getBalancer().setSlowStartSeconds(0);
        return shop;
    }

    static ShopCluster consistentHash(String name, HashOn hashOn) {
        ShopCluster shop = fast(shop(name), StrategyType.ConsistentHash);
        shop.getSpec().getStrategy().setHashOn(hashOn);
        if (hashOn == HashOn.Header || hashOn == HashOn.Cookie) {
            shop.getSpec().getStrategy().setHashKey("X-Session-Id");
        }
        return shop;
    }

    /** The request path carrying {@code key} where the URI is hashed. */
    static String path(HashOn hashOn, String key) {
        return hashOn == HashOn.URI ? "/cart/" + key : "/";
    }

    static Map<String, String> headers(HashOn hashOn, String key) {
        return switch (hashOn) {
            case Header -> Map.of("X-Session-Id", key);
            case Cookie -> Map.of("Cookie", "theme=dark; X-Session-Id=" + key);
            case SourceIP, URI -> Map.of();
        };
    }

    /** Every request to the root path. */
    static IntFunction<String> root() {
        return i -> "/";
    }

    /** Lets the load run until it has completed {@code more} requests from now. */
    static void awaitMore(Traffic.Load load, long more) {
        long target = load.completed() + more;
        await().atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> load.completed() >= target);
    }

    static List<Sample> between(List<Sample> samples, long fromNanos, long toNanos) {
        return samples.stream()
                .filter(s -> s.endNanos() >= fromNanos && s.endNanos() < toNanos)
                .toList();
    }
}

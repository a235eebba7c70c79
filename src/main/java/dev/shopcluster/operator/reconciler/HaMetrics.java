package dev.shopcluster.operator.reconciler;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.ha.HaDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Promotion metrics, per ShopCluster: failovers and the time from a decision to its completed wiring.
 * Recorded by {@link PromotionFlow}; the ha package stays pure. (Reconcile counts and durations come
 * from the Operator SDK's own metrics.)
 */
final class HaMetrics {

    private final MeterRegistry registry;
    /** Decisions not yet wired, by namespace/name: when this process made them. */
    private final Map<String, Long> decidedAtNanos = new ConcurrentHashMap<>();

    HaMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers an ActiveStandby shop's failover counter at 0, so alerts see the series before the first failover. */
    void observe(ShopCluster shop) {
        failovers(shop);
    }

    void decided(ShopCluster shop, HaDecision decision) {
        decidedAtNanos.put(key(shop), System.nanoTime());
        if (decision.trigger() == HaDecision.Trigger.FAILOVER) {
            failovers(shop).increment();
        }
    }

    private Counter failovers(ShopCluster shop) {
        return Counter.builder("shop.failovers")
                .description("Promotions because the primary slot was unready")
                .tags(tags(shop))
                .register(registry);
    }

    void wired(ShopCluster shop) {
        Long started = decidedAtNanos.remove(key(shop));
        if (started != null) {
            Timer.builder("shop.promotion.duration")
                    .description("From a promotion decision to the balancer config, primary Service and scale wired")
                    .tags(tags(shop))
                    .publishPercentiles(0.5, 0.99)
                    .register(registry)
                    .record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static String key(ShopCluster shop) {
        return shop.getMetadata().getNamespace() + "/" + shop.getMetadata().getName();
    }

    private static Tags tags(ShopCluster shop) {
        return Tags.of(
                "namespace",
                shop.getMetadata().getNamespace(),
                "name",
                shop.getMetadata().getName());
    }
}

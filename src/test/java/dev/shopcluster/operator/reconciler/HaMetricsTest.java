package dev.shopcluster.operator.reconciler;

import static dev.shopcluster.operator.ShopFixtures.activeStandby;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.ha.HaDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class HaMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HaMetrics metrics = new HaMetrics(registry);

    @Test
    void theFailoverCounterExistsAtZeroBeforeTheFirstFailoverAndCountsFailoversOnly() {
        ShopCluster shop = activeStandby("pay");
        metrics.observe(shop);
        assertThat(failovers().count()).isZero();

        metrics.decided(shop, decision(HaDecision.Trigger.SWITCHOVER));
        assertThat(failovers().count()).isZero();
        metrics.decided(shop, decision(HaDecision.Trigger.FAILOVER));
        metrics.observe(shop);
        assertThat(failovers().count()).isEqualTo(1);
    }

    private Counter failovers() {
        return registry.get("shop.failovers")
                .tag("namespace", "shop")
                .tag("name", "pay")
                .counter();
    }

    private static HaDecision decision(HaDecision.Trigger trigger) {
        return new HaDecision(null, 1, 1, null, trigger, "", false);
    }
}

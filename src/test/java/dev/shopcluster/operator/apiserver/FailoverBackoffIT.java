package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Availability first, bounded by backoff: a primary that never becomes healthy is failed over to a slot
 * with more ready pods, and each failover within 10 minutes doubles the wait before the next.
 */
class FailoverBackoffIT {

    @RegisterExtension
    static final OperatorHarness harness = OperatorHarness.withOperator("backoff");

    @Test
    void aNewShopWhosePrimaryNeverBecomesReadyIsFailedOverToTheStandby() {
        harness.createShop(
                "fresh",
                "image: shop:1\nreplicas: 2\nhighAvailability: "
                        + "{mode: ActiveStandby, standbyReplicas: 1, failoverAfterSeconds: 1}");
        harness.awaitDeployments(List.of("fresh-a", "fresh-b"));
        WorkloadSimulator.ready(harness.client(), harness.namespace(), "fresh-a", 0);
        WorkloadSimulator.allReady(harness.client(), harness.namespace(), "fresh-b");

        ShopAssertions.awaitSettledOn(harness, "fresh", Slot.B, Duration.ofSeconds(10));
        ShopCluster shop = harness.shop("fresh");
        assertThat(shop.getStatus().getFailovers()).isEqualTo(1);
        assertThat(failedOverMessage(shop)).startsWith("promoted slot b: slot a had 0/2 ready for ");
    }

    @Test
    void aPromotedSlotThatNeverGetsHealthyIsFailedOverBackAfterADoubledWait() {
        HaShops.createReady(harness, "sick", 2);
        WorkloadSimulator.ready(harness.client(), harness.namespace(), "sick-a", 0);
        ShopAssertions.awaitSettledOn(harness, "sick", Slot.B, Duration.ofSeconds(2 + 5));
        ShopCluster failedOver = harness.shop("sick");
        assertThat(failedOver.getStatus().getFailoverWaitSeconds())
                .as("2 s doubled once")
                .isEqualTo(4);
        assertThat(failedOver.getStatus().getRecentFailoverTimes()).hasSize(1);
        assertThat(failedOverMessage(failedOver)).endsWith("; the next failover waits 4s (1 in the last 10 min)");

        // Slot a recovers; slot b, now primary, never gets a pod ready.
        WorkloadSimulator.allReady(harness.client(), harness.namespace(), "sick-a");
        await().atMost(Duration.ofSeconds(10)).until(() -> replicas("sick-b") == 2);
        WorkloadSimulator.ready(harness.client(), harness.namespace(), "sick-b", 0);
        Instant bUnready = Instant.parse(await().atMost(Duration.ofSeconds(5))
                .until(() -> harness.shop("sick").getStatus().getPrimaryUnreadySince(), since -> since != null));
        Instant seenUnready = Instant.now();

        ShopAssertions.awaitSettledOn(harness, "sick", Slot.A, Duration.ofSeconds(4 + 5));
        assertThat(Duration.between(seenUnready, Instant.now()))
                .as("the doubled wait, not the grace")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        ShopCluster back = harness.shop("sick");
        assertThat(Duration.between(bUnready, Instant.parse(back.getStatus().getLastFailoverTime())))
                .as("decided after 2 s x 2^1")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        assertThat(back.getStatus().getFailovers()).isEqualTo(2);
        assertThat(back.getStatus().getRecentFailoverTimes()).hasSize(2);
        assertThat(back.getStatus().getFailoverWaitSeconds()).isEqualTo(8);
        assertThat(failedOverMessage(back))
                .startsWith("promoted slot a: slot b had 0/2 ready for ")
                .endsWith("; the next failover waits 8s (2 in the last 10 min)");
    }

    private static String failedOverMessage(ShopCluster shop) {
        return Conditions.find(shop.getStatus().getConditions(), ConditionTypes.FAILED_OVER)
                .orElseThrow()
                .getMessage();
    }

    private static int replicas(String deployment) {
        return harness.deployment(deployment).getSpec().getReplicas();
    }
}

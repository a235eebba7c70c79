package dev.shopcluster.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.ShopClusterStatus;
import dev.shopcluster.operator.status.ConditionEvents.ConditionEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which changes of Ready and Degraded become events on the ShopCluster. */
class ConditionEventsTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void aNewShopTellsItsFirstReadyButNotThatItIsNotDegraded() {
        ShopClusterStatus first = status(false, ConditionTypes.REPLICAS_NOT_READY, false, ConditionTypes.AS_EXPECTED);

        assertThat(ConditionEvents.between(null, first))
                .containsExactly(
                        new ConditionEvent(true, ConditionTypes.REPLICAS_NOT_READY, "Ready=False: shop 0/3 ready"));
    }

    @Test
    void aNewShopThatIsDegradedTellsBoth() {
        ShopClusterStatus first = status(false, ConditionTypes.CHILD_CONFLICT, true, ConditionTypes.CHILD_CONFLICT);

        assertThat(ConditionEvents.between(null, first))
                .extracting(ConditionEvent::message)
                .containsExactly("Ready=False: shop 0/3 ready", "Degraded=True: shop 0/3 ready");
    }

    @Test
    void becomingReadyIsNormalAndBecomingDegradedIsAWarning() {
        ShopClusterStatus before = status(false, ConditionTypes.REPLICAS_NOT_READY, false, ConditionTypes.AS_EXPECTED);
        ShopClusterStatus ready = status(true, ConditionTypes.ALL_REPLICAS_READY, false, ConditionTypes.AS_EXPECTED);
        ShopClusterStatus degraded =
                status(false, ConditionTypes.REPLICAS_NOT_READY, true, ConditionTypes.REPLICAS_UNAVAILABLE);

        assertThat(ConditionEvents.between(before, ready))
                .containsExactly(
                        new ConditionEvent(false, ConditionTypes.ALL_REPLICAS_READY, "Ready=True: shop 0/3 ready"));
        assertThat(ConditionEvents.between(before, degraded))
                .containsExactly(
                        new ConditionEvent(true, ConditionTypes.REPLICAS_UNAVAILABLE, "Degraded=True: shop 0/3 ready"));
    }

    @Test
    void aNewReasonWithTheSameStatusIsTold() {
        ShopClusterStatus before = status(false, ConditionTypes.REPLICAS_NOT_READY, false, ConditionTypes.AS_EXPECTED);
        ShopClusterStatus after = status(false, ConditionTypes.CHILD_CONFLICT, false, ConditionTypes.AS_EXPECTED);

        assertThat(ConditionEvents.between(before, after))
                .extracting(ConditionEvent::reason)
                .containsExactly(ConditionTypes.CHILD_CONFLICT);
    }

    @Test
    void anUnchangedStatusOrReasonIsNotToldAgainEvenWithANewMessage() {
        ShopClusterStatus before = status(false, ConditionTypes.REPLICAS_NOT_READY, false, ConditionTypes.AS_EXPECTED);
        ShopClusterStatus after = status(false, ConditionTypes.REPLICAS_NOT_READY, false, ConditionTypes.AS_EXPECTED);
        after.getConditions().forEach(c -> c.setMessage("shop 2/3 ready"));

        assertThat(ConditionEvents.between(before, after)).isEmpty();
    }

    @Test
    void progressingAndFailedOverAreNotTold() {
        ShopClusterStatus before = status(true, ConditionTypes.ALL_REPLICAS_READY, false, ConditionTypes.AS_EXPECTED);
        ShopClusterStatus after = status(true, ConditionTypes.ALL_REPLICAS_READY, false, ConditionTypes.AS_EXPECTED);
        after.setConditions(Conditions.merge(
                after.getConditions(),
                List.of(
                        Conditions.next(
                                null, ConditionTypes.PROGRESSING, true, ConditionTypes.ROLLOUT_IN_PROGRESS, "", 1L, T0),
                        Conditions.next(
                                null, ConditionTypes.FAILED_OVER, true, ConditionTypes.PRIMARY_UNREADY, "", 1L, T0))));

        assertThat(ConditionEvents.between(before, after)).isEmpty();
    }

    private static ShopClusterStatus status(
            boolean ready, String readyReason, boolean degraded, String degradedReason) {
        ShopClusterStatus status = new ShopClusterStatus();
        status.setConditions(Conditions.merge(
                null,
                List.of(
                        Conditions.next(null, ConditionTypes.READY, ready, readyReason, "shop 0/3 ready", 1L, T0),
                        Conditions.next(
                                null, ConditionTypes.DEGRADED, degraded, degradedReason, "shop 0/3 ready", 1L, T0))));
        return status;
    }
}

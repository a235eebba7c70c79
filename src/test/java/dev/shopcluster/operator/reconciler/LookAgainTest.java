package dev.shopcluster.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.ShopClusterStatus;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.ha.HaDecision;
import dev.shopcluster.operator.ha.HaState;
import dev.shopcluster.operator.ha.PromotionOutcome;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the reconciler looks at a shop again without an event: {@link ShopClusterReconciler#lookAgainAfter}. */
class LookAgainTest {

    private static final List<String> NO_CONFLICTS = List.of();
    private static final List<String> A_CONFLICT = List.of("ConfigMap/web-balancer");
    private static final Optional<Duration> NO_REJECTION = Optional.empty();
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final ConfigDelivery.Progress DELIVERED = new ConfigDelivery.Progress(2, 2);
    private static final ConfigDelivery.Progress ON_ITS_WAY = new ConfigDelivery.Progress(2, 1);

    @Test
    void aShopWithNothingPendingWaitsForEvents() {
        assertThat(ShopClusterReconciler.lookAgainAfter(NO_CONFLICTS, DELIVERED, Optional.empty(), NO_REJECTION))
                .isEmpty();
        assertThat(ShopClusterReconciler.lookAgainAfter(NO_CONFLICTS, DELIVERED, promotion(null), NO_REJECTION))
                .isEmpty();
    }

    @Test
    void aConflictIsLookedAtAgainAfterTenSeconds() {
        assertThat(ShopClusterReconciler.lookAgainAfter(A_CONFLICT, DELIVERED, Optional.empty(), NO_REJECTION))
                .contains(Duration.ofSeconds(10));
    }

    @Test
    void aPromotionDeadlineIsLookedAtWhenItIsDue() {
        assertThat(ShopClusterReconciler.lookAgainAfter(
                        NO_CONFLICTS, DELIVERED, promotion(Duration.ofSeconds(3)), NO_REJECTION))
                .contains(Duration.ofSeconds(3));
    }

    @Test
    void theEarlierOfConflictAndPromotionDeadlineWins() {
        assertThat(ShopClusterReconciler.lookAgainAfter(
                        A_CONFLICT, DELIVERED, promotion(Duration.ofSeconds(3)), NO_REJECTION))
                .contains(Duration.ofSeconds(3));
        assertThat(ShopClusterReconciler.lookAgainAfter(
                        A_CONFLICT, DELIVERED, promotion(Duration.ofSeconds(30)), NO_REJECTION))
                .contains(Duration.ofSeconds(10));
    }

    @Test
    void aConfigOnItsWayToTheBalancerPodsIsLookedAtAgainWithinAFifthOfASecond() {
        assertThat(ShopClusterReconciler.lookAgainAfter(
                        A_CONFLICT, ON_ITS_WAY, promotion(Duration.ofSeconds(3)), NO_REJECTION))
                .contains(ConfigDelivery.RECHECK);
        assertThat(ConfigDelivery.RECHECK).isLessThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aRejectedChildIsRetriedAsLateAsTheRejectionHasLastedBetweenFiveSecondsAndTwoMinutes() {
        assertThat(ShopClusterReconciler.retryAfterRejection(rejectedSince(T0), T0))
                .contains(Duration.ofSeconds(5));
        assertThat(ShopClusterReconciler.retryAfterRejection(rejectedSince(T0), T0.plusSeconds(5)))
                .contains(Duration.ofSeconds(5));
        assertThat(ShopClusterReconciler.retryAfterRejection(rejectedSince(T0), T0.plusSeconds(10)))
                .as("10 s in: the next attempt at 20 s")
                .contains(Duration.ofSeconds(10));
        assertThat(ShopClusterReconciler.retryAfterRejection(rejectedSince(T0), T0.plusSeconds(3600)))
                .contains(Duration.ofMinutes(2));
    }

    @Test
    void withoutARejectionThereIsNoRetry() {
        ShopClusterStatus status = new ShopClusterStatus();
        status.setConditions(List.of(Conditions.next(
                null, ConditionTypes.DEGRADED, true, ConditionTypes.CHILD_CONFLICT, "someone else's", 1L, T0)));

        assertThat(ShopClusterReconciler.retryAfterRejection(status, T0.plusSeconds(60)))
                .isEmpty();
    }

    @Test
    void theRejectionRetryCompetesWithTheOtherDeadlines() {
        assertThat(ShopClusterReconciler.lookAgainAfter(
                        A_CONFLICT, DELIVERED, promotion(Duration.ofSeconds(30)), Optional.of(Duration.ofSeconds(5))))
                .contains(Duration.ofSeconds(5));
    }

    private static ShopClusterStatus rejectedSince(Instant since) {
        ShopClusterStatus status = new ShopClusterStatus();
        status.setConditions(List.of(Conditions.next(
                null,
                ConditionTypes.DEGRADED,
                true,
                ConditionTypes.CHILD_REJECTED,
                "the API server rejected Service/web: range is full",
                1L,
                since)));
        return status;
    }

    private static Optional<PromotionOutcome> promotion(Duration recheckAfter) {
        HaState state = HaState.serving(Slot.A);
        return Optional.of(new PromotionOutcome(
                new HaDecision(state, 3, 1, recheckAfter, HaDecision.Trigger.NONE, "slot a is primary", false), state));
    }
}

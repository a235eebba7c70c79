package dev.shopcluster.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.ha.HaDecision;
import dev.shopcluster.operator.ha.HaState;
import dev.shopcluster.operator.ha.PromotionOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When the reconciler looks at a shop again without an event: {@link ShopClusterReconciler#lookAgainAfter}. */
class LookAgainTest {

    private static final List<String> NO_CONFLICTS = List.of();
    private static final List<String> A_CONFLICT = List.of("ConfigMap/web-balancer");
    private static final ConfigDelivery.Progress DELIVERED = new ConfigDelivery.Progress(2, 2);
    private static final ConfigDelivery.Progress ON_ITS_WAY = new ConfigDelivery.Progress(2, 1);

    @Test
    void aShopWithNothingPendingWaitsForEvents() {
        assertThat(ShopClusterReconciler.lookAgainAfter(NO_CONFLICTS, DELIVERED, Optional.empty())).isEmpty();
        assertThat(ShopClusterReconciler.lookAgainAfter(NO_CONFLICTS, DELIVERED, promotion(null))).isEmpty();
    }

    @Test
    void aConflictIsLookedAtAgainAfterTenSeconds() {
        assertThat(ShopClusterReconciler.lookAgainAfter(A_CONFLICT, DELIVERED, Optional.empty()))
                .contains(Duration.ofSeconds(10));
    }

    @Test
    void aPromotionDeadlineIsLookedAtWhenItIsDue() {
        assertThat(ShopClusterReconciler.lookAgainAfter(NO_CONFLICTS, DELIVERED, promotion(Duration.ofSeconds(3))))
                .contains(Duration.ofSeconds(3));
    }

    @Test
    void theEarlierOfConflictAndPromotionDeadlineWins() {
        assertThat(ShopClusterReconciler.lookAgainAfter(A_CONFLICT, DELIVERED, promotion(Duration.ofSeconds(3))))
                .contains(Duration.ofSeconds(3));
        assertThat(ShopClusterReconciler.lookAgainAfter(A_CONFLICT, DELIVERED, promotion(Duration.ofSeconds(30))))
                .contains(Duration.ofSeconds(10));
    }

    @Test
    void aConfigOnItsWayToTheBalancerPodsIsLookedAtAgainWithinAFifthOfASecond() {
        assertThat(ShopClusterReconciler.lookAgainAfter(A_CONFLICT, ON_ITS_WAY, promotion(Duration.ofSeconds(3))))
                .contains(ConfigDelivery.RECHECK);
        assertThat(ConfigDelivery.RECHECK).isLessThanOrEqualTo(Duration.ofMillis(200));
    }

    private static Optional<PromotionOutcome> promotion(Duration recheckAfter) {
        HaState state = HaState.serving(Slot.A);
        return Optional.of(new PromotionOutcome(
                new HaDecision(state, 3, 1, recheckAfter, HaDecision.Trigger.NONE, "slot a is primary", false), state));
    }
}

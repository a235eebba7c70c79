package dev.shopcluster.operator.ha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.ShopFixtures;
import dev.shopcluster.operator.api.FailbackPolicy;
import dev.shopcluster.operator.api.HighAvailabilitySpec;
import dev.shopcluster.operator.api.ShopClusterSpec;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.ha.HaDecision.Trigger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The small value types around the state machine: policy from the spec, per-slot accessors. */
class HaValuesTest {

    @Test
    void policyIsTakenFromTheSpec() {
        ShopClusterSpec spec = ShopFixtures.activeStandby("pay").getSpec();
        spec.setReplicas(4);
        HighAvailabilitySpec ha = spec.getHighAvailability();
        ha.setStandbyReplicas(2);
        ha.setMinReadyPrimaries(3);
        ha.setFailoverAfterSeconds(7);
        ha.setFailback(FailbackPolicy.Automatic);

        assertThat(HaPolicy.of(spec)).isEqualTo(new HaPolicy(4, 2, 3, Duration.ofSeconds(7), FailbackPolicy.Automatic));
    }

    @Test
    void policyDefaultsAreOneStandbyOneReadyPodFiveSecondsAndManualFailback() {
        assertThat(HaPolicy.of(ShopFixtures.activeStandby("pay").getSpec()))
                .isEqualTo(new HaPolicy(3, 1, 1, Duration.ofSeconds(5), FailbackPolicy.Manual));
    }

    @Test
    void readinessIsReadPerSlot() {
        SlotReadiness ready = new SlotReadiness(2, 5);

        assertThat(ready.of(Slot.A)).isEqualTo(2);
        assertThat(ready.of(Slot.B)).isEqualTo(5);
    }

    @Test
    void decisionNamesTheTargetAsPrimaryAndItsReplicasPerSlot() {
        HaState state = HaState.serving(Slot.A).withTarget(Slot.B);
        HaDecision decision = new HaDecision(state, 1, 4, null, Trigger.NONE, "", false);

        assertThat(decision.primary()).isEqualTo(Slot.B);
        assertThat(decision.replicas(Slot.A)).isEqualTo(1);
        assertThat(decision.replicas(Slot.B)).isEqualTo(4);
    }

    @Test
    void aPromotionIsInFlightOnlyWhileTargetAndCurrentDiffer() {
        assertThat(HaState.serving(Slot.A).withTarget(Slot.B).promotionInFlight())
                .isTrue();
        assertThat(HaState.serving(Slot.B).withTarget(Slot.A).promotionInFlight())
                .isTrue();
        assertThat(HaState.serving(Slot.B).promotionInFlight()).isFalse();
    }

    @Test
    void aServingStateHasNoRecentFailovers() {
        assertThat(HaState.serving(Slot.A).recentFailovers()).isEmpty();
    }

    @Test
    void eachRecentFailoverDoublesTheWaitUpToFiveMinutes() {
        HaPolicy policy = new HaPolicy(3, 1, 1, Duration.ofSeconds(7), FailbackPolicy.Manual);

        assertThat(policy.failoverWait(0)).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.failoverWait(1)).isEqualTo(Duration.ofSeconds(14));
        assertThat(policy.failoverWait(5)).isEqualTo(Duration.ofSeconds(224));
        assertThat(policy.failoverWait(6)).as("7 s x 64 is past the cap").isEqualTo(Duration.ofMinutes(5));
        assertThat(policy.failoverWait(1_000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aGraceLongerThanTheCapIsNeitherDoubledNorShortened() {
        HaPolicy policy = new HaPolicy(3, 1, 1, Duration.ofMinutes(20), FailbackPolicy.Manual);

        assertThat(policy.failoverWait(0)).isEqualTo(Duration.ofMinutes(20));
        assertThat(policy.failoverWait(3)).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void slotsAreEachOthersOther() {
        assertThat(Slot.A.other()).isEqualTo(Slot.B);
        assertThat(Slot.B.other()).isEqualTo(Slot.A);
    }
}

package dev.shopcluster.operator.ha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.FailbackPolicy;
import dev.shopcluster.operator.api.ShopClusterStatus;
import dev.shopcluster.operator.api.Slot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The promotion state survives the trip through the ShopCluster status, which is how a restart reads it. */
class HaStatusTest {

    private static final HaPolicy POLICY = new HaPolicy(3, 1, 1, Duration.ofSeconds(5), FailbackPolicy.Manual);
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00.123456789Z");

    @Test
    void noStatusReadsAsTheInitialState() {
        assertThat(HaStatus.read(null)).isEqualTo(HaState.initial());
    }

    @Test
    void aStatusWithoutTargetPrimaryReadsAsTheInitialState() {
        ShopClusterStatus status = new ShopClusterStatus();
        status.setCurrentPrimary(Slot.B);
        status.setFailovers(3);

        assertThat(HaStatus.read(status)).isEqualTo(HaState.initial());
    }

    @Test
    void theInitialStateIsSlotAWithoutFailovers() {
        assertThat(HaState.initial()).isEqualTo(HaState.serving(Slot.A)).satisfies(s -> assertThat(s.failovers())
                .isZero());
    }

    @Test
    void everyFieldIsWrittenAndReadBack() {
        HaState state = new HaState(
                Slot.B,
                Slot.A,
                T0,
                Slot.A,
                T0.plusSeconds(1),
                7,
                T0.minusSeconds(30),
                List.of(T0.minusSeconds(90), T0.minusSeconds(30)));
        ShopClusterStatus status = write(state);

        assertThat(status.getTargetPrimary()).isEqualTo(Slot.B);
        assertThat(status.getCurrentPrimary()).isEqualTo(Slot.A);
        assertThat(status.getPrimaryUnreadySince()).isEqualTo("2026-03-01T12:00:00.123456789Z");
        assertThat(status.getDemotedPrimary()).isEqualTo(Slot.A);
        assertThat(status.getDemotedReadySince()).isEqualTo("2026-03-01T12:00:01.123456789Z");
        assertThat(status.getFailovers()).isEqualTo(7);
        assertThat(status.getLastFailoverTime()).isEqualTo("2026-03-01T11:59:30.123456789Z");
        assertThat(status.getRecentFailoverTimes())
                .containsExactly("2026-03-01T11:58:30.123456789Z", "2026-03-01T11:59:30.123456789Z");
        assertThat(status.getFailoverWaitSeconds()).as("5 s doubled twice").isEqualTo(20);
        assertThat(HaStatus.read(status)).isEqualTo(state);
    }

    @Test
    void clearedFieldsAreWrittenAsUnset() {
        ShopClusterStatus status = write(new HaState(Slot.A, Slot.A, T0, Slot.B, T0, 1, T0, List.of(T0)));

        HaStatus.write(HaState.serving(Slot.A).withFailovers(1, T0), POLICY, status);

        assertThat(status.getPrimaryUnreadySince()).isNull();
        assertThat(status.getDemotedPrimary()).isNull();
        assertThat(status.getDemotedReadySince()).isNull();
        assertThat(status.getRecentFailoverTimes()).isNull();
        assertThat(status.getFailoverWaitSeconds()).isEqualTo(5);
    }

    @Test
    void aStatusFromBeforeCurrentPrimaryFailoversAndRecentFailoverTimesReadsWithSafeDefaults() {
        ShopClusterStatus status = new ShopClusterStatus();
        status.setTargetPrimary(Slot.B);

        assertThat(HaStatus.read(status))
                .as("wired on the target, no failovers")
                .isEqualTo(HaState.serving(Slot.B));
    }

    private static ShopClusterStatus write(HaState state) {
        ShopClusterStatus status = new ShopClusterStatus();
        HaStatus.write(state, POLICY, status);
        return status;
    }
}

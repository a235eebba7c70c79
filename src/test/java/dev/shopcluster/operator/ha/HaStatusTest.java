package dev.shopcluster.operator.ha;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.ShopClusterStatus;
import dev.shopcluster.operator.api.Slot;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The promotion state survives the trip through the ShopCluster status, which is how a restart reads it. */
class HaStatusTest {

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
    void theInitialStateIsSlotAServingOnceReady() {
        assertThat(HaState.initial()).isEqualTo(HaState.serving(Slot.A).withPrimaryServed(false));
    }

    @Test
    void everyFieldIsWrittenAndReadBack() {
        HaState state = HaState.serving(Slot.A).withTarget(Slot.B).withPrimaryUnreadySince(T0).withDemoted(Slot.A)
                .withDemotedReadySince(T0.plusSeconds(1)).withFailovers(7, T0.minusSeconds(30))
                        .withPrimaryServed(false);
        ShopClusterStatus status = write(state);

        assertThat(status.getTargetPrimary()).isEqualTo(Slot.B);
        assertThat(status.getCurrentPrimary()).isEqualTo(Slot.A);
        assertThat(status.getPrimaryUnreadySince()).isEqualTo("2026-03-01T12:00:00.123456789Z");
        assertThat(status.getDemotedPrimary()).isEqualTo(Slot.A);
        assertThat(status.getDemotedReadySince()).isEqualTo("2026-03-01T12:00:01.123456789Z");
        assertThat(status.getFailovers()).isEqualTo(7);
        assertThat(status.getLastFailoverTime()).isEqualTo("2026-03-01T11:59:30.123456789Z");
        assertThat(status.getPrimaryServed()).isFalse();
        assertThat(HaStatus.read(status)).isEqualTo(state);
    }

    @Test
    void clearedFieldsAreWrittenAsUnset() {
        ShopClusterStatus status = write(HaState.serving(Slot.A).withPrimaryUnreadySince(T0).withDemoted(Slot.B)
                .withDemotedReadySince(T0).withFailovers(1, T0));

        HaStatus.write(HaState.serving(Slot.A).withFailovers(1, T0), status);

        assertThat(status.getPrimaryUnreadySince()).isNull();
        assertThat(status.getDemotedPrimary()).isNull();
        assertThat(status.getDemotedReadySince()).isNull();
        assertThat(status.getPrimaryServed()).isTrue();
    }

    @Test
    void aStatusFromBeforeCurrentPrimaryFailoversAndPrimaryServedReadsWithSafeDefaults() {
        ShopClusterStatus status = new ShopClusterStatus();
        status.setTargetPrimary(Slot.B);

        assertThat(HaStatus.read(status)).as("wired on the target, no failovers, has served")
                .isEqualTo(HaState.serving(Slot.B));
    }

    private static ShopClusterStatus write(HaState state) {
        ShopClusterStatus status = new ShopClusterStatus();
        HaStatus.write(state, status);
        return status;
    }
}

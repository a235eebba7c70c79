package dev.shopcluster.operator.ha;

import dev.shopcluster.operator.api.Slot;
import java.time.Duration;

/**
 * What the promotion state machine decided for one reconcile.
 *
 * @param state the state to record; when its target differs from the one observed, it must be
 *     written before any wiring changes
 * @param replicasA desired pods of slot a
 * @param replicasB desired pods of slot b
 * @param recheckAfter when to decide again even if nothing is observed to change, or null
 * @param trigger why the target changed, or {@link Trigger#NONE}
 * @param message for events and conditions: what was observed
 * @param noHealthyStandby the primary is past its grace period but the standby has no more ready pods
 */
public record HaDecision(
        HaState state,
        int replicasA,
        int replicasB,
        Duration recheckAfter,
        Trigger trigger,
        String message,
        boolean noHealthyStandby) {

    public enum Trigger {
        NONE,
        /** The primary stayed below minReadyPrimaries for the grace period. */
        FAILOVER,
        /** A user asked for the other slot, which was scaled up and ready first. */
        SWITCHOVER,
        /** Automatic failback: the demoted slot has been healthy for the grace period. */
        FAILBACK
    }

    /** The slot the children are wired to: the decided target. */
    public Slot primary() {
        return state.target();
    }

    public int replicas(Slot slot) {
        return slot == Slot.A ? replicasA : replicasB;
    }
}

package dev.shopcluster.operator.ha;

import dev.shopcluster.operator.api.Slot;
import java.time.Instant;

/**
 * The promotion state an ActiveStandby shop keeps in its status, so that a restarted or newly elected
 * operator continues exactly where the last one stopped.
 *
 * @param target the slot the operator decided should be primary (written before any wiring)
 * @param current the slot actually wired as primary
 * @param primaryUnreadySince when the current primary was first seen below minReadyPrimaries, else null
 * @param demoted the slot a failover took traffic away from, until it has recovered; else null
 * @param demotedReadySince Automatic failback: since when the demoted slot has been healthy, else null
 * @param failovers promotions decided because the primary was unready
 * @param lastFailover when the last of them was decided, else null
 * @param primaryServed whether the target has had minReadyPrimaries ready pods since it became the
 *     target: a primary that never became healthy is still starting, and is not failed over
 */
public record HaState(Slot target, Slot current, Instant primaryUnreadySince, Slot demoted, Instant demotedReadySince,
        int failovers, Instant lastFailover, boolean primaryServed) {

    /** A state whose primary has served (the common case in tests and in a running shop). */
    public HaState(Slot target, Slot current, Instant primaryUnreadySince, Slot demoted, Instant demotedReadySince,
            int failovers, Instant lastFailover) {
        this(target, current, primaryUnreadySince, demoted, demotedReadySince, failovers, lastFailover, true);
    }

    /** A new shop: slot a is to serve, once its pods are first ready. */
    public static HaState initial() {
        return new HaState(Slot.A, Slot.A, null, null, null, 0, null, false);
    }

    public boolean promotionInFlight() {
        return target != current;
    }
}

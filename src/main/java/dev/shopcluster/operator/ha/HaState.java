package dev.shopcluster.operator.ha;

import dev.shopcluster.operator.api.Slot;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

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
 * @param recentFailovers when the failovers of the last {@link HaPolicy#BACKOFF_WINDOW} were decided, oldest
 *     first: each one doubles the wait before the next
 */
public record HaState(
        Slot target,
        Slot current,
        Instant primaryUnreadySince,
        Slot demoted,
        Instant demotedReadySince,
        int failovers,
        Instant lastFailover,
        List<Instant> recentFailovers) {

    public HaState {
        recentFailovers = List.copyOf(recentFailovers);
    }

    /** A new shop: slot a is to serve. */
    public static HaState initial() {
        return serving(Slot.A);
    }

    /** {@code primary} is wired; no failover so far, nothing pending. */
    public static HaState serving(Slot primary) {
        return new HaState(primary, primary, null, null, null, 0, null, List.of());
    }

    public boolean promotionInFlight() {
        return target != current;
    }

    public HaState withTarget(Slot target) {
        return with(s -> s.target = target);
    }

    public HaState withCurrent(Slot current) {
        return with(s -> s.current = current);
    }

    public HaState withPrimaryUnreadySince(Instant primaryUnreadySince) {
        return with(s -> s.primaryUnreadySince = primaryUnreadySince);
    }

    public HaState withDemoted(Slot demoted) {
        return with(s -> s.demoted = demoted);
    }

    public HaState withDemotedReadySince(Instant demotedReadySince) {
        return with(s -> s.demotedReadySince = demotedReadySince);
    }

    /** The count of failovers so far and when the last of them was decided. */
    public HaState withFailovers(int failovers, Instant lastFailover) {
        return with(s -> {
            s.failovers = failovers;
            s.lastFailover = lastFailover;
        });
    }

    /** When the failovers still inside the backoff window were decided, oldest first. */
    public HaState withRecentFailovers(List<Instant> recentFailovers) {
        return with(s -> s.recentFailovers = recentFailovers);
    }

    /** A copy with the fields {@code change} sets. */
    private HaState with(Consumer<Fields> change) {
        Fields fields = new Fields(this);
        change.accept(fields);
        return fields.state();
    }

    /** The fields of a state being copied. */
    private static final class Fields {
        private Slot target;
        private Slot current;
        private Instant primaryUnreadySince;
        private Slot demoted;
        private Instant demotedReadySince;
        private int failovers;
        private Instant lastFailover;
        private List<Instant> recentFailovers;

        Fields(HaState state) {
            target = state.target;
            current = state.current;
            primaryUnreadySince = state.primaryUnreadySince;
            demoted = state.demoted;
            demotedReadySince = state.demotedReadySince;
            failovers = state.failovers;
            lastFailover = state.lastFailover;
            recentFailovers = state.recentFailovers;
        }

        HaState state() {
            return new HaState(
                    target,
                    current,
                    primaryUnreadySince,
                    demoted,
                    demotedReadySince,
                    failovers,
                    lastFailover,
                    recentFailovers);
        }
    }
}

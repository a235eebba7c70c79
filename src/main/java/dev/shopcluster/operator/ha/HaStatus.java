package dev.shopcluster.operator.ha;

import dev.shopcluster.operator.api.ShopClusterStatus;
import java.time.Instant;
import java.util.List;

/** Reads and writes the promotion state in a ShopCluster's status. */
public final class HaStatus {

    private HaStatus() {}

    public static HaState read(ShopClusterStatus status) {
        if (status == null || status.getTargetPrimary() == null) {
            return HaState.initial();
        }
        List<String> recent = status.getRecentFailoverTimes() != null ? status.getRecentFailoverTimes() : List.of();
        return new HaState(
                status.getTargetPrimary(),
                status.getCurrentPrimary() != null ? status.getCurrentPrimary() : status.getTargetPrimary(),
                instant(status.getPrimaryUnreadySince()),
                status.getDemotedPrimary(),
                instant(status.getDemotedReadySince()),
                status.getFailovers() != null ? status.getFailovers() : 0,
                instant(status.getLastFailoverTime()),
                recent.stream().map(Instant::parse).toList());
    }

    /** Writes the state, and the wait before a failover that follows from it under the policy. */
    public static void write(HaState state, HaPolicy policy, ShopClusterStatus status) {
        status.setTargetPrimary(state.target());
        status.setCurrentPrimary(state.current());
        status.setPrimaryUnreadySince(text(state.primaryUnreadySince()));
        status.setDemotedPrimary(state.demoted());
        status.setDemotedReadySince(text(state.demotedReadySince()));
        status.setFailovers(state.failovers());
        status.setLastFailoverTime(text(state.lastFailover()));
        status.setRecentFailoverTimes(
                state.recentFailovers().isEmpty()
                        ? null
                        : state.recentFailovers().stream().map(HaStatus::text).toList());
        status.setFailoverWaitSeconds(
                (int) policy.failoverWait(state.recentFailovers().size()).toSeconds());
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}

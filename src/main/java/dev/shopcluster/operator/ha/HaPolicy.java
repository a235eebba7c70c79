package dev.shopcluster.operator.ha;

import dev.shopcluster.operator.api.FailbackPolicy;
import dev.shopcluster.operator.api.HighAvailabilitySpec;
import dev.shopcluster.operator.api.ShopClusterSpec;
import java.time.Duration;

/** The parts of the spec that steer promotion. */
public record HaPolicy(
        int replicas, int standbyReplicas, int minReadyPrimaries, Duration grace, FailbackPolicy failback) {

    /** Failovers this recent make the next one wait longer. */
    public static final Duration BACKOFF_WINDOW = Duration.ofMinutes(10);
    /** The longest a failover backs off to (a longer failoverAfterSeconds is kept as it is). */
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    public static HaPolicy of(ShopClusterSpec spec) {
        HighAvailabilitySpec ha = spec.getHighAvailability();
        return new HaPolicy(
                spec.getReplicas(),
                ha.getStandbyReplicas(),
                ha.getMinReadyPrimaries(),
                Duration.ofSeconds(ha.getFailoverAfterSeconds()),
                ha.getFailback());
    }

    /**
     * How long the primary must stay below minReadyPrimaries before it is failed over, after
     * {@code recentFailovers} failovers within the backoff window: the grace doubled for each, at most
     * {@link #MAX_BACKOFF}, never less than the grace.
     */
    public Duration failoverWait(int recentFailovers) {
        Duration wait = grace;
        for (int i = 0; i < recentFailovers && wait.compareTo(MAX_BACKOFF) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return recentFailovers == 0 ? grace : max(grace, min(wait, MAX_BACKOFF));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}

package dev.shopcluster.operator.ha;

import dev.shopcluster.operator.api.FailbackPolicy;
import dev.shopcluster.operator.api.HighAvailabilitySpec;
import dev.shopcluster.operator.api.ShopClusterSpec;
import java.time.Duration;

/** The parts of the spec that steer promotion. */
public record HaPolicy(int replicas, int standbyReplicas, int minReadyPrimaries, Duration grace,
        FailbackPolicy failback) {

    public static HaPolicy of(ShopClusterSpec spec) {
        HighAvailabilitySpec ha = spec.getHighAvailability();
        return new HaPolicy(spec.getReplicas(), ha.getStandbyReplicas(), ha.getMinReadyPrimaries(),
                Duration.ofSeconds(ha.getFailoverAfterSeconds()), ha.getFailback());
    }
}

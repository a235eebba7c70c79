package dev.shopcluster.operator.dataplane;

import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.awaitMore;

import dev.shopcluster.operator.dataplane.Traffic.Sample;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every primary pod of an ActiveStandby shop killed under steady load, and what the clients saw: how
 * long until the standby answered, and how many requests failed.
 *
 * @param gap from the kill to the first answer from a standby pod
 * @param failed requests sent once every primary was dead that got no answer or an error
 * @param cutOff requests in flight while the primaries were killed that failed: a primary that dies while
 *     it answers cuts its answer off, and HAProxy cannot retry a request whose answer has begun
 * @param requests requests completed during the measurement
 * @param failures what the first failed requests got
 */
record StandbyTakeover(Duration gap, long failed, long cutOff, long requests, List<String> failures) {

    /** Kills slot a's backends while {@code load} runs, lets the standby serve 1,000 requests, stops the load. */
    static StandbyTakeover kill(DataPlaneBed bed, Traffic.Load load) throws InterruptedException {
        Set<String> standby = bed.backends("b").stream().map(ShopBackend::name).collect(Collectors.toSet());
        long killedAt = System.nanoTime();
        bed.backends("a").forEach(ShopBackend::kill);
        long allDeadAt = System.nanoTime();
        awaitMore(load, 1_000);
        List<Sample> samples = load.stop();
        long firstStandbyAnswer = samples.stream()
                .filter(s -> s.ok() && standby.contains(s.server()))
                .mapToLong(Sample::endNanos)
                .min()
                .orElseThrow(() -> new AssertionError("the standby never answered"));
        return new StandbyTakeover(
                Duration.ofNanos(Math.max(0, firstStandbyAnswer - killedAt)),
                samples.stream()
                        .filter(s -> !s.ok() && s.startNanos() >= allDeadAt)
                        .count(),
                samples.stream()
                        .filter(s -> !s.ok() && s.startNanos() < allDeadAt)
                        .count(),
                samples.size(),
                Traffic.firstFailures(samples));
    }
}

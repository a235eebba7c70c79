package dev.shopcluster.operator.dataplane;

import static dev.shopcluster.operator.ShopFixtures.activeStandby;
import static dev.shopcluster.operator.ShopFixtures.shop;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.CLIENTS;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.PRIMARY_A;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.awaitMore;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.between;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.fast;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.HashOn;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.StrategyType;
import dev.shopcluster.operator.dataplane.Traffic.Sample;
import dev.shopcluster.operator.haproxy.HaproxyConfigRenderer;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What keeps a shop's checkout answering: the standby taking over when every primary pod dies, a
 * returning pod's slow start, and config changes reloaded without a failed request.
 */
class FailoverAndReloadIT {

    @Test
    void standbyServesWithinASecondWhenEveryPrimaryDiesAndNoRequestSentAfterwardsFails() throws Exception {
        try (DataPlaneBed bed = new DataPlaneBed(fast(activeStandby("pay"), StrategyType.RoundRobin), PRIMARY_A)) {
            Traffic.Load load = new Traffic.Load(bed.frontend(), CLIENTS, Map.of());
            awaitMore(load, 1_000);
            assertThat(bed.backends("b")).as("standby before the failure").allMatch(b -> b.served() == 0);

            StandbyTakeover takeover = StandbyTakeover.kill(bed, load);

            assertThat(takeover.failed())
                    .as("failed requests sent after the kill: %s", takeover.failures())
                    .isZero();
            // At most one request per client in flight on each primary as it dies.
            assertThat(takeover.cutOff())
                    .as("requests cut off by the kill: %s", takeover.failures())
                    .isLessThanOrEqualTo(CLIENTS * PRIMARY_A.replicasA());
            assertThat(takeover.gap())
                    .as("time to the first answer from the standby")
                    .isLessThanOrEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void aReturningServerRampsUpOverSlowStart() throws Exception {
        ShopCluster shop = fast(shop("ramp"), StrategyType.RoundRobin);
        shop.getSpec().getBalancer().setSlowStartSeconds(4);
        try (DataPlaneBed bed = new DataPlaneBed(shop, null)) {
            awaitFullWeight(bed); // every server slow-starts once at startup, too
            ShopBackend returning = bed.backends("main").get(0);
            returning.healthy(false);
            bed.awaitServersUp(2);
            Traffic.Load load = new Traffic.Load(bed.frontend(), CLIENTS, Map.of());

            returning.healthy(true);
            bed.awaitServersUp(3);
            long upAt = System.nanoTime();
            awaitFullWeight(bed);
            long fullAt = System.nanoTime();
            awaitMore(load, 3_000);
            List<Sample> samples = load.stop();

            assertThat(samples).allMatch(Sample::ok);
            double early = shareOf(returning, between(samples, upAt, upAt + (fullAt - upAt) / 4));
            double late = shareOf(returning, between(samples, fullAt, Long.MAX_VALUE));
            assertThat(early).as("share in the first quarter of the slow start").isLessThan(0.15);
            assertThat(late).as("share once at full weight").isCloseTo(1.0 / 3, within(0.05));
        }
    }

    @Test
    void aStrategyChangeUnderLoadIsReloadedWithoutAFailedRequest() throws Exception {
        ShopCluster shop = fast(shop("reload"), StrategyType.RoundRobin);
        try (DataPlaneBed bed = new DataPlaneBed(shop, null)) {
            bed.haproxy().startReloadSidecar("0.2");
            long master = bed.haproxy().masterPid();
            Traffic.Load load = new Traffic.Load(bed.frontend(), CLIENTS, headers(HashOn.Header, "cart-42"));
            awaitMore(load, 1_000);

            List<Long> oldWorkers = bed.haproxy().workerPids();
            shop.getSpec().getStrategy().setType(StrategyType.ConsistentHash);
            shop.getSpec().getStrategy().setHashOn(HashOn.Header);
            shop.getSpec().getStrategy().setHashKey("X-Session-Id");
            bed.updateConfig(shop, null);
            String newHash = HaproxyConfigRenderer.hashOf(bed.haproxy().configText());
            await("the sidecar reloads HAProxy and sees it serve the new config")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> bed.haproxy().reloadLog().contains("serving config " + newHash));
            long reloadedAt = System.nanoTime();
            await("only new workers run").atMost(Duration.ofSeconds(10)).until(() -> {
                List<Long> workers = bed.haproxy().workerPids();
                return !workers.isEmpty() && Collections.disjoint(workers, oldWorkers);
            });
            long oldWorkerGoneAt = System.nanoTime();
            awaitMore(load, 2_000);
            List<Sample> samples = load.stop();

            assertThat(samples).as("requests during the reload").allMatch(Sample::ok);
            assertThat(Traffic.perServer(between(samples, 0, reloadedAt), Sample::server))
                    .as("round robin before")
                    .hasSize(3);
            // Sent after the old workers exited: only the new config can have answered them.
            assertThat(Traffic.perServer(
                            samples.stream()
                                    .filter(sample -> sample.startNanos() >= oldWorkerGoneAt)
                                    .toList(),
                            Sample::server))
                    .as("consistent hash on the header after")
                    .hasSize(1);
            assertThat(bed.haproxy().masterPid())
                    .as("HAProxy was reloaded, not restarted")
                    .isEqualTo(master);
            assertThat(bed.haproxy().alive()).isTrue();
        }
    }

    @Test
    void anInvalidConfigIsRefusedAndTheRunningOneKeepsServing() throws Exception {
        try (DataPlaneBed bed = new DataPlaneBed(fast(shop("invalid"), StrategyType.RoundRobin), null)) {
            bed.haproxy().startReloadSidecar("0.2");
            List<Long> workers = bed.haproxy().workerPids();

            bed.haproxy().writeConfig("global\n    no-such-directive\n");
            await("the sidecar refuses the config")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> bed.haproxy().reloadLog().contains("is invalid"));

            assertThat(Traffic.sequential(bed.frontend(), 300)).allMatch(HttpConnection.Response::ok);
            assertThat(bed.haproxy().workerPids()).isEqualTo(workers);
        }
    }

    private static void awaitFullWeight(DataPlaneBed bed) {
        await("slow start over")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> bed.haproxy().fullWeight(256));
    }

    private static double shareOf(ShopBackend backend, List<Sample> samples) {
        assertThat(samples).isNotEmpty();
        return (double) samples.stream()
                        .filter(s -> s.server().equals(backend.name()))
                        .count()
                / samples.size();
    }
}

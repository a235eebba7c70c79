package dev.shopcluster.operator.dataplane;

import static dev.shopcluster.operator.ShopFixtures.shop;
import static dev.shopcluster.operator.ShopFixtures.withPools;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.consistentHash;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.fast;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.headers;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.shopcluster.operator.api.HashOn;
import dev.shopcluster.operator.api.PoolSpec;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.StrategyType;
import dev.shopcluster.operator.dataplane.HttpConnection.Response;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each strategy with the real HAProxy, real DNS and real backends, over 10,000 requests: what the
 * operator promises a shop about where its requests go.
 */
class BalancingStrategiesIT {

    static final int REQUESTS = 10_000;
    /** Allowed distance of a server's share from its weight's share. */
    static final double TOLERANCE = 0.02;

    @Test
    void roundRobinCyclesThroughTheServersExactly() throws Exception {
        try (DataPlaneBed bed = new DataPlaneBed(fast(shop("rr"), StrategyType.RoundRobin), null)) {
            List<Response> responses = Traffic.sequential(bed.frontend(), REQUESTS);

            assertThat(responses).allMatch(Response::ok);
            List<String> cycle =
                    responses.subList(0, 3).stream().map(Response::body).toList();
            assertThat(new HashSet<>(cycle)).hasSize(3);
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(responses.get(i).body()).as("request %d", i).isEqualTo(cycle.get(i % 3));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = StrategyType.class,
            names = {"Random", "PowerOfTwoChoices"})
    void unweightedStrategiesShareEvenly(StrategyType strategy) throws Exception {
        try (DataPlaneBed bed = new DataPlaneBed(fast(shop("even"), strategy), null)) {
            Map<String, Long> perServer = Traffic.perServer(Traffic.sequential(bed.frontend(), REQUESTS));

            assertThat(perServer).hasSize(3);
            perServer.forEach((server, count) ->
                    assertThat(share(count)).as("share of %s", server).isCloseTo(1.0 / 3, within(TOLERANCE)));
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = StrategyType.class,
            names = {"WeightedRandom", "RoundRobin"})
    void weightedStrategiesFollowPoolWeights(StrategyType strategy) throws Exception {
        ShopCluster shop = withPools("weighted", new PoolSpec("light", 2, 1), new PoolSpec("heavy", 2, 3));
        try (DataPlaneBed bed = new DataPlaneBed(fast(shop, strategy), null)) {
            Map<String, Long> perPool =
                    Traffic.perServer(Traffic.sequential(bed.frontend(), REQUESTS), response -> response.body()
                            .substring(0, response.body().indexOf('-')));

            assertThat(share(perPool.get("light"))).isCloseTo(0.25, within(TOLERANCE));
            assertThat(share(perPool.get("heavy"))).isCloseTo(0.75, within(TOLERANCE));
        }
    }

    @Test
    void ipHashSendsOneSourceAddressToOneServer() throws Exception {
        try (DataPlaneBed bed = new DataPlaneBed(fast(shop("iphash"), StrategyType.IPHash), null)) {
            List<Response> fixedSource = new ArrayList<>();
            InetAddress source = InetAddress.getByName("127.0.0.1");
            for (int i = 0; i < REQUESTS; i++) {
                fixedSource.add(HttpConnection.get(bed.frontend(), source, "/", Map.of()));
            }
            Set<String> others = new HashSet<>();
            for (int i = 1; i <= 64; i++) {
                others.add(HttpConnection.get(bed.frontend(), InetAddress.getByName("127.2.0." + i), "/", Map.of())
                        .body());
            }

            assertThat(Traffic.perServer(fixedSource)).hasSize(1).containsValue((long) REQUESTS);
            assertThat(others).as("servers of 64 other source addresses").hasSizeGreaterThan(1);
        }
    }

    @ParameterizedTest
    @EnumSource(HashOn.class)
    void consistentHashSendsOneKeyToOneServer(HashOn hashOn) throws Exception {
        ShopCluster shop = consistentHash("chash", hashOn);
        try (DataPlaneBed bed = new DataPlaneBed(shop, null)) {
            List<Response> fixedKey = Traffic.sequential(
                    bed.frontend(), REQUESTS, i -> path(hashOn, "fixed"), i -> headers(hashOn, "fixed"));
            Set<String> others = new HashSet<>(Traffic.perServer(Traffic.sequential(
                            bed.frontend(), 64, i -> path(hashOn, "key-" + i), i -> headers(hashOn, "key-" + i)))
                    .keySet());

            assertThat(Traffic.perServer(fixedKey)).hasSize(1).containsValue((long) REQUESTS);
            if (hashOn != HashOn.SourceIP) { // every request here comes from 127.0.0.1
                assertThat(others).as("servers of 64 other keys").hasSizeGreaterThan(1);
            }
        }
    }

    @Test
    void leastConnectionsSendsNewRequestsAwayFromABusyServer() throws Exception {
        try (DataPlaneBed bed = new DataPlaneBed(fast(shop("leastconn"), StrategyType.LeastConnections), null)) {
            ShopBackend busy = bed.backends("main").get(0);
            busy.delay(2_000);

            List<Traffic.Sample> samples = new Traffic.Load(bed.frontend(), 8, Map.of()).stopAfter(REQUESTS);

            assertThat(samples).allMatch(Traffic.Sample::ok);
            // Round robin would give it a third; least connections only what it takes to fill it up.
            assertThat(share(Traffic.perServer(samples, Traffic.Sample::server).getOrDefault(busy.name(), 0L)))
                    .as("share of the busy server")
                    .isLessThan(0.01);
        }
    }

    @Test
    void boundedLoadKeepsEveryServerUnderTheFactorOfTheMean() throws Exception {
        int clients = 24;
        int factorPercent = 125;
        ShopCluster shop = consistentHash("bounded", HashOn.Header);
        shop.getSpec().getStrategy().setBoundedLoadPercent(factorPercent);
        try (DataPlaneBed bed = new DataPlaneBed(shop, null)) {
            bed.allBackends().forEach(backend -> backend.delay(5));

            // One hot key: unbounded, all 24 concurrent requests would pile onto one server.
            List<Traffic.Sample> samples =
                    new Traffic.Load(bed.frontend(), clients, headers(HashOn.Header, "hot")).stopAfter(REQUESTS);

            assertThat(samples).allMatch(Traffic.Sample::ok);
            // HAProxy gives each of N servers ceil((outstanding + 1) × factor) / N slots, rounded up.
            int servers = bed.allBackends().size();
            long bound = (long) Math.ceil(Math.ceil((clients + 1) * factorPercent / 100.0) / servers);
            for (ShopBackend backend : bed.allBackends()) {
                assertThat(backend.peakInFlight())
                        .as("peak concurrent requests on %s", backend.name())
                        .isPositive()
                        .isLessThanOrEqualTo((int) bound);
            }
        }
    }

    private static double share(long count) {
        return (double) count / REQUESTS;
    }
}

package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reconciling an unchanged ShopCluster sends no write request at all: children, status or events. */
class ZeroWritesIT {

    private static final List<String> SHOPS = List.of("plain", "weighted", "standby", "configured");

    @RegisterExtension
    static final OperatorHarness harness = OperatorHarness.withOperatorResyncing("zero-writes", Duration.ofSeconds(1));

    @Test
    void unchangedSpecsCauseNoWritesOverThreeResyncs() {
        harness.createShop("plain", "image: shop:1\nreplicas: 3");
        harness.createShop(
                "weighted",
                "image: shop:1\nstrategy: {type: WeightedRandom}\n"
                        + "pools: [{name: large, replicas: 3, weight: 3}, {name: small, replicas: 1}]");
        harness.createShop(
                "standby",
                "image: shop:1\nreplicas: 2\n"
                        + "strategy: {type: ConsistentHash, hashOn: Header, hashKey: X-Session-Id, boundedLoadPercent: 125}\n"
                        + "highAvailability: {mode: ActiveStandby}");
        // Pod settings, with quantities the API server rewrites (1000m -> 1, 0.5Gi -> 512Mi).
        harness.createShop(
                "configured",
                "image: shop:1\npod: {resources: {limits: {cpu: 1000m, memory: 0.5Gi}}, "
                        + "env: [{name: A, value: b}], preStop: {exec: {command: [sleep, '5']}}, "
                        + "tolerations: [{key: k, operator: Exists}], labels: {team: x}, annotations: {a: b}}\n"
                        + "balancer: {pod: {resources: {limits: {cpu: 500m, memory: 256Mi}}}, serviceAnnotations: {a: b}}");
        List<String> deployments = List.of(
                "plain-main",
                "plain-balancer",
                "weighted-large",
                "weighted-small",
                "weighted-balancer",
                "standby-a",
                "standby-b",
                "standby-balancer",
                "configured-main",
                "configured-balancer");
        harness.awaitDeployments(deployments);
        deployments.forEach(d -> WorkloadSimulator.allReady(harness.client(), harness.namespace(), d));
        await().atMost(Duration.ofSeconds(30)).until(() -> SHOPS.stream().allMatch(ZeroWritesIT::isReady));

        // Settled: from here on, every reconcile is a resync of an unchanged cluster.
        int[] reconcilesBefore =
                SHOPS.stream().mapToInt(harness.operator()::finishedReconciles).toArray();
        long writesBefore = harness.operator().writeRequests();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int i = 0; i < SHOPS.size(); i++) {
                if (harness.operator().finishedReconciles(SHOPS.get(i)) < reconcilesBefore[i] + 3) {
                    return false;
                }
            }
            return true;
        });

        assertThat(harness.operator().writeRequests() - writesBefore)
                .as("write requests during 3 no-op resyncs")
                .isZero();
    }

    private static boolean isReady(String name) {
        return ShopAssertions.isReady(harness.shop(name));
    }
}

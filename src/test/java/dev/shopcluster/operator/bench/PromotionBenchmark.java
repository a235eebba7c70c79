package dev.shopcluster.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.KubeBinaries;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.apiserver.InProcessOperator;
import dev.shopcluster.operator.apiserver.TestApiServer;
import dev.shopcluster.operator.apiserver.TestShops;
import dev.shopcluster.operator.apiserver.Wiring;
import dev.shopcluster.operator.apiserver.WorkloadSimulator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Promotion latency, run by `make bench`: from the end of the grace period (primaryUnreadySince +
 * failoverAfterSeconds) to the moment a watch sees the status report the new primary wired (after the
 * balancer config, primary Service and scale were applied), over repeated failovers against the real
 * API server.
 */
class PromotionBenchmark {

    private static final int FAILOVERS = Integer.getInteger("bench.failovers", 50);
    private static final int GRACE_SECONDS = 1;

    @Test
    void promotionLatency() {
        KubernetesClient client = TestApiServer.client();
        String namespace = TestShops.newNamespace(client, "promotion-bench");
        Map<Slot, Instant> wiredAt = new ConcurrentHashMap<>();
        Map<Slot, Instant> unreadySince = new ConcurrentHashMap<>();
        SharedIndexInformer<ShopCluster> watch =
                client.resources(ShopCluster.class).inNamespace(namespace).inform();
        watch.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ShopCluster shop) {}

            @Override
            public void onUpdate(ShopCluster before, ShopCluster after) {
                Slot current =
                        after.getStatus() == null ? null : after.getStatus().getCurrentPrimary();
                if (current != null && after.getStatus().getPrimaryUnreadySince() != null) {
                    unreadySince.put(current, Instant.parse(after.getStatus().getPrimaryUnreadySince()));
                }
                if (current != null
                        && (before.getStatus() == null || before.getStatus().getCurrentPrimary() != current)) {
                    wiredAt.put(current, Instant.now());
                }
            }

            @Override
            public void onDelete(ShopCluster shop, boolean deletedFinalStateUnknown) {}
        });
        List<Double> latenciesMs = new ArrayList<>();
        try (InProcessOperator operator = InProcessOperator.start(namespace)) {
            TestShops.create(
                    client,
                    namespace,
                    "bench",
                    "image: shop:1\nreplicas: 2\n"
                            + "highAvailability: {mode: ActiveStandby, standbyReplicas: 1, failoverAfterSeconds: "
                            + GRACE_SECONDS + "}");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> client.apps()
                                    .deployments()
                                    .inNamespace(namespace)
                                    .withName("bench-balancer")
                                    .get()
                            != null);
            for (String d : List.of("bench-a", "bench-b", "bench-balancer")) {
                WorkloadSimulator.allReady(client, namespace, d);
            }
            Slot primary = Slot.A;
            for (int i = 0; i < FAILOVERS; i++) {
                Slot current = primary;
                Slot next = primary.other();
                await().atMost(Duration.ofSeconds(30))
                        .ignoreExceptions()
                        .until(() -> Wiring.observe(client, namespace, "bench").settledOn(current));
                WorkloadSimulator.allReady(client, namespace, "bench-" + next.id());
                wiredAt.remove(next);
                unreadySince.remove(current);
                WorkloadSimulator.ready(client, namespace, "bench-" + current.id(), 0);
                await().atMost(Duration.ofSeconds(30)).until(() -> wiredAt.containsKey(next));
                Instant graceEnd = unreadySince.get(current).plusSeconds(GRACE_SECONDS);
                latenciesMs.add(Duration.between(graceEnd, wiredAt.get(next)).toNanos() / 1e6);
                WorkloadSimulator.allReady(client, namespace, "bench-" + primary.id());
                primary = next;
            }
            var timer = operator.meters().get("shop.promotion.duration").timer();
            latenciesMs.sort(Double::compare);
            System.out.printf(
                    """

                    ==== Promotion benchmark: %d failovers, failoverAfterSeconds=%d, in-process operator, kube-apiserver %s
                    end of grace -> new primary wired (status observed): p50 %.0f ms, p99 %.0f ms, max %.0f ms
                    operator's own promotion timer (decision -> wired): mean %.0f ms, max %.0f ms over %d
                    ====
                    """,
                    FAILOVERS,
                    GRACE_SECONDS,
                    KubeBinaries.version(),
                    percentile(latenciesMs, 50),
                    percentile(latenciesMs, 99),
                    latenciesMs.get(latenciesMs.size() - 1),
                    timer.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                    timer.max(java.util.concurrent.TimeUnit.MILLISECONDS),
                    timer.count());
            assertThat(latenciesMs).hasSize(FAILOVERS);
        } finally {
            watch.close();
        }
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}

package dev.shopcluster.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.KubeBinaries;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.apiserver.TestApiServer;
import dev.shopcluster.operator.apiserver.TestShops;
import dev.shopcluster.operator.apiserver.WorkloadSimulator;
import dev.shopcluster.operator.e2e.PackagedOperator;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Control-plane benchmark, run by `make bench`: the packaged operator (its own JVM, as deployed)
 * against a real kube-apiserver. Prints figures; asserts only that the work it measures happened.
 */
class OperatorBenchmark {

    private static final int SHOPS = Integer.getInteger("bench.shops", 100);
    private static final Duration RESYNC = Duration.ofSeconds(5);
    /** Sized as in a pod with a 512 MiB limit: the JVM picks heap and GC from that, not from the host. */
    private static final String OPERATOR_MEMORY_LIMIT = "512m";

    private final KubernetesClient client = TestApiServer.client();
    private final OperatorProbe probe = new OperatorProbe(client);

    @Test
    void controlPlaneFigures() throws Exception {
        OperatorProbe.widenServiceRange(client);
        String namespace = TestShops.newNamespace(client, "bench");
        Map<String, Long> firstSeen = new ConcurrentHashMap<>();
        List<SharedIndexInformer<? extends HasMetadata>> informers = List.of(
                record(client.apps().deployments().inNamespace(namespace).inform(), firstSeen),
                record(client.services().inNamespace(namespace).inform(), firstSeen),
                record(client.configMaps().inNamespace(namespace).inform(), firstSeen),
                record(
                        client.policy()
                                .v1()
                                .podDisruptionBudget()
                                .inNamespace(namespace)
                                .inform(),
                        firstSeen));
        TestShops.create(client, namespace, "warmup", "image: shop:1\nreplicas: 2");

        long launched = System.nanoTime();
        PackagedOperator operator = PackagedOperator.start(
                TestApiServer.kubeconfig(),
                Path.of("target/bench-operator.log"),
                OPERATOR_MEMORY_LIMIT,
                OperatorProbe.benchmarkEnvironment(RESYNC));
        int metricsPort = operator.httpPort();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> firstSeen.containsKey("Deployment/warmup-main"));
            double startToFirstReconcile = (firstSeen.get("Deployment/warmup-main") - launched) / 1e9;

            Map<String, Long> created = new ConcurrentHashMap<>();
            for (int i = 0; i < SHOPS; i++) {
                String name = "shop-" + i;
                created.put(name, System.nanoTime());
                TestShops.create(client, namespace, name, "image: shop:1\nreplicas: 2");
            }
            List<Double> latencies = new ArrayList<>();
            await().atMost(Duration.ofMinutes(5)).until(() -> created.keySet().stream()
                    .allMatch(name -> children(name).stream().allMatch(firstSeen::containsKey)));
            for (var shop : created.entrySet()) {
                long allPresent = children(shop.getKey()).stream()
                        .mapToLong(firstSeen::get)
                        .max()
                        .orElseThrow();
                latencies.add((allPresent - shop.getValue()) / 1e6);
            }
            latencies.sort(Double::compare);

            client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .list()
                    .getItems()
                    .forEach(d -> WorkloadSimulator.allReady(
                            client, namespace, d.getMetadata().getName()));
            await().atMost(Duration.ofMinutes(5))
                    .until(() -> client.resources(ShopCluster.class).inNamespace(namespace).list().getItems().stream()
                            .allMatch(s -> s.getStatus() != null
                                    && Conditions.isTrue(s.getStatus().getConditions(), ConditionTypes.READY)));

            // Settled. Every reconcile from here on is a resync of an unchanged ShopCluster.
            double reconcilesBefore = probe.reconciles(metricsPort);
            double writesBefore = probe.operatorWrites();
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> probe.reconciles(metricsPort) >= reconcilesBefore + 3.0 * created.size());
            double noOpWrites = probe.operatorWrites() - writesBefore;
            double noOpReconciles = probe.reconciles(metricsPort) - reconcilesBefore;
            long[] rss = OperatorProbe.rssKiB(operator.pid());

            System.out.printf(
                    """

                    ==== Operator benchmark: packaged operator JVM vs kube-apiserver %s (kube-api-test), %d cores
                    operator start to first reconcile            : %.2f s
                    create -> all children present (%d shops)    : p50 %.0f ms, p99 %.0f ms, max %.0f ms
                    write requests during 3 no-op resyncs of %d  : %.0f (over %.0f reconciles)
                    operator RSS with %d shops                   : %d MiB (peak %d MiB; JVM sized for a %s limit)
                    ====
                    """,
                    KubeBinaries.version(),
                    Runtime.getRuntime().availableProcessors(),
                    startToFirstReconcile,
                    SHOPS,
                    percentile(latencies, 50),
                    percentile(latencies, 99),
                    latencies.get(latencies.size() - 1),
                    SHOPS,
                    noOpWrites,
                    noOpReconciles,
                    SHOPS,
                    rss[0] / 1024,
                    rss[1] / 1024,
                    OPERATOR_MEMORY_LIMIT);
            assertThat(latencies).hasSize(SHOPS);
            assertThat(noOpReconciles).isGreaterThanOrEqualTo(3.0 * SHOPS);
        } finally {
            operator.close();
            informers.forEach(SharedIndexInformer::close);
        }
    }

    private static List<String> children(String shop) {
        return List.of(
                "Service/" + shop + "-main",
                "Deployment/" + shop + "-main",
                "ConfigMap/" + shop + "-balancer",
                "Deployment/" + shop + "-balancer",
                "Service/" + shop,
                "PodDisruptionBudget/" + shop,
                "PodDisruptionBudget/" + shop + "-balancer");
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> record(
            SharedIndexInformer<T> informer, Map<String, Long> firstSeen) {
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                firstSeen.putIfAbsent(obj.getKind() + "/" + obj.getMetadata().getName(), System.nanoTime());
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {}

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
        });
        return informer;
    }

    private static double percentile(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}

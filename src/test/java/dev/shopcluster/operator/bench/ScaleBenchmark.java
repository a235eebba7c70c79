package dev.shopcluster.operator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.apiserver.TestApiServer;
import dev.shopcluster.operator.apiserver.TestShops;
import dev.shopcluster.operator.apiserver.WorkloadSimulator;
import dev.shopcluster.operator.e2e.PackagedOperator;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * How the control plane grows with the number of ShopClusters, run by `make bench-scale`: for each size,
 * the shops exist first, then the packaged operator starts cold (its own JVM, sized and configured as the
 * Helm chart runs it) against a real kube-apiserver, and the benchmark measures the time to all children,
 * to all Ready (pods played by {@link WorkloadSimulator}), the writes and CPU of three no-op resyncs, and
 * memory. Once, it adds thousands of objects the operator does not own and measures its memory again.
 */
class ScaleBenchmark {

    private static final List<Integer> SIZES = Arrays.stream(
                    System.getProperty("bench.scale.shops", "100,1000,3000").split(","))
            .map(String::trim)
            .map(Integer::valueOf)
            .toList();
    private static final int UNRELATED = Integer.getInteger("bench.scale.unrelated", 5000);
    private static final Duration RESYNC = Duration.ofSeconds(30);
    private static final String OPERATOR_MEMORY_LIMIT = "512m";
    private static final int CLIENT_THREADS = 8;

    private final KubernetesClient client = TestApiServer.client();
    private final OperatorProbe probe = new OperatorProbe(client);
    private final ExecutorService pool = Executors.newFixedThreadPool(CLIENT_THREADS);

    /** One row of the growth table. */
    record Row(
            int shops,
            double childrenSeconds,
            double readySeconds,
            double noOpWrites,
            double noOpReconciles,
            long rssMiB,
            long peakRssMiB,
            double cpuMillisPerNoOpReconcile,
            long liveHeapMiB,
            long outOfMemoryErrors) {}

    @Test
    void growthTable() throws Exception {
        OperatorProbe.widenServiceRange(client);
        List<Row> rows = new ArrayList<>();
        String unrelatedReport = null;
        for (int size : SIZES) {
            boolean withUnrelated = unrelatedReport == null && (size >= 1000 || size == SIZES.get(SIZES.size() - 1));
            boolean another = size != SIZES.get(SIZES.size() - 1);
            Measured measured = measure(size, withUnrelated, another);
            rows.add(measured.row);
            System.out.println(
                    "measured " + measured.row + (measured.unrelated == null ? "" : "; " + measured.unrelated));
            if (measured.unrelated != null) {
                unrelatedReport = measured.unrelated;
            }
        }
        pool.shutdownNow();

        StringBuilder table = new StringBuilder();
        table.append(
                """

                ==== Scale benchmark: packaged operator JVM (chart's JVM options, %s limit) vs kube-apiserver %s, %d cores, \
                load average %s
                shops | children present | all Ready | writes in 3 no-op resyncs | RSS (peak)        | live heap | CPU per no-op reconcile | OOM
                """
                        .formatted(
                                OPERATOR_MEMORY_LIMIT,
                                System.getProperty("kube.version", "1.34.4"),
                                Runtime.getRuntime().availableProcessors(),
                                Files.readString(Path.of("/proc/loadavg")).trim()));
        for (Row r : rows) {
            table.append(
                    "%5d | %14.1f s | %7.1f s | %6.0f (%5.0f reconciles)  | %4d MiB (%4d MiB) | %5d MiB | %19.2f ms | %d%n"
                            .formatted(
                                    r.shops,
                                    r.childrenSeconds,
                                    r.readySeconds,
                                    r.noOpWrites,
                                    r.noOpReconciles,
                                    r.rssMiB,
                                    r.peakRssMiB,
                                    r.liveHeapMiB,
                                    r.cpuMillisPerNoOpReconcile,
                                    r.outOfMemoryErrors));
        }
        if (unrelatedReport != null) {
            table.append(unrelatedReport).append('\n');
        }
        table.append("====\n");
        System.out.print(table);
        assertThat(rows).allSatisfy(r -> assertThat(r.noOpReconciles).isGreaterThanOrEqualTo(3.0 * r.shops));
    }

    private record Measured(Row row, String unrelated) {}

    /** @param clearAfter whether to delete the shops and their children, so the next size starts clean */
    private Measured measure(int shops, boolean withUnrelated, boolean clearAfter) throws Exception {
        String namespace = TestShops.newNamespace(client, "scale-" + shops);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < shops; i++) {
            names.add("shop-" + i);
        }
        parallel(names, name -> TestShops.create(client, namespace, name, "image: shop:1\nreplicas: 2"));
        List<SharedIndexInformer<? extends HasMetadata>> childInformers = List.of(
                client.apps().deployments().inNamespace(namespace).inform(),
                client.services().inNamespace(namespace).inform(),
                client.configMaps().inNamespace(namespace).inform(),
                client.policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace(namespace)
                        .inform());
        Path log = Path.of("target/bench-scale-operator-" + shops + ".log");

        long launched = System.nanoTime();
        PackagedOperator operator = PackagedOperator.start(
                TestApiServer.kubeconfig(), log, OPERATOR_MEMORY_LIMIT, OperatorProbe.benchmarkEnvironment(RESYNC));
        try {
            long expectedChildren = 7L * shops;
            await().atMost(Duration.ofMinutes(15))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> childInformers.stream()
                                    .mapToLong(i -> i.getStore().list().size())
                                    .sum()
                            >= expectedChildren);
            double childrenSeconds = (System.nanoTime() - launched) / 1e9;

            // The workload simulator plays the Deployment controller and kubelet: it makes every Deployment
            // that lacks an up-to-date status ready, again on each look, as a controller reacts to objects
            // that appear or change while it works.
            await().atMost(Duration.ofMinutes(15))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        parallel(
                                client.apps().deployments().inNamespace(namespace).list().getItems().stream()
                                        .filter(ScaleBenchmark::lacksReadyStatus)
                                        .toList(),
                                d -> WorkloadSimulator.allReady(
                                        client, namespace, d.getMetadata().getName()));
                        List<ShopCluster> listed = client.resources(ShopCluster.class)
                                .inNamespace(namespace)
                                .list()
                                .getItems();
                        return listed.size() == shops
                                && listed.stream()
                                        .allMatch(s -> s.getStatus() != null
                                                && Conditions.isTrue(
                                                        s.getStatus().getConditions(), ConditionTypes.READY));
                    });
            double readySeconds = (System.nanoTime() - launched) / 1e9;

            // Settled. Every reconcile from here on is a resync of an unchanged ShopCluster.
            double reconcilesBefore = probe.reconciles(operator.httpPort());
            double writesBefore = probe.operatorWrites();
            double cpuBefore = OperatorProbe.cpuSeconds(operator.pid());
            await().atMost(Duration.ofMinutes(15))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> probe.reconciles(operator.httpPort()) >= reconcilesBefore + 3.0 * names.size());
            double cpu = OperatorProbe.cpuSeconds(operator.pid()) - cpuBefore;
            double noOpWrites = probe.operatorWrites() - writesBefore;
            double noOpReconciles = probe.reconciles(operator.httpPort()) - reconcilesBefore;
            long[] rss = OperatorProbe.rssKiB(operator.pid());
            long liveHeap = OperatorProbe.liveHeapKiB(operator.pid());
            System.out.println(
                    "heap histogram with " + shops + " shops (target/bench-scale-histogram-" + shops + ".txt):\n"
                            + OperatorProbe.histogram(
                                    operator.pid(), Path.of("target/bench-scale-histogram-" + shops + ".txt"), 18));

            String unrelated = withUnrelated ? unrelatedObjects(operator, shops, liveHeap, rss[0]) : null;
            long ooms = Files.readString(log)
                    .lines()
                    .filter(l -> l.contains("java.lang.OutOfMemoryError"))
                    .count();
            Row row = new Row(
                    shops,
                    childrenSeconds,
                    readySeconds,
                    noOpWrites,
                    noOpReconciles,
                    rss[0] / 1024,
                    rss[1] / 1024,
                    cpu * 1000 / noOpReconciles,
                    liveHeap / 1024,
                    ooms);
            return new Measured(row, unrelated);
        } finally {
            operator.close();
            childInformers.forEach(SharedIndexInformer::close);
            if (clearAfter) {
                clear(namespace);
            }
        }
    }

    /**
     * Adds pods, ConfigMaps and Services the operator does not own (no managed-by label, another
     * namespace), waits for two resyncs of every shop, and compares the operator's memory.
     */
    private String unrelatedObjects(PackagedOperator operator, int shops, long liveHeapBefore, long rssBefore)
            throws Exception {
        String namespace = TestShops.newNamespace(client, "unrelated");
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < UNRELATED; i++) {
            indexes.add(i);
        }
        Map<String, String> labels = Map.of("app.kubernetes.io/name", "someone-else");
        parallel(indexes, i -> {
            client.pods()
                    .inNamespace(namespace)
                    .resource(new PodBuilder()
                            .withNewMetadata()
                            .withName("other-" + i)
                            .withLabels(labels)
                            .endMetadata()
                            .withNewSpec()
                            .addNewContainer()
                            .withName("app")
                            .withImage("other:1")
                            .endContainer()
                            .endSpec()
                            .build())
                    .create();
            client.configMaps()
                    .inNamespace(namespace)
                    .resource(new ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("other-" + i)
                            .withLabels(labels)
                            .endMetadata()
                            .addToData("config", "x".repeat(512))
                            .build())
                    .create();
            client.services()
                    .inNamespace(namespace)
                    .resource(new ServiceBuilder()
                            .withNewMetadata()
                            .withName("other-" + i)
                            .withLabels(labels)
                            .endMetadata()
                            .withNewSpec()
                            .withSelector(labels)
                            .addNewPort()
                            .withPort(80)
                            .endPort()
                            .endSpec()
                            .build())
                    .create();
        });
        double before = probe.reconciles(operator.httpPort());
        await().atMost(Duration.ofMinutes(10))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> probe.reconciles(operator.httpPort()) >= before + 2.0 * shops);
        long liveHeapAfter = OperatorProbe.liveHeapKiB(operator.pid());
        long rssAfter = OperatorProbe.rssKiB(operator.pid())[0];
        String report =
                "with %d shops, adding %d unrelated Pods, %d ConfigMaps and %d Services: live heap %d -> %d MiB, "
                        + "RSS %d -> %d MiB";
        // Left in place: the operator's informers see only what carries its labels, and deleting thousands
        // of Services takes the API server minutes.
        return report.formatted(
                shops,
                UNRELATED,
                UNRELATED,
                UNRELATED,
                liveHeapBefore / 1024,
                liveHeapAfter / 1024,
                rssBefore / 1024,
                rssAfter / 1024);
    }

    /**
     * Deletes what a size left behind (this tier runs no namespace or garbage collector). Deleting
     * thousands of Services outlasts the client's 10 s request timeout, so a timeout is followed by
     * waiting until the objects are gone.
     */
    private void clear(String namespace) {
        deleteAll(client.resources(ShopCluster.class).inNamespace(namespace));
        deleteAll(client.apps().deployments().inNamespace(namespace));
        deleteAll(client.services().inNamespace(namespace));
        deleteAll(client.configMaps().inNamespace(namespace));
        deleteAll(client.policy().v1().podDisruptionBudget().inNamespace(namespace));
        // No kubelet confirms a graceful deletion here.
        deleteAll(
                client.pods().inNamespace(namespace),
                () -> client.pods().inNamespace(namespace).withGracePeriod(0).delete());
        deleteAll(client.v1().events().inNamespace(namespace));
    }

    private static void deleteAll(NonNamespaceOperation<?, ? extends KubernetesResourceList<?>, ?> kind) {
        deleteAll(kind, kind::delete);
    }

    private static void deleteAll(
            NonNamespaceOperation<?, ? extends KubernetesResourceList<?>, ?> kind, Runnable delete) {
        try {
            delete.run();
        } catch (KubernetesClientException timedOut) {
            await().atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> kind.list(
                                    new ListOptionsBuilder().withLimit(1L).build())
                            .getItems()
                            .isEmpty());
        }
    }

    private <T> void parallel(List<T> items, Consumer<T> action) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        for (T item : items) {
            futures.add(pool.submit(() -> action.accept(item)));
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }

    private static boolean lacksReadyStatus(Deployment deployment) {
        var status = deployment.getStatus();
        return status == null
                || !Objects.equals(
                        status.getObservedGeneration(), deployment.getMetadata().getGeneration())
                || !Objects.equals(
                        status.getReadyReplicas(), deployment.getSpec().getReplicas());
    }
}

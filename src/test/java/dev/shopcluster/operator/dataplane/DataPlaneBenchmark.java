package dev.shopcluster.operator.dataplane;

import static dev.shopcluster.operator.ShopFixtures.activeStandby;
import static dev.shopcluster.operator.ShopFixtures.shop;
import static dev.shopcluster.operator.ShopFixtures.withPools;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.CLIENTS;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.PRIMARY_A;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.awaitMore;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.consistentHash;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.fast;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.headers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.HashOn;
import dev.shopcluster.operator.api.PoolSpec;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.StrategyType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Data-plane figures, run by `make bench-dataplane`: where each strategy sends 10,000 requests, how long
 * the standby takes over when every primary dies (and how many requests fail), and HAProxy's throughput
 * against going straight to the backends, in the same run, on loopback.
 */
class DataPlaneBenchmark {

    static final int REQUESTS = 10_000;
    static final int FAILOVERS = Integer.getInteger("bench.failovers", 5);
    static final int FAULT_RUNS = Integer.getInteger("bench.faultRuns", 4);
    static final int CONNECTIONS = 8;
    static final Duration THROUGHPUT_RUN = Duration.ofSeconds(Integer.getInteger("bench.seconds", 5));

    @Test
    void dataPlaneFigures() throws Exception {
        StringBuilder report = new StringBuilder();
        report.append("==== Data-plane benchmark: haproxy %s, dnsmasq, JDK HTTP backends on loopback, %d cores%n"
                .formatted(Tools.version(Tools.haproxy()), Runtime.getRuntime().availableProcessors()));
        report.append("-- share of %,d requests per server (strategy: server share ...)%n".formatted(REQUESTS));
        distribution(report, "RoundRobin", fast(shop("rr"), StrategyType.RoundRobin), i -> Map.of());
        distribution(report, "Random", fast(shop("random"), StrategyType.Random), i -> Map.of());
        distribution(
                report,
                "WeightedRandom, pools 1:3",
                fast(
                        withPools("weighted", new PoolSpec("light", 2, 1), new PoolSpec("heavy", 2, 3)),
                        StrategyType.WeightedRandom),
                i -> Map.of());
        distribution(report, "LeastConnections", fast(shop("leastconn"), StrategyType.LeastConnections), i -> Map.of());
        distribution(report, "PowerOfTwoChoices", fast(shop("p2c"), StrategyType.PowerOfTwoChoices), i -> Map.of());
        distribution(
                report,
                "ConsistentHash Header, 10,000 keys",
                consistentHash("chash", HashOn.Header),
                i -> headers(HashOn.Header, "session-" + i));
        distribution(report, "IPHash, one source address", fast(shop("iphash"), StrategyType.IPHash), i -> Map.of());

        report.append(
                "-- hash ring, 3 -> 4 pods, %,d keys: keys moved by the new pod (goal <= %.0f%%); keys the running "
                                .formatted(HashRingIT.KEYS, 100 * HashRingIT.MOVED_FACTOR / 4)
                        + "replica and one started after, with the pods in another order, send to the same pod (goal >= %.0f%%)%n"
                                .formatted(100 * HashRingIT.AGREEMENT));
        for (HashOn hashOn : new HashOn[] {null, HashOn.SourceIP, HashOn.URI, HashOn.Header, HashOn.Cookie}) {
            StrategyType strategy = hashOn == null ? StrategyType.IPHash : StrategyType.ConsistentHash;
            ShopCluster shop = HashRingIT.hashed(strategy, hashOn, hashOn == HashOn.Header ? 125 : null);
            try (DataPlaneBed bed = new DataPlaneBed(shop, null)) {
                HashRingIT.Histories histories = HashRingIT.scaleUpWithTwoReplicas(bed, shop, hashOn);
                long moved = IntStream.range(0, HashRingIT.KEYS)
                        .filter(i -> !histories
                                .threePods()
                                .get(i)
                                .equals(histories.fourPods().get(i)))
                        .count();
                report.append("   %-36s moved %.1f%%, same pod on both replicas %.1f%%%n"
                        .formatted(
                                strategy
                                        + (hashOn == null ? "" : " " + hashOn)
                                        + (shop.getSpec().getStrategy().getBoundedLoadPercent() == null
                                                ? ""
                                                : ", bounded 125%"),
                                100.0 * moved / HashRingIT.KEYS,
                                100 * HashRingIT.sameShare(histories.fourPods(), histories.otherReplica())));
            }
        }

        List<StandbyTakeover> takeovers = new ArrayList<>();
        for (int i = 0; i < FAILOVERS; i++) {
            try (DataPlaneBed bed = new DataPlaneBed(fast(activeStandby("pay"), StrategyType.RoundRobin), PRIMARY_A)) {
                Traffic.Load load = new Traffic.Load(bed.frontend(), CLIENTS, Map.of());
                awaitMore(load, 1_000);
                takeovers.add(StandbyTakeover.kill(bed, load));
            }
        }
        List<Long> gaps =
                takeovers.stream().map(t -> t.gap().toMillis()).sorted().toList();
        report.append("-- ActiveStandby, all 3 primaries killed under load (%d clients), %d runs%n"
                .formatted(CLIENTS, FAILOVERS));
        report.append("   standby's first answer after the kill: median %d ms, max %d ms%n"
                .formatted(gaps.get(gaps.size() / 2), gaps.get(gaps.size() - 1)));
        report.append("   failed requests sent after the kill: %d; in flight at the kill and cut off: %d; of %,d%n"
                .formatted(
                        takeovers.stream().mapToLong(StandbyTakeover::failed).sum(),
                        takeovers.stream().mapToLong(StandbyTakeover::cutOff).sum(),
                        takeovers.stream().mapToLong(StandbyTakeover::requests).sum()));

        report.append(
                "-- ActiveStandby with the defaults a user gets (2 primaries, 1 standby), both primaries failing at "
                        + "once under %d sequential GET/s, %d runs each: longest gap between answers; failed requests%n"
                                .formatted(PrimaryFault.REQUESTS_PER_SECOND, FAULT_RUNS));
        faultFigures(report, "connections refused (goal 250 ms)", PrimaryFaultsIT::refused);
        faultFigures(report, "packets dropped (goal 1 s)", PrimaryFaultsIT::dropped);
        faultFigures(report, "process hung (goal 2 s)", PrimaryFaultsIT::hung);

        try (DataPlaneBed bed = new DataPlaneBed(fast(shop("throughput"), StrategyType.RoundRobin), null)) {
            List<InetSocketAddress> direct =
                    bed.allBackends().stream().map(bed::direct).toList();
            report.append("-- throughput, %d keep-alive connections for %d s each, 3 backends%n"
                    .formatted(CONNECTIONS, THROUGHPUT_RUN.toSeconds()));
            // 0 ms: CPU-bound backends, so HAProxy competes with them and the client for the same cores.
            for (long serviceMillis : new long[] {0, 1}) {
                bed.allBackends().forEach(backend -> backend.delay(serviceMillis));
                double directRate = throughput(i -> direct.get(i % direct.size()));
                double haproxyRate = throughput(i -> bed.frontend());
                report.append(
                        "   backends answering in %d ms: direct %,.0f req/s; through HAProxy %,.0f req/s; ratio %.2f%n"
                                .formatted(serviceMillis, directRate, haproxyRate, haproxyRate / directRate));
            }
        }
        report.append("====\n");
        System.out.print(report);
        assertThat(takeovers).hasSize(FAILOVERS);
    }

    interface FaultRun {
        PrimaryFault run() throws Exception;
    }

    private static void faultFigures(StringBuilder report, String label, FaultRun run) throws Exception {
        List<PrimaryFault> faults = new ArrayList<>();
        for (int i = 0; i < FAULT_RUNS; i++) {
            faults.add(run.run());
        }
        report.append("   %-36s gaps %s ms; failed %d of %,d%n"
                .formatted(
                        label,
                        faults.stream()
                                .map(f -> Long.toString(f.longestGap().toMillis()))
                                .collect(Collectors.joining(", ")),
                        faults.stream().mapToLong(PrimaryFault::failed).sum(),
                        faults.stream().mapToLong(PrimaryFault::requests).sum()));
    }

    private static void distribution(
            StringBuilder report, String label, ShopCluster shop, IntFunction<Map<String, String>> headers)
            throws IOException {
        try (DataPlaneBed bed = new DataPlaneBed(shop, null)) {
            Map<String, Long> perServer =
                    Traffic.perServer(Traffic.sequential(bed.frontend(), REQUESTS, i -> "/", headers));
            report.append("   %-36s %s%n"
                    .formatted(
                            label,
                            perServer.entrySet().stream()
                                    .map(e -> "%s %.1f%%".formatted(e.getKey(), 100.0 * e.getValue() / REQUESTS))
                                    .collect(Collectors.joining("  "))));
        }
    }

    /**
     * Requests per second over {@link #CONNECTIONS} keep-alive connections, connection i to {@code target(i)}.
     * A connection that fails with an IOException fails the run, instead of being lost on its thread.
     */
    private static double throughput(IntFunction<InetSocketAddress> target) throws InterruptedException, IOException {
        AtomicLong completed = new AtomicLong();
        long end = System.nanoTime() + THROUGHPUT_RUN.toNanos();
        List<Callable<Void>> clients = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            InetSocketAddress address = target.apply(i);
            clients.add(() -> {
                try (HttpConnection connection = new HttpConnection(address, null)) {
                    while (System.nanoTime() < end && connection.open()) {
                        if (connection.send("/", Map.of(), true).ok()) {
                            completed.incrementAndGet();
                        }
                    }
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            for (Future<Void> client : pool.invokeAll(clients)) {
                client.get();
            }
        } catch (ExecutionException e) {
            throw new IOException("a benchmark connection failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return completed.get() / (THROUGHPUT_RUN.toNanos() / 1e9);
    }
}

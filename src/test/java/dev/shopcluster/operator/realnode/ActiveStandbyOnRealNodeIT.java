package dev.shopcluster.operator.realnode;

import static dev.shopcluster.operator.realnode.ShopsOnRealNode.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.ReadyEndpoints;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.api.StrategyType;
import dev.shopcluster.operator.reconciler.ShopClusterReconciler;
import dev.shopcluster.operator.resources.ShopLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ActiveStandby on the real node, under steady load from a pod through the shop's Service: the primary
 * slot's containers killed, a planned switchover, and a change that alters only haproxy.cfg. Each is
 * measured as users see it, in traffic, and the figures are printed at the end (`make bench-e2e`).
 * The assertions are the behaviour; the figures are for reading, not asserted.
 */
@ExtendWith(RealNode.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActiveStandbyOnRealNodeIT {

    private static final String SHOP = "payments";
    private static final int RATE = 50;
    /**
     * A rendered config reaches a running balancer pod when the kubelet refreshes its ConfigMap volume:
     * at once when the operator annotates the pod, else on the pod's periodic sync (syncFrequency 1 min
     * on this node, plus jitter). The bound covers the slow path.
     */
    private static final Duration CONFIG_DELIVERY = Duration.ofMinutes(3);
    /** Config-only changes made in a row: a few in `make test`, more for `make bench-e2e`'s percentiles. */
    private static final int CONFIG_CHANGES = Integer.getInteger("realnode.config-changes", 3);
    /** Planned switchovers made in a row, the same way. */
    private static final int SWITCHOVERS = Integer.getInteger("realnode.switchovers", 1);

    private static final List<String> FIGURES = new ArrayList<>();
    private static KubernetesClient client;

    @BeforeAll
    static void install() {
        client = RealNode.client();
        ShopsOnRealNode.ensureInstalled();
    }

    @AfterAll
    static void printFigures() {
        System.out.println(
                "==== real node: ActiveStandby through the Service, " + RATE + " requests/s from a pod ====");
        FIGURES.forEach(System.out::println);
        System.out.println("====");
    }

    @Test
    @Order(1)
    void killedPrimaryContainersArePromotedAwayAndTrafficFollows() {
        ShopsOnRealNode.awaitReady(SHOP);
        Slot old = shop().getStatus().getCurrentPrimary();
        Slot promoted = old.other();
        LoadGenerator load = LoadGenerator.start(
                client, NAMESPACE, "load-failover", serviceUrl(), RATE, Duration.ofMinutes(6), null);
        try (Probe decided = Probe.first(() -> shop().getStatus().getTargetPrimary() == promoted)) {
            awaitServedBy(load, old);
            // Kill the primary's containers, and again whenever the kubelet restarts them, until the
            // operator decides: a slot that stays down for the grace period, as a lost node would.
            Instant killed = Instant.now();
            AtomicInteger kills = new AtomicInteger();
            await("promotion after the kill")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        for (Pod pod : ShopsOnRealNode.pods(SHOP, old.id())) {
                            kills.addAndGet(RealNode.killContainers(pod));
                        }
                        return decided.at() != null;
                    });
            assertThat(kills.get()).isPositive();
            Instant decision = decided.at();
            Instant reloaded =
                    awaitBalancersServing(killed, () -> shop().getStatus().getCurrentPrimary() == promoted);
            List<LoadGenerator.Response> responses = observeUntilServedOnlyBy(load, promoted, reloaded);

            List<LoadGenerator.Response> afterKill = sentAfter(responses, killed);
            long failed = afterKill.stream().filter(r -> !r.ok()).count();
            FIGURES.add(String.format(
                    Locale.ROOT,
                    "killed primary (slot %s, %d processes killed until the decision):",
                    old.id(),
                    kills.get()));
            FIGURES.add(String.format(
                    Locale.ROOT, "  failed requests after the kill       %d of %d", failed, afterKill.size()));
            List<LoadGenerator.Response> failures =
                    afterKill.stream().filter(r -> !r.ok()).toList();
            if (!failures.isEmpty()) {
                FIGURES.add("    sent "
                        + ms(Duration.between(killed, failures.get(0).sent())) + " to "
                        + ms(Duration.between(
                                killed, failures.get(failures.size() - 1).sent()))
                        + " after the kill; answers: "
                        + failures.stream()
                                .collect(Collectors.groupingBy(
                                        r -> r.status() + " " + r.pod(), TreeMap::new, Collectors.counting())));
            }
            FIGURES.add("  longest gap between answers          " + ms(longestGap(afterKill)));
            FIGURES.add("  kill -> promotion decision           " + ms(Duration.between(killed, decision)));
            addTrafficFigures(responses, promoted, decision, reloaded);
            assertThat(shop().getStatus().getCurrentPrimary()).isEqualTo(promoted);
        } finally {
            load.delete();
        }
    }

    @Test
    @Order(2)
    void switchoverByAnnotationMovesTrafficToTheOtherSlot() {
        ShopsOnRealNode.awaitReady(SHOP);
        LoadGenerator load = LoadGenerator.start(
                client, NAMESPACE, "load-switchover", serviceUrl(), RATE, Duration.ofMinutes(10), null);
        try {
            List<Switchover> switchovers = new ArrayList<>();
            for (int i = 0; i < SWITCHOVERS; i++) {
                switchovers.add(switchOver(load));
            }
            Switchover last = switchovers.get(switchovers.size() - 1);
            FIGURES.add(String.format(
                    Locale.ROOT,
                    "planned switchover (annotation), %d in a row, the last slot %s -> %s:",
                    SWITCHOVERS,
                    last.from().id(),
                    last.from().other().id()));
            addFigure(switchovers, "annotation -> decision              ", Switchover::annotationToDecision);
            FIGURES.add(String.format(
                    Locale.ROOT,
                    "  failed requests after the annotations %d",
                    switchovers.stream().mapToLong(Switchover::failed).sum()));
            FIGURES.add(String.format(
                    Locale.ROOT,
                    "  old slot answered after %s-primary switched: %d requests",
                    SHOP,
                    switchovers.stream().mapToLong(Switchover::oldAfterSwitch).sum()));
            addFigure(switchovers, "decision -> every request on new slot", Switchover::decisionToTraffic);
            addFigure(switchovers, "decision -> config served by every balancer", Switchover::decisionToConfig);
            switchovers.stream()
                    .filter(sw -> sw.oldAfterSwitch() > 0)
                    .forEach(sw -> FIGURES.add("    " + sw.from().id() + " -> "
                            + sw.from().other().id()
                            + ": old slot answered " + sw.oldAfterSwitch() + " requests " + sw.oldAnswersAfterSwitch()
                            + "; reloads (from the decision): " + sw.reloads()));
        } finally {
            load.delete();
        }
    }

    /** What one planned switchover measured. */
    private record Switchover(
            Slot from,
            Duration annotationToDecision,
            Duration decisionToTraffic,
            Duration decisionToConfig,
            long failed,
            long oldAfterSwitch,
            String oldAnswersAfterSwitch,
            String reloads) {}

    private static Switchover switchOver(LoadGenerator load) {
        Slot old = shop().getStatus().getCurrentPrimary();
        Slot target = old.other();
        await().atMost(ShopsOnRealNode.READY_TIMEOUT)
                .until(() -> ShopsOnRealNode.pods(SHOP, target.id()).stream().anyMatch(ShopsOnRealNode::isReady));
        try (Probe decided = Probe.first(() -> shop().getStatus().getTargetPrimary() == target);
                Probe primaryServiceSwitched = Probe.first(() -> primaryServiceSelectsOnly(target))) {
            awaitServedBy(load, old);
            Instant annotated = Instant.now();
            RealNode.kubectl(
                    "-n",
                    NAMESPACE,
                    "annotate",
                    "shop",
                    SHOP,
                    "--overwrite",
                    ShopClusterReconciler.SWITCHOVER_ANNOTATION + "=" + target.id());
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> decided.at() != null && primaryServiceSwitched.at() != null);
            Instant decision = decided.at();
            Instant reloaded =
                    awaitBalancersServing(annotated, () -> shop().getStatus().getCurrentPrimary() == target);
            List<LoadGenerator.Response> responses =
                    sentAfter(observeUntilServedOnlyBy(load, target, reloaded), annotated);
            assertThat(shop().getStatus().getCurrentPrimary()).isEqualTo(target);
            Instant switched = primaryServiceSwitched.at();
            List<LoadGenerator.Response> oldAfterSwitch = sentAfter(responses, switched).stream()
                    .filter(r -> servedBy(r, old))
                    .toList();
            return new Switchover(
                    old,
                    Duration.between(annotated, decision),
                    Duration.between(decision, onlyServedByFrom(responses, target)),
                    Duration.between(decision, reloaded),
                    responses.stream().filter(r -> !r.ok()).count(),
                    oldAfterSwitch.size(),
                    oldAfterSwitch.isEmpty()
                            ? ""
                            : "sent "
                                    + ms(Duration.between(
                                            switched, oldAfterSwitch.get(0).sent())) + " to "
                                    + ms(Duration.between(
                                            switched,
                                            oldAfterSwitch
                                                    .get(oldAfterSwitch.size() - 1)
                                                    .sent()))
                                    + " after the switch (" + ms(Duration.between(decision, switched))
                                    + " after the decision)",
                    balancerPods().stream()
                            .map(pod -> pod.getMetadata().getName() + " "
                                    + servingTimes(pod, annotated).stream()
                                            .map(at -> ms(Duration.between(decision, at)))
                                            .toList())
                            .collect(Collectors.joining(", ")));
        }
    }

    /** One figure over the switchovers: the value itself for one, the median and the maximum for more. */
    private static void addFigure(List<Switchover> switchovers, String name, Function<Switchover, Duration> figure) {
        List<Duration> sorted = switchovers.stream().map(figure).sorted().toList();
        FIGURES.add("  " + name + " "
                + (sorted.size() == 1
                        ? ms(sorted.get(0))
                        : "p50 " + ms(percentile(sorted, 50)) + ", max " + ms(sorted.get(sorted.size() - 1))));
    }

    @Test
    @Order(3)
    void configOnlyChangesAreReloadedWithoutRestartingTheBalancerOrFailingARequest() {
        ShopsOnRealNode.awaitReady(SHOP);
        Map<String, String> balancersBefore = balancerPods().stream()
                .collect(Collectors.toMap(
                        p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
        LoadGenerator load =
                LoadGenerator.start(client, NAMESPACE, "load-config", serviceUrl(), RATE, Duration.ofMinutes(6), null);
        // When this client first sees each write of the balancer's ConfigMap: the operator's write, give or
        // take the watch's delivery (milliseconds on this node).
        List<Instant> configWrites = new CopyOnWriteArrayList<>();
        Watch configWatch = client.configMaps()
                .inNamespace(NAMESPACE)
                .withName(ShopLabels.balancerName(shop()))
                .watch(new Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                        configWrites.add(Instant.now());
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                });
        try {
            awaitServedBy(load, shop().getStatus().getCurrentPrimary());
            Instant firstChange = Instant.now();
            List<Duration> deliveries = new ArrayList<>();
            List<Duration> fromWrite = new ArrayList<>();
            Instant lastReload = firstChange;
            for (int i = 0; i < CONFIG_CHANGES; i++) {
                String hashBefore = shop().getStatus().getBalancerConfigHash();
                StrategyType strategy = shop().getSpec().getStrategy().getType() == StrategyType.LeastConnections
                        ? StrategyType.RoundRobin
                        : StrategyType.LeastConnections;
                Instant changed = Instant.now();
                client.resources(ShopCluster.class)
                        .inNamespace(NAMESPACE)
                        .withName(SHOP)
                        .edit(s -> {
                            s.getSpec().getStrategy().setType(strategy);
                            return s;
                        });
                lastReload = awaitBalancersServing(
                        changed, () -> !Objects.equals(shop().getStatus().getBalancerConfigHash(), hashBefore));
                deliveries.add(Duration.between(changed, lastReload));
                Instant written = configWrites.stream()
                        .filter(at -> at.isAfter(changed))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no write of the balancer's ConfigMap seen"));
                fromWrite.add(Duration.between(written, lastReload));
            }
            // Traffic for a few seconds after the last reload, then the whole run must be clean.
            Instant until = lastReload.plusSeconds(5);
            await().atMost(Duration.ofMinutes(1)).until(() -> Instant.now().isAfter(until));
            List<LoadGenerator.Response> responses = sentAfter(load.responses(), firstChange);

            assertThat(responses).hasSizeGreaterThan(RATE * 5).allSatisfy(r -> assertThat(r.ok())
                    .as("request %d: %s %s", r.seq(), r.status(), r.pod())
                    .isTrue());
            assertThat(balancerPods()).allSatisfy(pod -> {
                assertThat(balancersBefore)
                        .containsEntry(
                                pod.getMetadata().getName(), pod.getMetadata().getUid());
                assertThat(pod.getStatus().getContainerStatuses())
                        .extracting(ContainerStatus::getRestartCount)
                        .containsOnly(0);
            });
            FIGURES.add(String.format(
                    Locale.ROOT,
                    "haproxy.cfg-only changes (strategy RoundRobin <-> LeastConnections), %d in a row:",
                    CONFIG_CHANGES));
            FIGURES.add("  edit -> served by every balancer     " + percentiles(deliveries));
            FIGURES.add("  ConfigMap write -> served by every balancer " + percentiles(fromWrite));
            FIGURES.add(String.format(
                    Locale.ROOT,
                    "  failed requests                      0 of %d; balancer pods kept (same UIDs, 0 restarts)",
                    responses.size()));
        } finally {
            configWatch.close();
            load.delete();
        }
    }

    private static String percentiles(List<Duration> durations) {
        List<Duration> sorted = durations.stream().sorted().toList();
        return String.format(
                Locale.ROOT,
                "p50 %s, p99 %s, max %s",
                ms(percentile(sorted, 50)),
                ms(percentile(sorted, 99)),
                ms(sorted.get(sorted.size() - 1)));
    }

    /** The nearest-rank percentile of sorted durations. */
    private static Duration percentile(List<Duration> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    /**
     * From the decision: when every request sent after it is served by the new slot (negative when the
     * balancer's backup servers already took the traffic before the operator decided), and when the
     * rewired config was served by every balancer pod.
     */
    private static void addTrafficFigures(
            List<LoadGenerator.Response> responses, Slot slot, Instant decision, Instant reloaded) {
        FIGURES.add("  decision -> every request on slot " + slot.id() + "  "
                + ms(Duration.between(decision, onlyServedByFrom(responses, slot))));
        FIGURES.add("  decision -> config served by every balancer " + ms(Duration.between(decision, reloaded)));
    }

    /** Keeps the load running until the config reached every balancer, and after that for 10 s. */
    private static List<LoadGenerator.Response> observeUntilServedOnlyBy(
            LoadGenerator load, Slot slot, Instant reloaded) {
        Instant until = reloaded.plusSeconds(10);
        await().atMost(Duration.ofMinutes(1)).until(() -> Instant.now().isAfter(until));
        List<LoadGenerator.Response> responses = load.responses();
        List<LoadGenerator.Response> settled = sentAfter(responses, reloaded.plusSeconds(2));
        assertThat(settled).isNotEmpty().allSatisfy(r -> assertThat(servedBy(r, slot))
                .as("request %d after the reload: %s %s", r.seq(), r.status(), r.pod())
                .isTrue());
        return responses;
    }

    /** The send time of the first request from which on every request was answered by the slot. */
    private static Instant onlyServedByFrom(List<LoadGenerator.Response> responses, Slot slot) {
        Instant from = responses.get(0).sent();
        for (int i = 0; i < responses.size(); i++) {
            if (!servedBy(responses.get(i), slot)) {
                from = i + 1 < responses.size()
                        ? responses.get(i + 1).sent()
                        : responses.get(i).answered();
            }
        }
        return from;
    }

    /**
     * Once {@code done} holds (the operator finished: a promotion completes only when every balancer
     * serves its config), the time at which the last of the balancer pods began to serve its last config
     * after {@code since}, from the reload sidecars' logs ("serving config HASH", logged once HAProxy
     * answers the new hash on its monitor port). A promotion reloads more than once (fenced, then final),
     * so the last one is the final config.
     */
    private static Instant awaitBalancersServing(Instant since, BooleanSupplier done) {
        AtomicReference<Instant> last = new AtomicReference<>();
        await().atMost(CONFIG_DELIVERY).pollInterval(Duration.ofSeconds(1)).until(() -> {
            if (!done.getAsBoolean()) {
                return false;
            }
            Instant latest = Instant.MIN;
            for (Pod pod : balancerPods()) {
                Instant reload = lastServingAfter(pod, since);
                if (reload == null) {
                    return false;
                }
                latest = reload.isAfter(latest) ? reload : latest;
            }
            last.set(latest);
            return true;
        });
        return last.get();
    }

    private static Instant lastServingAfter(Pod pod, Instant since) {
        List<Instant> times = servingTimes(pod, since);
        return times.isEmpty() ? null : times.get(times.size() - 1);
    }

    /** When the pod's HAProxy began to serve each config after {@code since}, from its reload sidecar's log. */
    private static List<Instant> servingTimes(Pod pod, Instant since) {
        String log = client.pods()
                .inNamespace(NAMESPACE)
                .withName(pod.getMetadata().getName())
                .inContainer("reload")
                .usingTimestamps()
                .getLog();
        List<Instant> times = new ArrayList<>();
        for (String line : log.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(space + 1).startsWith("serving config ")) {
                Instant at = Instant.parse(line.substring(0, space));
                if (at.isAfter(since)) {
                    times.add(at);
                }
            }
        }
        return times;
    }

    private static void awaitServedBy(LoadGenerator load, Slot slot) {
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    List<LoadGenerator.Response> responses = load.recent(RATE);
                    return responses.size() == RATE && responses.stream().allMatch(r -> servedBy(r, slot));
                });
    }

    private static boolean primaryServiceSelectsOnly(Slot slot) {
        List<String> ready = ReadyEndpoints.podNames(client, NAMESPACE, SHOP + "-primary");
        return !ready.isEmpty() && ready.stream().allMatch(name -> name.startsWith(SHOP + "-" + slot.id() + "-"));
    }

    private static boolean servedBy(LoadGenerator.Response response, Slot slot) {
        return response.ok() && response.pod().startsWith(SHOP + "-" + slot.id() + "-");
    }

    private static List<LoadGenerator.Response> sentAfter(List<LoadGenerator.Response> responses, Instant since) {
        return responses.stream().filter(r -> !r.sent().isBefore(since)).toList();
    }

    /** The longest time without an answer: between consecutive successful answers, in answer order. */
    private static Duration longestGap(List<LoadGenerator.Response> responses) {
        List<Instant> answered = responses.stream()
                .filter(LoadGenerator.Response::ok)
                .map(LoadGenerator.Response::answered)
                .sorted()
                .toList();
        Duration longest = Duration.ZERO;
        for (int i = 1; i < answered.size(); i++) {
            Duration gap = Duration.between(answered.get(i - 1), answered.get(i));
            longest = gap.compareTo(longest) > 0 ? gap : longest;
        }
        return longest;
    }

    private static List<Pod> balancerPods() {
        return client
                .pods()
                .inNamespace(NAMESPACE)
                .withLabels(Map.of("app.kubernetes.io/instance", SHOP, "app.kubernetes.io/component", "balancer"))
                .list()
                .getItems()
                .stream()
                .filter(ShopsOnRealNode::isReady)
                .toList();
    }

    private static String serviceUrl() {
        return "http://" + SHOP + "." + NAMESPACE + ".svc.cluster.local:"
                + shop().getSpec().getBalancer().getPort() + "/";
    }

    private static ShopCluster shop() {
        return ShopsOnRealNode.shop(SHOP);
    }

    private static String ms(Duration duration) {
        return String.format(Locale.ROOT, "%,d ms", duration.toMillis());
    }

    /** The first moment a condition held, polled every 200 ms in the background while the test acts. */
    private static final class Probe implements AutoCloseable {

        private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        private final AtomicReference<Instant> at = new AtomicReference<>();

        static Probe first(BooleanSupplier condition) {
            Probe probe = new Probe();
            probe.poller.scheduleWithFixedDelay(
                    () -> {
                        try {
                            if (probe.at.get() == null && condition.getAsBoolean()) {
                                probe.at.set(Instant.now());
                            }
                        } catch (RuntimeException e) {
                            // An API call that failed once is polled again.
                        }
                    },
                    0,
                    200,
                    TimeUnit.MILLISECONDS);
            return probe;
        }

        Instant at() {
            return at.get();
        }

        @Override
        public void close() {
            poller.shutdownNow();
        }
    }
}

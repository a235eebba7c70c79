package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.reconciler.ShopClusterReconciler;
import dev.shopcluster.operator.resources.ShopLabels;
import dev.shopcluster.operator.resources.ShopServices;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Seeded random interleavings of readiness changes, operator restarts, spec edits and switchovers.
 * Every update of the balancer ConfigMaps, the primary Services and the ShopClusters is checked as it
 * is observed: never two primaries. After each seed the cluster must settle with config, Service and
 * status agreeing.
 */
class PromotionChaosIT {

    private static final int SEEDS = Integer.getInteger("chaos.seeds", 100);
    private static final int SEEDS_PER_SHOP = 10;
    private static final Pattern PRIMARY_SERVERS = Pattern.compile("(?m)^\\s*server-template (\\w+)- (?!.*backup).*$");

    @RegisterExtension
    static final OperatorHarness harness = OperatorHarness.withOperator("chaos");

    private static final Queue<String> violations = new ConcurrentLinkedQueue<>();
    private static List<SharedIndexInformer<? extends HasMetadata>> watches;
    private static int restarts;

    /** Started after the harness's operator, before any shop exists, so every update of a shop is seen. */
    @BeforeAll
    static void watchInvariants() {
        watches = List.of(
                watch(
                        harness.client()
                                .configMaps()
                                .inNamespace(harness.namespace())
                                .inform(),
                        PromotionChaosIT::checkConfig),
                watch(
                        harness.client()
                                .services()
                                .inNamespace(harness.namespace())
                                .inform(),
                        PromotionChaosIT::checkPrimaryService),
                watch(
                        harness.client()
                                .resources(ShopCluster.class)
                                .inNamespace(harness.namespace())
                                .inform(),
                        PromotionChaosIT::checkStatus));
    }

    @AfterAll
    static void stopWatching() {
        watches.forEach(SharedIndexInformer::close);
    }

    @Test
    void neverTwoPrimariesAndAlwaysSettles() {
        for (int seed = 0; seed < SEEDS; seed++) {
            String name = "chaos-" + seed / SEEDS_PER_SHOP;
            if (seed % SEEDS_PER_SHOP == 0) {
                HaShops.createReady(harness, name, 1);
            }
            Random random = new Random(seed);
            for (int step = 0; step < 6; step++) {
                randomStep(random, name);
            }
            settle(name, seed);
            assertThat(violations)
                    .as("invariant violations up to seed %d", seed)
                    .isEmpty();
        }
        // The seeds must have exercised what they claim to.
        List<ShopCluster> shops = harness.client()
                .resources(ShopCluster.class)
                .inNamespace(harness.namespace())
                .list()
                .getItems();
        int failovers =
                shops.stream().mapToInt(shop -> shop.getStatus().getFailovers()).sum();
        long switchovers = shops.stream()
                .flatMap(
                        shop -> HaShops.eventReasons(harness, shop.getMetadata().getName()).stream())
                .filter(ConditionTypes.SWITCHED_OVER::equals)
                .count();
        System.out.printf(
                "chaos: %d seeds, %d failovers, %d switchovers, %d operator restarts%n",
                SEEDS, failovers, switchovers, restarts);
        assertThat(failovers).isPositive();
        assertThat(switchovers).isPositive();
        assertThat(restarts).isPositive();
    }

    private static void randomStep(Random random, String name) {
        Slot slot = random.nextBoolean() ? Slot.A : Slot.B;
        switch (random.nextInt(6)) {
            case 0 -> WorkloadSimulator.ready(harness.client(), harness.namespace(), name + "-" + slot.id(), 0);
            case 1 -> WorkloadSimulator.allReady(harness.client(), harness.namespace(), name + "-" + slot.id());
            case 2 -> {
                // Let the grace period run out, so real failovers are part of the mix: wait for a decision.
                Slot target = harness.shop(name).getStatus().getTargetPrimary();
                await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
                    var status = harness.shop(name).getStatus();
                    return status.getTargetPrimary() != target
                            || status.getPrimaryUnreadySince() == null
                            || ConditionTypes.NO_HEALTHY_STANDBY.equals(
                                    Conditions.find(status.getConditions(), ConditionTypes.DEGRADED)
                                            .orElseThrow()
                                            .getReason());
                });
            }
            case 3 -> {
                restarts++;
                harness.restartOperator();
            }
            case 4 -> harness.patchSpec(
                    name,
                    "{\"replicas\": " + (2 + random.nextInt(2)) + ", \"strategy\": {\"type\": \""
                            + (random.nextBoolean() ? "RoundRobin" : "LeastConnections") + "\"}}");
            default -> harness.client()
                    .resources(ShopCluster.class)
                    .inNamespace(harness.namespace())
                    .withName(name)
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"" + ShopClusterReconciler.SWITCHOVER_ANNOTATION + "\":\""
                                    + slot.id() + "\"}}}");
        }
    }

    /** All pods ready again: the harness.operator() must converge on one primary that every object agrees on. */
    private static void settle(String name, int seed) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            for (Slot slot : Slot.values()) {
                WorkloadSimulator.allReady(harness.client(), harness.namespace(), name + "-" + slot.id());
            }
            ShopCluster shop = harness.shop(name);
            Slot current = shop.getStatus().getCurrentPrimary();
            assertThat(Wiring.observe(harness, name).settledOn(current))
                    .as("seed %d settled", seed)
                    .isTrue();
            assertThat(harness.deployment(name + "-" + current.id()).getSpec().getReplicas())
                    .isEqualTo(shop.getSpec().getReplicas());
            assertThat(shop.getMetadata().getAnnotations())
                    .doesNotContainKey(ShopClusterReconciler.SWITCHOVER_ANNOTATION);
        });
    }

    private static void checkConfig(ConfigMap config) {
        String cfg = config.getData() == null ? null : config.getData().get("haproxy.cfg");
        if (cfg == null || !cfg.contains("backup")) {
            return;
        }
        Matcher m = PRIMARY_SERVERS.matcher(cfg);
        int primaries = 0;
        while (m.find()) {
            primaries++;
        }
        if (primaries != 1) {
            violations.add(config.getMetadata().getName() + " has " + primaries + " non-backup slots");
        }
    }

    private static void checkPrimaryService(Service service) {
        if (service.getMetadata().getName().endsWith("-primary")) {
            String group = service.getSpec().getSelector().get(ShopLabels.GROUP);
            // Fenced (no pod) while a promotion is on its way to the balancer pods; else exactly one slot.
            if (!"a".equals(group) && !"b".equals(group) && !ShopServices.FENCED_GROUP.equals(group)) {
                violations.add(service.getMetadata().getName() + " selects group " + group);
            }
        }
    }

    private static void checkStatus(ShopCluster shop) {
        var status = shop.getStatus();
        if (status != null && status.getTargetPrimary() != null && status.getCurrentPrimary() == null) {
            violations.add(shop.getMetadata().getName() + " has a target but no current primary");
        }
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> watch(
            SharedIndexInformer<T> informer, Consumer<T> check) {
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                check.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                check.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
        });
        return informer;
    }
}

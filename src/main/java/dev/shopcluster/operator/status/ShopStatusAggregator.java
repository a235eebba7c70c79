package dev.shopcluster.operator.status;

import static dev.shopcluster.operator.status.ConditionTypes.*;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.ShopClusterStatus;
import dev.shopcluster.operator.ha.HaDecision;
import dev.shopcluster.operator.ha.HaPolicy;
import dev.shopcluster.operator.ha.HaState;
import dev.shopcluster.operator.ha.HaStatus;
import dev.shopcluster.operator.ha.PromotionOutcome;
import dev.shopcluster.operator.resources.BalancerConfigMap;
import dev.shopcluster.operator.resources.DesiredChildren;
import dev.shopcluster.operator.resources.ShopLabels;
import dev.shopcluster.operator.topology.ShopGroup;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Computes a ShopCluster's status from what was observed, and builds every condition it carries. Pure:
 * the same observation gives an equal status, so an unchanged cluster needs no status write.
 */
public final class ShopStatusAggregator {

    private ShopStatusAggregator() {}

    /** The status as observed now; conditions keep their transition times from the shop's current status. */
    public static ShopClusterStatus aggregate(ShopCluster shop, Observation observed, Instant now) {
        ShopClusterStatus previous = Optional.ofNullable(shop.getStatus()).orElseGet(ShopClusterStatus::new);
        Long generation = shop.getMetadata().getGeneration();
        DesiredChildren desired = observed.desired();
        Map<String, Deployment> deployments = observed.deployments();
        List<String> conflicts = observed.conflicts();
        HaDecision ha = observed.promotion().map(PromotionOutcome::decision).orElse(null);
        HaState haState = observed.promotion().map(PromotionOutcome::state).orElse(null);
        List<ShopGroup> serving =
                desired.groups().stream().filter(g -> !g.isBackup()).toList();

        Counts shopPods =
                Counts.of(serving.stream().map(g -> new Expected(deployments.get(g.objectName()), g.replicas())));
        Counts standbyPods = Counts.of(desired.groups().stream()
                .filter(ShopGroup::isBackup)
                .map(g -> new Expected(deployments.get(g.objectName()), g.replicas())));
        Counts balancerPods = Counts.of(java.util.stream.Stream.of(new Expected(
                deployments.get(ShopLabels.balancerName(shop)),
                shop.getSpec().getBalancer().getReplicas())));

        boolean ready =
                conflicts.isEmpty() && observed.rejected().isEmpty() && shopPods.complete() && balancerPods.complete();
        boolean progressing = shopPods.rollingOut || standbyPods.rollingOut || balancerPods.rollingOut;
        String readiness = "shop %d/%d ready, balancer %d/%d ready"
                .formatted(shopPods.ready, shopPods.desired, balancerPods.ready, balancerPods.desired);

        List<Condition> conditions = new ArrayList<>();
        List<Condition> before = previous.getConditions();
        if (!observed.rejected().isEmpty()) {
            String message = "the API server rejected " + String.join("; ", observed.rejected());
            conditions.add(Conditions.next(before, READY, false, CHILD_REJECTED, message, generation, now));
            conditions.add(Conditions.next(before, DEGRADED, true, CHILD_REJECTED, message, generation, now));
        } else if (!conflicts.isEmpty()) {
            String message = "not overwriting objects this ShopCluster does not own: " + String.join(", ", conflicts);
            conditions.add(Conditions.next(before, READY, false, CHILD_CONFLICT, message, generation, now));
            conditions.add(Conditions.next(before, DEGRADED, true, CHILD_CONFLICT, message, generation, now));
        } else {
            conditions.add(Conditions.next(
                    before, READY, ready, ready ? ALL_REPLICAS_READY : REPLICAS_NOT_READY, readiness, generation, now));
            boolean unavailable = !ready && !progressing;
            if (ha != null && ha.noHealthyStandby()) {
                conditions.add(
                        Conditions.next(before, DEGRADED, true, NO_HEALTHY_STANDBY, ha.message(), generation, now));
            } else {
                conditions.add(Conditions.next(
                        before,
                        DEGRADED,
                        unavailable,
                        unavailable ? REPLICAS_UNAVAILABLE : AS_EXPECTED,
                        unavailable ? "rollout finished but not all replicas are ready: " + readiness : readiness,
                        generation,
                        now));
            }
        }
        if (haState != null && Conditions.find(before, FAILED_OVER).isEmpty()) {
            conditions.add(Conditions.next(
                    before,
                    FAILED_OVER,
                    false,
                    NO_FAILOVER,
                    "no failover since the shop was created",
                    generation,
                    now));
        }
        conditions.add(Conditions.next(
                before,
                PROGRESSING,
                progressing,
                progressing ? ROLLOUT_IN_PROGRESS : ROLLOUT_COMPLETE,
                progressing ? "Deployments are rolling out" : "all Deployments are up to date",
                generation,
                now));

        ShopClusterStatus status = new ShopClusterStatus();
        status.setObservedGeneration(generation);
        status.setReplicas(shopPods.existing);
        status.setReadyReplicas(shopPods.ready);
        status.setBalancerConfigHash(BalancerConfigMap.hash(desired.balancerConfig()));
        List<Condition> kept = before;
        if (haState != null) {
            HaStatus.write(haState, HaPolicy.of(shop.getSpec()), status);
            status.setStandbyReadyReplicas(standbyPods.ready);
            status.setSelector(ShopLabels.toSelectorString(
                    ShopLabels.groupSelector(shop, haState.current().id())));
        } else {
            status.setSelector(ShopLabels.toSelectorString(ShopLabels.selector(shop, ShopLabels.COMPONENT_SHOP)));
            kept = before == null
                    ? null
                    : before.stream()
                            .filter(c -> !FAILED_OVER.equals(c.getType()))
                            .toList();
        }
        status.setConditions(Conditions.merge(kept, conditions));
        return status;
    }

    /**
     * Records a new promotion decision in {@code status}, to be written before anything is rewired: the
     * promotion state and the FailedOver condition saying why the target changed.
     *
     * @return that FailedOver condition
     */
    public static Condition recordDecision(
            ShopClusterStatus status, HaDecision decision, HaPolicy policy, Long generation, Instant now) {
        HaStatus.write(decision.state(), policy, status);
        Condition failedOver =
                switch (decision.trigger()) {
                    case FAILOVER -> Conditions.next(
                            status.getConditions(),
                            FAILED_OVER,
                            true,
                            PRIMARY_UNREADY,
                            decision.message(),
                            generation,
                            now);
                    case SWITCHOVER -> Conditions.next(
                            status.getConditions(),
                            FAILED_OVER,
                            false,
                            SWITCHED_OVER,
                            decision.message(),
                            generation,
                            now);
                    case FAILBACK -> Conditions.next(
                            status.getConditions(),
                            FAILED_OVER,
                            false,
                            FAILED_BACK,
                            decision.message(),
                            generation,
                            now);
                    case NONE -> throw new IllegalStateException("a new target always has a trigger");
                };
        status.setConditions(Conditions.merge(status.getConditions(), List.of(failedOver)));
        return failedOver;
    }

    /**
     * Records in {@code status} that the balancer config could not be rendered from the spec: Ready=False
     * and Degraded=True with reason InvalidSpec and the renderer's message, which names the value.
     */
    public static void recordInvalidSpec(ShopClusterStatus status, String message, Long generation, Instant now) {
        List<Condition> before = status.getConditions();
        status.setConditions(Conditions.merge(
                before,
                List.of(
                        Conditions.next(before, READY, false, INVALID_SPEC, message, generation, now),
                        Conditions.next(before, DEGRADED, true, INVALID_SPEC, message, generation, now))));
    }

    /** A Deployment as observed (or null when missing) and the replicas it should have. */
    private record Expected(Deployment deployment, int replicas) {}

    /** Pod counts summed over Deployments, and whether any of them is still rolling out. */
    private record Counts(int desired, int existing, int ready, boolean rollingOut) {

        static Counts of(java.util.stream.Stream<Expected> expected) {
            int desired = 0;
            int existing = 0;
            int ready = 0;
            boolean rollingOut = false;
            for (Expected e : expected.toList()) {
                desired += e.replicas();
                if (e.deployment() == null) {
                    rollingOut = true;
                    continue;
                }
                DeploymentStatus s =
                        Optional.ofNullable(e.deployment().getStatus()).orElseGet(DeploymentStatus::new);
                existing += value(s.getReplicas());
                ready += Math.min(value(s.getReadyReplicas()), e.replicas());
                rollingOut |= !Objects.equals(
                                s.getObservedGeneration(),
                                e.deployment().getMetadata().getGeneration())
                        || value(s.getUpdatedReplicas()) < e.replicas()
                        || value(s.getReplicas()) > e.replicas();
            }
            return new Counts(desired, existing, ready, rollingOut);
        }

        boolean complete() {
            return ready >= desired;
        }

        private static int value(Integer i) {
            return i == null ? 0 : i;
        }
    }
}

package dev.shopcluster.operator.status;

import static dev.shopcluster.operator.ShopFixtures.activeStandby;
import static dev.shopcluster.operator.ShopFixtures.shop;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.FailbackPolicy;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.ShopClusterStatus;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.ha.HaDecision;
import dev.shopcluster.operator.ha.HaPolicy;
import dev.shopcluster.operator.ha.HaState;
import dev.shopcluster.operator.ha.PromotionOutcome;
import dev.shopcluster.operator.resources.DesiredChildren;
import dev.shopcluster.operator.topology.SlotPlan;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ShopStatusAggregatorTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);

    @Test
    void allReplicasReadyMeansReadyNotProgressingNotDegraded() {
        ShopCluster shop = shop("web");
        ShopClusterStatus status = aggregate(shop, Map.of("web-main", ready(3, 3), "web-balancer", ready(2, 2)), T0);

        assertCondition(status, ConditionTypes.READY, "True", ConditionTypes.ALL_REPLICAS_READY);
        assertCondition(status, ConditionTypes.PROGRESSING, "False", ConditionTypes.ROLLOUT_COMPLETE);
        assertCondition(status, ConditionTypes.DEGRADED, "False", ConditionTypes.AS_EXPECTED);
        assertThat(status.getReplicas()).isEqualTo(3);
        assertThat(status.getReadyReplicas()).isEqualTo(3);
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(status.getSelector())
                .isEqualTo(
                        "app.kubernetes.io/component=shop,app.kubernetes.io/instance=web,app.kubernetes.io/name=shop");
        assertThat(status.getBalancerConfigHash()).hasSize(64);
    }

    @Test
    void missingDeploymentsMeanProgressing() {
        ShopClusterStatus status = aggregate(shop("web"), Map.of(), T0);
        assertCondition(status, ConditionTypes.READY, "False", ConditionTypes.REPLICAS_NOT_READY);
        assertCondition(status, ConditionTypes.PROGRESSING, "True", ConditionTypes.ROLLOUT_IN_PROGRESS);
        assertCondition(status, ConditionTypes.DEGRADED, "False", ConditionTypes.AS_EXPECTED);
    }

    @Test
    void finishedRolloutWithUnreadyPodsIsDegraded() {
        ShopClusterStatus status =
                aggregate(shop("web"), Map.of("web-main", ready(3, 1), "web-balancer", ready(2, 2)), T0);
        assertCondition(status, ConditionTypes.DEGRADED, "True", ConditionTypes.REPLICAS_UNAVAILABLE);
        assertThat(find(status, ConditionTypes.READY).getMessage()).isEqualTo("shop 1/3 ready, balancer 2/2 ready");
    }

    @Test
    void conflictsMakeItNotReadyAndDegradedNamingTheObject() {
        ShopCluster shop = shop("web");
        ShopClusterStatus status = ShopStatusAggregator.aggregate(
                shop,
                Observation.of(
                        DesiredChildren.of(shop, null, "cluster.local"),
                        Map.of("web-main", ready(3, 3), "web-balancer", ready(2, 2)),
                        List.of("ConfigMap/web-balancer")),
                T0);
        assertCondition(status, ConditionTypes.READY, "False", ConditionTypes.CHILD_CONFLICT);
        assertCondition(status, ConditionTypes.DEGRADED, "True", ConditionTypes.CHILD_CONFLICT);
        assertThat(find(status, ConditionTypes.DEGRADED).getMessage()).contains("ConfigMap/web-balancer");
    }

    @Test
    void transitionTimeChangesOnlyWhenTheStatusDoes() {
        ShopCluster shop = shop("web");
        Map<String, Deployment> observed = new HashMap<>(Map.of("web-main", ready(3, 3), "web-balancer", ready(2, 2)));
        shop.setStatus(aggregate(shop, observed, T0));

        ShopClusterStatus unchanged = aggregate(shop, observed, T1);
        assertThat(unchanged).isEqualTo(shop.getStatus());
        assertThat(find(unchanged, ConditionTypes.READY).getLastTransitionTime())
                .isEqualTo(T0.toString());

        observed.put("web-main", ready(3, 2));
        ShopClusterStatus changed = aggregate(shop, observed, T1);
        assertThat(find(changed, ConditionTypes.READY).getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(find(changed, ConditionTypes.PROGRESSING).getLastTransitionTime())
                .isEqualTo(T0.toString());
    }

    @Test
    void activeStandbyCountsThePrimaryAsServingAndRecordsThePromotionState() {
        ShopCluster shop = activeStandby("pay");
        HaState state = HaState.serving(Slot.B).withDemoted(Slot.A).withFailovers(1, T0);
        HaDecision decision = new HaDecision(state, 3, 3, null, HaDecision.Trigger.NONE, "slot b is primary", false);
        ShopClusterStatus status = aggregate(
                shop,
                new SlotPlan(Slot.B, 3, 3),
                Map.of("pay-a", ready(3, 0), "pay-b", ready(3, 3), "pay-balancer", ready(2, 2)),
                decision);
        assertThat(status.getReadyReplicas()).isEqualTo(3);
        assertThat(status.getStandbyReadyReplicas()).isZero();
        assertThat(status.getCurrentPrimary()).isEqualTo(Slot.B);
        assertThat(status.getTargetPrimary()).isEqualTo(Slot.B);
        assertThat(status.getDemotedPrimary()).isEqualTo(Slot.A);
        assertThat(status.getFailovers()).isEqualTo(1);
        assertThat(status.getLastFailoverTime()).isEqualTo(T0.toString());
        assertThat(status.getSelector()).contains("shopcluster.dev/group=b");
        assertCondition(status, ConditionTypes.READY, "True", ConditionTypes.ALL_REPLICAS_READY);
        assertCondition(status, ConditionTypes.FAILED_OVER, "False", ConditionTypes.NO_FAILOVER);
    }

    @Test
    void noHealthyStandbyIsDegraded() {
        ShopCluster shop = activeStandby("pay");
        HaState state = HaState.serving(Slot.A).withPrimaryUnreadySince(T0);
        HaDecision decision = new HaDecision(
                state,
                3,
                1,
                null,
                HaDecision.Trigger.NONE,
                "not promoting: slot a had 0/3 ready for 5s and standby slot b has 0 ready, not more",
                true);
        ShopClusterStatus status = aggregate(
                shop,
                new SlotPlan(Slot.A, 3, 1),
                Map.of("pay-a", ready(3, 0), "pay-b", ready(1, 0), "pay-balancer", ready(2, 2)),
                decision);
        assertCondition(status, ConditionTypes.DEGRADED, "True", ConditionTypes.NO_HEALTHY_STANDBY);
        assertThat(find(status, ConditionTypes.DEGRADED).getMessage()).contains("standby slot b has 0 ready, not more");
        assertThat(status.getPrimaryUnreadySince()).isEqualTo(T0.toString());
    }

    @Test
    void aChildTheApiServerRejectedIsNotReadyAndDegradedNamingItAndQuotingTheServer() {
        ShopCluster shop = shop("web");
        String rejected = "Service/web: Internal error occurred: failed to allocate a serviceIP: range is full";

        ShopClusterStatus status = ShopStatusAggregator.aggregate(
                shop,
                new Observation(
                        DesiredChildren.of(shop, null, "cluster.local"),
                        Map.of("web-main", ready(3, 3), "web-balancer", ready(2, 2)),
                        List.of("ConfigMap/web-balancer"),
                        List.of(rejected),
                        Optional.empty()),
                T0);

        assertCondition(status, ConditionTypes.READY, "False", ConditionTypes.CHILD_REJECTED);
        assertCondition(status, ConditionTypes.DEGRADED, "True", ConditionTypes.CHILD_REJECTED);
        assertThat(find(status, ConditionTypes.DEGRADED).getMessage()).isEqualTo("the API server rejected " + rejected);
    }

    @Test
    void aRecordedDecisionSaysWhyTheTargetChanged() {
        HaState promoted = HaState.serving(Slot.A)
                .withTarget(Slot.B)
                .withDemoted(Slot.A)
                .withFailovers(1, T1)
                .withRecentFailovers(List.of(T1));
        String message = "promoted slot b: slot a had 0/3 ready for 5s";

        assertRecordedDecision(HaDecision.Trigger.FAILOVER, promoted, message, "True", ConditionTypes.PRIMARY_UNREADY);
        assertRecordedDecision(HaDecision.Trigger.SWITCHOVER, promoted, message, "False", ConditionTypes.SWITCHED_OVER);
        assertRecordedDecision(HaDecision.Trigger.FAILBACK, promoted, message, "False", ConditionTypes.FAILED_BACK);
    }

    @Test
    void anInvalidSpecIsNotReadyAndDegradedWithTheRenderersMessage() {
        ShopClusterStatus status =
                aggregate(shop("web"), Map.of("web-main", ready(3, 3), "web-balancer", ready(2, 2)), T0);

        ShopStatusAggregator.recordInvalidSpec(status, "spec.strategy.hashKey: not a token", 2L, T1);

        assertCondition(status, ConditionTypes.READY, "False", ConditionTypes.INVALID_SPEC);
        assertCondition(status, ConditionTypes.DEGRADED, "True", ConditionTypes.INVALID_SPEC);
        assertThat(find(status, ConditionTypes.DEGRADED).getMessage()).isEqualTo("spec.strategy.hashKey: not a token");
        assertThat(find(status, ConditionTypes.READY).getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(find(status, ConditionTypes.PROGRESSING).getLastTransitionTime())
                .isEqualTo(T0.toString());
    }

    private static void assertRecordedDecision(
            HaDecision.Trigger trigger, HaState state, String message, String failedOver, String reason) {
        ShopClusterStatus status = new ShopClusterStatus();
        Condition recorded = ShopStatusAggregator.recordDecision(
                status,
                new HaDecision(state, 3, 3, null, trigger, message, false),
                new HaPolicy(3, 1, 1, java.time.Duration.ofSeconds(5), FailbackPolicy.Manual),
                4L,
                T1);

        assertThat(recorded).isEqualTo(find(status, ConditionTypes.FAILED_OVER));
        assertCondition(status, ConditionTypes.FAILED_OVER, failedOver, reason);
        assertThat(recorded.getMessage()).isEqualTo(message);
        assertThat(recorded.getObservedGeneration()).isEqualTo(4L);
        assertThat(status.getTargetPrimary()).isEqualTo(Slot.B);
        assertThat(status.getCurrentPrimary()).isEqualTo(Slot.A);
    }

    private static ShopClusterStatus aggregate(ShopCluster shop, Map<String, Deployment> observed, Instant now) {
        return ShopStatusAggregator.aggregate(
                shop, Observation.of(DesiredChildren.of(shop, null, "cluster.local"), observed, List.of()), now);
    }

    /** The status at T1 of an ActiveStandby shop whose promotion step decided {@code decision}. */
    private static ShopClusterStatus aggregate(
            ShopCluster shop, SlotPlan plan, Map<String, Deployment> observed, HaDecision decision) {
        return ShopStatusAggregator.aggregate(
                shop,
                new Observation(
                        DesiredChildren.of(shop, plan, "cluster.local"),
                        observed,
                        List.of(),
                        List.of(),
                        Optional.of(new PromotionOutcome(decision, decision.state()))),
                T1);
    }

    /** A Deployment whose rollout finished with {@code ready} of {@code replicas} pods ready. */
    private static Deployment ready(int replicas, int ready) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withGeneration(2L)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .endSpec()
                .withNewStatus()
                .withObservedGeneration(2L)
                .withReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withReadyReplicas(ready)
                .endStatus()
                .build();
    }

    private static Condition find(ShopClusterStatus status, String type) {
        return Conditions.find(status.getConditions(), type).orElseThrow();
    }

    private static void assertCondition(ShopClusterStatus status, String type, String value, String reason) {
        Condition condition = find(status, type);
        assertThat(condition.getStatus()).as(type).isEqualTo(value);
        assertThat(condition.getReason()).as(type).isEqualTo(reason);
    }
}

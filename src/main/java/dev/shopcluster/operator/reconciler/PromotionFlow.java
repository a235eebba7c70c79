package dev.shopcluster.operator.reconciler;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.ShopClusterStatus;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.ha.FailoverStateMachine;
import dev.shopcluster.operator.ha.HaDecision;
import dev.shopcluster.operator.ha.HaPolicy;
import dev.shopcluster.operator.ha.HaState;
import dev.shopcluster.operator.ha.HaStatus;
import dev.shopcluster.operator.ha.PromotionOutcome;
import dev.shopcluster.operator.ha.SlotReadiness;
import dev.shopcluster.operator.resources.ShopLabels;
import dev.shopcluster.operator.resources.ShopServices;
import dev.shopcluster.operator.status.ShopStatusAggregator;
import dev.shopcluster.operator.topology.SlotPlan;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * An ActiveStandby shop's promotion, as one reconcile takes part in it: observe each slot's readiness,
 * let the {@link FailoverStateMachine} decide, record a new decision in status before anything is
 * rewired, and once the children are applied, mark the wiring complete and clear a satisfied switchover
 * request. Each step is safe to repeat: an interrupted promotion is completed from the recorded target.
 */
final class PromotionFlow {

    private static final Logger LOG = Logger.getLogger(PromotionFlow.class);

    private final HaMetrics metrics;
    private final EventRecorder events;
    private final ChildApplier applier;

    PromotionFlow(HaMetrics metrics, EventRecorder events, ChildApplier applier) {
        this.metrics = metrics;
        this.events = events;
        this.applier = applier;
    }

    /**
     * A decision, and the shop as it stands after recording it.
     *
     * @param shop the shop, with the status the API server answered when a new target was recorded
     * @param decision what the state machine decided
     * @param switchoverTo the slot the switchover annotation asks for, if it names one
     */
    record Decided(ShopCluster shop, HaDecision decision, Optional<Slot> switchoverTo) {

        /**
         * The balancer's primary and each slot's pods, for the desired children. While a promotion is on
         * its way to the balancer pods, NAME-primary selects no slot, so no client reaches two primaries.
         */
        SlotPlan plan() {
            Slot primary = decision.primary();
            return new SlotPlan(
                    primary,
                    decision.state().promotionInFlight() ? null : primary,
                    decision.replicasA(),
                    decision.replicasB());
        }
    }

    /** Observes, decides, and writes a new target to status before anything is rewired. */
    Decided decide(ShopCluster shop, Context<ShopCluster> context, Instant now) {
        metrics.observe(shop);
        HaState recorded = HaStatus.read(shop.getStatus());
        Optional<Slot> switchoverTo = switchoverRequest(shop);
        HaDecision decision = FailoverStateMachine.decide(
                HaPolicy.of(shop.getSpec()), recorded, observeReadiness(context), switchoverTo, now);
        if (decision.state().target() != recorded.target()) {
            shop = recordDecision(shop, decision, context, now);
        }
        return new Decided(shop, decision, switchoverTo);
    }

    /**
     * After the children were applied: a promotion is wired once every child was applied and every ready
     * balancer pod serves the new config; only then does NAME-primary select the new slot. Tells so
     * once, and removes a switchover request its slot now satisfies.
     *
     * @param childrenApplied whether every child was applied (none left alone for a conflict)
     * @param configServed whether every ready balancer pod serves the config just applied
     */
    PromotionOutcome complete(
            Decided decided, boolean childrenApplied, boolean configServed, Context<ShopCluster> context) {
        ShopCluster shop = decided.shop();
        HaState decidedState = decided.decision().state();
        boolean wiredNow = decidedState.promotionInFlight() && childrenApplied && configServed;
        if (wiredNow) {
            applier.apply(shop, ShopServices.primary(shop, decidedState.target()), context);
        }
        HaState state = wiredNow ? FailoverStateMachine.wired(decidedState) : decidedState;
        if (wiredNow) {
            metrics.wired(shop);
            events.record(
                    context.getClient(),
                    shop,
                    EventRecorder.Type.Normal,
                    "Promoted",
                    "slot "
                            + state.current().id() + " is primary: balancer config, "
                            + ShopLabels.primaryServiceName(shop)
                            + " Service and scale are wired");
        }
        if (decided.switchoverTo()
                .filter(slot -> slot == state.current() && !state.promotionInFlight())
                .isPresent()) {
            clearSwitchoverRequest(shop, context);
        }
        return new PromotionOutcome(decided.decision(), state);
    }

    /**
     * Writes a new promotion decision to status before anything is rewired. It is applied with the
     * resourceVersion read, so that a stale operator (a lost leader) cannot overwrite a newer decision,
     * and under the same field manager as every other status write, so later writes can unset its fields.
     */
    private ShopCluster recordDecision(
            ShopCluster shop, HaDecision decision, Context<ShopCluster> context, Instant now) {
        ShopClusterStatus status = shop.getStatus() != null ? shop.getStatus() : new ShopClusterStatus();
        Condition failedOver = ShopStatusAggregator.recordDecision(
                status,
                decision,
                HaPolicy.of(shop.getSpec()),
                shop.getMetadata().getGeneration(),
                now);
        shop.setStatus(status);
        shop.getMetadata().setManagedFields(null);
        metrics.decided(shop, decision);
        ShopCluster recorded = context.getClient()
                .resource(shop)
                .subresource("status")
                .patch(new PatchContext.Builder()
                        .withPatchType(PatchType.SERVER_SIDE_APPLY)
                        .withFieldManager(context.getControllerConfiguration().fieldManager())
                        .withForce(true)
                        .build());
        events.record(
                context.getClient(),
                recorded,
                decision.trigger() == HaDecision.Trigger.FAILOVER
                        ? EventRecorder.Type.Warning
                        : EventRecorder.Type.Normal,
                failedOver.getReason(),
                decision.message());
        LOG.infof(
                "%s/%s: %s",
                shop.getMetadata().getNamespace(), shop.getMetadata().getName(), decision.message());
        return recorded;
    }

    /** Ready shop pods per slot, read from the Pods' Ready condition (see docs/high-availability.md). */
    private static SlotReadiness observeReadiness(Context<ShopCluster> context) {
        Map<String, Long> ready = Pods.of(context, ShopLabels.COMPONENT_SHOP)
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .filter(Pods::isReady)
                .collect(Collectors.groupingBy(
                        pod -> pod.getMetadata().getLabels().getOrDefault(ShopLabels.GROUP, ""),
                        Collectors.counting()));
        return new SlotReadiness(
                ready.getOrDefault(Slot.A.id(), 0L).intValue(),
                ready.getOrDefault(Slot.B.id(), 0L).intValue());
    }

    /** The slot named by the switchover annotation, if it names one; read once per reconcile. */
    static Optional<Slot> switchoverRequest(ShopCluster shop) {
        String requested = shop.getMetadata().getAnnotations() == null
                ? null
                : shop.getMetadata().getAnnotations().get(ShopClusterReconciler.SWITCHOVER_ANNOTATION);
        if (requested == null) {
            return Optional.empty();
        }
        for (Slot slot : Slot.values()) {
            if (slot.id().equals(requested)) {
                return Optional.of(slot);
            }
        }
        LOG.warnf(
                "%s/%s: ignoring %s=%s: not a slot (a or b)",
                shop.getMetadata().getNamespace(),
                shop.getMetadata().getName(),
                ShopClusterReconciler.SWITCHOVER_ANNOTATION,
                requested);
        return Optional.empty();
    }

    private static void clearSwitchoverRequest(ShopCluster shop, Context<ShopCluster> context) {
        context.getClient()
                .resources(ShopCluster.class)
                .inNamespace(shop.getMetadata().getNamespace())
                .withName(shop.getMetadata().getName())
                .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"annotations\":{\"" + ShopClusterReconciler.SWITCHOVER_ANNOTATION
                                + "\":null}}}");
    }
}

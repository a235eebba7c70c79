package dev.shopcluster.operator.reconciler;

import dev.shopcluster.operator.api.HighAvailabilityMode;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.ShopClusterStatus;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.ha.FailoverStateMachine;
import dev.shopcluster.operator.ha.HaDecision;
import dev.shopcluster.operator.ha.HaMetrics;
import dev.shopcluster.operator.ha.HaPolicy;
import dev.shopcluster.operator.ha.HaState;
import dev.shopcluster.operator.ha.HaStatus;
import dev.shopcluster.operator.ha.SlotReadiness;
import dev.shopcluster.operator.haproxy.InvalidBalancerInputException;
import dev.shopcluster.operator.resources.SlotPlan;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.Optional;
import dev.shopcluster.operator.resources.DesiredChildren;
import dev.shopcluster.operator.resources.ShopLabels;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import dev.shopcluster.operator.status.ShopStatusAggregator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps a ShopCluster's children in line with its spec and reports what it observes. It orchestrates
 * only: desired objects come from {@link DesiredChildren}, status from {@link ShopStatusAggregator}.
 */
// Not generation-aware: a switchover request is an annotation, which does not bump the generation.
@ControllerConfiguration(name = ShopClusterReconciler.NAME, fieldManager = ShopLabels.MANAGER,
        generationAwareEventProcessing = false)
public class ShopClusterReconciler implements Reconciler<ShopCluster> {

    public static final String NAME = "shopcluster";
    /** The kinds of object a ShopCluster owns; each is watched by an informer limited to our labels. */
    static final List<Class<? extends HasMetadata>> CHILD_KINDS =
            List.of(Deployment.class, Service.class, ConfigMap.class, PodDisruptionBudget.class);

    static final Duration CONFLICT_RECHECK = Duration.ofSeconds(10);
    /** `kubectl annotate shop NAME shopcluster.dev/switchover-to=b`: a planned switchover to slot b. */
    public static final String SWITCHOVER_ANNOTATION = "shopcluster.dev/switchover-to";

    private static final Logger LOG = Logger.getLogger(ShopClusterReconciler.class);

    private final Clock clock;
    private final HaMetrics metrics;
    private final String clusterDomain;
    private final ChildApplier applier = new ChildApplier();
    private final EventRecorder events = new EventRecorder();

    @Inject
    public ShopClusterReconciler(Clock clock, MeterRegistry meterRegistry,
            @ConfigProperty(name = "shop.operator.cluster-domain", defaultValue = "cluster.local") String clusterDomain) {
        this.clock = clock;
        this.metrics = new HaMetrics(meterRegistry);
        this.clusterDomain = clusterDomain;
    }

    @Override
    public List<EventSource<?, ShopCluster>> prepareEventSources(EventSourceContext<ShopCluster> context) {
        List<EventSource<?, ShopCluster>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : CHILD_KINDS) {
            sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(kind, ShopCluster.class)
                    .withLabelSelector(ShopLabels.MANAGED_SELECTOR)
                    .withNamespacesInheritedFromController()
                    .build(), context));
        }
        // Shop pods belong to ReplicaSets, not to us: map them to their ShopCluster by label. Their Ready
        // condition is the promotion signal.
        sources.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, ShopCluster.class)
                .withLabelSelector(ShopLabels.MANAGED_SELECTOR + "," + ShopLabels.COMPONENT + "=" + ShopLabels.COMPONENT_SHOP)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
                        pod.getMetadata().getLabels().get(ShopLabels.INSTANCE), pod.getMetadata().getNamespace())))
                .build(), context));
        return sources;
    }

    @Override
    public UpdateControl<ShopCluster> reconcile(ShopCluster shop, Context<ShopCluster> context) {
        Instant now = clock.instant();
        HaDecision ha = null;
        SlotPlan plan = null;
        if (isActiveStandby(shop)) {
            metrics.observe(shop);
            ha = FailoverStateMachine.decide(HaPolicy.of(shop.getSpec()), HaStatus.read(shop.getStatus()),
                    observeReadiness(context), switchoverRequest(shop), now);
            if (ha.state().target() != HaStatus.read(shop.getStatus()).target()) {
                shop = recordDecision(shop, ha, context, now);
            }
            plan = new SlotPlan(ha.primary(), ha.replicasA(), ha.replicasB());
        }
        DesiredChildren desired = DesiredChildren.of(shop, plan, clusterDomain);
        List<String> conflicts = applyChildren(shop, desired, context);
        deleteObsolete(shop, desired, context);

        HaState haState = null;
        if (ha != null) {
            haState = conflicts.isEmpty() ? FailoverStateMachine.wired(ha.state()) : ha.state();
            if (ha.state().promotionInFlight() && !haState.promotionInFlight()) {
                metrics.wired(shop);
                events.record(context.getClient(), shop, EventRecorder.Type.Normal, "Promoted", "slot "
                        + haState.current().id() + " is primary: balancer config, " + ShopLabels.primaryServiceName(shop)
                        + " Service and scale are wired");
            }
            clearSatisfiedSwitchover(shop, haState, context);
        }

        Map<String, Deployment> deployments = context.getSecondaryResourcesAsStream(Deployment.class)
                .collect(Collectors.toMap(d -> d.getMetadata().getName(), Function.identity(), (a, b) -> a));
        ShopClusterStatus status = ShopStatusAggregator.aggregate(shop, desired, deployments, conflicts, ha, haState, now);
        UpdateControl<ShopCluster> control = updateStatus(shop, status, context);
        // A stranger's object is outside our informers: look again later instead of waiting for an event.
        Duration recheck = conflicts.isEmpty() ? null : CONFLICT_RECHECK;
        if (ha != null && ha.recheckAfter() != null && (recheck == null || ha.recheckAfter().compareTo(recheck) < 0)) {
            recheck = ha.recheckAfter();
        }
        return recheck == null ? control : control.rescheduleAfter(recheck);
    }

    /** Applies every desired child in order; returns the ones left alone because someone else owns them. */
    private List<String> applyChildren(ShopCluster shop, DesiredChildren desired, Context<ShopCluster> context) {
        List<String> conflicts = new ArrayList<>();
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        for (HasMetadata child : desired.objects()) {
            String what = child.getKind() + "/" + child.getMetadata().getName();
            switch (applier.apply(shop, child, context)) {
                case CREATED -> created.add(what);
                case UPDATED -> updated.add(what);
                case CONFLICT -> conflicts.add(what);
                case UNCHANGED -> { }
            }
        }
        // One event per reconcile that changed something: a new shop is one line, not seven.
        if (!created.isEmpty()) {
            events.record(context.getClient(), shop, EventRecorder.Type.Normal, "Created",
                    "created " + String.join(", ", created));
        }
        if (!updated.isEmpty()) {
            events.record(context.getClient(), shop, EventRecorder.Type.Normal, "Updated",
                    "brought " + String.join(", ", updated) + " in line with the spec");
        }
        return conflicts;
    }

    /**
     * Writes a new promotion decision to status before anything is rewired. It is applied with the
     * resourceVersion read, so that a stale operator (a lost leader) cannot overwrite a newer decision,
     * and under the same field manager as every other status write, so later writes can unset its fields.
     */
    private ShopCluster recordDecision(ShopCluster shop, HaDecision ha, Context<ShopCluster> context, Instant now) {
        ShopClusterStatus status = shop.getStatus() != null ? shop.getStatus() : new ShopClusterStatus();
        HaStatus.write(ha.state(), status);
        Long generation = shop.getMetadata().getGeneration();
        var failedOver = switch (ha.trigger()) {
            case FAILOVER -> Conditions.next(status.getConditions(), ConditionTypes.FAILED_OVER, true,
                    ConditionTypes.PRIMARY_UNREADY, ha.message(), generation, now);
            case SWITCHOVER -> Conditions.next(status.getConditions(), ConditionTypes.FAILED_OVER, false,
                    ConditionTypes.SWITCHED_OVER, ha.message(), generation, now);
            case FAILBACK -> Conditions.next(status.getConditions(), ConditionTypes.FAILED_OVER, false,
                    ConditionTypes.FAILED_BACK, ha.message(), generation, now);
            case NONE -> throw new IllegalStateException("a new target always has a trigger");
        };
        status.setConditions(Conditions.merge(status.getConditions(), List.of(failedOver)));
        shop.setStatus(status);
        shop.getMetadata().setManagedFields(null);
        metrics.decided(shop, ha);
        ShopCluster recorded = context.getClient().resource(shop).subresource("status").patch(new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(context.getControllerConfiguration().fieldManager())
                .withForce(true)
                .build());
        events.record(context.getClient(), recorded,
                ha.trigger() == HaDecision.Trigger.FAILOVER ? EventRecorder.Type.Warning : EventRecorder.Type.Normal,
                ha.trigger() == HaDecision.Trigger.FAILOVER ? ConditionTypes.PRIMARY_UNREADY : failedOver.getReason(),
                ha.message());
        LOG.infof("%s/%s: %s", shop.getMetadata().getNamespace(), shop.getMetadata().getName(), ha.message());
        return recorded;
    }

    /** Ready shop pods per slot, read from the Pods' Ready condition (see docs/high-availability.md). */
    private static SlotReadiness observeReadiness(Context<ShopCluster> context) {
        Map<String, Long> ready = context.getSecondaryResourcesAsStream(Pod.class)
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null)
                .filter(pod -> pod.getStatus() != null && pod.getStatus().getConditions() != null
                        && pod.getStatus().getConditions().stream()
                                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .collect(Collectors.groupingBy(pod -> pod.getMetadata().getLabels().getOrDefault(ShopLabels.GROUP, ""),
                        Collectors.counting()));
        return new SlotReadiness(ready.getOrDefault(Slot.A.id(), 0L).intValue(),
                ready.getOrDefault(Slot.B.id(), 0L).intValue());
    }

    /** The slot named by the switchover annotation, if it names one. */
    static Optional<Slot> switchoverRequest(ShopCluster shop) {
        String requested = shop.getMetadata().getAnnotations() == null ? null
                : shop.getMetadata().getAnnotations().get(SWITCHOVER_ANNOTATION);
        if (requested == null) {
            return Optional.empty();
        }
        for (Slot slot : Slot.values()) {
            if (slot.id().equals(requested)) {
                return Optional.of(slot);
            }
        }
        LOG.warnf("%s/%s: ignoring %s=%s: not a slot (a or b)", shop.getMetadata().getNamespace(),
                shop.getMetadata().getName(), SWITCHOVER_ANNOTATION, requested);
        return Optional.empty();
    }

    /** Removes a switchover request once its slot is the wired primary. */
    private static void clearSatisfiedSwitchover(ShopCluster shop, HaState state, Context<ShopCluster> context) {
        if (switchoverRequest(shop).filter(slot -> slot == state.current() && !state.promotionInFlight()).isPresent()) {
            context.getClient().resources(ShopCluster.class).inNamespace(shop.getMetadata().getNamespace())
                    .withName(shop.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"" + SWITCHOVER_ANNOTATION + "\":null}}}");
        }
    }

    private static boolean isActiveStandby(ShopCluster shop) {
        return shop.getSpec().getHighAvailability().getMode() == HighAvailabilityMode.ActiveStandby;
    }

    @Override
    public ErrorStatusUpdateControl<ShopCluster> updateErrorStatus(ShopCluster shop, Context<ShopCluster> context,
            Exception e) {
        String invalid = invalidSpecMessage(e);
        if (invalid == null) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        // Retrying cannot help until the spec changes, and a spec change triggers a reconcile anyway.
        ShopClusterStatus status = shop.getStatus() == null ? new ShopClusterStatus() : shop.getStatus();
        var now = clock.instant();
        Long generation = shop.getMetadata().getGeneration();
        status.setConditions(Conditions.merge(status.getConditions(), List.of(
                Conditions.next(status.getConditions(), ConditionTypes.READY, false, ConditionTypes.INVALID_SPEC,
                        invalid, generation, now),
                Conditions.next(status.getConditions(), ConditionTypes.DEGRADED, true, ConditionTypes.INVALID_SPEC,
                        invalid, generation, now))));
        shop.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(shop).withNoRetry();
    }

    /**
     * The message of an error only a spec change can fix, or null: a value the renderer refuses (the
     * API server should have refused it already), or a child the API server refuses as invalid, such as
     * a pod setting Kubernetes checks more strictly than the CRD's schema (its message names the field).
     */
    private static String invalidSpecMessage(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidBalancerInputException) {
                return cause.getMessage();
            }
            if (cause instanceof KubernetesClientException k && k.getCode() == 422 && k.getStatus() != null) {
                return "the API server refused a child object: " + k.getStatus().getMessage();
            }
        }
        return null;
    }

    /** Deletes children this ShopCluster controls but no longer wants, such as a removed pool. */
    private void deleteObsolete(ShopCluster shop, DesiredChildren desired, Context<ShopCluster> context) {
        Set<String> wanted = new HashSet<>();
        desired.objects().forEach(o -> wanted.add(o.getKind() + "/" + o.getMetadata().getName()));
        for (Class<? extends HasMetadata> kind : CHILD_KINDS) {
            context.getSecondaryResourcesAsStream(kind)
                    .map(HasMetadata.class::cast)
                    .filter(child -> !wanted.contains(child.getKind() + "/" + child.getMetadata().getName()))
                    .filter(child -> ChildApplier.isControlledBy(child, shop))
                    .forEach(child -> {
                        context.getClient().resource(child).delete();
                        events.record(context.getClient(), shop, EventRecorder.Type.Normal, "Deleted",
                                "deleted " + child.getKind() + " " + child.getMetadata().getName()
                                        + ": no longer part of the spec");
                    });
        }
    }

    private UpdateControl<ShopCluster> updateStatus(ShopCluster shop, ShopClusterStatus status,
            Context<ShopCluster> context) {
        ShopClusterStatus previous = shop.getStatus();
        if (status.equals(previous)) {
            return UpdateControl.noUpdate();
        }
        recordTransitions(shop, previous, status, context);
        shop.setStatus(status);
        LOG.debugf("status of %s/%s changed", shop.getMetadata().getNamespace(), shop.getMetadata().getName());
        return UpdateControl.patchStatus(shop);
    }

    /** One event per condition that changed status or reason, so `kubectl describe` tells the story. */
    private void recordTransitions(ShopCluster shop, ShopClusterStatus previous, ShopClusterStatus status,
            Context<ShopCluster> context) {
        for (String type : List.of(ConditionTypes.READY, ConditionTypes.DEGRADED)) {
            var now = Conditions.find(status.getConditions(), type).orElseThrow();
            var before = Conditions.find(previous == null ? null : previous.getConditions(), type);
            boolean changed = before.map(b -> !b.getStatus().equals(now.getStatus())
                    || !b.getReason().equals(now.getReason())).orElse(true);
            boolean worthTelling = before.isPresent() || !"False".equals(now.getStatus()) || type.equals(ConditionTypes.READY);
            if (changed && worthTelling) {
                boolean bad = type.equals(ConditionTypes.READY) ? "False".equals(now.getStatus())
                        : "True".equals(now.getStatus());
                events.record(context.getClient(), shop, bad ? EventRecorder.Type.Warning : EventRecorder.Type.Normal,
                        now.getReason(), type + "=" + now.getStatus() + ": " + now.getMessage());
            }
        }
    }
}

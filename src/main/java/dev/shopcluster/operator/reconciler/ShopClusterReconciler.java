package dev.shopcluster.operator.reconciler;

import dev.shopcluster.operator.api.HighAvailabilityMode;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.ShopClusterStatus;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.haproxy.InvalidBalancerInputException;
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
@ControllerConfiguration(name = ShopClusterReconciler.NAME, fieldManager = ShopLabels.MANAGER)
public class ShopClusterReconciler implements Reconciler<ShopCluster> {

    public static final String NAME = "shopcluster";
    /** The kinds of object a ShopCluster owns; each is watched by an informer limited to our labels. */
    static final List<Class<? extends HasMetadata>> CHILD_KINDS =
            List.of(Deployment.class, Service.class, ConfigMap.class, PodDisruptionBudget.class);

    static final Duration CONFLICT_RECHECK = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(ShopClusterReconciler.class);

    private final Clock clock;
    private final String clusterDomain;
    private final ChildApplier applier = new ChildApplier();
    private final EventRecorder events = new EventRecorder();

    @Inject
    public ShopClusterReconciler(Clock clock,
            @ConfigProperty(name = "shop.operator.cluster-domain", defaultValue = "cluster.local") String clusterDomain) {
        this.clock = clock;
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
        return sources;
    }

    @Override
    public UpdateControl<ShopCluster> reconcile(ShopCluster shop, Context<ShopCluster> context) {
        Slot primary = wiredPrimary(shop);
        DesiredChildren desired = DesiredChildren.of(shop, primary, clusterDomain);

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
        deleteObsolete(shop, desired, context);

        Map<String, Deployment> deployments = context.getSecondaryResourcesAsStream(Deployment.class)
                .collect(Collectors.toMap(d -> d.getMetadata().getName(), Function.identity(), (a, b) -> a));
        ShopClusterStatus status = ShopStatusAggregator.aggregate(shop, desired, deployments, conflicts, primary,
                clock.instant());
        UpdateControl<ShopCluster> control = updateStatus(shop, status, context);
        // A stranger's object is outside our informers: look again later instead of waiting for an event.
        return conflicts.isEmpty() ? control : control.rescheduleAfter(CONFLICT_RECHECK);
    }

    @Override
    public ErrorStatusUpdateControl<ShopCluster> updateErrorStatus(ShopCluster shop, Context<ShopCluster> context,
            Exception e) {
        if (!(e instanceof InvalidBalancerInputException)) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        // The API server should have refused this spec; say so instead of retrying forever.
        ShopClusterStatus status = shop.getStatus() == null ? new ShopClusterStatus() : shop.getStatus();
        var now = clock.instant();
        Long generation = shop.getMetadata().getGeneration();
        status.setConditions(Conditions.merge(status.getConditions(), List.of(
                Conditions.next(status.getConditions(), ConditionTypes.READY, false, ConditionTypes.INVALID_SPEC,
                        e.getMessage(), generation, now),
                Conditions.next(status.getConditions(), ConditionTypes.DEGRADED, true, ConditionTypes.INVALID_SPEC,
                        e.getMessage(), generation, now))));
        shop.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(shop).withNoRetry();
    }

    /** ActiveStandby: the slot wired as primary (a until a promotion says otherwise); null in other modes. */
    static Slot wiredPrimary(ShopCluster shop) {
        if (shop.getSpec().getHighAvailability().getMode() != HighAvailabilityMode.ActiveStandby) {
            return null;
        }
        ShopClusterStatus status = shop.getStatus();
        return status != null && status.getCurrentPrimary() != null ? status.getCurrentPrimary() : Slot.A;
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

package dev.shopcluster.operator.reconciler;

import dev.shopcluster.operator.api.HighAvailabilityMode;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.ShopClusterStatus;
import dev.shopcluster.operator.ha.PromotionOutcome;
import dev.shopcluster.operator.haproxy.InvalidBalancerInputException;
import dev.shopcluster.operator.resources.BalancerConfigMap;
import dev.shopcluster.operator.resources.DesiredChildren;
import dev.shopcluster.operator.resources.ShopLabels;
import dev.shopcluster.operator.status.ConditionEvents;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import dev.shopcluster.operator.status.Observation;
import dev.shopcluster.operator.status.ShopStatusAggregator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps a ShopCluster's children in line with its spec and reports what it observes. It orchestrates
 * only: desired objects come from {@link DesiredChildren}, promotion from {@link PromotionFlow}, status
 * and every condition from {@link ShopStatusAggregator}.
 */
// Not generation-aware: a switchover request is an annotation, which does not bump the generation.
@ControllerConfiguration(
        name = ShopClusterReconciler.NAME,
        fieldManager = ShopLabels.MANAGER,
        generationAwareEventProcessing = false,
        informer = @Informer(itemStore = CachedObjects.ShopStore.class))
public class ShopClusterReconciler implements Reconciler<ShopCluster> {

    public static final String NAME = "shopcluster";
    /** The kinds of object a ShopCluster owns; each is watched by an informer limited to our labels. */
    static final List<Class<? extends HasMetadata>> CHILD_KINDS =
            List.of(Deployment.class, Service.class, ConfigMap.class, PodDisruptionBudget.class);

    static final Duration CONFLICT_RECHECK = Duration.ofSeconds(10);
    static final Duration MIN_REJECTION_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_REJECTION_RETRY = Duration.ofMinutes(2);
    private static final int MAX_REMEMBERED_REJECTIONS = 10_000;
    /** `kubectl annotate shop NAME shopcluster.dev/switchover-to=b`: a planned switchover to slot b. */
    public static final String SWITCHOVER_ANNOTATION = "shopcluster.dev/switchover-to";

    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    private static final Logger LOG = Logger.getLogger(ShopClusterReconciler.class);

    private final Clock clock;
    private final String clusterDomain;
    private final ChildApplier applier = new ChildApplier();
    private final EventRecorder events = new EventRecorder();
    private final PromotionFlow promotions;
    /** Per shop with a rejected child: the rejection last logged. */
    private final Map<ResourceID, String> loggedRejections = new ConcurrentHashMap<>();

    private final ConfigDelivery configDelivery;

    @Inject
    public ShopClusterReconciler(
            Clock clock,
            MeterRegistry meterRegistry,
            @ConfigProperty(name = "shop.operator.cluster-domain", defaultValue = "cluster.local") String clusterDomain,
            @ConfigProperty(name = "shop.operator.balancer.verify-loaded-config", defaultValue = "auto")
                    String verifyLoadedConfig) {
        this(clock, meterRegistry, clusterDomain, verifiesLoadedConfig(verifyLoadedConfig));
    }

    /**
     * @param verifyLoadedConfig ask each balancer pod which config it serves before a promotion counts as
     *     done; possible only where the operator reaches pod IPs
     */
    public ShopClusterReconciler(
            Clock clock, MeterRegistry meterRegistry, String clusterDomain, boolean verifyLoadedConfig) {
        this.clock = clock;
        this.clusterDomain = clusterDomain;
        this.promotions = new PromotionFlow(new HaMetrics(meterRegistry), events, applier);
        this.configDelivery = new ConfigDelivery(verifyLoadedConfig ? LoadedConfigProbe.http(PROBE_TIMEOUT) : null);
    }

    /** {@code auto}: inside a cluster, where pod IPs are reachable; not from a laptop or a simulated cluster. */
    static boolean verifiesLoadedConfig(String setting) {
        boolean verify = "auto".equals(setting)
                ? System.getenv("KUBERNETES_SERVICE_HOST") != null
                : Boolean.parseBoolean(setting);
        if (!verify) {
            LOG.info("not verifying which config balancer pods serve (shop.operator.balancer.verify-loaded-config="
                    + setting + "): a promotion completes once each balancer pod has been asked to reload");
        }
        return verify;
    }

    @Override
    public List<EventSource<?, ShopCluster>> prepareEventSources(EventSourceContext<ShopCluster> context) {
        List<EventSource<?, ShopCluster>> sources = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : CHILD_KINDS) {
            sources.add(childSource(kind, context));
        }
        // Pods belong to ReplicaSets, not to us: map them to their ShopCluster by label. Shop pods' Ready
        // condition is the promotion signal; balancer pods get each new config delivered (ConfigDelivery).
        sources.add(new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Pod.class, ShopCluster.class)
                        .withLabelSelector(ShopLabels.MANAGED_SELECTOR + "," + ShopLabels.COMPONENT + " in ("
                                + ShopLabels.COMPONENT_SHOP + "," + ShopLabels.COMPONENT_BALANCER + ")")
                        .withNamespacesInheritedFromController()
                        .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
                                pod.getMetadata().getLabels().get(ShopLabels.INSTANCE),
                                pod.getMetadata().getNamespace())))
                        .withItemStore(new TransformingItemStore<>(CachedObjects::pod))
                        .build(),
                context));
        return sources;
    }

    private static <R extends HasMetadata> InformerEventSource<R, ShopCluster> childSource(
            Class<R> kind, EventSourceContext<ShopCluster> context) {
        return new InformerEventSource<>(
                InformerEventSourceConfiguration.from(kind, ShopCluster.class)
                        .withLabelSelector(ShopLabels.MANAGED_SELECTOR)
                        .withNamespacesInheritedFromController()
                        .withItemStore(new TransformingItemStore<>(CachedObjects::child))
                        .build(),
                context);
    }

    @Override
    public UpdateControl<ShopCluster> reconcile(ShopCluster shop, Context<ShopCluster> context) {
        Instant now = clock.instant();
        Optional<PromotionFlow.Decided> promotion =
                isActiveStandby(shop) ? Optional.of(promotions.decide(shop, context, now)) : Optional.empty();
        ShopCluster observed = promotion.map(PromotionFlow.Decided::shop).orElse(shop);
        DesiredChildren desired = DesiredChildren.of(
                observed, promotion.map(PromotionFlow.Decided::plan).orElse(null), clusterDomain);
        Children children = reconcileChildren(observed, desired, context);
        ConfigDelivery.Progress delivery = configDelivery.deliver(
                context.getClient(),
                Pods.of(context, ShopLabels.COMPONENT_BALANCER).toList(),
                BalancerConfigMap.hash(desired.balancerConfig()),
                clock.instant());
        Optional<PromotionOutcome> outcome =
                promotion.map(p -> promotions.complete(p, children.allApplied(), delivery.complete(), context));
        ShopClusterStatus status = ShopStatusAggregator.aggregate(
                observed,
                new Observation(desired, deployments(context), children.conflicts(), children.rejected(), outcome),
                now);
        logRejectionChange(observed, status);
        UpdateControl<ShopCluster> control = writeStatusIfChanged(observed, status, context);
        return lookAgainAfter(children.conflicts(), delivery, outcome, retryAfterRejection(status, now))
                .map(control::rescheduleAfter)
                .orElse(control);
    }

    /**
     * When to reconcile again without an event: a stranger's object is outside our informers, so a
     * conflict is looked at again after {@link #CONFLICT_RECHECK}; a config on its way to the balancer pods
     * after {@link ConfigDelivery#RECHECK}; the promotion state machine names its own deadlines; a
     * rejected child is retried with backoff. The earliest, or none.
     */
    static Optional<Duration> lookAgainAfter(
            List<String> conflicts,
            ConfigDelivery.Progress delivery,
            Optional<PromotionOutcome> promotion,
            Optional<Duration> rejectionRetry) {
        return Stream.of(
                        conflicts.isEmpty() ? null : CONFLICT_RECHECK,
                        delivery.complete() ? null : ConfigDelivery.RECHECK,
                        promotion.map(p -> p.decision().recheckAfter()).orElse(null),
                        rejectionRetry.orElse(null))
                .filter(Objects::nonNull)
                .min(Duration::compareTo);
    }

    /**
     * While the API server rejects a child, the next attempt waits as long as the rejections have lasted
     * (so the waits double), from {@link #MIN_REJECTION_RETRY} to {@link #MAX_REJECTION_RETRY}. Read from
     * the Degraded condition, so a restart keeps the backoff and no per-shop state is kept in memory.
     */
    static Optional<Duration> retryAfterRejection(ShopClusterStatus status, Instant now) {
        return Conditions.find(status.getConditions(), ConditionTypes.DEGRADED)
                .filter(c -> ConditionTypes.CHILD_REJECTED.equals(c.getReason()))
                .map(c -> Duration.between(Instant.parse(c.getLastTransitionTime()), now))
                .map(since -> since.compareTo(MIN_REJECTION_RETRY) < 0
                        ? MIN_REJECTION_RETRY
                        : since.compareTo(MAX_REJECTION_RETRY) > 0 ? MAX_REJECTION_RETRY : since);
    }

    /**
     * One log line per distinct rejection (not per retry), and one when the children are accepted again.
     * The last rejection logged is remembered per shop only while it lasts (and at most for
     * {@link #MAX_REMEMBERED_REJECTIONS} shops): the status alone may lag behind the next reconcile.
     */
    private void logRejectionChange(ShopCluster shop, ShopClusterStatus status) {
        ResourceID id = ResourceID.fromResource(shop);
        Optional<String> rejection = rejection(status);
        String which =
                shop.getMetadata().getNamespace() + "/" + shop.getMetadata().getName();
        if (rejection.isPresent()) {
            if (loggedRejections.size() >= MAX_REMEMBERED_REJECTIONS) {
                loggedRejections.clear();
            }
            if (!rejection.get().equals(loggedRejections.put(id, rejection.get()))
                    && !rejection.equals(rejection(shop.getStatus()))) {
                LOG.warnf("%s: %s; retrying with backoff", which, rejection.get());
            }
        } else if (loggedRejections.remove(id) != null
                || rejection(shop.getStatus()).isPresent()) {
            LOG.infof("%s: the API server accepted every child again", which);
        }
    }

    private static Optional<String> rejection(ShopClusterStatus status) {
        return Conditions.find(status == null ? null : status.getConditions(), ConditionTypes.DEGRADED)
                .filter(c -> ConditionTypes.CHILD_REJECTED.equals(c.getReason()))
                .map(Condition::getMessage);
    }

    /**
     * What applying the children came to.
     *
     * @param conflicts objects (Kind/name) left alone because someone else owns them
     * @param rejected children the API server refused, as "Kind/name: the server's message"
     */
    record Children(List<String> conflicts, List<String> rejected) {
        boolean allApplied() {
            return conflicts.isEmpty() && rejected.isEmpty();
        }
    }

    /**
     * Applies every desired child in order and deletes the ones no longer wanted. A child the API server
     * refuses (quota, admission, an exhausted range) does not stop the others.
     */
    private Children reconcileChildren(ShopCluster shop, DesiredChildren desired, Context<ShopCluster> context) {
        List<String> conflicts = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        for (HasMetadata child : desired.objects()) {
            String what = child.getKind() + "/" + child.getMetadata().getName();
            try {
                switch (applier.apply(shop, child, context)) {
                    case CREATED -> created.add(what);
                    case UPDATED -> updated.add(what);
                    case CONFLICT -> conflicts.add(what);
                    case UNCHANGED -> {}
                }
            } catch (KubernetesClientException e) {
                if (!ChildApplier.isRejection(e)) {
                    throw e;
                }
                rejected.add(what + ": " + ChildApplier.serverMessage(e));
            }
        }
        // One event per reconcile that changed something: a new shop is one line, not seven.
        if (!created.isEmpty()) {
            events.record(
                    context.getClient(),
                    shop,
                    EventRecorder.Type.Normal,
                    "Created",
                    "created " + String.join(", ", created));
        }
        if (!updated.isEmpty()) {
            events.record(
                    context.getClient(),
                    shop,
                    EventRecorder.Type.Normal,
                    "Updated",
                    "brought " + String.join(", ", updated) + " in line with the spec");
        }
        deleteObsolete(shop, desired, context);
        return new Children(conflicts, rejected);
    }

    /** Deletes children this ShopCluster controls but no longer wants, such as a removed pool. */
    private void deleteObsolete(ShopCluster shop, DesiredChildren desired, Context<ShopCluster> context) {
        Set<String> wanted = new HashSet<>();
        desired.objects()
                .forEach(o -> wanted.add(o.getKind() + "/" + o.getMetadata().getName()));
        for (Class<? extends HasMetadata> kind : CHILD_KINDS) {
            context.getSecondaryResourcesAsStream(kind)
                    .map(HasMetadata.class::cast)
                    .filter(child -> !wanted.contains(
                            child.getKind() + "/" + child.getMetadata().getName()))
                    .filter(child -> ChildApplier.isControlledBy(child, shop))
                    .forEach(child -> {
                        context.getClient().resource(child).delete();
                        events.record(
                                context.getClient(),
                                shop,
                                EventRecorder.Type.Normal,
                                "Deleted",
                                "deleted " + child.getKind() + " "
                                        + child.getMetadata().getName() + ": no longer part of the spec");
                    });
        }
    }

    private static Map<String, Deployment> deployments(Context<ShopCluster> context) {
        return context.getSecondaryResourcesAsStream(Deployment.class)
                .collect(Collectors.toMap(d -> d.getMetadata().getName(), Function.identity(), (a, b) -> a));
    }

    private static boolean isActiveStandby(ShopCluster shop) {
        return shop.getSpec().getHighAvailability().getMode() == HighAvailabilityMode.ActiveStandby;
    }

    /** Patches status only when it differs; each change of Ready or Degraded is also an event. */
    private UpdateControl<ShopCluster> writeStatusIfChanged(
            ShopCluster shop, ShopClusterStatus status, Context<ShopCluster> context) {
        ShopClusterStatus previous = shop.getStatus();
        if (status.equals(previous)) {
            return UpdateControl.noUpdate();
        }
        for (ConditionEvents.ConditionEvent event : ConditionEvents.between(previous, status)) {
            events.record(
                    context.getClient(),
                    shop,
                    event.warning() ? EventRecorder.Type.Warning : EventRecorder.Type.Normal,
                    event.reason(),
                    event.message());
        }
        shop.setStatus(status);
        LOG.debugf(
                "status of %s/%s changed",
                shop.getMetadata().getNamespace(), shop.getMetadata().getName());
        return UpdateControl.patchStatus(shop);
    }

    @Override
    public ErrorStatusUpdateControl<ShopCluster> updateErrorStatus(
            ShopCluster shop, Context<ShopCluster> context, Exception e) {
        String invalid = invalidSpecMessage(e);
        if (invalid == null) {
            return ErrorStatusUpdateControl.defaultErrorProcessing();
        }
        // Retrying cannot help until the spec changes, and a spec change triggers a reconcile anyway.
        ShopClusterStatus status = shop.getStatus() == null ? new ShopClusterStatus() : shop.getStatus();
        ShopStatusAggregator.recordInvalidSpec(
                status, invalid, shop.getMetadata().getGeneration(), clock.instant());
        shop.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(shop).withNoRetry();
    }

    /**
     * The message of an error only a spec change can fix, or null: a value the renderer refuses (the
     * API server should have refused it already). A child the API server refuses, such as a pod setting
     * Kubernetes checks more strictly than the CRD's schema, is reported as ChildRejected instead.
     */
    private static String invalidSpecMessage(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidBalancerInputException) {
                return cause.getMessage();
            }
        }
        return null;
    }
}

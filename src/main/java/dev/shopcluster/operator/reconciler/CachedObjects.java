package dev.shopcluster.operator.reconciler;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.resources.ShopLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

/**
 * What the informers keep of each object: only the fields the operator reads. With a thousand shops the
 * caches hold ten thousand objects, and most of their bytes are fields nobody here looks at (other
 * managers' managedFields, the shop pods' spec).
 */
final class CachedObjects {

    private CachedObjects() {}

    /**
     * A child keeps its spec, status and metadata, and only the operator's own managedFields entry: the
     * apply-only-on-difference check compares the fields that entry lists. Its field sets are shared
     * with every other child's ({@link SharedFieldSets}).
     */
    static <R extends HasMetadata> R child(R child) {
        if (child.getMetadata().getManagedFields() != null) {
            child.getMetadata().getManagedFields().removeIf(entry -> !ShopLabels.MANAGER.equals(entry.getManager()));
            child.getMetadata().getManagedFields().stream()
                    .filter(entry -> entry.getFieldsV1() != null)
                    .forEach(entry -> entry.setFieldsV1(SharedFieldSets.share(entry.getFieldsV1())));
        }
        return child;
    }

    /**
     * A shop or balancer pod keeps what promotion and config delivery read: labels, annotations,
     * deletion, and its conditions.
     */
    static Pod pod(Pod pod) {
        pod.getMetadata().setManagedFields(null);
        pod.setSpec(null);
        if (pod.getStatus() != null) {
            // The IP is how the operator asks a balancer pod which config it serves (LoadedConfigProbe).
            pod.setStatus(new PodStatusBuilder()
                    .withConditions(pod.getStatus().getConditions())
                    .withPhase(pod.getStatus().getPhase())
                    .withPodIP(pod.getStatus().getPodIP())
                    .build());
        }
        return pod;
    }

    /** A ShopCluster keeps everything but managedFields, which its status writes never need. */
    static ShopCluster shop(ShopCluster shop) {
        shop.getMetadata().setManagedFields(null);
        return shop;
    }

    /** The primary informer's store, named in {@link ShopClusterReconciler}'s configuration. */
    public static final class ShopStore extends TransformingItemStore<ShopCluster> {
        public ShopStore() {
            super(CachedObjects::shop);
        }
    }
}

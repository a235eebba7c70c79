package dev.shopcluster.operator.reconciler;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.resources.ShopLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.stream.Stream;

/** A shop's pods as the informer sees them. */
final class Pods {

    private Pods() {}

    /** The shop's pods of one component (shop or balancer). */
    static Stream<Pod> of(Context<ShopCluster> context, String component) {
        return context.getSecondaryResourcesAsStream(Pod.class)
                .filter(pod -> component.equals(pod.getMetadata().getLabels().get(ShopLabels.COMPONENT)));
    }

    /** The kubelet reports the pod Ready: every container passes its readiness probe. */
    static boolean isReady(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}

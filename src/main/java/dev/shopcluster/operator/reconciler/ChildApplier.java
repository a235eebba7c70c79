package dev.shopcluster.operator.reconciler;

import dev.shopcluster.operator.api.ShopCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.SSABasedGenericKubernetesResourceMatcher;
import java.util.Objects;

/**
 * Applies one desired child with server-side apply, and only when it differs from what the API server
 * holds: an unchanged child costs no write. Never touches an object of the same name that this
 * ShopCluster does not control.
 */
final class ChildApplier {

    enum Outcome {
        CREATED,
        UPDATED,
        UNCHANGED,
        /** An object of that name exists and is not controlled by this ShopCluster: left alone. */
        CONFLICT
    }

    private static final int MAX_MESSAGE = 1000;

    private final SSABasedGenericKubernetesResourceMatcher<HasMetadata> matcher =
            SSABasedGenericKubernetesResourceMatcher.getInstance();

    Outcome apply(ShopCluster shop, HasMetadata desired, Context<ShopCluster> context) {
        HasMetadata actual = observed(desired, context);
        if (actual != null && !isControlledBy(actual, shop)) {
            return Outcome.CONFLICT;
        }
        if (actual != null && matcher.matches(actual, desired, context)) {
            return Outcome.UNCHANGED;
        }
        context.getClient()
                .resource(desired)
                .fieldManager(context.getControllerConfiguration().fieldManager())
                .forceConflicts()
                .serverSideApply();
        return actual == null ? Outcome.CREATED : Outcome.UPDATED;
    }

    /**
     * The cached child, or, on a cache miss, the object from the API server: the informers see only
     * objects with our labels, and a same-named stranger must be found before an apply would take it over.
     */
    private static HasMetadata observed(HasMetadata desired, Context<ShopCluster> context) {
        return context.getSecondaryResourcesAsStream(desired.getClass())
                .map(HasMetadata.class::cast)
                .filter(child -> child.getMetadata()
                        .getName()
                        .equals(desired.getMetadata().getName()))
                .findFirst()
                .orElseGet(() -> context.getClient().resource(desired).get());
    }

    /** The API server answered, and refused: quota, admission, validation, an exhausted range. */
    static boolean isRejection(KubernetesClientException e) {
        return e.getCode() >= 400;
    }

    /** What the API server said, as it said it (not the client's wrapping), within a condition's reach. */
    static String serverMessage(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage();
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "…";
    }

    static boolean isControlledBy(HasMetadata child, ShopCluster shop) {
        return child.getMetadata().getOwnerReferences().stream()
                .anyMatch(ref -> Boolean.TRUE.equals(ref.getController())
                        && Objects.equals(ref.getUid(), shop.getMetadata().getUid()));
    }
}

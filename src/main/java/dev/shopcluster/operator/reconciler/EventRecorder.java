package dev.shopcluster.operator.reconciler;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.resources.ShopLabels;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Records core/v1 Events on a ShopCluster, as `kubectl describe shop` shows them. */
final class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    enum Type {
        Normal,
        Warning
    }

    void record(KubernetesClient client, ShopCluster shop, Type type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(shop.getMetadata().getName() + "."
                        + UUID.randomUUID().toString().substring(0, 13))
                .withNamespace(shop.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(shop.getApiVersion())
                .withKind(shop.getKind())
                .withName(shop.getMetadata().getName())
                .withNamespace(shop.getMetadata().getNamespace())
                .withUid(shop.getMetadata().getUid())
                .withResourceVersion(shop.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type.name())
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource()
                .withComponent(ShopLabels.MANAGER)
                .endSource()
                .withReportingComponent(ShopLabels.MANAGER)
                .build();
        try {
            client.v1().events().resource(event).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy to the reader; failing to record one must not fail the reconcile.
            LOG.warnf(
                    "could not record event %s on %s/%s: %s",
                    reason,
                    shop.getMetadata().getNamespace(),
                    shop.getMetadata().getName(),
                    e.getMessage());
        }
    }
}

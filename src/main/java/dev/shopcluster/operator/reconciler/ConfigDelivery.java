package dev.shopcluster.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Gets a new haproxy.cfg into every balancer pod within a second, and tells when every ready one serves it.
 *
 * <p>The kubelet rewrites a ConfigMap volume only when it syncs the pod, which it does on its own every
 * minute or so, but also at once when the pod object changes. So after writing the ConfigMap, the
 * operator annotates each balancer pod with the config's hash ({@value #ANNOTATION}): the kubelet syncs
 * the pod and refreshes the volume from its watch-fed cache, and the reload sidecar, which checks the
 * file ten times a second, reloads HAProxy. This needs no API credentials in the balancer pod and no
 * image beyond HAProxy's own.
 *
 * <p>The annotation also records the delivery's progress, so a restarted operator picks it up:
 * {@code HASH@MILLIS} asked the kubelet at that time; {@code HASH} alone: the pod's HAProxy was seen
 * serving it. If the kubelet synced before its cache had the new ConfigMap, the pod keeps the old config;
 * a pod still not serving {@link #RETRY_AFTER} after the last request is annotated again.
 */
final class ConfigDelivery {

    static final String ANNOTATION = "shopcluster.dev/config-hash";
    static final Duration RETRY_AFTER = Duration.ofMillis(500);
    /** How soon to look again while a pod does not serve the new config yet. */
    static final Duration RECHECK = Duration.ofMillis(200);

    /** Every ready balancer pod serves the config, or not yet. */
    record Progress(int readyPods, int serving) {
        boolean complete() {
            return serving == readyPods;
        }
    }

    /** What one pod's annotation says about the delivery of {@code hash}. */
    record PodMark(String hash, Instant requested) {

        static PodMark of(Pod pod) {
            String value = pod.getMetadata().getAnnotations() == null
                    ? null
                    : pod.getMetadata().getAnnotations().get(ANNOTATION);
            if (value == null) {
                return new PodMark(null, null);
            }
            int at = value.indexOf('@');
            if (at < 0) {
                return new PodMark(value, null);
            }
            try {
                return new PodMark(
                        value.substring(0, at), Instant.ofEpochMilli(Long.parseLong(value.substring(at + 1))));
            } catch (NumberFormatException e) {
                return new PodMark(null, null);
            }
        }

        boolean confirms(String expected) {
            return expected.equals(hash) && requested == null;
        }

        boolean requestedRecently(String expected, Instant now) {
            return expected.equals(hash) && requested != null && now.isBefore(requested.plus(RETRY_AFTER));
        }
    }

    private final LoadedConfigProbe probe;

    /** @param probe asks a pod what it serves; null where pods cannot be reached (simulated clusters) */
    ConfigDelivery(LoadedConfigProbe probe) {
        this.probe = probe;
    }

    /** Moves each balancer pod one step toward serving {@code hash}; safe to repeat and to interrupt. */
    Progress deliver(KubernetesClient client, List<Pod> balancerPods, String hash, Instant now) {
        return deliver(balancerPods, hash, now, (pod, value) -> annotate(client, pod, value));
    }

    /** @param annotate writes the annotation's new value on a pod */
    Progress deliver(List<Pod> balancerPods, String hash, Instant now, BiConsumer<Pod, String> annotate) {
        int ready = 0;
        int serving = 0;
        for (Pod pod : balancerPods) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            boolean isReady = Pods.isReady(pod);
            ready += isReady ? 1 : 0;
            PodMark mark = PodMark.of(pod);
            if (mark.confirms(hash)) {
                serving += isReady ? 1 : 0;
            } else if (probe == null) {
                annotate.accept(pod, hash);
                serving += isReady ? 1 : 0;
            } else if (isReady && probe.loadedHash(pod).filter(hash::equals).isPresent()) {
                annotate.accept(pod, hash);
                serving++;
            } else if (!mark.requestedRecently(hash, now)) {
                annotate.accept(pod, hash + "@" + now.toEpochMilli());
            }
        }
        return new Progress(ready, serving);
    }

    private static void annotate(KubernetesClient client, Pod pod, String value) {
        try {
            client.pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + value + "\"}}}");
        } catch (KubernetesClientException e) {
            // A pod deleted meanwhile needs no config; the next reconcile sees the rest.
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}

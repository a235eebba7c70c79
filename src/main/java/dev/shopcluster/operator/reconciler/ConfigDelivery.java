package dev.shopcluster.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>The annotation also records when the kubelet was asked ({@code HASH@MILLIS}), so a restarted
 * operator does not ask again at once. If the kubelet synced before its cache had the new ConfigMap, the
 * pod keeps the old config; a pod still not serving {@link #RETRY_AFTER} after the last request is
 * annotated again. That a pod serves a config is kept in memory only, not written to the pod: every
 * write to the pod makes the kubelet sync it, and the kubelet starts a pod's sync only after its next
 * container-runtime relist (once a second) once the pod has synced within the last second, so a
 * confirming write would delay the next config by up to a second. A restarted operator asks each pod
 * once more. {@code HASH} alone is the mark where no probe can confirm (simulated clusters).
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

    /** Pods remembered as serving a config: about 2 per shop, bounded so deleted pods age out. */
    static final int CONFIRMED_PODS_KEPT = 10_000;

    private final LoadedConfigProbe probe;
    /** Pod UID to the hash its HAProxy was seen serving; a pod forgotten is asked once more. */
    private final Map<String, String> confirmed = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CONFIRMED_PODS_KEPT;
        }
    });

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
            String uid = pod.getMetadata().getUid();
            if (mark.confirms(hash) || seenServing(uid, hash)) {
                serving += isReady ? 1 : 0;
            } else if (probe == null) {
                annotate.accept(pod, hash);
                serving += isReady ? 1 : 0;
            } else if (isReady && probe.loadedHash(pod).filter(hash::equals).isPresent()) {
                confirmed.put(uid, hash);
                serving++;
            } else if (!mark.requestedRecently(hash, now)) {
                annotate.accept(pod, hash + "@" + now.toEpochMilli());
            }
        }
        return new Progress(ready, serving);
    }

    /**
     * Whether the pod was seen serving {@code hash}. A pod seen serving another config is forgotten: once
     * a new config is in the ConfigMap, the kubelet may load it at any sync, so going back to the earlier
     * config needs a fresh look.
     */
    private boolean seenServing(String podUid, String hash) {
        if (hash.equals(confirmed.get(podUid))) {
            return true;
        }
        confirmed.remove(podUid);
        return false;
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

package dev.shopcluster.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How the operator walks each balancer pod to a new config and decides it is delivered. */
class ConfigDeliveryTest {

    private static final String OLD = "0".repeat(64);
    private static final String NEW = "1".repeat(64);
    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");

    private final Map<String, String> served = new LinkedHashMap<>();
    private final List<String> probed = new ArrayList<>();
    private final Map<String, String> annotated = new LinkedHashMap<>();
    private final ConfigDelivery delivery = new ConfigDelivery(pod -> {
        probed.add(pod.getMetadata().getName());
        return Optional.ofNullable(served.get(pod.getMetadata().getName()));
    });

    @Test
    void aPodServingTheOldConfigIsAskedToRefreshAndNotCountedAsServing() {
        served.put("lb-1", OLD);
        var progress = deliver(pod("lb-1", true, null));

        assertThat(annotated).containsExactly(Map.entry("lb-1", NEW + "@" + NOW.toEpochMilli()));
        assertThat(progress).isEqualTo(new ConfigDelivery.Progress(1, 0));
        assertThat(progress.complete()).isFalse();
    }

    @Test
    void aRecentRequestIsGivenTimeAndAnOldOneIsRepeated() {
        served.put("lb-1", OLD);
        served.put("lb-2", OLD);
        deliver(
                pod(
                        "lb-1",
                        true,
                        NEW + "@"
                                + NOW.minus(ConfigDelivery.RETRY_AFTER.dividedBy(2))
                                        .toEpochMilli()),
                pod(
                        "lb-2",
                        true,
                        NEW + "@" + NOW.minus(ConfigDelivery.RETRY_AFTER).toEpochMilli()));

        assertThat(annotated).containsExactly(Map.entry("lb-2", NEW + "@" + NOW.toEpochMilli()));
    }

    @Test
    void aPodSeenServingTheNewConfigIsRememberedWithoutAWriteAndNotAskedAgain() {
        served.put("lb-1", NEW);
        Pod requested = pod("lb-1", true, NEW + "@" + NOW.toEpochMilli());
        var first = deliver(requested);
        probed.clear();
        var second = deliver(requested);

        assertThat(first.complete()).isTrue();
        assertThat(second).isEqualTo(new ConfigDelivery.Progress(1, 1));
        assertThat(probed).isEmpty();
        // Every write to the pod makes the kubelet sync it, and a second sync within a second waits for the
        // kubelet's next relist: a confirming write would hold up the next config.
        assertThat(annotated).isEmpty();
    }

    @Test
    void aPodIsLookedAtAgainWhenAnEarlierConfigComesBack() {
        served.put("lb-1", NEW);
        Pod pod = pod("lb-1", true, NEW + "@" + NOW.toEpochMilli());
        deliver(pod);
        // Another config is delivered; before the pod is seen serving it, it comes back to the first one.
        delivery.deliver(List.of(pod), OLD, NOW, (p, value) -> {});
        served.put("lb-1", OLD);
        probed.clear();

        assertThat(deliver(pod).complete()).isFalse();
        assertThat(probed).containsExactly("lb-1");
    }

    @Test
    void deliveryIsCompleteOnlyWhenEveryReadyPodServesTheConfig() {
        served.put("lb-1", NEW);
        served.put("lb-2", OLD);
        assertThat(deliver(pod("lb-1", true, null), pod("lb-2", true, null)).complete())
                .isFalse();

        // A pod that is not ready takes no traffic: it is asked to refresh but does not hold delivery back.
        assertThat(deliver(pod("lb-1", true, NEW), pod("lb-2", false, null)))
                .isEqualTo(new ConfigDelivery.Progress(1, 1));
    }

    @Test
    void aPodThatAnswersNothingIsNotServing() {
        var progress = deliver(pod("lb-1", true, NEW + "@" + NOW.toEpochMilli()));

        assertThat(progress.complete()).isFalse();
        assertThat(probed).containsExactly("lb-1");
    }

    @Test
    void withoutAProbeEachPodIsAskedOnceAndCountedAsServing() {
        ConfigDelivery unverified = new ConfigDelivery(null);
        var progress = unverified.deliver(
                List.of(pod("lb-1", true, OLD)),
                NEW,
                NOW,
                (pod, value) -> annotated.put(pod.getMetadata().getName(), value));

        assertThat(annotated).containsExactly(Map.entry("lb-1", NEW));
        assertThat(progress.complete()).isTrue();
    }

    @Test
    void anUnreadableAnnotationStartsOver() {
        assertThat(ConfigDelivery.PodMark.of(pod("lb-1", true, NEW + "@soon")))
                .isEqualTo(new ConfigDelivery.PodMark(null, null));
    }

    private ConfigDelivery.Progress deliver(Pod... pods) {
        return delivery.deliver(
                List.of(pods),
                NEW,
                NOW,
                (pod, value) -> annotated.put(pod.getMetadata().getName(), value));
    }

    private static Pod pod(String name, boolean ready, String annotation) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withUid("uid-" + name)
                .endMetadata()
                .withNewStatus()
                .withPodIP("10.244.0.7")
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .endStatus();
        if (annotation != null) {
            pod.editMetadata()
                    .addToAnnotations(ConfigDelivery.ANNOTATION, annotation)
                    .endMetadata();
        }
        return pod.build();
    }
}

package dev.shopcluster.operator.realnode;

import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.RestrictedPodSecurity;
import dev.shopcluster.operator.resources.ContainerSecurity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A client on the pod network: a pod running hack/realnode/loadgen, which sends GET requests at a fixed
 * rate to a URL (a Service's name) and logs one line per request; read here through the pod's log.
 */
final class LoadGenerator {

    static final String IMAGE = "localhost/realnode/loadgen:1";
    /** How long the load generator waits for a first answer before it starts its run. */
    private static final Duration AWAIT_ANSWER = Duration.ofMinutes(1);

    /** One request as the load generator saw it. {@code pod} is the pod that answered, "-" if none did. */
    record Response(long seq, Instant sent, Duration latency, String status, String pod, String key) {

        boolean ok() {
            return status.equals("200");
        }

        Instant answered() {
            return sent.plus(latency);
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    private LoadGenerator(KubernetesClient client, String namespace, String name) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
    }

    /**
     * Starts sending.
     *
     * @param header header carrying a key that cycles through 100 values, or null for none
     */
    static LoadGenerator start(
            KubernetesClient client,
            String namespace,
            String name,
            String url,
            int ratePerSecond,
            Duration duration,
            String header) {
        List<String> args = new ArrayList<>(List.of(
                "-url",
                url,
                "-rate",
                String.valueOf(ratePerSecond),
                "-duration",
                duration.toSeconds() + "s",
                "-await",
                AWAIT_ANSWER.toSeconds() + "s"));
        if (header != null) {
            args.addAll(List.of("-header", header));
        }
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withSecurityContext(RestrictedPodSecurity.podContext())
                .addNewContainer()
                .withName("loadgen")
                .withImage(IMAGE)
                .withImagePullPolicy("Never")
                .withArgs(args)
                .withSecurityContext(ContainerSecurity.restrictedReadOnly())
                .endContainer()
                .endSpec()
                .build();
        client.pods().inNamespace(namespace).resource(pod).create();
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            Pod current = client.pods().inNamespace(namespace).withName(name).get();
            return current.getStatus() != null
                    && !"Pending".equals(current.getStatus().getPhase());
        });
        return new LoadGenerator(client, namespace, name);
    }

    /** Waits until every request was sent and answered (or timed out), then returns them in send order. */
    List<Response> awaitAll(Duration timeout) {
        await().atMost(AWAIT_ANSWER.plus(timeout))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    String log = "\n"
                            + client.pods()
                                    .inNamespace(namespace)
                                    .withName(name)
                                    .tailingLines(1)
                                    .getLog();
                    if ("Failed"
                            .equals(client.pods()
                                    .inNamespace(namespace)
                                    .withName(name)
                                    .get()
                                    .getStatus()
                                    .getPhase())) {
                        throw new IllegalStateException("load generator " + name + " failed:" + log);
                    }
                    return log.contains("\ndone ");
                });
        return responses();
    }

    /** The requests answered so far, in send order. */
    List<Response> responses() {
        return parse(log());
    }

    /** The last {@code count} requests answered, in send order: a cheap look while the run goes on. */
    List<Response> recent(int count) {
        return parse(client.pods()
                .inNamespace(namespace)
                .withName(name)
                .tailingLines(count)
                .getLog());
    }

    private static List<Response> parse(String log) {
        List<Response> responses = new ArrayList<>();
        for (String line : log.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 6) {
                responses.add(new Response(
                        Long.parseLong(f[0]),
                        Instant.EPOCH.plusNanos(Long.parseLong(f[1]) * 1000),
                        Duration.ofNanos(Long.parseLong(f[2]) * 1000),
                        f[3],
                        f[4],
                        f[5]));
            }
        }
        responses.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        return responses;
    }

    void delete() {
        client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete();
    }

    private String log() {
        return "\n" + client.pods().inNamespace(namespace).withName(name).getLog();
    }
}

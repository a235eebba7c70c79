package dev.shopcluster.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.KubeBinaries;
import dev.shopcluster.operator.ReadyEndpoints;
import dev.shopcluster.operator.RestrictedPodSecurity;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End to end on a simulated cluster: real Deployment and ReplicaSet controllers and scheduler, kwok
 * nodes whose pods become Ready, Pod Security "restricted" enforced, and the packaged operator.
 */
@ExtendWith(SimulatedCluster.class)
class SimulatedClusterIT {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static KubernetesClient client;
    private static String namespace;
    private static PackagedOperator operator;

    @BeforeAll
    static void start() throws IOException {
        client = SimulatedCluster.client();
        namespace = "e2e";
        RestrictedPodSecurity.applyNamespace(client, namespace);
        SimulatedCluster.installCrd();
        operator = PackagedOperator.start(
                SimulatedCluster.kubeconfig(), SimulatedCluster.DIR.resolve("operator.log"), "512m", Map.of());
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            for (Path example :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(example)) {
                    client.resources(ShopCluster.class)
                            .inNamespace(namespace)
                            .load(in)
                            .create();
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        operator.close();
    }

    @Test
    void everyExampleBecomesReadyWithPodsAdmittedUnderRestricted() {
        await().atMost(READY_TIMEOUT)
                .untilAsserted(
                        () -> assertThat(shops()).hasSizeGreaterThanOrEqualTo(8).allSatisfy(shop -> assertThat(
                                        Conditions.isTrue(shop.getStatus().getConditions(), ConditionTypes.READY))
                                .as(shop.getMetadata().getName())
                                .isTrue()));
        assertThat(client.v1().events().inNamespace(namespace).list().getItems())
                .as("no pod refused by Pod Security admission")
                .noneMatch(e -> "FailedCreate".equals(e.getReason()));
        assertThat(client.pods().inNamespace(namespace).list().getItems())
                .isNotEmpty()
                .allSatisfy(pod -> assertThat(pod.getSpec().getNodeName()).startsWith("kwok-node-"));
    }

    @Test
    void activeStandbyFailsOverWhenThePrimaryPodsGoUnready() {
        awaitReady("payments");
        List<Pod> primaryPods = client.pods()
                .inNamespace(namespace)
                .withLabels(Map.of("app.kubernetes.io/instance", "payments", "shopcluster.dev/group", "a"))
                .list()
                .getItems();
        assertThat(primaryPods).hasSize(2);
        primaryPods.forEach(SimulatedClusterIT::markUnready);

        await().atMost(Duration.ofSeconds(5 + 15))
                .until(() -> shop("payments").getStatus().getCurrentPrimary() == Slot.B);
        // The Service clients use to reach the primary directly now leads to slot b's pods only.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> endpointPods = ReadyEndpoints.podNames(client, namespace, "payments-primary");
            assertThat(endpointPods).isNotEmpty().allMatch(name -> name.startsWith("payments-b-"));
        });
        assertThat(shop("payments").getStatus().getFailovers()).isEqualTo(1);
    }

    @Test
    void kubectlScaleChangesThePodCount() throws Exception {
        awaitReady("storefront");
        Process scale = new ProcessBuilder(
                        KubeBinaries.binary("kubectl").toString(),
                        "--kubeconfig",
                        SimulatedCluster.kubeconfig().toString(),
                        "-n",
                        namespace,
                        "scale",
                        "shop",
                        "storefront",
                        "--replicas=5")
                .inheritIO()
                .start();
        assertThat(scale.waitFor()).isZero();
        await().atMost(READY_TIMEOUT)
                .until(() -> client
                                .pods()
                                .inNamespace(namespace)
                                .withLabels(Map.of(
                                        "app.kubernetes.io/instance", "storefront", "shopcluster.dev/group", "main"))
                                .list()
                                .getItems()
                                .stream()
                                .filter(SimulatedClusterIT::isReady)
                                .count()
                        == 5);
        // Status follows the pods: Ready may still be the one from before the scale for a moment.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(shop("storefront").getStatus().getReadyReplicas()).isEqualTo(5);
            assertThat(Conditions.isTrue(shop("storefront").getStatus().getConditions(), ConditionTypes.READY))
                    .isTrue();
        });
    }

    /** What a failing readiness probe does: the kubelet (here: us, for kwok's node) reports the pod unready. */
    private static void markUnready(Pod pod) {
        client.pods()
                .inNamespace(namespace)
                .withName(pod.getMetadata().getName())
                .editStatus(p -> {
                    p.getStatus().getConditions().stream()
                            .filter(c -> "Ready".equals(c.getType()))
                            .forEach(c -> c.setStatus("False"));
                    p.getStatus().getContainerStatuses().forEach(s -> s.setReady(false));
                    return p;
                });
    }

    private static boolean isReady(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static void awaitReady(String name) {
        await().atMost(READY_TIMEOUT)
                .ignoreExceptions()
                .until(() -> Conditions.isTrue(shop(name).getStatus().getConditions(), ConditionTypes.READY));
    }

    private static ShopCluster shop(String name) {
        return client.resources(ShopCluster.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    private static List<ShopCluster> shops() {
        return client.resources(ShopCluster.class).inNamespace(namespace).list().getItems();
    }
}

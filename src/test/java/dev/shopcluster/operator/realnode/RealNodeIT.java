package dev.shopcluster.operator.realnode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.RestrictedPodSecurity;
import dev.shopcluster.operator.resources.ContainerSecurity;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The node itself: Ready, and a pod on the pod network reaches another through a Service's DNS name. */
@ExtendWith(RealNode.class)
class RealNodeIT {

    private static final String NAMESPACE = "node-check";
    private static KubernetesClient client;

    @BeforeAll
    static void namespace() {
        client = RealNode.client();
        RestrictedPodSecurity.applyNamespace(client, NAMESPACE);
    }

    @Test
    void nodeIsReadyWithARealKubelet() {
        Node node = client.nodes().withName("realnode").get();
        assertThat(node.getStatus().getConditions())
                .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.34.4");
        assertThat(node.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://");
    }

    @Test
    void aPodResolvesAServiceNameAndIsAnsweredThroughItsClusterIp() {
        client.pods()
                .inNamespace(NAMESPACE)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("shop")
                        .withLabels(Map.of("app", "shop"))
                        .endMetadata()
                        .withNewSpec()
                        .withSecurityContext(RestrictedPodSecurity.podContext())
                        .addNewContainer()
                        .withName("shop")
                        .withImage(ShopImage.NAME)
                        .withImagePullPolicy("Never")
                        .addNewPort()
                        .withContainerPort(8080)
                        .endPort()
                        .withNewReadinessProbe()
                        .withNewHttpGet()
                        .withPath("/healthz")
                        .withPort(new IntOrString(8080))
                        .endHttpGet()
                        .withPeriodSeconds(1)
                        .endReadinessProbe()
                        .withSecurityContext(ContainerSecurity.restrictedReadOnly())
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        client.services()
                .inNamespace(NAMESPACE)
                .resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("shop")
                        .endMetadata()
                        .withNewSpec()
                        .withSelector(Map.of("app", "shop"))
                        .addNewPort()
                        .withPort(80)
                        .withTargetPort(new IntOrString(8080))
                        .endPort()
                        .endSpec()
                        .build())
                .create();
        await().atMost(Duration.ofMinutes(1))
                .until(() ->
                        client.pods().inNamespace(NAMESPACE).withName("shop").isReady());

        LoadGenerator load = LoadGenerator.start(
                client,
                NAMESPACE,
                "client",
                "http://shop." + NAMESPACE + ".svc.cluster.local/",
                10,
                Duration.ofSeconds(3),
                null);
        List<LoadGenerator.Response> responses = load.awaitAll(Duration.ofMinutes(1));

        assertThat(responses).hasSize(30).allSatisfy(r -> {
            assertThat(r.status()).as("request %d", r.seq()).isEqualTo("200");
            assertThat(r.pod()).isEqualTo("shop");
        });
    }
}

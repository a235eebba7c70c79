package dev.shopcluster.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.apiserver.TestShops;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A realistic shop (resources, env from a Secret, a pull secret) in a namespace whose ResourceQuota
 * requires CPU and memory limits on every container: the real quota admission refuses pods without
 * them, so every container the operator creates must carry them. On kwok's simulated nodes the
 * Secret's values and the pull secret are referenced but not used: that needs the real-node tier.
 */
@ExtendWith(SimulatedCluster.class)
class ResourceQuotaIT {

    private static final String NAMESPACE = "quota";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static KubernetesClient client;
    private static PackagedOperator operator;

    @BeforeAll
    static void start() throws Exception {
        client = SimulatedCluster.client();
        SimulatedCluster.restrictedNamespace(NAMESPACE);
        SimulatedCluster.installCrd();
        client.resourceQuotas()
                .inNamespace(NAMESPACE)
                .resource(new ResourceQuotaBuilder()
                        .withNewMetadata()
                        .withName("limits-required")
                        .endMetadata()
                        .withNewSpec()
                        .withHard(Map.of(
                                "limits.cpu",
                                new Quantity("8"),
                                "limits.memory",
                                new Quantity("8Gi"),
                                "requests.cpu",
                                new Quantity("4"),
                                "requests.memory",
                                new Quantity("4Gi")))
                        .endSpec()
                        .build())
                .serverSideApply();
        client.secrets()
                .inNamespace(NAMESPACE)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("cart-db")
                        .endMetadata()
                        .withStringData(Map.of("password", "s3cret", "DB_USER", "cart"))
                        .build())
                .serverSideApply();
        String dockerConfig = "{\"auths\":{\"registry.example.com\":{\"auth\":\""
                + Base64.getEncoder().encodeToString("robot:token".getBytes(StandardCharsets.UTF_8)) + "\"}}}";
        client.secrets()
                .inNamespace(NAMESPACE)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("registry")
                        .endMetadata()
                        .withType("kubernetes.io/dockerconfigjson")
                        .withStringData(Map.of(".dockerconfigjson", dockerConfig))
                        .build())
                .serverSideApply();
        operator = PackagedOperator.start(
                SimulatedCluster.kubeconfig(), SimulatedCluster.DIR.resolve("operator-quota.log"), "512m", Map.of());
    }

    @AfterAll
    static void stop() {
        operator.close();
    }

    @Test
    void aShopWithoutLimitsIsRefusedByTheQuota() {
        create("bare", "image: registry.example.com/cart:1.4.2");
        await().atMost(READY_TIMEOUT).untilAsserted(() -> assertThat(
                        client.v1().events().inNamespace(NAMESPACE).list().getItems())
                .anySatisfy(event -> {
                    assertThat(event.getReason()).isEqualTo("FailedCreate");
                    assertThat(event.getInvolvedObject().getName()).startsWith("bare-main-");
                    assertThat(event.getMessage()).contains("limits-required").contains("must specify");
                }));
        assertThat(client.pods()
                        .inNamespace(NAMESPACE)
                        .withLabel("app.kubernetes.io/instance", "bare")
                        .list()
                        .getItems())
                .isEmpty();
    }

    @Test
    void aShopWithLimitsEnvFromASecretAndAPullSecretBecomesReady() {
        create(
                "cart",
                """
                image: registry.example.com/cart:1.4.2
                replicas: 2
                pod:
                  resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {cpu: 500m, memory: 512Mi}}
                  env:
                  - name: DB_PASSWORD
                    valueFrom: {secretKeyRef: {name: cart-db, key: password}}
                  envFrom: [{secretRef: {name: cart-db}}]
                  imagePullSecrets: [{name: registry}]
                balancer:
                  replicas: 2
                  pod:
                    resources: {limits: {cpu: 500m, memory: 256Mi}}
                    imagePullSecrets: [{name: registry}]
                """);
        await().atMost(READY_TIMEOUT)
                .ignoreExceptions()
                .until(() -> Conditions.isTrue(
                        client.resources(ShopCluster.class)
                                .inNamespace(NAMESPACE)
                                .withName("cart")
                                .get()
                                .getStatus()
                                .getConditions(),
                        ConditionTypes.READY));

        List<Pod> shopPods = pods("cart", "shop");
        assertThat(shopPods).hasSize(2).allSatisfy(pod -> {
            assertThat(pod.getSpec().getImagePullSecrets())
                    .extracting(LocalObjectReference::getName)
                    .containsExactly("registry");
            var container = pod.getSpec().getContainers().get(0);
            assertThat(container.getEnv()).extracting(EnvVar::getName).containsExactly("DB_PASSWORD");
            assertThat(container
                            .getEnv()
                            .get(0)
                            .getValueFrom()
                            .getSecretKeyRef()
                            .getName())
                    .isEqualTo("cart-db");
            assertThat(container.getEnvFrom().get(0).getSecretRef().getName()).isEqualTo("cart-db");
            assertThat(container.getResources().getLimits()).containsEntry("cpu", new Quantity("500m"));
        });
        assertThat(pods("cart", "balancer")).hasSize(2).allSatisfy(pod -> assertThat(
                        pod.getSpec().getImagePullSecrets())
                .extracting(LocalObjectReference::getName)
                .containsExactly("registry"));
        // Charged to the quota: 2 shop pods of 500m, 2 balancer pods of 500m HAProxy + 100m reload sidecar.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(usedCpuLimitsMillis()).isEqualTo(2 * 500 + 2 * (500 + 100)));
    }

    /** The quota's own count: "bare" has no pods, so everything charged is cart's. */
    private static long usedCpuLimitsMillis() {
        ResourceQuota quota = client.resourceQuotas()
                .inNamespace(NAMESPACE)
                .withName("limits-required")
                .get();
        return Quantity.getAmountInBytes(quota.getStatus().getUsed().get("limits.cpu"))
                .movePointRight(3)
                .longValueExact();
    }

    private static List<Pod> pods(String shop, String component) {
        return client.pods()
                .inNamespace(NAMESPACE)
                .withLabels(Map.of("app.kubernetes.io/instance", shop, "app.kubernetes.io/component", component))
                .list()
                .getItems();
    }

    private static void create(String name, String spec) {
        TestShops.create(client, NAMESPACE, name, spec);
    }
}

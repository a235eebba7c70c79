package dev.shopcluster.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.RestrictedPodSecurity;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.apiserver.TestShops;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
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
        RestrictedPodSecurity.applyNamespace(client, NAMESPACE);
        SimulatedCluster.installCrd();
        RealisticShop.prepareNamespace(client, NAMESPACE);
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
        create("cart", RealisticShop.spec("registry.example.com/cart:1.4.2"));
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
                    .containsExactly(RealisticShop.PULL_SECRET);
            var container = pod.getSpec().getContainers().get(0);
            assertThat(container.getEnv()).extracting(EnvVar::getName).containsExactly("DB_PASSWORD");
            assertThat(container
                            .getEnv()
                            .get(0)
                            .getValueFrom()
                            .getSecretKeyRef()
                            .getName())
                    .isEqualTo(RealisticShop.DB_SECRET);
            assertThat(container.getEnvFrom().get(0).getSecretRef().getName()).isEqualTo(RealisticShop.DB_SECRET);
            assertThat(container.getResources().getLimits()).containsEntry("cpu", new Quantity("500m"));
        });
        assertThat(pods("cart", "balancer")).hasSize(2).allSatisfy(pod -> assertThat(
                        pod.getSpec().getImagePullSecrets())
                .extracting(LocalObjectReference::getName)
                .containsExactly(RealisticShop.PULL_SECRET));
        // Charged to the quota: "bare" has no pods, so everything charged is cart's.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(RealisticShop.usedCpuLimitsMillis(client, NAMESPACE))
                        .isEqualTo(2 * RealisticShop.SHOP_POD_CPU_LIMIT_MILLIS
                                + 2 * RealisticShop.BALANCER_POD_CPU_LIMIT_MILLIS));
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

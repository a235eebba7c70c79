package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Status and conditions follow the observed Deployments; the scale subresource works. */
class ShopClusterStatusIT {

    @RegisterExtension
    static final OperatorHarness harness = OperatorHarness.withOperator("status");

    @Test
    void conditionsFollowReadiness() {
        harness.createShop("cart", "image: shop:1\nreplicas: 3");
        awaitCondition("cart", ConditionTypes.READY, "False", ConditionTypes.REPLICAS_NOT_READY);
        awaitCondition("cart", ConditionTypes.PROGRESSING, "True", ConditionTypes.ROLLOUT_IN_PROGRESS);

        harness.awaitDeployments(List.of("cart-main", "cart-balancer"));
        WorkloadSimulator.allReady(harness.client(), harness.namespace(), "cart-main");
        WorkloadSimulator.allReady(harness.client(), harness.namespace(), "cart-balancer");
        Condition ready = awaitCondition("cart", ConditionTypes.READY, "True", ConditionTypes.ALL_REPLICAS_READY);
        assertThat(ready.getMessage()).isEqualTo("shop 3/3 ready, balancer 2/2 ready");
        awaitCondition("cart", ConditionTypes.PROGRESSING, "False", ConditionTypes.ROLLOUT_COMPLETE);
        awaitCondition("cart", ConditionTypes.DEGRADED, "False", ConditionTypes.AS_EXPECTED);
        ShopCluster shop = harness.shop("cart");
        assertThat(shop.getStatus().getObservedGeneration())
                .isEqualTo(shop.getMetadata().getGeneration());
        assertThat(shop.getStatus().getReplicas()).isEqualTo(3);
        assertThat(shop.getStatus().getReadyReplicas()).isEqualTo(3);
        assertThat(shop.getStatus().getSelector())
                .isEqualTo(
                        "app.kubernetes.io/component=shop,app.kubernetes.io/instance=cart,app.kubernetes.io/name=shop");
        assertThat(ready.getObservedGeneration()).isEqualTo(shop.getMetadata().getGeneration());

        WorkloadSimulator.ready(harness.client(), harness.namespace(), "cart-main", 1);
        Condition degraded =
                awaitCondition("cart", ConditionTypes.DEGRADED, "True", ConditionTypes.REPLICAS_UNAVAILABLE);
        assertThat(degraded.getMessage()).contains("shop 1/3 ready");
        assertThat(Conditions.find(harness.shop("cart").getStatus().getConditions(), ConditionTypes.READY)
                        .orElseThrow()
                        .getLastTransitionTime())
                .isNotNull();
    }

    @Test
    void kubectlScaleChangesTheServingReplicas() throws Exception {
        harness.createShop("scaled", "image: shop:1\nreplicas: 2");
        harness.awaitDeployments(List.of("scaled-main"));

        Process scale = new ProcessBuilder(
                        TestApiServer.kubectl().toString(),
                        "--kubeconfig",
                        TestApiServer.kubeconfig().toString(),
                        "-n",
                        harness.namespace(),
                        "scale",
                        "shop",
                        "scaled",
                        "--replicas=5")
                .redirectErrorStream(true)
                .start();
        assertThat(scale.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(scale.getInputStream().readAllBytes())).contains("scaled");
        assertThat(scale.exitValue()).isZero();

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(harness.client()
                        .apps()
                        .deployments()
                        .inNamespace(harness.namespace())
                        .withName("scaled-main")
                        .get()
                        .getSpec()
                        .getReplicas())
                .isEqualTo(5));
        WorkloadSimulator.allReady(harness.client(), harness.namespace(), "scaled-main");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(harness.client()
                        .resources(ShopCluster.class)
                        .inNamespace(harness.namespace())
                        .withName("scaled")
                        .scale()
                        .getStatus()
                        .getReplicas())
                .isEqualTo(5));
    }

    @Test
    void aPodSettingKubernetesRefusesIsReportedAsARejectedChildUntilFixed() {
        harness.createShop(
                "mounts",
                "image: shop:1\npod: {volumes: [{name: cache, emptyDir: {}}], "
                        + "volumeMounts: [{name: data, mountPath: /data}]}");
        Condition invalid = awaitCondition("mounts", ConditionTypes.DEGRADED, "True", ConditionTypes.CHILD_REJECTED);
        assertThat(invalid.getMessage()).contains("volumeMounts[0].name").contains("data");
        assertThat(Conditions.find(harness.shop("mounts").getStatus().getConditions(), ConditionTypes.READY)
                        .orElseThrow()
                        .getReason())
                .isEqualTo(ConditionTypes.CHILD_REJECTED);

        harness.patchSpec("mounts", "{\"pod\": {\"volumeMounts\": [{\"name\": \"cache\", \"mountPath\": \"/data\"}]}}");
        harness.awaitDeployments(List.of("mounts-main"));
        awaitCondition("mounts", ConditionTypes.READY, "False", ConditionTypes.REPLICAS_NOT_READY);
    }

    private static Condition awaitCondition(String shop, String type, String status, String reason) {
        return ShopAssertions.awaitCondition(harness, shop, type, status, reason);
    }
}

package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.reconciler.ShopClusterReconciler;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ActiveStandby promotion driven by pod readiness, against the real API server. */
@ExtendWith(TestApiServer.class)
class FailoverIT {

    private static KubernetesClient client;
    private static String namespace;
    private static InProcessOperator operator;

    @BeforeAll
    static void startOperator() {
        client = TestApiServer.client();
        namespace = TestShops.newNamespace(client, "failover");
        operator = InProcessOperator.start(namespace);
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
    }

    @Test
    void promotesTheStandbyOnceThePrimaryStaysUnreadyForTheGracePeriod() {
        HaShops.createReady(client, namespace, "pay", 2);

        Instant unready = Instant.now();
        WorkloadSimulator.ready(client, namespace, "pay-a", 0);

        await().atMost(Duration.ofSeconds(2 + 3)).until(() -> Wiring.observe(client, namespace, "pay").settledOn(Slot.B));
        assertThat(Duration.between(unready, Instant.now())).as("the grace period is respected")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        ShopCluster shop = shop("pay");
        assertThat(shop.getStatus().getFailovers()).isEqualTo(1);
        assertThat(shop.getStatus().getLastFailoverTime()).isNotNull();
        assertThat(shop.getStatus().getDemotedPrimary()).isEqualTo(Slot.A);
        Condition failedOver = Conditions.find(shop.getStatus().getConditions(), ConditionTypes.FAILED_OVER).orElseThrow();
        assertThat(failedOver.getStatus()).isEqualTo("True");
        assertThat(failedOver.getReason()).isEqualTo(ConditionTypes.PRIMARY_UNREADY);
        assertThat(failedOver.getMessage()).startsWith("promoted slot b: slot a had 0/2 ready");
        assertThat(replicas("pay-b")).as("the new primary runs spec.replicas").isEqualTo(2);
        assertThat(replicas("pay-a")).as("the demoted slot keeps its pods while it recovers").isEqualTo(2);
        assertThat(HaShops.eventReasons(client, namespace, "pay")).contains(ConditionTypes.PRIMARY_UNREADY, "Promoted");
        assertThat(operator.meters().get("shop.failovers").tag("name", "pay").counter().count()).isEqualTo(1.0);
        assertThat(operator.meters().get("shop.promotion.duration").tag("name", "pay").timer().count()).isEqualTo(1);

        // Manual failback: the recovered slot becomes an ordinary standby, traffic stays.
        WorkloadSimulator.allReady(client, namespace, "pay-a");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> replicas("pay-a") == 1 && shop("pay").getStatus().getDemotedPrimary() == null);
        assertThat(Wiring.observe(client, namespace, "pay").settledOn(Slot.B)).isTrue();
    }

    @Test
    void doesNotPromoteAStandbyWithoutReadyPods() {
        HaShops.createReady(client, namespace, "lonely", 1);
        WorkloadSimulator.ready(client, namespace, "lonely-b", 0);
        WorkloadSimulator.ready(client, namespace, "lonely-a", 0);

        Condition degraded = await().atMost(Duration.ofSeconds(10)).until(
                () -> Conditions.find(shop("lonely").getStatus().getConditions(), ConditionTypes.DEGRADED).orElseThrow(),
                c -> ConditionTypes.NO_HEALTHY_STANDBY.equals(c.getReason()));
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getMessage()).contains("standby slot b has 0 ready, not more");
        assertThat(Wiring.observe(client, namespace, "lonely").settledOn(Slot.A)).isTrue();

        WorkloadSimulator.allReady(client, namespace, "lonely-b");
        await().atMost(Duration.ofSeconds(10)).until(() -> Wiring.observe(client, namespace, "lonely").settledOn(Slot.B));
    }

    @Test
    void flappingShorterThanTheGracePeriodCausesNoPromotion() {
        HaShops.createReady(client, namespace, "flappy", 3);
        for (int flap = 0; flap < 3; flap++) {
            WorkloadSimulator.ready(client, namespace, "flappy-a", 0);
            await().atMost(Duration.ofSeconds(3)).until(() -> shop("flappy").getStatus().getPrimaryUnreadySince() != null);
            WorkloadSimulator.allReady(client, namespace, "flappy-a");
            await().atMost(Duration.ofSeconds(3)).until(() -> shop("flappy").getStatus().getPrimaryUnreadySince() == null);
        }
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> Wiring.observe(client, namespace, "flappy").settledOn(Slot.A));
        assertThat(shop("flappy").getStatus().getFailovers()).isZero();
    }

    @Test
    void switchoverIsOneCommandAndWaitsForTheTargetToBeReady() throws Exception {
        HaShops.createReady(client, namespace, "planned", 2);

        Kubectl.Result annotate = Kubectl.run("-n", namespace, "annotate", "shop", "planned",
                ShopClusterReconciler.SWITCHOVER_ANNOTATION + "=b");
        assertThat(annotate.exitCode()).as(annotate.output()).isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> replicas("planned-b") == 2);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> Wiring.observe(client, namespace, "planned").settledOn(Slot.A));
        WorkloadSimulator.allReady(client, namespace, "planned-b");

        await().atMost(Duration.ofSeconds(10)).until(() -> Wiring.observe(client, namespace, "planned").settledOn(Slot.B));
        await().atMost(Duration.ofSeconds(10)).until(() -> shop("planned").getMetadata().getAnnotations() == null
                || !shop("planned").getMetadata().getAnnotations().containsKey(ShopClusterReconciler.SWITCHOVER_ANNOTATION));
        ShopCluster shop = shop("planned");
        assertThat(shop.getStatus().getFailovers()).isZero();
        assertThat(Conditions.find(shop.getStatus().getConditions(), ConditionTypes.FAILED_OVER).orElseThrow().getReason())
                .isEqualTo(ConditionTypes.SWITCHED_OVER);
        await().atMost(Duration.ofSeconds(10)).until(() -> replicas("planned-a") == 1);
    }

    private static int replicas(String deployment) {
        return client.apps().deployments().inNamespace(namespace).withName(deployment).get().getSpec().getReplicas();
    }

    private static ShopCluster shop(String name) {
        return client.resources(ShopCluster.class).inNamespace(namespace).withName(name).get();
    }
}

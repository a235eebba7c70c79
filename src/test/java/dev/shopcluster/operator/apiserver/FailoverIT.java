package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.reconciler.ShopClusterReconciler;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ActiveStandby promotion driven by pod readiness, against the real API server. */
class FailoverIT {

    @RegisterExtension
    static final OperatorHarness harness = OperatorHarness.withOperator("failover");

    @Test
    void promotesTheStandbyOnceThePrimaryStaysUnreadyForTheGracePeriod() {
        HaShops.createReady(harness, "pay", 2);

        Instant unready = Instant.now();
        WorkloadSimulator.ready(harness.client(), harness.namespace(), "pay-a", 0);

        ShopAssertions.awaitSettledOn(harness, "pay", Slot.B, Duration.ofSeconds(2 + 3));
        assertThat(Duration.between(unready, Instant.now()))
                .as("the grace period is respected")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        ShopCluster shop = harness.shop("pay");
        assertThat(shop.getStatus().getFailovers()).isEqualTo(1);
        assertThat(shop.getStatus().getLastFailoverTime()).isNotNull();
        assertThat(shop.getStatus().getDemotedPrimary()).isEqualTo(Slot.A);
        Condition failedOver = Conditions.find(shop.getStatus().getConditions(), ConditionTypes.FAILED_OVER)
                .orElseThrow();
        assertThat(failedOver.getStatus()).isEqualTo("True");
        assertThat(failedOver.getReason()).isEqualTo(ConditionTypes.PRIMARY_UNREADY);
        assertThat(failedOver.getMessage()).startsWith("promoted slot b: slot a had 0/2 ready");
        assertThat(replicas("pay-b")).as("the new primary runs spec.replicas").isEqualTo(2);
        assertThat(replicas("pay-a"))
                .as("the demoted slot keeps its pods while it recovers")
                .isEqualTo(2);
        assertThat(HaShops.eventReasons(harness, "pay")).contains(ConditionTypes.PRIMARY_UNREADY, "Promoted");
        assertThat(harness.operator()
                        .meters()
                        .get("shop.failovers")
                        .tag("name", "pay")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(harness.operator()
                        .meters()
                        .get("shop.promotion.duration")
                        .tag("name", "pay")
                        .timer()
                        .count())
                .isEqualTo(1);

        // Manual failback: the recovered slot becomes an ordinary standby, traffic stays.
        WorkloadSimulator.allReady(harness.client(), harness.namespace(), "pay-a");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> replicas("pay-a") == 1
                        && harness.shop("pay").getStatus().getDemotedPrimary() == null);
        assertThat(Wiring.observe(harness, "pay").settledOn(Slot.B)).isTrue();
    }

    @Test
    void doesNotPromoteAStandbyWithoutReadyPods() {
        HaShops.createReady(harness, "lonely", 1);
        WorkloadSimulator.ready(harness.client(), harness.namespace(), "lonely-b", 0);
        WorkloadSimulator.ready(harness.client(), harness.namespace(), "lonely-a", 0);

        Condition degraded = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> Conditions.find(
                                        harness.shop("lonely").getStatus().getConditions(), ConditionTypes.DEGRADED)
                                .orElseThrow(),
                        c -> ConditionTypes.NO_HEALTHY_STANDBY.equals(c.getReason()));
        assertThat(degraded.getStatus()).isEqualTo("True");
        assertThat(degraded.getMessage()).contains("standby slot b has 0 ready, not more");
        assertThat(Wiring.observe(harness, "lonely").settledOn(Slot.A)).isTrue();

        WorkloadSimulator.allReady(harness.client(), harness.namespace(), "lonely-b");
        ShopAssertions.awaitSettledOn(harness, "lonely", Slot.B, Duration.ofSeconds(10));
    }

    @Test
    void flappingShorterThanTheGracePeriodCausesNoPromotion() {
        HaShops.createReady(harness, "flappy", 3);
        for (int flap = 0; flap < 3; flap++) {
            WorkloadSimulator.ready(harness.client(), harness.namespace(), "flappy-a", 0);
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> harness.shop("flappy").getStatus().getPrimaryUnreadySince() != null);
            WorkloadSimulator.allReady(harness.client(), harness.namespace(), "flappy-a");
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> harness.shop("flappy").getStatus().getPrimaryUnreadySince() == null);
        }
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> Wiring.observe(harness, "flappy").settledOn(Slot.A));
        assertThat(harness.shop("flappy").getStatus().getFailovers()).isZero();
    }

    @Test
    void switchoverIsOneCommandAndWaitsForTheTargetToBeReady() throws Exception {
        HaShops.createReady(harness, "planned", 2);

        Kubectl.Result annotate = Kubectl.run(
                "-n",
                harness.namespace(),
                "annotate",
                "shop",
                "planned",
                ShopClusterReconciler.SWITCHOVER_ANNOTATION + "=b");
        assertThat(annotate.exitCode()).as(annotate.output()).isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> replicas("planned-b") == 2);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> Wiring.observe(harness, "planned").settledOn(Slot.A));
        WorkloadSimulator.allReady(harness.client(), harness.namespace(), "planned-b");

        ShopAssertions.awaitSettledOn(harness, "planned", Slot.B, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> harness.shop("planned").getMetadata().getAnnotations() == null
                        || !harness.shop("planned")
                                .getMetadata()
                                .getAnnotations()
                                .containsKey(ShopClusterReconciler.SWITCHOVER_ANNOTATION));
        ShopCluster shop = harness.shop("planned");
        assertThat(shop.getStatus().getFailovers()).isZero();
        assertThat(Conditions.find(shop.getStatus().getConditions(), ConditionTypes.FAILED_OVER)
                        .orElseThrow()
                        .getReason())
                .isEqualTo(ConditionTypes.SWITCHED_OVER);
        await().atMost(Duration.ofSeconds(10)).until(() -> replicas("planned-a") == 1);
    }

    private static int replicas(String deployment) {
        return harness.deployment(deployment).getSpec().getReplicas();
    }
}

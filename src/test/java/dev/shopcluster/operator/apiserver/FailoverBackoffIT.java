package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Availability first, bounded by backoff: a primary that never becomes healthy is failed over to a slot
 * with more ready pods, and each failover within 10 minutes doubles the wait before the next.
 */
@ExtendWith(TestApiServer.class)
class FailoverBackoffIT {

    private static KubernetesClient client;
    private static String namespace;
    private static InProcessOperator operator;

    @BeforeAll
    static void startOperator() {
        client = TestApiServer.client();
        namespace = TestShops.newNamespace(client, "backoff");
        operator = InProcessOperator.start(namespace);
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
    }

    @Test
    void aNewShopWhosePrimaryNeverBecomesReadyIsFailedOverToTheStandby() {
        TestShops.create(client, namespace, "fresh", "image: shop:1\nreplicas: 2\nhighAvailability: "
                + "{mode: ActiveStandby, standbyReplicas: 1, failoverAfterSeconds: 1}");
        await().atMost(Duration.ofSeconds(30)).until(() -> List.of("fresh-a", "fresh-b").stream()
                .allMatch(d -> client.apps().deployments().inNamespace(namespace).withName(d).get() != null));
        WorkloadSimulator.ready(client, namespace, "fresh-a", 0);
        WorkloadSimulator.allReady(client, namespace, "fresh-b");

        await().atMost(Duration.ofSeconds(10)).until(() -> Wiring.observe(client, namespace, "fresh").settledOn(Slot.B));
        ShopCluster shop = shop("fresh");
        assertThat(shop.getStatus().getFailovers()).isEqualTo(1);
        assertThat(failedOverMessage(shop)).startsWith("promoted slot b: slot a had 0/2 ready for ");
    }

    @Test
    void aPromotedSlotThatNeverGetsHealthyIsFailedOverBackAfterADoubledWait() {
        HaShops.createReady(client, namespace, "sick", 2);
        WorkloadSimulator.ready(client, namespace, "sick-a", 0);
        await().atMost(Duration.ofSeconds(2 + 5)).until(() -> Wiring.observe(client, namespace, "sick").settledOn(Slot.B));
        ShopCluster failedOver = shop("sick");
        assertThat(failedOver.getStatus().getFailoverWaitSeconds()).as("2 s doubled once").isEqualTo(4);
        assertThat(failedOver.getStatus().getRecentFailoverTimes()).hasSize(1);
        assertThat(failedOverMessage(failedOver)).endsWith("; the next failover waits 4s (1 in the last 10 min)");

        // Slot a recovers; slot b, now primary, never gets a pod ready.
        WorkloadSimulator.allReady(client, namespace, "sick-a");
        await().atMost(Duration.ofSeconds(10)).until(() -> replicas("sick-b") == 2);
        WorkloadSimulator.ready(client, namespace, "sick-b", 0);
        Instant bUnready = Instant.parse(await().atMost(Duration.ofSeconds(5)).until(
                () -> shop("sick").getStatus().getPrimaryUnreadySince(), since -> since != null));
        Instant seenUnready = Instant.now();

        await().atMost(Duration.ofSeconds(4 + 5)).until(() -> Wiring.observe(client, namespace, "sick").settledOn(Slot.A));
        assertThat(Duration.between(seenUnready, Instant.now())).as("the doubled wait, not the grace")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        ShopCluster back = shop("sick");
        assertThat(Duration.between(bUnready, Instant.parse(back.getStatus().getLastFailoverTime())))
                .as("decided after 2 s x 2^1").isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        assertThat(back.getStatus().getFailovers()).isEqualTo(2);
        assertThat(back.getStatus().getRecentFailoverTimes()).hasSize(2);
        assertThat(back.getStatus().getFailoverWaitSeconds()).isEqualTo(8);
        assertThat(failedOverMessage(back)).startsWith("promoted slot a: slot b had 0/2 ready for ")
                .endsWith("; the next failover waits 8s (2 in the last 10 min)");
    }

    private static String failedOverMessage(ShopCluster shop) {
        return Conditions.find(shop.getStatus().getConditions(), ConditionTypes.FAILED_OVER).orElseThrow().getMessage();
    }

    private static int replicas(String deployment) {
        return client.apps().deployments().inNamespace(namespace).withName(deployment).get().getSpec().getReplicas();
    }

    private static ShopCluster shop(String name) {
        return client.resources(ShopCluster.class).inNamespace(namespace).withName(name).get();
    }
}

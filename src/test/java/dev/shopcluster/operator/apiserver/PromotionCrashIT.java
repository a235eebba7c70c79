package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator dies between any two writes of a promotion (its requests stop reaching the API server
 * from that point on), and a new one takes over: exactly one primary at every point, one failover
 * counted, and the wiring completed.
 */
@ExtendWith(TestApiServer.class)
class PromotionCrashIT {

    private static KubernetesClient client;
    private static String namespace;

    @BeforeAll
    static void createNamespace() {
        client = TestApiServer.client();
        namespace = TestShops.newNamespace(client, "crash");
    }

    @ParameterizedTest(name = "dies after {0} writes of the promotion")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8})
    void aRestartedOperatorCompletesAnInterruptedPromotion(int writes) {
        String name = "crash-" + writes;
        try (InProcessOperator first = InProcessOperator.start(namespace)) {
            HaShops.createReady(client, namespace, name, 2);
            WorkloadSimulator.ready(client, namespace, name + "-a", 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> shop(name).getStatus().getPrimaryUnreadySince() != null);

            first.crashAfterWrites(writes);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> first.crashed() || Wiring.observe(client, namespace, name).settledOn(Slot.B));
        }
        Wiring interrupted = Wiring.observe(client, namespace, name);
        interrupted.assertAtMostOnePrimary();

        try (InProcessOperator second = InProcessOperator.start(namespace)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> Wiring.observe(client, namespace, name).settledOn(Slot.B));
        }
        assertThat(shop(name).getStatus().getFailovers()).as("failovers counted").isEqualTo(1);
    }

    private static ShopCluster shop(String name) {
        return client.resources(ShopCluster.class).inNamespace(namespace).withName(name).get();
    }
}

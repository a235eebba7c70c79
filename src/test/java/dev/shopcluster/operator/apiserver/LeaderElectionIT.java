package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two operator replicas share a Lease: only the leader acts; the other takes over a promotion in flight. */
@ExtendWith(TestApiServer.class)
class LeaderElectionIT {

    private static final String LEASE = "shop-operator-leader";

    @Test
    void onlyTheLeaderActsAndTheFollowerFinishesAnInterruptedPromotion() {
        KubernetesClient client = TestApiServer.client();
        String namespace = TestShops.newNamespace(client, "leader");
        InProcessOperator one = InProcessOperator.options(namespace).leaderElection(LEASE, "one").start();
        InProcessOperator two = InProcessOperator.options(namespace).leaderElection(LEASE, "two").start();
        try {
            HaShops.createReady(client, namespace, "pay", 2);
            assertThat(one.writeRequests() == 0 ^ two.writeRequests() == 0)
                    .as("exactly one replica wrote (one: %s, two: %s)", one.writeLog(), two.writeLog())
                    .isTrue();
            InProcessOperator leader = one.writeRequests() > 0 ? one : two;
            InProcessOperator follower = leader == one ? two : one;

            WorkloadSimulator.ready(client, namespace, "pay-a", 0);
            await().atMost(Duration.ofSeconds(5)).until(() -> client.resources(ShopCluster.class).inNamespace(namespace)
                    .withName("pay").get().getStatus().getPrimaryUnreadySince() != null);
            // The leader records its decision, then dies: it renews its lease no more.
            leader.crashAfterWrites(1);
            await().atMost(Duration.ofSeconds(10)).until(leader::crashed);
            assertThat(Wiring.observe(client, namespace, "pay").target()).isEqualTo(Slot.B);
            assertThat(follower.writeRequests()).isZero();

            await().atMost(Duration.ofSeconds(20)).until(() -> Wiring.observe(client, namespace, "pay").settledOn(Slot.B));
            assertThat(follower.writeRequests()).isPositive();
            assertThat(client.resources(ShopCluster.class).inNamespace(namespace).withName("pay").get()
                    .getStatus().getFailovers()).isEqualTo(1);
        } finally {
            one.close();
            two.close();
        }
    }
}

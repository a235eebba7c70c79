package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.Slot;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two operator replicas share a Lease: only the leader acts; the other takes over a promotion in flight. */
class LeaderElectionIT {

    private static final String LEASE = "shop-operator-leader";

    @RegisterExtension
    static final OperatorHarness harness = OperatorHarness.withoutOperator("leader");

    @Test
    void onlyTheLeaderActsAndTheFollowerFinishesAnInterruptedPromotion() {
        KubernetesClient client = harness.client();
        String namespace = harness.namespace();
        InProcessOperator one = InProcessOperator.options(namespace)
                .leaderElection(LEASE, "one")
                .start();
        InProcessOperator two = InProcessOperator.options(namespace)
                .leaderElection(LEASE, "two")
                .start();
        try {
            HaShops.createReady(harness, "pay", 2);
            assertThat(one.writeRequests() == 0 ^ two.writeRequests() == 0)
                    .as("exactly one replica wrote (one: %s, two: %s)", one.writeLog(), two.writeLog())
                    .isTrue();
            InProcessOperator leader = one.writeRequests() > 0 ? one : two;
            InProcessOperator follower = leader == one ? two : one;

            WorkloadSimulator.ready(client, namespace, "pay-a", 0);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> harness.shop("pay").getStatus().getPrimaryUnreadySince() != null);
            // The leader records its decision, then dies: it renews its lease no more.
            leader.crashAfterWrites(1);
            await().atMost(Duration.ofSeconds(10)).until(leader::crashed);
            assertThat(Wiring.observe(harness, "pay").target()).isEqualTo(Slot.B);
            assertThat(follower.writeRequests()).isZero();

            ShopAssertions.awaitSettledOn(harness, "pay", Slot.B, Duration.ofSeconds(20));
            assertThat(follower.writeRequests()).isPositive();
            assertThat(harness.shop("pay").getStatus().getFailovers()).isEqualTo(1);
        } finally {
            one.close();
            two.close();
        }
    }
}

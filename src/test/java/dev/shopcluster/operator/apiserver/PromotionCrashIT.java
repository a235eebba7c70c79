package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.Slot;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator dies between any two writes of a promotion (its requests stop reaching the API server
 * from that point on), and a new one takes over: exactly one primary at every point, one failover
 * counted, and the wiring completed.
 */
class PromotionCrashIT {

    @RegisterExtension
    static final OperatorHarness harness = OperatorHarness.withoutOperator("crash");

    @ParameterizedTest(name = "dies after {0} writes of the promotion")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8})
    void aRestartedOperatorCompletesAnInterruptedPromotion(int writes) {
        String name = "crash-" + writes;
        try (InProcessOperator first = InProcessOperator.start(harness.namespace())) {
            HaShops.createReady(harness, name, 2);
            WorkloadSimulator.ready(harness.client(), harness.namespace(), name + "-a", 0);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> harness.shop(name).getStatus().getPrimaryUnreadySince() != null);

            first.crashAfterWrites(writes);
            await().atMost(Duration.ofSeconds(10))
                    .until(() ->
                            first.crashed() || Wiring.observe(harness, name).settledOn(Slot.B));
        }
        Wiring interrupted = Wiring.observe(harness, name);
        interrupted.assertAtMostOnePrimary();

        try (InProcessOperator second = InProcessOperator.start(harness.namespace())) {
            ShopAssertions.awaitSettledOn(harness, name, Slot.B, Duration.ofSeconds(15));
        }
        assertThat(harness.shop(name).getStatus().getFailovers())
                .as("failovers counted")
                .isEqualTo(1);
    }
}

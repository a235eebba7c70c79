package dev.shopcluster.operator.dataplane;

import static dev.shopcluster.operator.ShopFixtures.activeStandby;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.topology.SlotPlan;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * ActiveStandby with the defaults a user gets (2 primaries, 1 standby, default health check, timeouts and
 * outlier detection): both primaries fail at once under ~400 GET requests a second, in each of the three
 * ways a pod fails. No request fails, and the standby answers in time. The goals (250 ms, 1 s, 2 s) are
 * figures of `make bench-dataplane`; here each gap may be twice its goal, so a loaded machine does not fail
 * the test while the old defaults (1-2 s, 4 s, 10 s and failed requests) still would.
 */
class PrimaryFaultsIT {

    private static final SlotPlan TWO_PRIMARIES = new SlotPlan(Slot.A, 2, 1);

    @Test
    void refusedConnectionsProcessGone() throws Exception {
        assertGoal(refused(), Duration.ofMillis(250));
    }

    @Test
    void droppedPacketsNodeLost() throws Exception {
        assertGoal(dropped(), Duration.ofSeconds(1));
    }

    @Test
    void hungProcessesAcceptButNeverAnswer() throws Exception {
        assertGoal(hung(), Duration.ofSeconds(2));
    }

    /** The primaries' processes are gone: their ports refuse connections. */
    static PrimaryFault refused() throws Exception {
        try (DataPlaneBed bed = new DataPlaneBed(userDefaults(), TWO_PRIMARIES)) {
            return PrimaryFault.measure(
                    bed.frontend(), names(bed, "b"), () -> bed.backends("a").forEach(ShopBackend::kill));
        }
    }

    /** The primaries' node is lost: every packet to them is dropped. */
    static PrimaryFault dropped() throws Exception {
        ShopCluster shop = userDefaults();
        try (NetnsPods primaries = new NetnsPods(
                        "a",
                        2,
                        Tools.freeTcpPort(),
                        shop.getSpec().getHealthCheck().getPath());
                DataPlaneBed bed = new DataPlaneBed(shop, TWO_PRIMARIES, "a", primaries)) {
            return PrimaryFault.measure(bed.frontend(), names(bed, "b"), primaries::dropPackets);
        }
    }

    /** The primaries' processes hang: they accept connections and never answer. */
    static PrimaryFault hung() throws Exception {
        try (DataPlaneBed bed = new DataPlaneBed(userDefaults(), TWO_PRIMARIES)) {
            return PrimaryFault.measure(
                    bed.frontend(), names(bed, "b"), () -> bed.backends("a").forEach(ShopBackend::hang));
        }
    }

    private static ShopCluster userDefaults() {
        ShopCluster shop = activeStandby("pay");
        shop.getSpec().setReplicas(TWO_PRIMARIES.replicasA());
        shop.getSpec().getHighAvailability().setStandbyReplicas(TWO_PRIMARIES.replicasB());
        return shop;
    }

    private static Set<String> names(DataPlaneBed bed, String group) {
        return bed.backends(group).stream().map(ShopBackend::name).collect(Collectors.toSet());
    }

    private static void assertGoal(PrimaryFault fault, Duration goal) {
        assertThat(fault.failed())
                .as("failed GET requests of %d: %s", fault.requests(), fault.failures())
                .isZero();
        assertThat(fault.longestGap())
                .as("longest time without an answer (goal %d ms)", goal.toMillis())
                .isLessThanOrEqualTo(goal.multipliedBy(2));
    }
}

package dev.shopcluster.operator.dataplane;

import static dev.shopcluster.operator.ShopFixtures.shop;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.fast;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.headers;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.path;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.HashOn;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.StrategyType;
import dev.shopcluster.operator.dataplane.HttpConnection.Response;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hash strategies across balancer replicas. Each replica fills its server slots in the order it
 * learnt the pods from DNS, so a ring keyed by slot sends a key to a different pod on each replica.
 * Keyed by the pod's address, replicas agree whatever their history, and a new pod takes only its share
 * of the keys.
 */
class HashRingIT {

    static final int KEYS = 2_000;
    /** Goal: at least this share of the keys goes to the same pod on every replica. */
    static final double AGREEMENT = 0.99;
    /** Goal: adding 1 pod to N moves at most this many times 1/(N+1) of the keys. */
    static final double MOVED_FACTOR = 1.2;

    /** Where each of {@link #KEYS} keys went, on two replicas with different histories. */
    record Histories(
            List<String> threePods,
            List<String> fourPods,
            List<String> otherReplica,
            ShopBackend added,
            String slotsRunning,
            String slotsOther) {}

    @ParameterizedTest(name = "{0} {1} boundedLoadPercent={2}")
    @CsvSource(
            textBlock =
                    """
            IPHash,         ,
            ConsistentHash, SourceIP,
            ConsistentHash, URI,
            ConsistentHash, Header,
            ConsistentHash, Cookie,
            ConsistentHash, Header, 125
            ConsistentHash, URI,    125
            """)
    void replicasThatSawThePodsArriveInDifferentOrdersSendEachKeyToTheSamePod(
            StrategyType strategy, HashOn hashOn, Integer boundedLoadPercent) throws Exception {
        ShopCluster shop = hashed(strategy, hashOn, boundedLoadPercent);
        try (DataPlaneBed bed = new DataPlaneBed(shop, null)) {
            Histories histories = scaleUpWithTwoReplicas(bed, shop, hashOn);

            List<String> pods =
                    bed.allBackends().stream().map(ShopBackend::name).toList();
            assertThat(histories.threePods()).as("keys before the scale-up").isSubsetOf(pods);
            assertThat(Set.copyOf(histories.threePods()))
                    .as("pods the keys went to before the scale-up")
                    .hasSize(3);
            assertThat(histories.fourPods()).as("keys after the scale-up").isSubsetOf(pods);
            assertThat(histories.otherReplica()).as("keys on the other replica").isSubsetOf(pods);
            assertThat(histories.slotsOther())
                    .as("the replicas filled their slots in different orders")
                    .isNotEqualTo(histories.slotsRunning());

            List<Integer> moved = IntStream.range(0, KEYS)
                    .filter(i -> !histories
                            .threePods()
                            .get(i)
                            .equals(histories.fourPods().get(i)))
                    .boxed()
                    .toList();
            assertThat((double) moved.size() / KEYS)
                    .as("share of keys moved by adding 1 pod to 3")
                    .isPositive()
                    .isLessThanOrEqualTo(MOVED_FACTOR / 4);
            assertThat(moved)
                    .as("keys that moved went to the new pod, nowhere else")
                    .allMatch(i ->
                            histories.fourPods().get(i).equals(histories.added().name()));
            assertThat(sameShare(histories.fourPods(), histories.otherReplica()))
                    .as(
                            "keys both replicas send to the same pod; slots %s and %s",
                            histories.slotsRunning(), histories.slotsOther())
                    .isGreaterThanOrEqualTo(AGREEMENT);
        }
    }

    static ShopCluster hashed(StrategyType strategy, HashOn hashOn, Integer boundedLoadPercent) {
        ShopCluster shop = fast(shop("ring"), strategy);
        shop.getSpec().getStrategy().setHashOn(hashOn);
        if (hashOn == HashOn.Header || hashOn == HashOn.Cookie) {
            shop.getSpec().getStrategy().setHashKey("X-Session-Id");
        }
        shop.getSpec().getStrategy().setBoundedLoadPercent(boundedLoadPercent);
        return shop;
    }

    /**
     * The shop scales from 3 pods to 4 while the bed's balancer runs: it has the new pod in its 4th slot.
     * Then a second replica starts (a restart, a rollout, the second of two replicas) with its own DNS
     * server, which names the new pod first: it has the new pod in its 1st slot.
     *
     * @param hashOn where the key goes; null: the source address (IPHash)
     */
    static Histories scaleUpWithTwoReplicas(DataPlaneBed bed, ShopCluster shop, HashOn hashOn) throws IOException {
        HaproxyProcess running = bed.haproxy();
        List<String> threePods = routes(running.frontend(), hashOn);
        ShopBackend added =
                bed.addBackend("main", shop.getSpec().getHealthCheck().getPath());
        shop.getSpec().setReplicas(4);
        DataPlaneBed.awaitServersUp(running, 4);
        List<String> fourPods = routes(running.frontend(), hashOn);

        Dnsmasq otherDns = bed.startDns();
        bed.answer(otherDns, "main", List.of(added));
        HaproxyProcess other = bed.startReplica(shop, null, otherDns);
        DataPlaneBed.awaitServersUp(other, 1);
        List<ShopBackend> newestFirst = new ArrayList<>(bed.backends("main"));
        Collections.reverse(newestFirst);
        bed.answer(otherDns, "main", newestFirst);
        DataPlaneBed.awaitServersUp(other, 4);
        return new Histories(
                threePods,
                fourPods,
                routes(other.frontend(), hashOn),
                added,
                running.podsBySlot().toString(),
                other.podsBySlot().toString());
    }

    /**
     * The pod each key goes to. Source addresses (127.2.x.y) each need their own connection; the other
     * keys go over one keep-alive connection, as a client's session does.
     */
    static List<String> routes(InetSocketAddress frontend, HashOn hashOn) throws IOException {
        if (hashOn != null && hashOn != HashOn.SourceIP) {
            return Traffic.sequential(
                            frontend, KEYS, key -> path(hashOn, "key-" + key), key -> headers(hashOn, "key-" + key))
                    .stream()
                    .map(Response::body)
                    .toList();
        }
        List<String> pods = new ArrayList<>(KEYS);
        for (int key = 0; key < KEYS; key++) {
            InetAddress source = InetAddress.getByName("127.2." + key / 250 + "." + (key % 250 + 1));
            pods.add(HttpConnection.get(frontend, source, "/", Map.of()).body());
        }
        return pods;
    }

    /** The share of keys two replicas send to the same pod. */
    static double sameShare(List<String> a, List<String> b) {
        return (double) IntStream.range(0, KEYS)
                        .filter(i -> a.get(i).equals(b.get(i)))
                        .count()
                / KEYS;
    }
}

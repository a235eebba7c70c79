package dev.shopcluster.operator.apiserver;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** ActiveStandby shops for promotion tests. */
final class HaShops {

    private HaShops() {}

    /**
     * Creates an ActiveStandby shop (2 primary replicas, 1 standby) with the given grace period, runs
     * all its pods ready and waits until it reports Ready with slot a as primary.
     */
    static void createReady(OperatorHarness harness, String name, int failoverAfterSeconds) {
        KubernetesClient client = harness.client();
        String namespace = harness.namespace();
        TestShops.create(
                client,
                namespace,
                name,
                "image: shop:1\nreplicas: 2\nhighAvailability: {mode: ActiveStandby, "
                        + "standbyReplicas: 1, failoverAfterSeconds: " + failoverAfterSeconds + "}");
        List<String> deployments = List.of(name + "-a", name + "-b", name + "-balancer");
        harness.awaitDeployments(deployments);
        deployments.forEach(d -> WorkloadSimulator.allReady(client, namespace, d));
        ShopAssertions.awaitReady(harness, name);
    }

    static List<String> eventReasons(OperatorHarness harness, String name) {
        return harness
                .client()
                .v1()
                .events()
                .inNamespace(harness.namespace())
                .withField("involvedObject.name", name)
                .list()
                .getItems()
                .stream()
                .map(Event::getReason)
                .toList();
    }
}

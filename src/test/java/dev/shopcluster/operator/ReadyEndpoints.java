package dev.shopcluster.operator;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** The pods a Service's EndpointSlices list as ready: where its clients' connections go. */
public final class ReadyEndpoints {

    private ReadyEndpoints() {}

    public static List<String> podNames(KubernetesClient client, String namespace, String service) {
        return client
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(namespace)
                .withLabel("kubernetes.io/service-name", service)
                .list()
                .getItems()
                .stream()
                .map(EndpointSlice::getEndpoints)
                .flatMap(List::stream)
                // An unknown ready state counts as ready, as the EndpointSlice API advises.
                .filter(e -> e.getConditions() == null
                        || !Boolean.FALSE.equals(e.getConditions().getReady()))
                .map(e -> e.getTargetRef().getName())
                .toList();
    }
}

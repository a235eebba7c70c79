package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.resources.ShopLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which slot each piece of an ActiveStandby shop's wiring names as primary: the non-backup slots in
 * the balancer config, the slot behind NAME-primary, and the status.
 */
public record Wiring(Set<String> configPrimaries, String servicePrimary, Slot current, Slot target) {

    private static final Pattern SERVER_TEMPLATE = Pattern.compile("(?m)^\\s*server-template (\\w+)- .*$");

    public static Wiring observe(OperatorHarness harness, String name) {
        return observe(harness.client(), harness.namespace(), name);
    }

    public static Wiring observe(KubernetesClient client, String namespace, String name) {
        ConfigMap config = client.configMaps()
                .inNamespace(namespace)
                .withName(name + "-balancer")
                .get();
        Set<String> primaries = new TreeSet<>();
        if (config != null) {
            Matcher m = SERVER_TEMPLATE.matcher(config.getData().get("haproxy.cfg"));
            while (m.find()) {
                if (!m.group().trim().endsWith(" backup")) {
                    primaries.add(m.group(1));
                }
            }
        }
        Service service = client.services()
                .inNamespace(namespace)
                .withName(name + "-primary")
                .get();
        ShopCluster shop = client.resources(ShopCluster.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
        return new Wiring(
                primaries,
                service == null ? null : service.getSpec().getSelector().get(ShopLabels.GROUP),
                shop.getStatus() == null ? null : shop.getStatus().getCurrentPrimary(),
                shop.getStatus() == null ? null : shop.getStatus().getTargetPrimary());
    }

    /** Never two primaries, in any single object. */
    public void assertAtMostOnePrimary() {
        assertThat(configPrimaries).as("non-backup slots in haproxy.cfg").hasSizeLessThanOrEqualTo(1);
    }

    /** Settled: config, Service and status all name the same single primary. */
    public boolean settledOn(Slot slot) {
        return configPrimaries.equals(Set.of(slot.id()))
                && slot.id().equals(servicePrimary)
                && current == slot
                && target == slot;
    }
}

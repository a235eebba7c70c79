package dev.shopcluster.operator.resources;

import static dev.shopcluster.operator.ShopFixtures.shop;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.BalancerServiceType;
import dev.shopcluster.operator.api.ExternalTrafficPolicy;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.haproxy.BalancerPodLayout;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShopServicesTest {

    @Test
    void entryServiceCarriesTheAnnotationsAndTrafficPolicyALoadBalancerNeeds() {
        ShopCluster shop = shop("web");
        shop.getSpec().getBalancer().setServiceType(BalancerServiceType.LoadBalancer);
        shop.getSpec()
                .getBalancer()
                .setServiceAnnotations(Map.of("service.beta.kubernetes.io/aws-load-balancer-type", "nlb"));
        shop.getSpec().getBalancer().setExternalTrafficPolicy(ExternalTrafficPolicy.Local);

        Service entry = ShopServices.entry(shop);
        assertThat(entry.getMetadata().getAnnotations())
                .containsExactlyEntriesOf(Map.of("service.beta.kubernetes.io/aws-load-balancer-type", "nlb"));
        assertThat(entry.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    }

    @Test
    void entryServiceLeavesTrafficPolicyToKubernetesUnlessSet() {
        Service entry = ShopServices.entry(shop("web"));
        assertThat(entry.getSpec().getExternalTrafficPolicy()).isNull();
        assertThat(entry.getMetadata().getAnnotations()).isNullOrEmpty();
    }

    @Test
    void metricsServiceIsHeadlessOnTheBalancersMonitorPortAndNotTheEntryService() {
        ShopCluster shop = shop("web");
        shop.getSpec().getBalancer().setServiceType(BalancerServiceType.LoadBalancer);
        Service metrics = ShopServices.balancerMetrics(shop);
        assertThat(metrics.getMetadata().getName()).isEqualTo("web-balancer");
        assertThat(metrics.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(metrics.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(metrics.getSpec().getSelector())
                .isEqualTo(ShopServices.entry(shop).getSpec().getSelector());
        assertThat(metrics.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo(ShopServices.METRICS_PORT_NAME);
            assertThat(port.getPort()).isEqualTo(BalancerPodLayout.MONITOR_PORT);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo(BalancerPodLayout.MONITOR_PORT_NAME);
        });
        assertThat(ShopServices.entry(shop).getSpec().getPorts())
                .noneMatch(p -> p.getPort() == BalancerPodLayout.MONITOR_PORT);
    }
}

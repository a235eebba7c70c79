package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The documented ValidatingAdmissionPolicy (docs/policies/shopcluster-external-services.yaml) keeps
 * tenants from getting NodePort or LoadBalancer Services through a ShopCluster, except where allowed.
 */
@ExtendWith(TestApiServer.class)
class ExternalServicesPolicyIT {

    private static final Path POLICY = Path.of("docs/policies/shopcluster-external-services.yaml");
    private static KubernetesClient client;
    private static List<HasMetadata> policy;
    private static String tenant;
    private static String allowed;

    @BeforeAll
    static void installPolicy() throws Exception {
        client = TestApiServer.client();
        tenant = TestShops.newNamespace(client, "tenant");
        allowed = "allowed-" + tenant;
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(allowed)
                        .withLabels(Map.of("shopcluster.dev/external-services", "allowed"))
                        .endMetadata()
                        .build())
                .create();
        try (InputStream in = Files.newInputStream(POLICY)) {
            policy = client.load(in).items();
        }
        policy.forEach(object -> client.resource(object).serverSideApply());
        // It takes effect once the API server's admission plugin has loaded it; a probe that gets through
        // is deleted again, and the next one gets a new name.
        int[] probes = {0};
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                String name = "probe-" + probes[0]++;
                TestShops.create(client, tenant, name, "image: shop:1\nbalancer: {serviceType: NodePort}");
                client.resources(ShopCluster.class)
                        .inNamespace(tenant)
                        .withName(name)
                        .delete();
                return false;
            } catch (KubernetesClientException e) {
                return e.getMessage().contains("not allowed");
            }
        });
    }

    @AfterAll
    static void removePolicy() {
        // The API server is shared with the other test classes.
        policy.forEach(object -> client.resource(object).delete());
    }

    @Test
    void refusesALoadBalancerInATenantNamespaceNamingTheField() {
        assertThatThrownBy(() -> TestShops.create(
                        client, tenant, "public", "image: shop:1\nbalancer: {serviceType: LoadBalancer}"))
                .hasMessageContaining("spec.balancer.serviceType LoadBalancer is not allowed in this namespace");
        assertThatThrownBy(() -> TestShops.create(
                        client, tenant, "nodeport", "image: shop:1\nbalancer: {serviceType: NodePort}"))
                .hasMessageContaining("spec.balancer.serviceType NodePort is not allowed");
        assertThat(TestShops.create(client, tenant, "internal", "image: shop:1"))
                .isNotNull();
    }

    @Test
    void allowsItInALabelledNamespace() {
        assertThat(TestShops.create(client, allowed, "public", "image: shop:1\nbalancer: {serviceType: LoadBalancer}")
                        .getSpec()
                        .getBalancer()
                        .getServiceType())
                .hasToString("LoadBalancer");
    }
}

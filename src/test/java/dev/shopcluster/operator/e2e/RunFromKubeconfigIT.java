package dev.shopcluster.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.apiserver.TestApiServer;
import dev.shopcluster.operator.apiserver.TestShops;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's "run the operator for real": the packaged operator started with `java -jar` and a
 * kubeconfig, whose context names a namespace or (as is common) none. The leader Lease goes to the
 * context's namespace, else to `default`.
 */
@ExtendWith(TestApiServer.class)
class RunFromKubeconfigIT {

    private static final String LEASE = "shop-operator-leader";
    private final KubernetesClient client = TestApiServer.client();

    @Test
    void aContextWithoutNamespaceRunsWithTheLeaseInDefault() throws IOException {
        assertRunsWithLeaseIn(null, "default");
    }

    @Test
    void aContextWithANamespaceRunsWithTheLeaseThere() throws IOException {
        String namespace = TestShops.newNamespace(client, "context");
        assertRunsWithLeaseIn(namespace, namespace);
    }

    private void assertRunsWithLeaseIn(String contextNamespace, String leaseNamespace) throws IOException {
        Path kubeconfig = kubeconfigWithContextNamespace(contextNamespace);
        String shops = TestShops.newNamespace(client, "run");
        TestShops.create(client, shops, "storefront", "image: shop:1");
        Path log = Path.of("target/run-from-kubeconfig-" + (contextNamespace == null ? "none" : "ns") + ".log");

        try (PackagedOperator operator = PackagedOperator.start(kubeconfig, log, "512m", Map.of())) {
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> client.apps()
                                    .deployments()
                                    .inNamespace(shops)
                                    .withName("storefront-main")
                                    .get()
                            != null);
            Lease lease =
                    client.leases().inNamespace(leaseNamespace).withName(LEASE).get();
            assertThat(lease).as("Lease %s/%s", leaseNamespace, LEASE).isNotNull();
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
        }
        assertThat(Files.readString(log)).doesNotContain("Lease namespace is not set");
        client.leases().inNamespace(leaseNamespace).withName(LEASE).delete();
    }

    /** The test API server's kubeconfig with every context's namespace set, or removed when null. */
    private static Path kubeconfigWithContextNamespace(String namespace) throws IOException {
        Config config = Serialization.unmarshal(Files.readString(TestApiServer.kubeconfig()), Config.class);
        for (NamedContext context : config.getContexts()) {
            context.getContext().setNamespace(namespace);
        }
        Path file = Files.createTempFile("run-from-kubeconfig", ".kubeconfig");
        file.toFile().deleteOnExit();
        Files.writeString(file, Serialization.asYaml(config));
        return file;
    }
}

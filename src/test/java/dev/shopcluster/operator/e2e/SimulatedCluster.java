package dev.shopcluster.operator.e2e;

import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.KubeBinaries;
import dev.shopcluster.operator.Kubeconfig;
import dev.shopcluster.operator.api.ShopCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The simulated cluster of `hack/local-cluster.sh` (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, kwok nodes), started once per test run in target/ on its own ports and stopped when
 * the run ends.
 */
public final class SimulatedCluster implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {

    static final Path DIR = Path.of("target/sim-cluster").toAbsolutePath();
    private static final String PORT_BASE = "17440";
    private static KubernetesClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(SimulatedCluster.class, k -> start(), SimulatedCluster.class);
    }

    private static SimulatedCluster start() {
        script("start");
        client = Kubeconfig.client(kubeconfig());
        return new SimulatedCluster();
    }

    @Override
    public void close() {
        client.close();
        script("stop");
    }

    static KubernetesClient client() {
        return client;
    }

    /** Installs the committed CRD (idempotent) and waits until ShopClusters can be listed. */
    static void installCrd() throws IOException {
        try (InputStream crd = Files.newInputStream(Path.of("crds/shopclusters.shopcluster.dev-v1.yml"))) {
            client.load(crd).serverSideApply();
        }
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> client.resources(ShopCluster.class)
                                .inNamespace("default")
                                .list()
                        != null);
    }

    static Path kubeconfig() {
        return DIR.resolve("kubeconfig");
    }

    private static void script(String command) {
        ProcessBuilder builder = new ProcessBuilder("hack/local-cluster.sh", command).inheritIO();
        builder.environment().put("KUBE_BIN_DIR", KubeBinaries.dir().toString());
        builder.environment().put("LOCAL_CLUSTER_DIR", DIR.toString());
        builder.environment().put("LOCAL_CLUSTER_PORT_BASE", PORT_BASE);
        try {
            Process process = builder.start();
            if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("hack/local-cluster.sh " + command + " failed; logs in " + DIR);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.shopcluster.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shopcluster.operator.KubeBinaries;
import dev.shopcluster.operator.RestrictedPodSecurity;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * End to end on a real cluster: k3s in a container (Testcontainers), the operator image from
 * `make image` installed with the Helm chart, examples/active-standby.yaml serving a real HTTP image,
 * traffic through the balancer Service, the primary's pods killed, promotion, traffic still served.
 * It needs a Docker engine that already has the k3s and Ryuk images, and the operator image tarball
 * (`make e2e-k3s` builds the tarball and runs it); without any of them it is skipped at once with a
 * message that says which one is missing.
 */
class K3sIT {

    private static final DockerImageName K3S = DockerImageName.parse("rancher/k3s:v1.34.1-k3s1");
    private static final Path OPERATOR_IMAGE = Path.of("target/shop-operator-image.oci.tar");
    private static final Path KUBECONFIG = Path.of("target/k3s/kubeconfig").toAbsolutePath();
    private static final String NAMESPACE = "shop";
    private static final String SHOP = "payments";
    /** Image pulls (HAProxy, the shop's nginx) happen on the way to Ready. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Logger LOG = Logger.getLogger(K3sIT.class);
    private static final Path DOCKER_SOCKET = Path.of("/var/run/docker.sock");

    private static K3sContainer k3s;
    private static KubernetesClient client;

    /**
     * Checked before each test rather than once per class: Failsafe reports a test skipped by an
     * assumption, but says nothing about a class whose @BeforeAll was aborted.
     */
    @BeforeEach
    void installOperatorAndShopOnce() throws Exception {
        skipUnless(
                Files.isRegularFile(OPERATOR_IMAGE),
                OPERATOR_IMAGE + " is missing; `make e2e-k3s` builds it (`make image`) before running this test.");
        if (k3s != null) {
            return;
        }
        // Checked before Testcontainers touches the engine: its first call starts Ryuk.
        for (String image : neededImages()) {
            skipUnless(
                    !engineLacksImage(image),
                    "the Docker engine has no image " + image + ", and Testcontainers"
                            + " would try to pull it for minutes where no registry answers. Pull or load it first"
                            + " (`docker pull " + image
                            + "`); the real-node tier (`make test-realnode`) needs no registry.");
        }
        skipUnless(
                DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine is reachable (Testcontainers found none through DOCKER_HOST,"
                        + " /var/run/docker.sock or its other strategies), and the k3s e2e tier runs k3s in a"
                        + " container. Where a Docker engine exists, `make e2e-k3s` runs it.");
        k3s = new K3sContainer(K3S);
        k3s.start();
        Files.createDirectories(KUBECONFIG.getParent());
        Files.writeString(KUBECONFIG, k3s.getKubeConfigYaml());
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
                .build();

        // The operator image goes straight into k3s's containerd; the chart's default image names it.
        k3s.copyFileToContainer(MountableFile.forHostPath(OPERATOR_IMAGE), "/tmp/operator.oci.tar");
        ExecResult imported = k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", "/tmp/operator.oci.tar");
        assertThat(imported.getExitCode())
                .as("ctr images import: %s", imported.getStderr())
                .isZero();
        helm(
                "install",
                "shop-operator",
                "helm/shop-operator",
                "--namespace",
                "shop-system",
                "--create-namespace",
                "--set",
                "image.pullPolicy=Never",
                "--wait",
                "--timeout",
                "5m");

        RestrictedPodSecurity.applyNamespace(client, NAMESPACE);
        try (InputStream example = Files.newInputStream(Path.of("examples/active-standby.yaml"))) {
            client.resources(ShopCluster.class)
                    .inNamespace(NAMESPACE)
                    .load(example)
                    .create();
        }
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (k3s != null) {
            k3s.stop();
        }
    }

    @Test
    void killedPrimaryIsReplacedByTheStandbyAndTrafficIsStillServed() throws IOException {
        await().atMost(READY_TIMEOUT)
                .ignoreExceptions()
                .until(() -> Conditions.isTrue(shop().getStatus().getConditions(), ConditionTypes.READY));
        assertThat(shop().getStatus().getCurrentPrimary()).isEqualTo(Slot.A);

        try (LocalPortForward balancer =
                client.services().inNamespace(NAMESPACE).withName(SHOP).portForward(80)) {
            URI uri = URI.create("http://127.0.0.1:" + balancer.getLocalPort() + "/");
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> status(uri) == 200);

            // Kill the primary's pods and keep them from coming back within the grace period: with the
            // only node cordoned, their replacements stay Pending, as on a lost node.
            Node node = client.nodes().list().getItems().get(0);
            setUnschedulable(node, true);
            try {
                client.pods()
                        .inNamespace(NAMESPACE)
                        .withLabels(Map.of("app.kubernetes.io/instance", SHOP, "shopcluster.dev/group", "a"))
                        .withGracePeriod(0)
                        .delete();

                await().atMost(Duration.ofSeconds(5 + 55))
                        .until(() -> shop().getStatus().getCurrentPrimary() == Slot.B);
                ShopCluster promoted = shop();
                assertThat(Conditions.find(promoted.getStatus().getConditions(), ConditionTypes.FAILED_OVER))
                        .hasValueSatisfying(c -> assertThat(c.getReason()).isEqualTo(ConditionTypes.PRIMARY_UNREADY));
                assertThat(promoted.getStatus().getFailovers()).isEqualTo(1);

                // The standby's pod serves through the same entry Service.
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> status(uri) == 200);
                assertThat(IntStream.range(0, 20).map(i -> status(uri))).allMatch(code -> code == 200);
            } finally {
                setUnschedulable(node, false);
            }
        }
    }

    /** k3s, and Testcontainers' Ryuk (started with the first container) unless it is disabled. */
    private static List<String> neededImages() {
        if (Boolean.parseBoolean(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
            return List.of(K3S.asCanonicalNameString());
        }
        return List.of(TestcontainersConfiguration.getInstance().getRyukImage(), K3S.asCanonicalNameString());
    }

    /**
     * Whether a Docker engine answers on its default socket and says it has no such image, asked over
     * the engine's API directly: Testcontainers' client would first start Ryuk, pulling its image for
     * minutes where no registry answers. False where no engine answers there.
     */
    private static boolean engineLacksImage(String image) {
        try (SocketChannel engine = SocketChannel.open(UnixDomainSocketAddress.of(DOCKER_SOCKET))) {
            engine.write(ByteBuffer.wrap(("GET /images/" + image + "/json HTTP/1.0\r\nHost: docker\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer statusLine = ByteBuffer.allocate(12);
            while (statusLine.hasRemaining() && engine.read(statusLine) >= 0) {
                // HTTP/1.x NNN
            }
            return new String(statusLine.array(), StandardCharsets.US_ASCII).endsWith(" 404");
        } catch (IOException e) {
            return false;
        }
    }

    /** Skips the test, saying why on the console too: Failsafe keeps an assumption's message in its report only. */
    private static void skipUnless(boolean condition, String reason) {
        if (!condition) {
            LOG.warn("K3sIT skipped: " + reason);
        }
        assumeTrue(condition, "K3sIT skipped: " + reason);
    }

    private static int status(URI uri) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void setUnschedulable(Node node, boolean unschedulable) {
        client.nodes().withName(node.getMetadata().getName()).edit(n -> new NodeBuilder(n)
                .editSpec()
                .withUnschedulable(unschedulable)
                .endSpec()
                .build());
    }

    private static ShopCluster shop() {
        return client.resources(ShopCluster.class)
                .inNamespace(NAMESPACE)
                .withName(SHOP)
                .get();
    }

    /** Runs the helm built by `make kube-binaries` against k3s; helm's own --timeout bounds it. */
    private static void helm(String... args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(KubeBinaries.binary("helm").toString()).redirectErrorStream(true);
        builder.command().addAll(List.of(args));
        builder.environment().put("KUBECONFIG", KUBECONFIG.toString());
        builder.environment().put("HELM_CACHE_HOME", "target/helm/cache");
        builder.environment().put("HELM_CONFIG_HOME", "target/helm/config");
        builder.environment().put("HELM_DATA_HOME", "target/helm/data");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor())
                .as("helm %s:%n%s", String.join(" ", args), output)
                .isZero();
    }
}

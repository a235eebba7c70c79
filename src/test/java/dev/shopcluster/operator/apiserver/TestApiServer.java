package dev.shopcluster.operator.apiserver;

import dev.shopcluster.operator.KubeBinaries;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real kube-apiserver + etcd (fabric8 kube-api-test, offline, binaries built by `make kube-binaries`)
 * shared by every API-server test class of a run, with the ShopCluster CRD installed.
 */
public final class TestApiServer implements BeforeAllCallback {

    static final String GENERATED_CRD = "target/classes/META-INF/fabric8/shopclusters.shopcluster.dev-v1.yml";

    private static KubeAPIServer server;
    private static KubernetesClient client;
    private static Path kubeconfig;

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    static synchronized void start() {
        if (server != null) {
            return;
        }
        if (!Files.isExecutable(KubeBinaries.binary("kube-apiserver"))) {
            throw new IllegalStateException("no kube-apiserver in " + KubeBinaries.dir()
                    + ": run `make kube-binaries` (make test does) to build it from its Go module");
        }
        server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true)
                .withTestDir(KubeBinaries.testDir())
                .withApiServerVersion(KubeBinaries.version())
                .build());
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        try {
            kubeconfig = Files.createTempFile("shop-operator-test", ".kubeconfig");
            Files.writeString(kubeconfig, server.getKubeConfigYaml());
            kubeconfig.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client = newClient();
        installCrd();
    }

    /** A new client of the test API server, as administrator. */
    public static KubernetesClient newClient() {
        return newClient(builder -> {});
    }

    /** A new administrator client whose HTTP client is customized, for example to observe requests. */
    public static KubernetesClient newClient(Consumer<HttpClient.Builder> httpClient) {
        start();
        return new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(server.getKubeConfigYaml()))
                .withHttpClientBuilderConsumer(httpClient)
                .build();
    }

    public static KubernetesClient client() {
        start();
        return client;
    }

    /** A kubeconfig file for kubectl. */
    public static Path kubeconfig() {
        start();
        return kubeconfig;
    }

    public static Path kubectl() {
        return KubeBinaries.binary("kubectl");
    }

    private static void installCrd() {
        try (InputStream in = new FileInputStream(GENERATED_CRD)) {
            CustomResourceDefinition crd = client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .load(in)
                    .item();
            client.resource(crd).serverSideApply();
            client.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName(crd.getMetadata().getName())
                    .waitUntilCondition(
                            // A CRD read before the API server wrote its status has no conditions yet.
                            c -> c.getStatus() != null
                                    && c.getStatus().getConditions() != null
                                    && c.getStatus().getConditions().stream()
                                            .anyMatch(cond -> "Established".equals(cond.getType())
                                                    && "True".equals(cond.getStatus())),
                            30,
                            TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.shopcluster.operator.realnode;

import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.RestrictedPodSecurity;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The operator as users install it, on the real node: the Helm chart with the image `make image` built,
 * in a namespace that enforces Pod Security "restricted", and every example of examples/ applied to
 * the namespace {@value #NAMESPACE} (also "restricted"), with the test shop image in place of the
 * examples' nginx. Set up once per test run, by whichever test class needs it first.
 */
final class ShopsOnRealNode {

    static final String OPERATOR_NAMESPACE = "shop-system";
    static final String NAMESPACE = "shop";
    static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static boolean installed;

    private ShopsOnRealNode() {}

    static synchronized void ensureInstalled() {
        if (installed) {
            return;
        }
        KubernetesClient client = RealNode.client();
        RestrictedPodSecurity.applyNamespace(client, OPERATOR_NAMESPACE);
        RealNode.helm(
                "install",
                "shop-operator",
                "helm/shop-operator",
                "--namespace",
                OPERATOR_NAMESPACE,
                "--set",
                "image.pullPolicy=Never",
                "--wait",
                "--timeout",
                "5m");
        RestrictedPodSecurity.applyNamespace(client, NAMESPACE);
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            for (Path example :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(example)) {
                    ShopCluster shop =
                            client.resources(ShopCluster.class).load(in).item();
                    shop.getSpec().setImage(ShopImage.NAME);
                    client.resources(ShopCluster.class)
                            .inNamespace(NAMESPACE)
                            .resource(shop)
                            .create();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        installed = true;
    }

    static List<ShopCluster> shops() {
        return RealNode.client()
                .resources(ShopCluster.class)
                .inNamespace(NAMESPACE)
                .list()
                .getItems();
    }

    static ShopCluster shop(String name) {
        return RealNode.client()
                .resources(ShopCluster.class)
                .inNamespace(NAMESPACE)
                .withName(name)
                .get();
    }

    static void awaitReady(String name) {
        awaitReady(NAMESPACE, name);
    }

    /** Waits until the shop is Ready; on timeout, fails with what the cluster and the operator say. */
    static void awaitReady(String namespace, String name) {
        try {
            await().atMost(READY_TIMEOUT)
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> Conditions.isTrue(
                            RealNode.client()
                                    .resources(ShopCluster.class)
                                    .inNamespace(namespace)
                                    .withName(name)
                                    .get()
                                    .getStatus()
                                    .getConditions(),
                            ConditionTypes.READY));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(
                    namespace + "/" + name + " is not Ready after " + READY_TIMEOUT + ":\n"
                            + RealNode.kubectl("-n", namespace, "get", "shop,deploy,rs,pod,events", "-o", "wide")
                            + RealNode.kubectl("-n", namespace, "get", "shop", name, "-o", "jsonpath={.status}")
                            + "\noperator log:\n"
                            + RealNode.kubectl(
                                    "-n", OPERATOR_NAMESPACE, "logs", "deploy/shop-operator", "--tail", "60"),
                    e);
        }
    }

    /** The shop pods of one pool or slot (its group). */
    static List<Pod> pods(String shop, String group) {
        return RealNode.client()
                .pods()
                .inNamespace(NAMESPACE)
                .withLabels(Map.of("app.kubernetes.io/instance", shop, "shopcluster.dev/group", group))
                .list()
                .getItems();
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null
                && pod.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}

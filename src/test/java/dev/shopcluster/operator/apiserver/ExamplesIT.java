package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file in examples/ is accepted by the API server and reconciled to Ready once its pods are. */
class ExamplesIT {

    @RegisterExtension
    static final OperatorHarness harness = OperatorHarness.withOperator("examples");

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            List<Path> yamls =
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
            assertThat(yamls).hasSizeGreaterThanOrEqualTo(8);
            return yamls.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleBecomesReady(Path example) throws IOException {
        ShopCluster shop;
        try (InputStream in = Files.newInputStream(example)) {
            shop = harness.client()
                    .resources(ShopCluster.class)
                    .inNamespace(harness.namespace())
                    .load(in)
                    .create();
        }
        String name = shop.getMetadata().getName();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            List<Deployment> deployments = harness.client()
                    .apps()
                    .deployments()
                    .inNamespace(harness.namespace())
                    .withLabel("app.kubernetes.io/instance", name)
                    .list()
                    .getItems();
            assertThat(deployments).hasSizeGreaterThanOrEqualTo(2);
            deployments.forEach(d -> WorkloadSimulator.allReady(
                    harness.client(), harness.namespace(), d.getMetadata().getName()));
            ShopCluster reconciled = harness.shop(name);
            assertThat(Conditions.isTrue(reconciled.getStatus().getConditions(), ConditionTypes.READY))
                    .isTrue();
        });
    }
}

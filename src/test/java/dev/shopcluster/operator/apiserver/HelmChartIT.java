package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Helm chart lints clean, and every object it renders is accepted by the real API server. */
@ExtendWith(TestApiServer.class)
class HelmChartIT {

    private static final String CHART = "helm/shop-operator";

    @Test
    void lintsClean() throws Exception {
        Kubectl.Result lint = Kubectl.helm("lint", "--strict", CHART);
        assertThat(lint.exitCode()).as(lint.output()).isZero();
        assertThat(lint.output()).contains("0 chart(s) failed");
    }

    static Stream<List<String>> valueSets() {
        return Stream.of(List.of(), List.of("--set", "replicas=2", "--set", "watchNamespaces={shop-a,shop-b}"));
    }

    @ParameterizedTest(name = "helm template {0}")
    @MethodSource("valueSets")
    void everyRenderedObjectPassesServerSideDryRun(List<String> values) throws Exception {
        String namespace = TestShops.newNamespace(TestApiServer.client(), "chart");
        for (String watched : List.of("shop-a", "shop-b")) {
            if (TestApiServer.client().namespaces().withName(watched).get() == null) {
                TestApiServer.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata().withName(watched).endMetadata().build()).create();
            }
        }
        List<String> args = new java.util.ArrayList<>(List.of("template", "shop-operator", CHART, "--namespace",
                namespace, "--include-crds"));
        args.addAll(values);
        Kubectl.Result template = Kubectl.helm(args.toArray(String[]::new));
        assertThat(template.exitCode()).as(template.output()).isZero();
        Path rendered = Files.createTempFile("chart", ".yaml");
        Files.writeString(rendered, template.output());

        Kubectl.Result dryRun = Kubectl.run("apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f",
                rendered.toString());
        assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();

        List<HasMetadata> objects = TestApiServer.client()
                .load(new ByteArrayInputStream(template.output().getBytes(StandardCharsets.UTF_8))).items();
        assertThat(objects).extracting(HasMetadata::getKind)
                .contains("CustomResourceDefinition", "Deployment", "ServiceAccount", "Service");
        List<PolicyRule> rules = objects.stream()
                .flatMap(o -> o instanceof io.fabric8.kubernetes.api.model.rbac.ClusterRole role ? role.getRules().stream()
                        : o instanceof io.fabric8.kubernetes.api.model.rbac.Role role ? role.getRules().stream()
                        : Stream.empty())
                .toList();
        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*");
            assertThat(rule.getApiGroups()).doesNotContain("*");
        });
        assertThat(Serialization.asYaml(objects)).contains("readOnlyRootFilesystem: true");
    }
}

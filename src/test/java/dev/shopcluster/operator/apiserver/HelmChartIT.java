package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
    /** The CRD as released in 0.1.0, before spec.pod. */
    private static final Path RELEASED_CRD =
            Path.of("src/test/resources/crds/shopclusters.shopcluster.dev-v1-0.1.0.yml");

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
                TestApiServer.client()
                        .namespaces()
                        .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                                .withNewMetadata()
                                .withName(watched)
                                .endMetadata()
                                .build())
                        .create();
            }
        }
        List<String> args = new java.util.ArrayList<>(
                List.of("template", "shop-operator", CHART, "--namespace", namespace, "--include-crds"));
        args.addAll(values);
        Kubectl.Result template = Kubectl.helm(args.toArray(String[]::new));
        assertThat(template.exitCode()).as(template.output()).isZero();
        Path rendered = Files.createTempFile("chart", ".yaml");
        Files.writeString(rendered, template.output());

        Kubectl.Result dryRun = Kubectl.run(
                "apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f", rendered.toString());
        assertThat(dryRun.exitCode()).as(dryRun.output()).isZero();

        List<HasMetadata> objects = TestApiServer.client()
                .load(new ByteArrayInputStream(template.output().getBytes(StandardCharsets.UTF_8)))
                .items();
        assertThat(objects)
                .extracting(HasMetadata::getKind)
                .contains("CustomResourceDefinition", "Deployment", "ServiceAccount", "Service");
        List<PolicyRule> rules = objects.stream()
                .flatMap(o -> o instanceof io.fabric8.kubernetes.api.model.rbac.ClusterRole role
                        ? role.getRules().stream()
                        : o instanceof io.fabric8.kubernetes.api.model.rbac.Role role
                                ? role.getRules().stream()
                                : Stream.empty())
                .toList();
        assertThat(rules).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*");
            assertThat(rule.getApiGroups()).doesNotContain("*");
        });
        assertThat(Serialization.asYaml(objects)).contains("readOnlyRootFilesystem: true");
        assertThat(objects)
                .filteredOn(o -> o.getKind().equals("ClusterRole"))
                .extracting(o -> o.getMetadata().getLabels())
                .anySatisfy(labels ->
                        assertThat(labels).containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true"))
                .anySatisfy(labels ->
                        assertThat(labels).containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true"));
    }

    /** The monitoring objects need the Prometheus Operator's CRDs, absent here: rendered and linted only. */
    @Test
    void rendersThePodMonitorAndAlertsWhenAskedFor() throws Exception {
        String[] values = {"--set", "balancerPodMonitor.enabled=true", "--set", "prometheusRule.enabled=true"};
        Kubectl.Result lint = Kubectl.helm(Stream.concat(Stream.of("lint", "--strict", CHART), Stream.of(values))
                .toArray(String[]::new));
        assertThat(lint.exitCode()).as(lint.output()).isZero();
        Kubectl.Result template =
                Kubectl.helm(Stream.concat(Stream.of("template", "shop-operator", CHART), Stream.of(values))
                        .toArray(String[]::new));
        assertThat(template.exitCode()).as(template.output()).isZero();
        List<HasMetadata> objects = TestApiServer.client()
                .load(new ByteArrayInputStream(template.output().getBytes(StandardCharsets.UTF_8)))
                .items();
        assertThat(objects).extracting(HasMetadata::getKind).contains("PodMonitor", "PrometheusRule");
        assertThat(template.output())
                .contains("port: monitor")
                .contains("shop_failovers_total")
                .contains("alert: ShopClusterNotReady")
                .contains("alert: ShopClusterDegraded")
                .contains("alert: ShopClusterFailedOver");
    }

    /**
     * The documented upgrade over a CRD that `helm install` created: Helm never upgrades it, a plain
     * server-side apply conflicts with Helm's ownership of the fields, `--force-conflicts` takes them
     * over; `helm upgrade` then leaves the new CRD alone and `helm uninstall` leaves it in place.
     */
    @Test
    void crdUpgradeOverAHelmCreatedCrdNeedsForceConflictsAndSurvivesUninstall() throws Exception {
        var client = TestApiServer.client();
        String crdName = "shopclusters.shopcluster.dev";
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crdName)
                .delete();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> client.apiextensions()
                                .v1()
                                .customResourceDefinitions()
                                .withName(crdName)
                                .get()
                        == null);
        try {
            // The previous release: the same chart with the CRD released in 0.1.0 (no spec.pod yet).
            Path oldChart = Path.of("target/helm/old-chart");
            copyChart(Path.of(CHART), oldChart);
            Files.copy(
                    RELEASED_CRD,
                    oldChart.resolve("crds/shopclusters.shopcluster.dev-v1.yml"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String namespace = "helm-upgrade";
            Kubectl.Result install = Kubectl.helm(
                    "install", "shop-operator", oldChart.toString(), "--namespace", namespace, "--create-namespace");
            assertThat(install.exitCode()).as(install.output()).isZero();
            assertThat(specFields(crdName)).doesNotContain("pod");

            Kubectl.Result plain = Kubectl.run("apply", "--server-side", "-f", "crds/");
            assertThat(plain.exitCode()).as(plain.output()).isNotZero();
            assertThat(plain.output()).contains("conflict").contains("helm");
            Kubectl.Result forced = Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", "crds/");
            assertThat(forced.exitCode()).as(forced.output()).isZero();
            assertThat(specFields(crdName)).contains("pod");

            Kubectl.Result upgrade = Kubectl.helm("upgrade", "shop-operator", CHART, "--namespace", namespace);
            assertThat(upgrade.exitCode()).as(upgrade.output()).isZero();
            assertThat(specFields(crdName))
                    .as("helm upgrade leaves the CRD alone")
                    .contains("pod");

            Kubectl.Result uninstall = Kubectl.helm("uninstall", "shop-operator", "--namespace", namespace);
            assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
            assertThat(client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .withName(crdName)
                            .get())
                    .as("helm uninstall keeps the CRD, and with it every ShopCluster")
                    .isNotNull();
            assertThat(client.apps().deployments().inNamespace(namespace).list().getItems())
                    .isEmpty();
        } finally {
            // Other test classes expect the committed CRD.
            Kubectl.run("apply", "--server-side", "--force-conflicts", "-f", "crds/");
            Kubectl.run("wait", "--for=condition=Established", "crd/" + crdName, "--timeout=60s");
        }
    }

    private static java.util.Set<String> specFields(String crdName) {
        return TestApiServer.client()
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName(crdName)
                .get()
                .getSpec()
                .getVersions()
                .get(0)
                .getSchema()
                .getOpenAPIV3Schema()
                .getProperties()
                .get("spec")
                .getProperties()
                .keySet();
    }

    private static void copyChart(Path from, Path to) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}

package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.shopcluster.operator.status.ConditionTypes;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API server refuses a child for reasons of its own: the shop says so in its conditions (naming the
 * object, quoting the server), the operator retries with backoff and logs each distinct refusal once, and
 * the shop recovers by itself once the cause is gone.
 */
class ChildRejectionIT {

    @RegisterExtension
    static final OperatorHarness harness = OperatorHarness.withOperator("rejection");

    private static final String SPEC = "image: shop:1\nreplicas: 1\nbalancer: {replicas: 1}";

    @Test
    void aResourceQuotaExceededIsShownAndRecoversWhenTheQuotaGoes() {
        ResourceQuota quota = client().resourceQuotas()
                .inNamespace(harness.namespace())
                .resource(new ResourceQuotaBuilder()
                        .withNewMetadata()
                        .withName("no-services")
                        .endMetadata()
                        .withNewSpec()
                        .withHard(Map.of("services", new Quantity("0")))
                        .endSpec()
                        .build())
                .create();
        // This tier runs no quota controller: play it, so that admission knows the usage.
        quota.setStatus(new io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder()
                .withHard(Map.of("services", new Quantity("0")))
                .withUsed(Map.of("services", new Quantity("0")))
                .build());
        client().resource(quota).updateStatus();

        try {
            harness.createShop("quota", SPEC);

            Condition degraded = awaitRejected("quota");
            assertThat(degraded.getMessage())
                    .startsWith("the API server rejected Service/quota")
                    .contains("exceeded quota: no-services");
            assertOneLogLinePerRejectionWhileRetrying("quota");
        } finally {
            client().resource(quota).delete();
        }
        awaitRecovered("quota");
    }

    @Test
    void aFullServiceRangeIsShownAndRecoversWhenAddressesAreFreed() {
        String filler = TestShops.newNamespace(client(), "filler");
        List<HasMetadata> fillers = fillServiceRange(filler);
        try {
            harness.createShop("full", SPEC);

            Condition degraded = awaitRejected("full");
            assertThat(degraded.getMessage()).contains("Service/full: ").contains("range is full");
        } finally {
            client().resourceList(fillers).delete();
        }
        awaitRecovered("full");
    }

    @Test
    void anAdmissionPolicyRefusingTheBalancerIsShownAndRecoversWhenItsBindingGoes() {
        // make test-oldest runs this tier on Kubernetes 1.28, whose admission policies are not v1 yet.
        assumeTrue(
                client().getApiResources("admissionregistration.k8s.io/v1").getResources().stream()
                        .anyMatch(r -> r.getName().equals("validatingadmissionpolicies")),
                "ValidatingAdmissionPolicy v1 needs Kubernetes 1.30; this API server is "
                        + client().getKubernetesVersion().getGitVersion());
        String policy = "no-balancers-" + harness.namespace();
        client().load(new ByteArrayInputStream(
                        """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: %1$s}
                spec:
                  failurePolicy: Fail
                  matchConstraints:
                    resourceRules:
                      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
                  validations:
                    - expression: "!has(object.metadata.labels) || object.metadata.labels[?'app.kubernetes.io/component'].orValue('') != 'balancer'"
                      message: balancers are not allowed in this namespace
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: %1$s}
                spec:
                  policyName: %1$s
                  validationActions: [Deny]
                  matchResources:
                    namespaceSelector:
                      matchLabels: {kubernetes.io/metadata.name: %2$s}
                """
                                .formatted(policy, harness.namespace())
                                .getBytes(StandardCharsets.UTF_8)))
                .create();
        try {
            // The API server loads new policies asynchronously: wait until it enforces this one.
            await().atMost(Duration.ofSeconds(30)).until(this::aBalancerIsRefused);
            harness.createShop("vap", SPEC);

            Condition degraded = awaitRejected("vap");
            assertThat(degraded.getMessage())
                    .contains("Deployment/vap-balancer: ")
                    .contains("balancers are not allowed in this namespace");
        } finally {
            client().genericKubernetesResources("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding")
                    .withName(policy)
                    .delete();
            client().genericKubernetesResources("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy")
                    .withName(policy)
                    .delete();
        }
        awaitRecovered("vap");
    }

    private static Condition awaitRejected(String shop) {
        Condition ready = ShopAssertions.awaitCondition(
                harness, shop, ConditionTypes.READY, "False", ConditionTypes.CHILD_REJECTED);
        Condition degraded = ShopAssertions.assertCondition(
                harness.shop(shop), ConditionTypes.DEGRADED, "True", ConditionTypes.CHILD_REJECTED);
        assertThat(ready.getMessage()).isEqualTo(degraded.getMessage());
        return degraded;
    }

    /** The operator retries (every 5 s at first) but says so once. */
    private static void assertOneLogLinePerRejectionWhileRetrying(String shop) {
        await().during(Duration.ofSeconds(12))
                .atMost(Duration.ofSeconds(20))
                .until(() -> harness.logLines().stream()
                                .filter(line -> line.contains("/" + shop + ": the API server rejected "))
                                .count()
                        == 1);
        assertThat(harness.logLines()).noneMatch(line -> line.contains("KubernetesClientException"));
    }

    /** Once the cause is gone, the next retry applies every child; the shop becomes Ready with its pods. */
    private static void awaitRecovered(String shop) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> List.of(shop + "-main", shop + "-balancer").stream()
                                .allMatch(d -> client().apps()
                                                .deployments()
                                                .inNamespace(harness.namespace())
                                                .withName(d)
                                                .get()
                                        != null)
                        && client().services()
                                        .inNamespace(harness.namespace())
                                        .withName(shop)
                                        .get()
                                != null);
        List.of(shop + "-main", shop + "-balancer")
                .forEach(d -> WorkloadSimulator.allReady(client(), harness.namespace(), d));
        ShopAssertions.awaitCondition(harness, shop, ConditionTypes.READY, "True", ConditionTypes.ALL_REPLICAS_READY);
        assertThat(harness.logLines())
                .anyMatch(line -> line.contains(
                        harness.namespace() + "/" + shop + ": the API server accepted every child again"));
    }

    /** ClusterIP Services until the API server answers that the range is full (a /24 in this tier). */
    private static List<HasMetadata> fillServiceRange(String namespace) {
        List<HasMetadata> created = new java.util.ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            try {
                created.add(client().services()
                        .inNamespace(namespace)
                        .resource(new ServiceBuilder()
                                .withNewMetadata()
                                .withName("filler-" + i)
                                .endMetadata()
                                .withNewSpec()
                                .addNewPort()
                                .withPort(80)
                                .endPort()
                                .endSpec()
                                .build())
                        .create());
            } catch (KubernetesClientException e) {
                assertThat(e.getMessage()).contains("range is full");
                return created;
            }
        }
        throw new AssertionError("the Service range did not fill up after 1024 Services");
    }

    private boolean aBalancerIsRefused() {
        try {
            client().apps()
                    .deployments()
                    .inNamespace(harness.namespace())
                    .resource(new DeploymentBuilder()
                            .withNewMetadata()
                            .withName("probe")
                            .withLabels(Map.of("app.kubernetes.io/component", "balancer"))
                            .endMetadata()
                            .withNewSpec()
                            .withNewSelector()
                            .withMatchLabels(Map.of("app", "probe"))
                            .endSelector()
                            .withNewTemplate()
                            .withNewMetadata()
                            .withLabels(Map.of("app", "probe"))
                            .endMetadata()
                            .withNewSpec()
                            .addNewContainer()
                            .withName("probe")
                            .withImage("probe:1")
                            .endContainer()
                            .endSpec()
                            .endTemplate()
                            .endSpec()
                            .build())
                    .dryRun()
                    .create();
            return false;
        } catch (KubernetesClientException e) {
            return e.getMessage().contains("balancers are not allowed");
        }
    }

    private static KubernetesClient client() {
        return harness.client();
    }
}

package dev.shopcluster.operator.realnode;

import static dev.shopcluster.operator.realnode.ShopsOnRealNode.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator installed by Helm on the real node, every example running as real pods under Pod
 * Security "restricted", and traffic from a pod through each shop's Service shaped by its strategy.
 */
@ExtendWith(RealNode.class)
class ShopsOnRealNodeIT {

    private static final Duration TRAFFIC = Duration.ofSeconds(10);
    private static KubernetesClient client;

    @BeforeAll
    static void install() {
        client = RealNode.client();
        ShopsOnRealNode.ensureInstalled();
    }

    @Test
    void operatorPodRunsReadyUnderItsRestrictedSecurityContext() {
        Pod operator = client.pods()
                .inNamespace(ShopsOnRealNode.OPERATOR_NAMESPACE)
                .withLabel("app.kubernetes.io/name", "shop-operator")
                .list()
                .getItems()
                .get(0);
        assertThat(ShopsOnRealNode.isReady(operator)).isTrue();
        assertThat(operator.getSpec().getContainers().get(0).getImage()).startsWith("shopcluster/shop-operator:");
        assertThat(operator.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(operator.getSpec()
                        .getContainers()
                        .get(0)
                        .getSecurityContext()
                        .getReadOnlyRootFilesystem())
                .isTrue();
        assertThat(operator.getStatus().getContainerStatuses())
                .allSatisfy(s -> assertThat(s.getRestartCount()).isZero());
    }

    @Test
    void everyExampleBecomesReadyWithRunningPods() {
        await().atMost(ShopsOnRealNode.READY_TIMEOUT).ignoreExceptions().untilAsserted(() -> assertThat(
                        ShopsOnRealNode.shops())
                .hasSizeGreaterThanOrEqualTo(8)
                .allSatisfy(
                        shop -> assertThat(Conditions.isTrue(shop.getStatus().getConditions(), ConditionTypes.READY))
                                .as(shop.getMetadata().getName())
                                .isTrue()));
        List<Pod> pods = client.pods().inNamespace(NAMESPACE).list().getItems();
        assertThat(pods).allSatisfy(pod -> {
            assertThat(pod.getSpec().getNodeName()).isEqualTo("realnode");
            assertThat(pod.getStatus().getContainerStatuses())
                    .extracting(ContainerStatus::getContainerID)
                    .allSatisfy(id -> assertThat(id).startsWith("containerd://"));
        });
        // Balancers: HAProxy and its reload sidecar in one process namespace, as uid 99.
        assertThat(pods)
                .filteredOn(p -> p.getMetadata().getName().startsWith("storefront-balancer-"))
                .hasSize(2)
                .allSatisfy(p -> assertThat(ShopsOnRealNode.isReady(p)).isTrue());
    }

    @Test
    void theNamespaceEnforcesPodSecurityRestricted() {
        ShopsOnRealNode.awaitReady("storefront");
        assertThat(client.v1().events().inNamespace(NAMESPACE).list().getItems())
                .as("no pod refused by Pod Security admission")
                .noneMatch(e -> "FailedCreate".equals(e.getReason()));
        // Admitted by "baseline", refused by "restricted": no seccomp profile, may escalate, runs as root.
        Pod unrestricted = new PodBuilder()
                .withNewMetadata()
                .withName("unrestricted")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage(ShopImage.NAME)
                .endContainer()
                .endSpec()
                .build();
        assertThatThrownBy(() -> client.pods()
                        .inNamespace(NAMESPACE)
                        .resource(unrestricted)
                        .create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("violates PodSecurity \"restricted");
    }

    @Test
    void kubectlScaleShopAddsRealPods() {
        ShopsOnRealNode.awaitReady("catalog");
        RealNode.kubectl("-n", NAMESPACE, "scale", "shop", "catalog", "--replicas=4");
        await().atMost(ShopsOnRealNode.READY_TIMEOUT)
                .until(() -> ShopsOnRealNode.pods("catalog", "main").stream()
                                .filter(ShopsOnRealNode::isReady)
                                .count()
                        == 4);
        ShopsOnRealNode.awaitReady("catalog");
        assertThat(ShopsOnRealNode.shop("catalog").getStatus().getReadyReplicas())
                .isEqualTo(4);
    }

    @Test
    void roundRobinSharesRequestsEquallyOverThePods() {
        Map<String, Long> perPod = servedPerPod(traffic("storefront", null));
        assertThat(perPod).hasSize(3);
        long total = perPod.values().stream().mapToLong(Long::longValue).sum();
        // Each balancer takes the servers in turn; two balancers together stay within a few requests.
        assertThat(perPod.values())
                .allSatisfy(n -> assertThat((double) n / total).isBetween(0.30, 0.37));
    }

    @Test
    void weightedRandomSendsThreeQuartersToThePoolWeightedThree() {
        Map<String, Long> perPod = servedPerPod(traffic("search", null));
        long large = perPod.entrySet().stream()
                .filter(e -> e.getKey().startsWith("search-large-"))
                .mapToLong(Map.Entry::getValue)
                .sum();
        long total = perPod.values().stream().mapToLong(Long::longValue).sum();
        assertThat(perPod).hasSize(4);
        assertThat((double) large / total)
                .as("share of pool large (weight 3 against 1)")
                .isBetween(0.67, 0.83);
    }

    @Test
    void consistentHashSendsEachSessionToOnePodWhicheverBalancerTakesIt() {
        List<LoadGenerator.Response> responses = traffic("cart", "X-Session-Id");
        Map<String, Map<String, Long>> podsPerKey = responses.stream()
                .collect(Collectors.groupingBy(
                        LoadGenerator.Response::key,
                        Collectors.groupingBy(LoadGenerator.Response::pod, Collectors.counting())));
        assertThat(podsPerKey).hasSize(100);
        // Bounded load (125 %) may move a request whose server is busy at that instant; nearly none at this rate.
        long sticky = podsPerKey.values().stream()
                .mapToLong(pods ->
                        pods.values().stream().mapToLong(Long::longValue).max().orElse(0))
                .sum();
        assertThat((double) sticky / responses.size())
                .as("requests on their key's pod")
                .isGreaterThan(0.95);
        assertThat(servedPerPod(responses)).as("keys spread over every pod").hasSize(3);
    }

    /** 20 requests per second for {@link #TRAFFIC} to the shop's Service, all answered. */
    private static List<LoadGenerator.Response> traffic(String shop, String header) {
        ShopsOnRealNode.awaitReady(shop);
        ShopCluster cluster = ShopsOnRealNode.shop(shop);
        String url = "http://" + shop + "." + NAMESPACE + ".svc.cluster.local:"
                + cluster.getSpec().getBalancer().getPort() + "/";
        LoadGenerator load = LoadGenerator.start(client, NAMESPACE, "load-" + shop, url, 20, TRAFFIC, header);
        List<LoadGenerator.Response> responses = load.awaitAll(TRAFFIC.plusMinutes(1));
        load.delete();
        assertThat(responses).hasSize(20 * (int) TRAFFIC.toSeconds()).allSatisfy(r -> assertThat(r.ok())
                .as("request %d: %s %s", r.seq(), r.status(), r.pod())
                .isTrue());
        return responses;
    }

    private static Map<String, Long> servedPerPod(List<LoadGenerator.Response> responses) {
        return responses.stream().collect(Collectors.groupingBy(LoadGenerator.Response::pod, Collectors.counting()));
    }
}

package dev.shopcluster.operator.realnode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.RestrictedPodSecurity;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.apiserver.TestShops;
import dev.shopcluster.operator.e2e.RealisticShop;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A shop deployed as a real one is, on the real node: resources, env from a Secret and a pull secret, in
 * a namespace that enforces Pod Security "restricted" and whose ResourceQuota requires limits on every
 * container. Its pods run, and the Secret's value reaches the shop's process: the test shop answers
 * {@code /env/DB_PASSWORD} with it, through the balancer.
 */
@ExtendWith(RealNode.class)
class RealisticShopOnRealNodeIT {

    private static final String NAMESPACE = "quota";
    private static final String SHOP = "cart";
    private static KubernetesClient client;

    @BeforeAll
    static void install() {
        client = RealNode.client();
        ShopsOnRealNode.ensureInstalled();
        RestrictedPodSecurity.applyNamespace(client, NAMESPACE);
        RealisticShop.prepareNamespace(client, NAMESPACE);
        TestShops.create(client, NAMESPACE, SHOP, RealisticShop.spec(ShopImage.NAME));
    }

    @Test
    void runsUnderAQuotaThatRequiresLimitsAndGetsItsSecretAsEnv() {
        ShopsOnRealNode.awaitReady(NAMESPACE, SHOP);
        List<Pod> pods = client.pods()
                .inNamespace(NAMESPACE)
                .withLabel("app.kubernetes.io/instance", SHOP)
                .list()
                .getItems();
        assertThat(pods).hasSize(4).allSatisfy(pod -> assertThat(ShopsOnRealNode.isReady(pod))
                .as(pod.getMetadata().getName())
                .isTrue());
        assertThat(RealisticShop.usedCpuLimitsMillis(client, NAMESPACE))
                .isEqualTo(
                        2 * RealisticShop.SHOP_POD_CPU_LIMIT_MILLIS + 2 * RealisticShop.BALANCER_POD_CPU_LIMIT_MILLIS);

        int port = client.resources(ShopCluster.class)
                .inNamespace(NAMESPACE)
                .withName(SHOP)
                .get()
                .getSpec()
                .getBalancer()
                .getPort();
        // The client runs beside the examples: in this namespace the quota would refuse it (no limits).
        LoadGenerator load = LoadGenerator.start(
                client,
                ShopsOnRealNode.NAMESPACE,
                "env-client",
                "http://" + SHOP + "." + NAMESPACE + ".svc.cluster.local:" + port + "/env/DB_PASSWORD",
                10,
                Duration.ofSeconds(2),
                null);
        List<LoadGenerator.Response> responses;
        try {
            responses = load.awaitAll(Duration.ofMinutes(1));
        } finally {
            load.delete();
        }
        assertThat(responses).hasSize(20).allSatisfy(r -> {
            assertThat(r.status()).as("request %d", r.seq()).isEqualTo("200");
            assertThat(r.pod()).as("the shop's DB_PASSWORD").isEqualTo(RealisticShop.DB_PASSWORD);
        });
    }
}

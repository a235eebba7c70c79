package dev.shopcluster.operator.dataplane;

import static dev.shopcluster.operator.ShopFixtures.shop;
import static dev.shopcluster.operator.dataplane.DataPlaneFixtures.fast;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.StrategyType;
import dev.shopcluster.operator.dataplane.HttpConnection.Response;
import dev.shopcluster.operator.haproxy.BalancerPodLayout;
import dev.shopcluster.operator.resources.BalancerConfigMap;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the balancer offers besides balancing: the client's address, its own health, its metrics. */
class BalancerEndpointsIT {

    @Test
    void shopsSeeTheClientAddressAndTheBalancerServesHealthAndMetricsOnItsOwnPort() throws Exception {
        try (DataPlaneBed bed = new DataPlaneBed(fast(shop("endpoints"), StrategyType.RoundRobin), null)) {
            Response shopAnswer = HttpConnection.get(bed.frontend(), "/", Map.of());
            ShopBackend answered = bed.allBackends().stream()
                    .filter(b -> b.name().equals(shopAnswer.body()))
                    .findFirst()
                    .orElseThrow();
            Response health = HttpConnection.get(bed.haproxy().monitor(), BalancerPodLayout.HEALTH_PATH, Map.of());
            Response metrics = HttpConnection.get(bed.haproxy().monitor(), BalancerPodLayout.METRICS_PATH, Map.of());
            Response metricsOnTrafficPort =
                    HttpConnection.get(bed.frontend(), BalancerPodLayout.METRICS_PATH, Map.of());

            assertThat(answered.forwardedFor()).isEqualTo("127.0.0.1");
            assertThat(health.status()).isEqualTo(200);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).contains("haproxy_backend_active_servers{proxy=\"shop\"} 3");
            assertThat(metricsOnTrafficPort.body())
                    .as("the traffic port passes /metrics to the shop")
                    .doesNotContain("haproxy_");
        }
    }

    @Test
    void theBalancerIsReadyOnlyWhileAShopCanTakeRequestsAndAliveRegardless() throws Exception {
        try (DataPlaneBed bed = new DataPlaneBed(fast(shop("readiness"), StrategyType.RoundRobin), null)) {
            assertThat(monitorStatus(bed, BalancerPodLayout.HEALTH_PATH)).isEqualTo(200);

            bed.allBackends().forEach(backend -> backend.healthy(false));
            await("no shop is healthy: the balancer is not ready")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> monitorStatus(bed, BalancerPodLayout.HEALTH_PATH) == 503);
            assertThat(monitorStatus(bed, BalancerPodLayout.LIVENESS_PATH))
                    .as("alive without shops, so the kubelet does not restart it")
                    .isEqualTo(200);

            bed.allBackends().get(0).healthy(true);
            await("one shop is healthy again: the balancer is ready")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> monitorStatus(bed, BalancerPodLayout.HEALTH_PATH) == 200);
        }
    }

    private static int monitorStatus(DataPlaneBed bed, String path) throws Exception {
        return HttpConnection.get(bed.haproxy().monitor(), path, Map.of()).status();
    }

    @Test
    void theMonitorPortReportsTheHashOfTheConfigNewConnectionsGet() throws Exception {
        try (DataPlaneBed bed = new DataPlaneBed(fast(shop("hashes"), StrategyType.RoundRobin), null)) {
            bed.haproxy().startReloadSidecar("0.2");
            String first = hashServed(bed);
            String firstRendered = BalancerConfigMap.hash(bed.haproxy().configText());
            bed.updateConfig(fast(shop("hashes"), StrategyType.LeastConnections), null);
            String second = BalancerConfigMap.hash(bed.haproxy().configText());

            assertThat(first).isEqualTo(firstRendered);
            assertThat(second).isNotEqualTo(first);
            await("the reloaded HAProxy reports the new hash")
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> hashServed(bed).equals(second));
        }
    }

    private static String hashServed(DataPlaneBed bed) throws Exception {
        Response answer = HttpConnection.get(bed.haproxy().monitor(), BalancerPodLayout.CONFIG_HASH_PATH, Map.of());
        assertThat(answer.status()).isEqualTo(200);
        return answer.body().trim();
    }
}

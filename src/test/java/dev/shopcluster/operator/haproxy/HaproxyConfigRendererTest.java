package dev.shopcluster.operator.haproxy;

import static dev.shopcluster.operator.ShopFixtures.activeStandby;
import static dev.shopcluster.operator.ShopFixtures.readBack;
import static dev.shopcluster.operator.ShopFixtures.shop;
import static dev.shopcluster.operator.ShopFixtures.withPools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopcluster.operator.api.HashOn;
import dev.shopcluster.operator.api.OutlierObserve;
import dev.shopcluster.operator.api.PoolSpec;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.api.StrategyType;
import dev.shopcluster.operator.topology.ShopTopology;
import dev.shopcluster.operator.topology.SlotPlan;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The rendered config's directives, per strategy and HA mode, without running HAProxy. */
class HaproxyConfigRendererTest {

    static final HaproxyEnvironment POD = HaproxyEnvironment.pod("cluster.local");

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            RoundRobin        | balance roundrobin
            Random            | balance random
            WeightedRandom    | balance random
            LeastConnections  | balance leastconn
            PowerOfTwoChoices | balance random(2)
            IPHash            | balance source
            """)
    void eachStrategyHasItsBalanceDirective(StrategyType strategy, String directive) {
        ShopCluster shop = shop("web");
        shop.getSpec().getStrategy().setType(strategy);

        assertThat(backend(render(shop, null))).contains(directive);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            SourceIP | balance source
            URI      | balance uri
            Header   | balance hdr(X-Session-Id)
            Cookie   | balance hash req.cook(X-Session-Id)
            """)
    void consistentHashHashesTheChosenKeyOnAConsistentRing(HashOn hashOn, String directive) {
        ShopCluster shop = shop("web");
        shop.getSpec().getStrategy().setType(StrategyType.ConsistentHash);
        shop.getSpec().getStrategy().setHashOn(hashOn);
        shop.getSpec()
                .getStrategy()
                .setHashKey(hashOn == HashOn.Header || hashOn == HashOn.Cookie ? "X-Session-Id" : null);
        shop.getSpec().getStrategy().setBoundedLoadPercent(150);

        assertThat(backend(render(shop, null))).contains(directive, "hash-type consistent", "hash-balance-factor 150");
    }

    @ParameterizedTest
    @CsvSource(
            textBlock =
                    """
            IPHash,
            ConsistentHash, SourceIP
            ConsistentHash, URI
            ConsistentHash, Header
            ConsistentHash, Cookie
            """)
    void hashStrategiesPlaceServersOnTheRingByAddressNotBySlot(StrategyType strategy, HashOn hashOn) {
        ShopCluster shop = withPools("web", new PoolSpec("light", 2, 1), new PoolSpec("heavy", 3, 3));
        shop.getSpec().getStrategy().setType(strategy);
        shop.getSpec().getStrategy().setHashOn(hashOn);
        shop.getSpec()
                .getStrategy()
                .setHashKey(hashOn == HashOn.Header || hashOn == HashOn.Cookie ? "X-Session-Id" : null);

        assertThat(backend(render(shop, null)))
                .contains(
                        "server-template light- 6 web-light.shop.svc.cluster.local:8080 weight 85 hash-key addr-port",
                        "server-template heavy- 7 web-heavy.shop.svc.cluster.local:8080 weight 255 hash-key addr-port");
    }

    @ParameterizedTest
    @EnumSource(
            value = StrategyType.class,
            names = {"IPHash", "ConsistentHash"},
            mode = EnumSource.Mode.EXCLUDE)
    void otherStrategiesLeaveTheServerKeyAlone(StrategyType strategy) {
        ShopCluster shop = shop("web");
        shop.getSpec().getStrategy().setType(strategy);

        assertThat(render(shop, null)).doesNotContain("hash-key");
    }

    @Test
    void poolWeightsKeepTheirRatioAtTheHighestWeights() {
        ShopCluster shop = withPools("web", new PoolSpec("light", 2, 1), new PoolSpec("heavy", 3, 3));
        shop.getSpec().getStrategy().setType(StrategyType.WeightedRandom);

        assertThat(backend(render(shop, null)))
                .contains(
                        "server-template light- 6 web-light.shop.svc.cluster.local:8080 weight 85",
                        "server-template heavy- 7 web-heavy.shop.svc.cluster.local:8080 weight 255");
    }

    @Test
    void activeStandbyMarksOnlyTheStandbySlotAsBackup() {
        List<String> backend = backend(render(activeStandby("pay"), new SlotPlan(Slot.B, 1, 3)));

        assertThat(backend)
                .contains(
                        "server-template a- 7 pay-a.shop.svc.cluster.local:8080 weight 256 backup",
                        "server-template b- 7 pay-b.shop.svc.cluster.local:8080 weight 256",
                        "option allbackups");
        assertThat(backend.stream().filter(line -> line.endsWith(" backup"))).hasSize(1);
    }

    @Test
    void theScalingAroundASwitchoverChangesNoConfig() {
        ShopCluster shop = activeStandby("pay");
        String before = render(shop, new SlotPlan(Slot.A, 3, 1));
        String standbyScaledUp = render(shop, new SlotPlan(Slot.A, 3, 3));
        String switched = render(shop, new SlotPlan(Slot.B, 3, 3));
        String oldPrimaryScaledDown = render(shop, new SlotPlan(Slot.B, 1, 3));

        assertThat(standbyScaledUp).isEqualTo(before);
        assertThat(switched).isNotEqualTo(standbyScaledUp);
        assertThat(oldPrimaryScaledDown).isEqualTo(switched);
    }

    @Test
    void serversAreFoundByDnsWithActiveHealthChecksRetriesAndSlowStart() {
        ShopCluster shop = shop("web");
        shop.getSpec().getHealthCheck().setPath("/ready");

        String config = render(shop, null);

        assertThat(backend(config))
                .contains(
                        "option httpchk",
                        "http-check send meth GET uri /ready ver HTTP/1.1 hdr Host shop",
                        "default-server check inter 1000ms fastinter 100ms fall 2 rise 2 slowstart 10s observe layer4 "
                                + "error-limit 1 on-error mark-down resolvers kubernetes resolve-prefer ipv4 init-addr last,none");
        assertThat(config)
                .contains(
                        "parse-resolv-conf",
                        "option redispatch 1",
                        "retries 10",
                        "retry-on conn-failure empty-response junk-response response-timeout",
                        "option forwardfor",
                        "monitor-uri /healthz",
                        "monitor fail if { nbsrv(shop) lt 1 }",
                        "http-request return status 200 if { path /livez }",
                        "http-request use-service prometheus-exporter if { path /metrics }",
                        "bind :8080",
                        "bind :8405",
                        "server-state-file /var/run/haproxy/servers.state");
    }

    @Test
    void timeoutsGiveRetryableRequestsAPerTryTimeoutAndTheRestTheRequestTimeout() {
        ShopCluster shop = shop("web");
        shop.getSpec().getBalancer().getTimeouts().setConnectMillis(50);
        shop.getSpec().getBalancer().getTimeouts().setPerTryMillis(2000);
        shop.getSpec().getBalancer().getTimeouts().setRequestMillis(9000);
        shop.getSpec().getHealthCheck().setTimeoutMillis(400);

        String config = render(shop, null);

        assertThat(config)
                .contains(
                        "timeout connect 50ms",
                        "timeout server 9000ms",
                        "timeout check 400ms",
                        "http-request disable-l7-retry unless METH_GET || METH_HEAD || METH_OPTIONS");
        assertThat(backend(config))
                .contains("http-request set-timeout server 2000ms if METH_GET || METH_HEAD || METH_OPTIONS");
        assertThat(config)
                .as("attempts that fit into the request timeout, at least 3")
                .contains("retries 3");
    }

    @ParameterizedTest
    @CsvSource(
            textBlock =
                    """
            Connections, 1, observe layer4 error-limit 1 on-error mark-down
            Responses,   5, observe layer7 error-limit 5 on-error mark-down
            """)
    void outlierDetectionTakesAPodOutAfterConsecutiveFailuresOnLiveTraffic(
            OutlierObserve observe, int errors, String directive) {
        ShopCluster shop = shop("web");
        shop.getSpec().getBalancer().getOutlierDetection().setObserve(observe);
        shop.getSpec().getBalancer().getOutlierDetection().setConsecutiveErrors(errors);

        assertThat(render(shop, null)).contains(directive);
    }

    @Test
    void fastChecksAfterAFailureAreNeverSlowerThanTheRegularOnes() {
        ShopCluster shop = shop("web");
        shop.getSpec().getHealthCheck().setIntervalMillis(100);

        assertThat(render(shop, null)).contains("check inter 100ms fastinter 100ms");
    }

    @Test
    void aTestBedGetsItsOwnNameserversAndBinds() {
        HaproxyEnvironment loopback = new HaproxyEnvironment(
                "cluster.local",
                List.of(new InetSocketAddress("127.0.0.1", 5353)),
                "127.0.0.1",
                18080,
                18405,
                "/tmp/bed");

        String config = HaproxyConfigRenderer.render(shop("web"), ShopTopology.groups(shop("web"), null), loopback);

        assertThat(config)
                .contains("nameserver dns1 127.0.0.1:5353", "bind 127.0.0.1:18080", "bind 127.0.0.1:18405")
                .doesNotContain("parse-resolv-conf");
    }

    @Test
    void slowStartZeroLeavesItOut() {
        ShopCluster shop = shop("web");
        shop.getSpec().getBalancer().setSlowStartSeconds(0);

        assertThat(render(shop, null)).doesNotContain("slowstart");
    }

    @Test
    void aShopReadBackFromTheApiServerRendersTheSameText() {
        // The config hash decides whether the balancer's ConfigMap is rewritten: it must not depend on
        // which instance of the spec was rendered.
        ShopCluster shop = withPools("web", new PoolSpec("large", 2, 3), new PoolSpec("small", null, 1));
        shop.getSpec().getStrategy().setType(StrategyType.ConsistentHash);
        shop.getSpec().getStrategy().setHashOn(HashOn.Cookie);
        shop.getSpec().getStrategy().setHashKey("sid");
        ShopCluster standby = activeStandby("pay");

        assertThat(render(readBack(shop), null)).isEqualTo(render(shop, null));
        assertThat(render(readBack(standby), new SlotPlan(Slot.B, 3, 1)))
                .isEqualTo(render(standby, new SlotPlan(Slot.B, 3, 1)));
    }

    @Test
    void valuesTheCrdRefusesAreRefusedAgain() {
        ShopCluster header = shop("web");
        header.getSpec().getStrategy().setType(StrategyType.ConsistentHash);
        header.getSpec().getStrategy().setHashOn(HashOn.Header);
        header.getSpec().getStrategy().setHashKey("X-Id)\n    server evil 10.0.0.1:80");
        ShopCluster path = shop("web");
        path.getSpec().getHealthCheck().setPath("/ok ver HTTP/1.0");

        assertThatThrownBy(() -> render(header, null))
                .isInstanceOf(InvalidBalancerInputException.class)
                .hasMessageContaining("spec.strategy.hashKey");
        assertThatThrownBy(() -> render(path, null))
                .isInstanceOf(InvalidBalancerInputException.class)
                .hasMessageContaining("spec.healthCheck.path");
        ShopCluster perTry = shop("web");
        perTry.getSpec().getBalancer().getTimeouts().setPerTryMillis(40_000);
        assertThatThrownBy(() -> render(perTry, null))
                .isInstanceOf(InvalidBalancerInputException.class)
                .hasMessageContaining("spec.balancer.timeouts.perTryMillis");
    }

    private static String render(ShopCluster shop, SlotPlan plan) {
        return HaproxyConfigRenderer.render(shop, ShopTopology.groups(shop, plan), POD);
    }

    /** The directives of the shop backend, stripped. */
    private static List<String> backend(String config) {
        String section = config.substring(config.indexOf("backend " + HaproxyConfigRenderer.BACKEND));
        return section.lines().skip(1).map(String::strip).toList();
    }
}

package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopcluster.operator.api.HighAvailabilityMode;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.StrategyType;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The API server itself refuses bad specs (schema + CEL), naming the field; no harness.operator() runs here. */
class ShopClusterValidationIT {

    @RegisterExtension
    static final OperatorHarness harness = OperatorHarness.withoutOperator("validation");


    static Stream<Arguments> invalidSpecs() {
        String pools17 = IntStream.range(0, 17).mapToObj(i -> "  - {name: p" + i + "}").collect(Collectors.joining("\n"));
        return Stream.of(
                invalid("unknown strategy", "spec.strategy.type", "image: shop:1\nstrategy: {type: Fastest}"),
                invalid("hashOn without ConsistentHash", "spec.strategy.hashOn",
                        "image: shop:1\nstrategy: {type: RoundRobin, hashOn: SourceIP}"),
                invalid("ConsistentHash without hashOn", "spec.strategy.hashOn",
                        "image: shop:1\nstrategy: {type: ConsistentHash}"),
                invalid("unknown hashOn", "spec.strategy.hashOn",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Body}"),
                invalid("hashKey missing for Header", "spec.strategy.hashKey",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Header}"),
                invalid("hashKey missing for Cookie", "spec.strategy.hashKey",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Cookie}"),
                invalid("hashKey with SourceIP", "spec.strategy.hashKey",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: SourceIP, hashKey: X-Id}"),
                invalid("hashKey with a space", "spec.strategy.hashKey",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Header, hashKey: 'X Id'}"),
                invalid("hashKey injecting a directive", "spec.strategy.hashKey",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Header, hashKey: \"X)\\n  server evil 10.0.0.1:80\"}"),
                invalid("hashKey with a comment sign", "spec.strategy.hashKey",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Cookie, hashKey: 'sid#x'}"),
                invalid("boundedLoadPercent without ConsistentHash", "spec.strategy.boundedLoadPercent",
                        "image: shop:1\nstrategy: {type: LeastConnections, boundedLoadPercent: 150}"),
                invalid("boundedLoadPercent of 100", "spec.strategy.boundedLoadPercent",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: URI, boundedLoadPercent: 100}"),
                invalid("pools with ActiveStandby", "spec.pools",
                        "image: shop:1\npools: [{name: big}]\nhighAvailability: {mode: ActiveStandby}"),
                invalid("duplicate pool names", "spec.pools",
                        "image: shop:1\npools: [{name: big, weight: 2}, {name: big}]"),
                invalid("too many pools", "spec.pools", "image: shop:1\npools:\n" + pools17),
                invalid("weight 0", "spec.pools[0].weight", "image: shop:1\npools: [{name: big, weight: 0}]"),
                invalid("weight 257", "spec.pools[0].weight", "image: shop:1\npools: [{name: big, weight: 257}]"),
                invalid("pool name not a DNS label", "spec.pools[0].name", "image: shop:1\npools: [{name: Big_Pool}]"),
                invalid("pool name too long", "spec.pools[0].name",
                        "image: shop:1\npools: [{name: abcdefghijklmnop}]"),
                invalid("pool without name", "spec.pools[0].name", "image: shop:1\npools: [{weight: 2}]"),
                invalid("negative pool replicas", "spec.pools[0].replicas",
                        "image: shop:1\npools: [{name: big, replicas: -1}]"),
                invalid("replicas 0", "spec.replicas", "image: shop:1\nreplicas: 0"),
                invalid("replicas 1001", "spec.replicas", "image: shop:1\nreplicas: 1001"),
                invalid("port 0", "spec.port", "image: shop:1\nport: 0"),
                invalid("port 65536", "spec.port", "image: shop:1\nport: 65536"),
                invalid("balancer port 70000", "spec.balancer.port", "image: shop:1\nbalancer: {port: 70000}"),
                invalid("balancer replicas 0", "spec.balancer.replicas", "image: shop:1\nbalancer: {replicas: 0}"),
                invalid("unknown service type", "spec.balancer.serviceType",
                        "image: shop:1\nbalancer: {serviceType: ExternalName}"),
                invalid("path without leading slash", "spec.healthCheck.path",
                        "image: shop:1\nhealthCheck: {path: healthz}"),
                invalid("path with a space", "spec.healthCheck.path", "image: shop:1\nhealthCheck: {path: '/a b'}"),
                invalid("path with a comment sign", "spec.healthCheck.path",
                        "image: shop:1\nhealthCheck: {path: '/x#y'}"),
                invalid("check interval 50 ms", "spec.healthCheck.intervalMillis",
                        "image: shop:1\nhealthCheck: {intervalMillis: 50}"),
                invalid("fall 0", "spec.healthCheck.fall", "image: shop:1\nhealthCheck: {fall: 0}"),
                invalid("rise 11", "spec.healthCheck.rise", "image: shop:1\nhealthCheck: {rise: 11}"),
                invalid("image missing", "spec.image", "replicas: 2"),
                invalid("image with a space", "spec.image", "image: 'shop 1'"),
                invalid("unknown HA mode", "spec.highAvailability.mode",
                        "image: shop:1\nhighAvailability: {mode: MasterMaster}"),
                invalid("minReadyPrimaries above replicas", "spec.highAvailability.minReadyPrimaries",
                        "image: shop:1\nreplicas: 2\nhighAvailability: {mode: ActiveStandby, minReadyPrimaries: 3}"),
                invalid("failoverAfterSeconds 0", "spec.highAvailability.failoverAfterSeconds",
                        "image: shop:1\nhighAvailability: {mode: ActiveStandby, failoverAfterSeconds: 0}"),
                invalid("standbyReplicas 0", "spec.highAvailability.standbyReplicas",
                        "image: shop:1\nhighAvailability: {mode: ActiveStandby, standbyReplicas: 0}"),
                invalid("unknown failback", "spec.highAvailability.failback",
                        "image: shop:1\nhighAvailability: {mode: ActiveStandby, failback: Sometimes}"));
    }

    private static Arguments invalid(String what, String field, String spec) {
        return Arguments.of(what, field, spec);
    }

    @ParameterizedTest(name = "{0} is refused naming {1}")
    @MethodSource("invalidSpecs")
    void refusesInvalidSpecNamingTheField(String what, String field, String spec) {
        String name = "bad-" + Integer.toHexString(what.hashCode());
        assertThatThrownBy(() -> harness.createShop(name, spec))
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
                .hasMessageContaining(field + ":");
        assertThat(harness.shop(name)).isNull();
    }

    @Test
    void refusesTooLongName() {
        String name = "a".repeat(ShopCluster.MAX_NAME_LENGTH + 1);
        assertThatThrownBy(() -> harness.createShop(name, "image: shop:1"))
                .hasMessageContaining("metadata.name must be at most " + ShopCluster.MAX_NAME_LENGTH);
    }

    @Test
    void refusesNameThatIsNoDnsLabel() {
        assertThatThrownBy(() -> harness.createShop("9lives", "image: shop:1"))
                .hasMessageContaining("metadata.name must be a DNS-1035 label");
    }

    @Test
    void appliesDefaultsToAMinimalSpec() {
        ShopCluster shop = harness.createShop("minimal", "image: shop:1");
        assertThat(shop.getSpec().getReplicas()).isEqualTo(1);
        assertThat(shop.getSpec().getPort()).isEqualTo(8080);
        assertThat(shop.getSpec().getStrategy().getType()).isEqualTo(StrategyType.RoundRobin);
        assertThat(shop.getSpec().getHighAvailability().getMode()).isEqualTo(HighAvailabilityMode.None);
        assertThat(shop.getSpec().getHealthCheck().getPath()).isEqualTo("/healthz");
        assertThat(shop.getSpec().getBalancer().getImage()).isEqualTo("haproxy:3.0");
    }

    @Test
    void invalidUpdateLeavesTheStoredSpecUntouched() {
        ShopCluster shop = harness.createShop("stable", "image: shop:1\nreplicas: 3");
        shop.getSpec().setReplicas(5);
        shop.getSpec().getStrategy().setType(StrategyType.RoundRobin);
        shop.getSpec().getStrategy().setHashKey("X-Id");
        assertThatThrownBy(() -> harness.client().resource(shop).update()).hasMessageContaining("spec.strategy.hashKey:");
        ShopCluster stored = harness.shop("stable");
        assertThat(stored.getSpec().getReplicas()).isEqualTo(3);
        assertThat(stored.getSpec().getStrategy().getHashKey()).isNull();
    }

    @Test
    void acceptsEveryStrategyWithItsOptions() {
        harness.createShop("hash-cookie",
                "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Cookie, hashKey: SESSION_ID, boundedLoadPercent: 125}");
        harness.createShop("weighted",
                "image: shop:1\nstrategy: {type: WeightedRandom}\npools: [{name: large, replicas: 2, weight: 3}, {name: small, weight: 1}]");
        harness.createShop("standby",
                "image: shop:1\nreplicas: 3\nhighAvailability: {mode: ActiveStandby, minReadyPrimaries: 2}");
        assertThat(harness.client().resources(ShopCluster.class).inNamespace(harness.namespace()).list().getItems())
                .extracting(s -> s.getMetadata().getName())
                .contains("hash-cookie", "weighted", "standby");
    }
}

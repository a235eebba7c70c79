package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopcluster.operator.api.HighAvailabilityMode;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.StrategyType;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The API server itself refuses bad specs (schema + CEL), naming the field; no harness.operator() runs here. */
class ShopClusterValidationIT {

    @RegisterExtension
    static final OperatorHarness harness = OperatorHarness.withoutOperator("validation");

    static Stream<Arguments> invalidSpecs() {
        String pools17 =
                IntStream.range(0, 17).mapToObj(i -> "  - {name: p" + i + "}").collect(Collectors.joining("\n"));
        return Stream.of(
                invalid("unknown strategy", "spec.strategy.type", "image: shop:1\nstrategy: {type: Fastest}"),
                invalid(
                        "hashOn without ConsistentHash",
                        "spec.strategy.hashOn",
                        "image: shop:1\nstrategy: {type: RoundRobin, hashOn: SourceIP}"),
                invalid(
                        "ConsistentHash without hashOn",
                        "spec.strategy.hashOn",
                        "image: shop:1\nstrategy: {type: ConsistentHash}"),
                invalid(
                        "unknown hashOn",
                        "spec.strategy.hashOn",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Body}"),
                invalid(
                        "hashKey missing for Header",
                        "spec.strategy.hashKey",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Header}"),
                invalid(
                        "hashKey missing for Cookie",
                        "spec.strategy.hashKey",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Cookie}"),
                invalid(
                        "hashKey with SourceIP",
                        "spec.strategy.hashKey",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: SourceIP, hashKey: X-Id}"),
                invalid(
                        "hashKey with a space",
                        "spec.strategy.hashKey",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Header, hashKey: 'X Id'}"),
                invalid(
                        "hashKey injecting a directive",
                        "spec.strategy.hashKey",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Header, hashKey: \"X)\\n  server evil 10.0.0.1:80\"}"),
                invalid(
                        "hashKey with a comment sign",
                        "spec.strategy.hashKey",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Cookie, hashKey: 'sid#x'}"),
                invalid(
                        "boundedLoadPercent without ConsistentHash",
                        "spec.strategy.boundedLoadPercent",
                        "image: shop:1\nstrategy: {type: LeastConnections, boundedLoadPercent: 150}"),
                invalid(
                        "boundedLoadPercent of 100",
                        "spec.strategy.boundedLoadPercent",
                        "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: URI, boundedLoadPercent: 100}"),
                invalid(
                        "pools with ActiveStandby",
                        "spec.pools",
                        "image: shop:1\npools: [{name: big}]\nhighAvailability: {mode: ActiveStandby}"),
                invalid(
                        "duplicate pool names",
                        "spec.pools",
                        "image: shop:1\npools: [{name: big, weight: 2}, {name: big}]"),
                invalid("too many pools", "spec.pools", "image: shop:1\npools:\n" + pools17),
                invalid("weight 0", "spec.pools[0].weight", "image: shop:1\npools: [{name: big, weight: 0}]"),
                invalid("weight 257", "spec.pools[0].weight", "image: shop:1\npools: [{name: big, weight: 257}]"),
                invalid("pool name not a DNS label", "spec.pools[0].name", "image: shop:1\npools: [{name: Big_Pool}]"),
                invalid("pool name too long", "spec.pools[0].name", "image: shop:1\npools: [{name: abcdefghijklmnop}]"),
                invalid("pool without name", "spec.pools[0].name", "image: shop:1\npools: [{weight: 2}]"),
                invalid(
                        "negative pool replicas",
                        "spec.pools[0].replicas",
                        "image: shop:1\npools: [{name: big, replicas: -1}]"),
                invalid("replicas 0", "spec.replicas", "image: shop:1\nreplicas: 0"),
                invalid("replicas 1001", "spec.replicas", "image: shop:1\nreplicas: 1001"),
                invalid("port 0", "spec.port", "image: shop:1\nport: 0"),
                invalid("port 65536", "spec.port", "image: shop:1\nport: 65536"),
                invalid("balancer port 70000", "spec.balancer.port", "image: shop:1\nbalancer: {port: 70000}"),
                invalid("balancer replicas 0", "spec.balancer.replicas", "image: shop:1\nbalancer: {replicas: 0}"),
                invalid(
                        "unknown service type",
                        "spec.balancer.serviceType",
                        "image: shop:1\nbalancer: {serviceType: ExternalName}"),
                invalid(
                        "path without leading slash",
                        "spec.healthCheck.path",
                        "image: shop:1\nhealthCheck: {path: healthz}"),
                invalid("path with a space", "spec.healthCheck.path", "image: shop:1\nhealthCheck: {path: '/a b'}"),
                invalid(
                        "path with a comment sign",
                        "spec.healthCheck.path",
                        "image: shop:1\nhealthCheck: {path: '/x#y'}"),
                invalid(
                        "check interval 50 ms",
                        "spec.healthCheck.intervalMillis",
                        "image: shop:1\nhealthCheck: {intervalMillis: 50}"),
                invalid("fall 0", "spec.healthCheck.fall", "image: shop:1\nhealthCheck: {fall: 0}"),
                invalid("rise 11", "spec.healthCheck.rise", "image: shop:1\nhealthCheck: {rise: 11}"),
                invalid("image missing", "spec.image", "replicas: 2"),
                invalid("image with a space", "spec.image", "image: 'shop 1'"),
                invalid(
                        "unknown HA mode",
                        "spec.highAvailability.mode",
                        "image: shop:1\nhighAvailability: {mode: MasterMaster}"),
                invalid(
                        "minReadyPrimaries above replicas",
                        "spec.highAvailability.minReadyPrimaries",
                        "image: shop:1\nreplicas: 2\nhighAvailability: {mode: ActiveStandby, minReadyPrimaries: 3}"),
                invalid(
                        "failoverAfterSeconds 0",
                        "spec.highAvailability.failoverAfterSeconds",
                        "image: shop:1\nhighAvailability: {mode: ActiveStandby, failoverAfterSeconds: 0}"),
                invalid(
                        "standbyReplicas 0",
                        "spec.highAvailability.standbyReplicas",
                        "image: shop:1\nhighAvailability: {mode: ActiveStandby, standbyReplicas: 0}"),
                invalid(
                        "unknown failback",
                        "spec.highAvailability.failback",
                        "image: shop:1\nhighAvailability: {mode: ActiveStandby, failback: Sometimes}"),
                invalid("pool named balancer", "spec.pools[0].name", "image: shop:1\npools: [{name: balancer}]"),
                // What the operator keeps: selector labels, non-root, Pod Security restricted volumes.
                invalid(
                        "pod label with the operator's instance key",
                        "spec.pod.labels",
                        "image: shop:1\npod: {labels: {app.kubernetes.io/instance: other}}"),
                invalid(
                        "pod label with a shopcluster.dev key",
                        "spec.pod.labels",
                        "image: shop:1\npod: {labels: {shopcluster.dev/group: b}}"),
                invalid(
                        "balancer pod label with the component key",
                        "spec.balancer.pod.labels",
                        "image: shop:1\nbalancer: {pod: {labels: {app.kubernetes.io/component: shop}}}"),
                invalid("runAsUser root", "spec.pod.runAsUser", "image: shop:1\npod: {runAsUser: 0}"),
                invalid(
                        "hostPath volume",
                        "spec.pod.volumes",
                        "image: shop:1\npod: {volumes: [{name: host, hostPath: {path: /etc}}]}"),
                invalid(
                        "service account not a DNS name",
                        "spec.pod.serviceAccountName",
                        "image: shop:1\npod: {serviceAccountName: Shop_SA}"),
                invalid(
                        "grace period above an hour",
                        "spec.pod.terminationGracePeriodSeconds",
                        "image: shop:1\npod: {terminationGracePeriodSeconds: 3601}"),
                invalid(
                        "too many pull secrets",
                        "spec.pod.imagePullSecrets",
                        "image: shop:1\npod: {imagePullSecrets: ["
                                + IntStream.range(0, 17)
                                        .mapToObj(i -> "{name: s" + i + "}")
                                        .collect(Collectors.joining(", "))
                                + "]}"),
                invalid(
                        "externalTrafficPolicy with ClusterIP",
                        "spec.balancer.externalTrafficPolicy",
                        "image: shop:1\nbalancer: {externalTrafficPolicy: Local}"),
                invalid(
                        "unknown externalTrafficPolicy",
                        "spec.balancer.externalTrafficPolicy",
                        "image: shop:1\nbalancer: {serviceType: LoadBalancer, externalTrafficPolicy: Nearest}"));
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
                .satisfies(e ->
                        assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
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
        assertThatThrownBy(() -> harness.client().resource(shop).update())
                .hasMessageContaining("spec.strategy.hashKey:");
        ShopCluster stored = harness.shop("stable");
        assertThat(stored.getSpec().getReplicas()).isEqualTo(3);
        assertThat(stored.getSpec().getStrategy().getHashKey()).isNull();
    }

    @Test
    void acceptsEveryStrategyWithItsOptions() {
        harness.createShop(
                "hash-cookie",
                "image: shop:1\nstrategy: {type: ConsistentHash, hashOn: Cookie, hashKey: SESSION_ID, boundedLoadPercent: 125}");
        harness.createShop(
                "weighted",
                "image: shop:1\nstrategy: {type: WeightedRandom}\npools: [{name: large, replicas: 2, weight: 3}, {name: small, weight: 1}]");
        harness.createShop(
                "standby", "image: shop:1\nreplicas: 3\nhighAvailability: {mode: ActiveStandby, minReadyPrimaries: 2}");
        assertThat(harness.client()
                        .resources(ShopCluster.class)
                        .inNamespace(harness.namespace())
                        .list()
                        .getItems())
                .extracting(s -> s.getMetadata().getName())
                .contains("hash-cookie", "weighted", "standby");
    }
    /**
     * Image, ports, readiness probe and security context have no field under spec.pod: kubectl's strict
     * field validation (its default, client- and server-side apply) refuses them by name instead of
     * dropping them.
     */
    @ParameterizedTest(name = "kubectl refuses spec.pod.{0}")
    @ValueSource(
            strings = {
                "image: evil:1",
                "ports: [{containerPort: 22}]",
                "readinessProbe: {tcpSocket: {port: 22}}",
                "securityContext: {runAsUser: 0}",
                "containers: [{name: shop, image: evil:1}]",
                "hostNetwork: true"
            })
    void kubectlRefusesTheFieldsTheOperatorOwns(String field) throws Exception {
        Path manifest = Files.createDirectories(Path.of("target/validation")).resolve("owned.yaml");
        Files.writeString(manifest, TestShops.yaml("owned", "image: shop:1\npod:\n  " + field));
        String name = field.substring(0, field.indexOf(':'));
        Kubectl.Result apply = Kubectl.run("apply", "-n", harness.namespace(), "-f", manifest.toString());
        assertThat(apply.exitCode()).as(apply.output()).isNotZero();
        assertThat(apply.output()).contains("unknown field \"spec.pod." + name + "\"");
        Kubectl.Result serverSide =
                Kubectl.run("apply", "--server-side", "-n", harness.namespace(), "-f", manifest.toString());
        assertThat(serverSide.exitCode()).as(serverSide.output()).isNotZero();
        assertThat(serverSide.output()).contains(".spec.pod." + name + ": field not declared in schema");
        assertThat(harness.shop("owned")).isNull();
    }

    @Test
    void acceptsTheSettingsARealShopNeeds() {
        ShopCluster shop = harness.createShop(
                "realistic",
                """
                image: registry.example.com/cart:1.4.2
                pod:
                  resources: {requests: {cpu: 250m, memory: 256Mi}, limits: {cpu: "1", memory: 512Mi}}
                  env:
                  - {name: DB_URL, value: "postgres://db:5432/cart"}
                  - name: DB_PASSWORD
                    valueFrom: {secretKeyRef: {name: cart-db, key: password}}
                  envFrom: [{configMapRef: {name: cart-config}}, {secretRef: {name: cart-secrets}}]
                  volumes: [{name: cache, emptyDir: {sizeLimit: 1Gi}}, {name: tls, secret: {secretName: cart-tls}}]
                  volumeMounts: [{name: cache, mountPath: /cache}, {name: tls, mountPath: /tls, readOnly: true}]
                  imagePullSecrets: [{name: registry}]
                  serviceAccountName: cart
                  runAsUser: 10001
                  nodeSelector: {node.example.com/pool: shops}
                  tolerations: [{key: dedicated, operator: Equal, value: shops, effect: NoSchedule}]
                  affinity:
                    podAntiAffinity:
                      preferredDuringSchedulingIgnoredDuringExecution:
                      - weight: 100
                        podAffinityTerm:
                          topologyKey: kubernetes.io/hostname
                          labelSelector: {matchLabels: {app.kubernetes.io/instance: realistic}}
                  topologySpreadConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule}]
                  labels: {team: checkout}
                  annotations: {example.com/owner: checkout}
                  livenessProbe: {httpGet: {path: /livez, port: http}, periodSeconds: 10}
                  startupProbe: {httpGet: {path: /healthz, port: http}, failureThreshold: 30}
                  terminationGracePeriodSeconds: 45
                  preStop: {exec: {command: [sleep, "10"]}}
                balancer:
                  serviceType: LoadBalancer
                  externalTrafficPolicy: Local
                  serviceAnnotations: {service.beta.kubernetes.io/aws-load-balancer-type: nlb}
                  pod:
                    resources: {limits: {cpu: "2", memory: 512Mi}}
                    imagePullSecrets: [{name: registry}]
                    nodeSelector: {node.example.com/pool: edge}
                """);
        assertThat(shop.getSpec().getPod().getEnv()).hasSize(2);
        assertThat(shop.getSpec().getPod().getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(shop.getSpec().getBalancer().getExternalTrafficPolicy()).hasToString("Local");
    }
}

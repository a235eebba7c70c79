package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.resources.ShopLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The harness.operator() creates every object of the product brief's table, owned and labelled. */
class ShopClusterChildrenIT {

    @RegisterExtension
    static final OperatorHarness harness = OperatorHarness.withOperator("children");

    @Test
    void createsEveryChildOwnedAndLabelled() {
        ShopCluster shop = harness.createShop("storefront", "image: shop:1\nreplicas: 3");

        List<HasMetadata> children = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> Arrays.asList(
                                get(Deployment.class, "storefront-main"),
                                get(Deployment.class, "storefront-balancer"),
                                get(Service.class, "storefront-main"),
                                get(Service.class, "storefront"),
                                get(ConfigMap.class, "storefront-balancer"),
                                get(PodDisruptionBudget.class, "storefront"),
                                get(PodDisruptionBudget.class, "storefront-balancer")),
                        list -> list.stream().allMatch(java.util.Objects::nonNull));

        for (HasMetadata child : children) {
            assertThat(child.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
                assertThat(ref.getUid()).isEqualTo(shop.getMetadata().getUid());
                assertThat(ref.getController()).isTrue();
            });
            assertThat(child.getMetadata().getLabels())
                    .containsEntry(ShopLabels.MANAGED_BY, ShopLabels.MANAGER)
                    .containsEntry(ShopLabels.INSTANCE, "storefront")
                    .containsEntry(ShopLabels.NAME, ShopLabels.APP_NAME)
                    .containsKey(ShopLabels.COMPONENT);
        }
        Deployment pool = get(Deployment.class, "storefront-main");
        assertThat(pool.getSpec().getReplicas()).isEqualTo(3);
        assertThat(pool.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getReadinessProbe()
                        .getHttpGet()
                        .getPath())
                .isEqualTo("/healthz");
        assertThat(get(Service.class, "storefront-main").getSpec().getClusterIP())
                .isEqualTo("None");
        assertThat(get(ConfigMap.class, "storefront-balancer").getData().get("haproxy.cfg"))
                .contains("balance roundrobin")
                .contains("storefront-main." + harness.namespace() + ".svc.cluster.local:8080");
    }

    @Test
    void runsOneDeploymentPerWeightedPoolAndDeletesARemovedPool() {
        harness.createShop(
                "pools",
                "image: shop:1\nreplicas: 2\nstrategy: {type: WeightedRandom}\n"
                        + "pools: [{name: large, replicas: 4, weight: 3}, {name: small, weight: 1}]");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(get(Deployment.class, "pools-large").getSpec().getReplicas())
                    .isEqualTo(4);
            assertThat(get(Deployment.class, "pools-small").getSpec().getReplicas())
                    .isEqualTo(2);
            assertThat(get(ConfigMap.class, "pools-balancer").getData().get("haproxy.cfg"))
                    .contains("balance random\n")
                    .contains("weight 255")
                    .contains("weight 85");
        });

        harness.patchSpec("pools", "{\"pools\": [{\"name\": \"large\", \"replicas\": 4, \"weight\": 3}]}");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(get(Deployment.class, "pools-small")).isNull();
            assertThat(get(Service.class, "pools-small")).isNull();
            assertThat(get(ConfigMap.class, "pools-balancer").getData().get("haproxy.cfg"))
                    .doesNotContain("pools-small");
        });
    }

    @Test
    void activeStandbyRunsTwoSlotsAndAPrimaryService() {
        harness.createShop(
                "ha", "image: shop:1\nreplicas: 2\nhighAvailability: {mode: ActiveStandby, standbyReplicas: 1}");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(get(Deployment.class, "ha-a").getSpec().getReplicas()).isEqualTo(2);
            assertThat(get(Deployment.class, "ha-a").getMetadata().getLabels())
                    .containsEntry(ShopLabels.ROLE, "primary");
            assertThat(get(Deployment.class, "ha-b").getSpec().getReplicas()).isEqualTo(1);
            assertThat(get(Deployment.class, "ha-b").getMetadata().getLabels())
                    .containsEntry(ShopLabels.ROLE, "standby");
            assertThat(get(Service.class, "ha-primary").getSpec().getSelector()).containsEntry(ShopLabels.GROUP, "a");
            assertThat(get(ConfigMap.class, "ha-balancer").getData().get("haproxy.cfg"))
                    .containsPattern("server-template a- .* weight 256\n")
                    .containsPattern("server-template b- .* backup\n");
            ShopCluster shop = harness.shop("ha");
            assertThat(shop.getStatus().getCurrentPrimary()).isEqualTo(Slot.A);
            assertThat(shop.getStatus().getTargetPrimary()).isEqualTo(Slot.A);
        });
    }

    @Test
    void recordsEventsOnTheShopCluster() {
        harness.createShop("evented", "image: shop:1");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(harness.client()
                        .v1()
                        .events()
                        .inNamespace(harness.namespace())
                        .withField("involvedObject.name", "evented")
                        .list()
                        .getItems())
                .anySatisfy(e -> assertThat(e.getMessage())
                        .startsWith("created ")
                        .contains("Deployment/evented-main", "ConfigMap/evented-balancer", "Service/evented")));
    }

    private static <T extends HasMetadata> T get(Class<T> kind, String name) {
        return harness.client()
                .resources(kind)
                .inNamespace(harness.namespace())
                .withName(name)
                .get();
    }
}

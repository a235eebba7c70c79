package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Children deleted or edited by hand come back as the spec says; objects we do not own are left alone. */
@ExtendWith(TestApiServer.class)
class SelfHealingIT {

    private static KubernetesClient client;
    private static String namespace;
    private static InProcessOperator operator;

    @BeforeAll
    static void startOperator() {
        client = TestApiServer.client();
        namespace = TestShops.newNamespace(client, "healing");
        operator = InProcessOperator.start(namespace);
    }

    @AfterAll
    static void stopOperator() {
        operator.close();
    }

    @Test
    void recreatesADeletedChild() {
        TestShops.create(client, namespace, "deleted", "image: shop:1");
        String uid = await().atMost(Duration.ofSeconds(30)).until(() -> uid(deployment("deleted-main")), java.util.Objects::nonNull);

        client.apps().deployments().inNamespace(namespace).withName("deleted-main").delete();

        await().atMost(Duration.ofSeconds(30)).until(() -> uid(deployment("deleted-main")),
                newUid -> newUid != null && !newUid.equals(uid));
    }

    @Test
    void restoresAChildEditedByHand() {
        TestShops.create(client, namespace, "edited", "image: shop:1\nreplicas: 2");
        await().atMost(Duration.ofSeconds(30)).until(() -> deployment("edited-main") != null
                && configMap("edited-balancer") != null);

        // As `kubectl edit` would: a plain update under another field manager.
        client.apps().deployments().inNamespace(namespace).withName("edited-main").edit(d -> {
            d.getSpec().setReplicas(7);
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil:latest");
            return d;
        });
        client.configMaps().inNamespace(namespace).withName("edited-balancer").edit(cm -> {
            cm.getData().put("haproxy.cfg", "# hand-written\n");
            return cm;
        });

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            Deployment restored = deployment("edited-main");
            assertThat(restored.getSpec().getReplicas()).isEqualTo(2);
            assertThat(restored.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("shop:1");
            assertThat(configMap("edited-balancer").getData().get("haproxy.cfg")).contains("balance roundrobin");
        });
    }

    @Test
    void neverOverwritesAnObjectItDoesNotOwn() {
        ConfigMap stranger = client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
                .withNewMetadata().withName("taken-balancer").endMetadata()
                .addToData("haproxy.cfg", "# someone else's\n").build()).create();

        TestShops.create(client, namespace, "taken", "image: shop:1");

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            var conditions = shop("taken").getStatus().getConditions();
            var ready = Conditions.find(conditions, ConditionTypes.READY).orElseThrow();
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo(ConditionTypes.CHILD_CONFLICT);
            assertThat(ready.getMessage()).contains("ConfigMap/taken-balancer");
            assertThat(Conditions.isTrue(conditions, ConditionTypes.DEGRADED)).isTrue();
        });
        ConfigMap after = configMap("taken-balancer");
        assertThat(after.getData()).isEqualTo(stranger.getData());
        assertThat(after.getMetadata().getOwnerReferences()).isEmpty();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(stranger.getMetadata().getResourceVersion());
        // Everything that is free was still created.
        assertThat(deployment("taken-main")).isNotNull();

        client.resource(after).delete();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(configMap("taken-balancer").getMetadata().getOwnerReferences()).hasSize(1);
            assertThat(Conditions.find(shop("taken").getStatus().getConditions(), ConditionTypes.READY).orElseThrow()
                    .getReason()).isNotEqualTo(ConditionTypes.CHILD_CONFLICT);
        });
    }

    private static String uid(Deployment deployment) {
        return deployment == null ? null : deployment.getMetadata().getUid();
    }

    private static Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    private static ConfigMap configMap(String name) {
        return client.configMaps().inNamespace(namespace).withName(name).get();
    }

    private static ShopCluster shop(String name) {
        return client.resources(ShopCluster.class).inNamespace(namespace).withName(name).get();
    }
}

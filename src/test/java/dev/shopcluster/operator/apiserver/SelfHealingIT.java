package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Children deleted or edited by hand come back as the spec says; objects we do not own are left alone. */
class SelfHealingIT {

    @RegisterExtension
    static final OperatorHarness harness = OperatorHarness.withOperator("healing");

    @Test
    void recreatesADeletedChild() {
        harness.createShop("deleted", "image: shop:1");
        String uid = await().atMost(Duration.ofSeconds(30))
                .until(() -> uid(harness.deployment("deleted-main")), java.util.Objects::nonNull);

        harness.client()
                .apps()
                .deployments()
                .inNamespace(harness.namespace())
                .withName("deleted-main")
                .delete();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> uid(harness.deployment("deleted-main")), newUid -> newUid != null && !newUid.equals(uid));
    }

    @Test
    void restoresAChildEditedByHand() {
        harness.createShop("edited", "image: shop:1\nreplicas: 2");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> harness.deployment("edited-main") != null && configMap("edited-balancer") != null);

        // As `kubectl edit` would: a plain update under another field manager.
        harness.client()
                .apps()
                .deployments()
                .inNamespace(harness.namespace())
                .withName("edited-main")
                .edit(d -> {
                    d.getSpec().setReplicas(7);
                    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil:latest");
                    return d;
                });
        harness.client()
                .configMaps()
                .inNamespace(harness.namespace())
                .withName("edited-balancer")
                .edit(cm -> {
                    cm.getData().put("haproxy.cfg", "# hand-written\n");
                    return cm;
                });

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            Deployment restored = harness.deployment("edited-main");
            assertThat(restored.getSpec().getReplicas()).isEqualTo(2);
            assertThat(restored.getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo("shop:1");
            assertThat(configMap("edited-balancer").getData().get("haproxy.cfg"))
                    .contains("balance roundrobin");
        });
    }

    @Test
    void neverOverwritesAnObjectItDoesNotOwn() {
        ConfigMap stranger = harness.client()
                .configMaps()
                .inNamespace(harness.namespace())
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("taken-balancer")
                        .endMetadata()
                        .addToData("haproxy.cfg", "# someone else's\n")
                        .build())
                .create();

        harness.createShop("taken", "image: shop:1");

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            var conditions = harness.shop("taken").getStatus().getConditions();
            var ready = Conditions.find(conditions, ConditionTypes.READY).orElseThrow();
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo(ConditionTypes.CHILD_CONFLICT);
            assertThat(ready.getMessage()).contains("ConfigMap/taken-balancer");
            assertThat(Conditions.isTrue(conditions, ConditionTypes.DEGRADED)).isTrue();
        });
        ConfigMap after = configMap("taken-balancer");
        assertThat(after.getData()).isEqualTo(stranger.getData());
        assertThat(after.getMetadata().getOwnerReferences()).isEmpty();
        assertThat(after.getMetadata().getResourceVersion())
                .isEqualTo(stranger.getMetadata().getResourceVersion());
        // Everything that is free was still created.
        assertThat(harness.deployment("taken-main")).isNotNull();

        harness.client().resource(after).delete();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(configMap("taken-balancer").getMetadata().getOwnerReferences())
                    .hasSize(1);
            assertThat(Conditions.find(harness.shop("taken").getStatus().getConditions(), ConditionTypes.READY)
                            .orElseThrow()
                            .getReason())
                    .isNotEqualTo(ConditionTypes.CHILD_CONFLICT);
        });
    }

    private static String uid(Deployment deployment) {
        return deployment == null ? null : deployment.getMetadata().getUid();
    }

    private static ConfigMap configMap(String name) {
        return harness.client()
                .configMaps()
                .inNamespace(harness.namespace())
                .withName(name)
                .get();
    }
}

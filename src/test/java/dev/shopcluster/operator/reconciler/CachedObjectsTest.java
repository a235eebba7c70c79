package dev.shopcluster.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shopcluster.operator.ShopFixtures;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.resources.ShopLabels;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the informers keep of each object. */
class CachedObjectsTest {

    private static final ManagedFieldsEntry OURS = entry(ShopLabels.MANAGER, "Apply");
    private static final ManagedFieldsEntry CONTROLLER = entry("kube-controller-manager", "Update");

    @Test
    void aChildKeepsSpecStatusAndOnlyTheOperatorsManagedFields() {
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata()
                .withName("pay-main")
                .withManagedFields(new ArrayList<>(List.of(OURS, CONTROLLER)))
                .endMetadata()
                .withNewSpec()
                .withReplicas(3)
                .endSpec()
                .withNewStatus()
                .withReadyReplicas(2)
                .endStatus()
                .build();

        Deployment cached = CachedObjects.child(deployment);

        assertThat(cached.getMetadata().getManagedFields()).containsExactly(OURS);
        assertThat(cached.getSpec().getReplicas()).isEqualTo(3);
        assertThat(cached.getStatus().getReadyReplicas()).isEqualTo(2);
    }

    @Test
    void childrenOfDifferentShopsShareTheirManagedFieldSetsWhichNoReaderCanChange() {
        Deployment first = CachedObjects.child(deploymentAppliedFor("uid-1"));
        Deployment second = CachedObjects.child(deploymentAppliedFor("uid-2"));

        Map<String, Object> firstFields = fieldsOf(first);
        Map<String, Object> secondFields = fieldsOf(second);
        assertThat(firstFields)
                .as("the same content as the API server's")
                .isEqualTo(fieldsOf(deploymentAppliedFor("uid-1")));
        assertThat(firstFields.get("f:spec")).isSameAs(secondFields.get("f:spec"));
        assertThat(firstFields.get("f:metadata")).isNotEqualTo(secondFields.get("f:metadata"));
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) firstFields.get("f:spec");
        assertThatThrownBy(() -> spec.put("f:paused", Map.of())).isInstanceOf(UnsupportedOperationException.class);
    }

    private static Deployment deploymentAppliedFor(String ownerUid) {
        ManagedFieldsEntry applied = entry(ShopLabels.MANAGER, "Apply");
        applied.setFieldsV1(new FieldsV1());
        applied.getFieldsV1()
                .setAdditionalProperty(
                        "f:metadata",
                        new LinkedHashMap<>(Map.of(
                                "f:ownerReferences",
                                Map.of("k:{\"uid\":\"" + ownerUid + "\"}", Map.of(".", Map.of())))));
        applied.getFieldsV1()
                .setAdditionalProperty(
                        "f:spec",
                        new LinkedHashMap<>(Map.of(
                                "f:replicas", Map.of(),
                                "f:template", Map.of("f:spec", Map.of("f:containers", Map.of())))));
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("pay-main")
                .withManagedFields(new ArrayList<>(List.of(applied)))
                .endMetadata()
                .build();
    }

    private static Map<String, Object> fieldsOf(Deployment deployment) {
        return deployment.getMetadata().getManagedFields().get(0).getFieldsV1().getAdditionalProperties();
    }

    @Test
    void aPodKeepsLabelsAnnotationsDeletionConditionsAndIpOnly() {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("pay-a-0")
                .withLabels(Map.of(ShopLabels.GROUP, "a"))
                .withAnnotations(Map.of("note", "x".repeat(1000)))
                .withDeletionTimestamp("2026-03-01T12:00:00Z")
                .withManagedFields(new ArrayList<>(List.of(CONTROLLER)))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("shop")
                .withImage("shop:1")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .addNewContainerStatus()
                .withName("shop")
                .endContainerStatus()
                .withPodIP("10.0.0.1")
                .endStatus()
                .build();

        Pod cached = CachedObjects.pod(pod);

        assertThat(cached.getMetadata().getLabels()).containsEntry(ShopLabels.GROUP, "a");
        assertThat(cached.getMetadata().getDeletionTimestamp()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(cached.getStatus().getConditions())
                .singleElement()
                .satisfies(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True"));
        assertThat(cached.getSpec()).isNull();
        assertThat(cached.getMetadata().getManagedFields()).isNull();
        assertThat(cached.getMetadata().getAnnotations()).containsKey("note");
        assertThat(cached.getStatus().getContainerStatuses()).isEmpty();
        assertThat(cached.getStatus().getPodIP())
                .as("balancer pods are asked on their IP")
                .isEqualTo("10.0.0.1");
    }

    @Test
    void aShopClusterKeepsEverythingButManagedFields() {
        ShopCluster shop = ShopFixtures.activeStandby("pay");
        shop.getMetadata().setManagedFields(new ArrayList<>(List.of(OURS)));

        ShopCluster cached = CachedObjects.shop(shop);

        assertThat(cached.getMetadata().getManagedFields()).isNull();
        assertThat(cached.getSpec()).isNotNull();
    }

    private static ManagedFieldsEntry entry(String manager, String operation) {
        return new ManagedFieldsEntryBuilder()
                .withManager(manager)
                .withOperation(operation)
                .build();
    }
}

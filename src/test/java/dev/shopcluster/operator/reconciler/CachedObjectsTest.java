package dev.shopcluster.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.ShopFixtures;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.resources.ShopLabels;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
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

package dev.shopcluster.operator.resources;

import static dev.shopcluster.operator.ShopFixtures.shop;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.api.PodSettings;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.haproxy.BalancerPodLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BalancerDeploymentTest {

    @Test
    void aConfigChangeDoesNotTouchThePodTemplate() {
        Deployment before = BalancerDeployment.desired(shop("web"), "hash-1");
        Deployment after = BalancerDeployment.desired(shop("web"), "hash-2");

        assertThat(after.getSpec().getTemplate()).isEqualTo(before.getSpec().getTemplate());
        assertThat(after.getMetadata().getAnnotations())
                .containsEntry(BalancerDeployment.CONFIG_HASH_ANNOTATION, "hash-2");
    }

    @Test
    void theReloadSidecarSignalsTheMasterItCanSee() {
        PodSpec pod = BalancerDeployment.desired(shop("web"), "hash")
                .getSpec()
                .getTemplate()
                .getSpec();
        Container haproxy = container(pod, BalancerPodLayout.HAPROXY_CONTAINER);
        Container reload = container(pod, BalancerPodLayout.RELOAD_CONTAINER);

        assertThat(pod.getShareProcessNamespace()).isTrue();
        assertThat(haproxy.getArgs())
                .containsSequence("-p", BalancerPodLayout.PID_FILE)
                .contains("-W");
        assertThat(reload.getImage()).isEqualTo(haproxy.getImage());
        assertThat(reload.getCommand()).containsExactly("/bin/sh", "-c", BalancerDeployment.reloadScript());
        assertThat(reload.getEnv())
                .extracting(EnvVar::getName)
                .contains("HAPROXY_CONFIG", "HAPROXY_PIDFILE", "HAPROXY_SOCKET", "HAPROXY_STATE_FILE");
    }

    @Test
    void everyContainerMeetsPodSecurityRestricted() {
        PodSpec pod = BalancerDeployment.desired(shop("web"), "hash")
                .getSpec()
                .getTemplate()
                .getSpec();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getContainers()).hasSize(2).allSatisfy(container -> {
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation())
                    .isFalse();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
                    .isTrue();
            assertThat(container.getSecurityContext().getCapabilities().getDrop())
                    .containsExactly("ALL");
            assertThat(container.getResources().getLimits()).containsKey("memory");
        });
    }

    @Test
    void defaultResourcesUnlessTheSpecSetsThemAndTheSidecarHasEveryLimitAQuotaMayRequire() {
        PodSpec pod = BalancerDeployment.desired(shop("web"), "hash")
                .getSpec()
                .getTemplate()
                .getSpec();
        assertThat(container(pod, BalancerPodLayout.HAPROXY_CONTAINER).getResources())
                .isEqualTo(BalancerDeployment.DEFAULT_RESOURCES);
        assertThat(container(pod, BalancerPodLayout.RELOAD_CONTAINER)
                        .getResources()
                        .getLimits())
                .containsKeys("cpu", "memory");

        ShopCluster shop = shop("web");
        PodSettings settings = new PodSettings();
        settings.setResources(new ResourceRequirementsBuilder()
                .withLimits(Map.of("cpu", new Quantity("1"), "memory", new Quantity("512Mi")))
                .build());
        settings.setImagePullSecrets(List.of(new LocalObjectReference("registry")));
        settings.setNodeSelector(Map.of("role", "edge"));
        settings.setTolerations(List.of(
                new TolerationBuilder().withKey("edge").withOperator("Exists").build()));
        settings.setLabels(Map.of("team", "edge"));
        shop.getSpec().getBalancer().setPod(settings);

        Deployment deployment = BalancerDeployment.desired(shop, "hash");
        pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(container(pod, BalancerPodLayout.HAPROXY_CONTAINER).getResources())
                .isEqualTo(settings.getResources());
        assertThat(pod.getImagePullSecrets()).isEqualTo(settings.getImagePullSecrets());
        assertThat(pod.getNodeSelector()).isEqualTo(settings.getNodeSelector());
        assertThat(pod.getTolerations()).isEqualTo(settings.getTolerations());
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("team", "edge")
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    }

    private static Container container(PodSpec pod, String name) {
        return pod.getContainers().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow();
    }
}

package dev.shopcluster.operator.resources;

import static dev.shopcluster.operator.ShopFixtures.shop;
import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.haproxy.BalancerPodLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

class BalancerDeploymentTest {

    @Test
    void aConfigChangeDoesNotTouchThePodTemplate() {
        Deployment before = BalancerDeployment.desired(shop("web"), "hash-1");
        Deployment after = BalancerDeployment.desired(shop("web"), "hash-2");

        assertThat(after.getSpec().getTemplate()).isEqualTo(before.getSpec().getTemplate());
        assertThat(after.getMetadata().getAnnotations()).containsEntry(BalancerDeployment.CONFIG_HASH_ANNOTATION, "hash-2");
    }

    @Test
    void theReloadSidecarSignalsTheMasterItCanSee() {
        PodSpec pod = BalancerDeployment.desired(shop("web"), "hash").getSpec().getTemplate().getSpec();
        Container haproxy = container(pod, BalancerPodLayout.HAPROXY_CONTAINER);
        Container reload = container(pod, BalancerPodLayout.RELOAD_CONTAINER);

        assertThat(pod.getShareProcessNamespace()).isTrue();
        assertThat(haproxy.getArgs()).containsSequence("-p", BalancerPodLayout.PID_FILE).contains("-W");
        assertThat(reload.getImage()).isEqualTo(haproxy.getImage());
        assertThat(reload.getCommand()).containsExactly("/bin/sh", "-c", BalancerDeployment.reloadScript());
        assertThat(reload.getEnv()).extracting(EnvVar::getName)
                .contains("HAPROXY_CONFIG", "HAPROXY_PIDFILE", "HAPROXY_SOCKET", "HAPROXY_STATE_FILE");
    }

    @Test
    void everyContainerMeetsPodSecurityRestricted() {
        PodSpec pod = BalancerDeployment.desired(shop("web"), "hash").getSpec().getTemplate().getSpec();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getContainers()).hasSize(2).allSatisfy(container -> {
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            assertThat(container.getResources().getLimits()).containsKey("memory");
        });
    }

    private static Container container(PodSpec pod, String name) {
        return pod.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }
}

package dev.shopcluster.operator.resources;

import static dev.shopcluster.operator.haproxy.BalancerPodLayout.*;

import dev.shopcluster.operator.api.BalancerSpec;
import dev.shopcluster.operator.api.ShopCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The HAProxy balancer Deployment: HAProxy in master-worker mode and a reload sidecar that reloads it
 * hitlessly when the mounted config changes, so a config change never restarts the pods.
 */
public final class BalancerDeployment {

    /** Shell script of the reload sidecar; the data-plane tests run the same script. */
    public static final String RELOAD_SCRIPT_RESOURCE = "/balancer/reload-on-change.sh";

    public static final String CONFIG_HASH_ANNOTATION = "shopcluster.dev/config-hash";
    private static final String RELOAD_SCRIPT = readReloadScript();
    /** HAProxy's resources unless spec.balancer.pod.resources says otherwise; sized for maxconn 8000. */
    static final ResourceRequirements DEFAULT_RESOURCES = new ResourceRequirementsBuilder()
            .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("64Mi")))
            .withLimits(Map.of("memory", new Quantity("256Mi")))
            .build();

    private BalancerDeployment() {}

    /**
     * @param configHash hash of the rendered config, shown on the Deployment. Not on the pod template: a
     *     change there would restart the pods, and the sidecar already loads the new config.
     */
    public static Deployment desired(ShopCluster shop, String configHash) {
        BalancerSpec balancer = shop.getSpec().getBalancer();
        Map<String, String> labels = ShopLabels.common(shop, ShopLabels.COMPONENT_BALANCER);
        ObjectMeta metadata = OwnedMetadata.of(shop, ShopLabels.balancerName(shop), labels);
        metadata.setAnnotations(Map.of(CONFIG_HASH_ANNOTATION, configHash));
        PodSpec pod = new PodSpecBuilder()
                .withEnableServiceLinks(false)
                // The sidecar signals the HAProxy master, so it must see its process.
                .withShareProcessNamespace(true)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(HAPROXY_UID)
                .withRunAsGroup(HAPROXY_UID)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewTopologySpreadConstraint()
                .withMaxSkew(1)
                .withTopologyKey("kubernetes.io/hostname")
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withNewLabelSelector()
                .withMatchLabels(ShopLabels.selector(shop, ShopLabels.COMPONENT_BALANCER))
                .endLabelSelector()
                .endTopologySpreadConstraint()
                .addNewContainer()
                .withName(HAPROXY_CONTAINER)
                .withImage(balancer.getImage())
                .withArgs("-W", "-db", "-f", CONFIG_FILE, "-p", PID_FILE)
                .addNewPort()
                .withName(HTTP_PORT_NAME)
                .withContainerPort(HTTP_PORT)
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName(MONITOR_PORT_NAME)
                .withContainerPort(MONITOR_PORT)
                .withProtocol("TCP")
                .endPort()
                .withNewReadinessProbe()
                .withNewHttpGet()
                .withPath(HEALTH_PATH)
                .withPort(new IntOrString(MONITOR_PORT_NAME))
                .endHttpGet()
                .withPeriodSeconds(2)
                .withFailureThreshold(2)
                .endReadinessProbe()
                .withNewLivenessProbe()
                .withNewHttpGet()
                .withPath(LIVENESS_PATH)
                .withPort(new IntOrString(MONITOR_PORT_NAME))
                .endHttpGet()
                .withPeriodSeconds(10)
                .withFailureThreshold(3)
                .endLivenessProbe()
                .withResources(
                        balancer.getPod() != null && balancer.getPod().getResources() != null
                                ? balancer.getPod().getResources()
                                : DEFAULT_RESOURCES)
                .withSecurityContext(ContainerSecurity.restrictedReadOnly())
                .withVolumeMounts(configAndRuntimeMounts())
                .endContainer()
                .addToContainers(reloadSidecar(balancer.getImage()))
                .addNewVolume()
                .withName("config")
                .withNewConfigMap()
                .withName(ShopLabels.balancerName(shop))
                .endConfigMap()
                .endVolume()
                .addNewVolume()
                .withName("runtime")
                .withNewEmptyDir()
                .endEmptyDir()
                .endVolume()
                .build();
        Deployment deployment = OwnedDeployment.of(
                metadata,
                balancer.getReplicas(),
                ShopLabels.selector(shop, ShopLabels.COMPONENT_BALANCER),
                labels,
                pod);
        UserPodSettings.apply(balancer.getPod(), deployment.getSpec().getTemplate());
        return deployment;
    }

    /** The same image as HAProxy, so {@code haproxy -c} checks a new config with the same version. */
    private static Container reloadSidecar(String image) {
        return new ContainerBuilder()
                .withName(RELOAD_CONTAINER)
                .withImage(image)
                .withCommand("/bin/sh", "-c", RELOAD_SCRIPT)
                .addNewEnv()
                .withName("HAPROXY_CONFIG")
                .withValue(CONFIG_FILE)
                .endEnv()
                .addNewEnv()
                .withName("HAPROXY_PIDFILE")
                .withValue(PID_FILE)
                .endEnv()
                .addNewEnv()
                .withName("HAPROXY_SOCKET")
                .withValue(runtimeFile(ADMIN_SOCKET))
                .endEnv()
                .addNewEnv()
                .withName("HAPROXY_STATE_FILE")
                .withValue(runtimeFile(SERVER_STATE_FILE))
                .endEnv()
                .addNewEnv()
                .withName("HAPROXY_MONITOR_PORT")
                .withValue(String.valueOf(MONITOR_PORT))
                .endEnv()
                // A CPU limit too, so a ResourceQuota on limits.cpu admits the pod. The loop is idle but for
                // reloads, and half a core lets `haproxy -c` and the reload run unthrottled: under 100m, CFS
                // throttling alone added hundreds of milliseconds to every config delivery.
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("16Mi")))
                .withLimits(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("64Mi")))
                .endResources()
                .withSecurityContext(ContainerSecurity.restrictedReadOnly())
                .withVolumeMounts(configAndRuntimeMounts())
                .build();
    }

    /** Both containers read the config and share the runtime directory (pid file, admin socket, server state). */
    private static List<VolumeMount> configAndRuntimeMounts() {
        return List.of(
                new VolumeMountBuilder()
                        .withName("config")
                        .withMountPath(CONFIG_DIR)
                        .withReadOnly(true)
                        .build(),
                new VolumeMountBuilder()
                        .withName("runtime")
                        .withMountPath(RUNTIME_DIR)
                        .build());
    }

    /** The reload sidecar's script, as the data-plane tests run it. */
    public static String reloadScript() {
        return RELOAD_SCRIPT;
    }

    private static String readReloadScript() {
        try (InputStream in = BalancerDeployment.class.getResourceAsStream(RELOAD_SCRIPT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RELOAD_SCRIPT_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

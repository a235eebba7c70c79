package dev.shopcluster.operator.e2e;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * A shop as a real one is deployed, and the namespace it runs in: a ResourceQuota that requires CPU and
 * memory limits on every container, a Secret with the shop's database credentials, and a registry pull
 * secret. The simulated cluster checks quota admission with it; the real node checks that the Secret's
 * values reach the running container.
 */
public final class RealisticShop {

    public static final String QUOTA = "limits-required";
    public static final String DB_SECRET = "cart-db";
    public static final String DB_PASSWORD = "s3cret";
    public static final String PULL_SECRET = "registry";
    /** What the quota is charged per shop pod, and per balancer pod (HAProxy + the reload sidecar's 500m). */
    public static final long SHOP_POD_CPU_LIMIT_MILLIS = 500;

    public static final long BALANCER_POD_CPU_LIMIT_MILLIS = 500 + 500;

    private RealisticShop() {}

    /**
     * The ShopCluster's spec: two pods with resources, env from the Secret, the pull secret; two balancers.
     * Small CPU requests: on the real node it must fit beside every example, whose balancers alone request
     * 1.6 of its 2 cores.
     */
    public static String spec(String image) {
        return """
                image: %s
                replicas: 2
                pod:
                  resources: {requests: {cpu: 10m, memory: 64Mi}, limits: {cpu: 500m, memory: 512Mi}}
                  env:
                  - name: DB_PASSWORD
                    valueFrom: {secretKeyRef: {name: %s, key: password}}
                  envFrom: [{secretRef: {name: %s}}]
                  imagePullSecrets: [{name: %s}]
                balancer:
                  replicas: 2
                  pod:
                    resources: {requests: {cpu: 10m, memory: 64Mi}, limits: {cpu: 500m, memory: 256Mi}}
                    imagePullSecrets: [{name: %s}]
                """
                .formatted(image, DB_SECRET, DB_SECRET, PULL_SECRET, PULL_SECRET);
    }

    /** The quota that requires limits, and the two Secrets, in an existing namespace. */
    public static void prepareNamespace(KubernetesClient client, String namespace) {
        client.resourceQuotas()
                .inNamespace(namespace)
                .resource(new ResourceQuotaBuilder()
                        .withNewMetadata()
                        .withName(QUOTA)
                        .endMetadata()
                        .withNewSpec()
                        .withHard(Map.of(
                                "limits.cpu",
                                new Quantity("8"),
                                "limits.memory",
                                new Quantity("8Gi"),
                                "requests.cpu",
                                new Quantity("4"),
                                "requests.memory",
                                new Quantity("4Gi")))
                        .endSpec()
                        .build())
                .serverSideApply();
        client.secrets()
                .inNamespace(namespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(DB_SECRET)
                        .endMetadata()
                        .withStringData(Map.of("password", DB_PASSWORD, "DB_USER", "cart"))
                        .build())
                .serverSideApply();
        String dockerConfig = "{\"auths\":{\"registry.example.com\":{\"auth\":\""
                + Base64.getEncoder().encodeToString("robot:token".getBytes(StandardCharsets.UTF_8)) + "\"}}}";
        client.secrets()
                .inNamespace(namespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(PULL_SECRET)
                        .endMetadata()
                        .withType("kubernetes.io/dockerconfigjson")
                        .withStringData(Map.of(".dockerconfigjson", dockerConfig))
                        .build())
                .serverSideApply();
    }

    /** The CPU limits the quota has charged in the namespace, by its own count. */
    public static long usedCpuLimitsMillis(KubernetesClient client, String namespace) {
        ResourceQuota quota =
                client.resourceQuotas().inNamespace(namespace).withName(QUOTA).get();
        return Quantity.getAmountInBytes(quota.getStatus().getUsed().get("limits.cpu"))
                .movePointRight(3)
                .longValueExact();
    }
}

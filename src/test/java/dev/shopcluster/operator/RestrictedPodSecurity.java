package dev.shopcluster.operator;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** Pod Security "restricted": namespaces that enforce it, as a careful platform team sets them, and pods it admits. */
public final class RestrictedPodSecurity {

    private RestrictedPodSecurity() {}

    /** Creates or updates a namespace where Pod Security admission enforces "restricted". */
    public static void applyNamespace(KubernetesClient client, String name) {
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(Map.of(
                                "pod-security.kubernetes.io/enforce",
                                "restricted",
                                "pod-security.kubernetes.io/enforce-version",
                                "latest"))
                        .endMetadata()
                        .build())
                .serverSideApply();
    }

    /**
     * What "restricted" asks of a pod; its containers also need
     * {@link dev.shopcluster.operator.resources.ContainerSecurity#restrictedReadOnly()} or the like.
     */
    public static PodSecurityContext podContext() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .build();
    }
}

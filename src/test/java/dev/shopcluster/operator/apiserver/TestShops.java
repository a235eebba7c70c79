package dev.shopcluster.operator.apiserver;

import dev.shopcluster.operator.api.ShopCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** ShopClusters and namespaces for API-server tests. */
public final class TestShops {

    private TestShops() {}

    /** A fresh namespace, so test classes never see each other's objects. */
    public static String newNamespace(KubernetesClient client, String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces()
                .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
        return name;
    }

    /**
     * Creates a ShopCluster from the YAML of its spec, sent untyped ( so that values the Java API
     * cannot hold, such as unknown enum names, reach the API server), which applies its defaults.
     */
    public static ShopCluster create(KubernetesClient client, String namespace, String name, String specYaml) {
        client.genericKubernetesResources(ShopCluster.GROUP + "/" + ShopCluster.VERSION, "ShopCluster")
                .inNamespace(namespace)
                .load(new ByteArrayInputStream(yaml(name, specYaml).getBytes(StandardCharsets.UTF_8)))
                .create();
        return client.resources(ShopCluster.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    /** Changes a ShopCluster's spec as `kubectl patch --type merge` does: no resourceVersion, no conflict. */
    public static void patchSpec(KubernetesClient client, String namespace, String name, String specJson) {
        client.resources(ShopCluster.class)
                .inNamespace(namespace)
                .withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + specJson + "}");
    }

    public static String yaml(String name, String specYaml) {
        return """
                apiVersion: shopcluster.dev/v1alpha1
                kind: ShopCluster
                metadata:
                  name: %s
                spec:
                %s
                """
                .formatted(name, specYaml.indent(2).stripTrailing());
    }
}

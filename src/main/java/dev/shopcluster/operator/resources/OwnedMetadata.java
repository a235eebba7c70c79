package dev.shopcluster.operator.resources;

import dev.shopcluster.operator.api.ShopCluster;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;

/** Metadata of an object owned (and garbage-collected with) a ShopCluster. */
public final class OwnedMetadata {

    private OwnedMetadata() {}

    public static ObjectMeta of(ShopCluster shop, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(shop.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(ownerReference(shop))
                .build();
    }

    public static OwnerReference ownerReference(ShopCluster shop) {
        return new OwnerReferenceBuilder()
                .withApiVersion(shop.getApiVersion())
                .withKind(shop.getKind())
                .withName(shop.getMetadata().getName())
                .withUid(shop.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}

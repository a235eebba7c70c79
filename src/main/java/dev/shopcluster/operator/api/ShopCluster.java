package dev.shopcluster.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A load-balanced, optionally highly available shop: the shop pods, their Services, and an HAProxy
 * balancer in front of them, all declared in one resource.
 */
@Group(ShopCluster.GROUP)
@Version(ShopCluster.VERSION)
@Kind("ShopCluster")
@Plural("shopclusters")
@Singular("shopcluster")
// `kubectl get shops` reads naturally; `shop` is the short name the brief uses for single objects.
@ShortNames({"shop", "shops"})
@AdditionalPrinterColumn(name = "Strategy", jsonPath = ".spec.strategy.type", type = Type.STRING)
@AdditionalPrinterColumn(name = "HA", jsonPath = ".spec.highAvailability.mode", type = Type.STRING)
@AdditionalPrinterColumn(name = "Primary", jsonPath = ".status.currentPrimary", type = Type.STRING)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.readyReplicas", type = Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
// Child objects are named NAME-<pool or slot> and NAME-balancer; Services must stay DNS-1035 labels.
@ValidationRule(
        value = "size(self.metadata.name) <= " + ShopCluster.MAX_NAME_LENGTH,
        message = "metadata.name must be at most " + ShopCluster.MAX_NAME_LENGTH
                + " characters: child objects append a suffix and must stay valid DNS labels")
@ValidationRule(
        value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message = "metadata.name must be a DNS-1035 label: lower-case letters, digits and '-', starting with a letter")
public class ShopCluster extends CustomResource<ShopClusterSpec, ShopClusterStatus> implements Namespaced {

    public static final String GROUP = "shopcluster.dev";
    public static final String VERSION = "v1alpha1";
    public static final int MAX_NAME_LENGTH = 40;

    @Override
    @JsonPropertyDescription("The desired shop: image, replicas, balancing strategy, high availability and balancer.")
    public ShopClusterSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator observed and decided; written only by the operator.")
    public ShopClusterStatus getStatus() {
        return super.getStatus();
    }
}

package dev.shopcluster.operator.resources;

import dev.shopcluster.operator.api.ShopCluster;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Names and labels shared by every object the operator owns. */
public final class ShopLabels {

    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String PART_OF = "app.kubernetes.io/part-of";
    /** Pool (None, ActiveActive) or slot (ActiveStandby) of a shop pod. */
    public static final String GROUP = "shopcluster.dev/group";
    /** ActiveStandby: primary or standby, on the slot Deployments (not their pods, so a promotion restarts nothing). */
    public static final String ROLE = "shopcluster.dev/role";

    public static final String APP_NAME = "shop";
    public static final String MANAGER = "shop-operator";
    public static final String COMPONENT_SHOP = "shop";
    public static final String COMPONENT_BALANCER = "balancer";

    /** Selects every object the operator manages: the informers watch only these. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

    private ShopLabels() {}

    /** Labels of every owned object of one component. */
    public static Map<String, String> common(ShopCluster shop, String component) {
        Map<String, String> labels = new TreeMap<>(selector(shop, component));
        labels.put(MANAGED_BY, MANAGER);
        labels.put(PART_OF, "shopcluster");
        return labels;
    }

    /** The immutable selector of one component's pods; never includes a label that may change. */
    public static Map<String, String> selector(ShopCluster shop, String component) {
        Map<String, String> labels = new TreeMap<>();
        labels.put(NAME, APP_NAME);
        labels.put(INSTANCE, shop.getMetadata().getName());
        labels.put(COMPONENT, component);
        return labels;
    }

    public static Map<String, String> groupSelector(ShopCluster shop, String group) {
        Map<String, String> labels = selector(shop, COMPONENT_SHOP);
        labels.put(GROUP, group);
        return labels;
    }

    public static String toSelectorString(Map<String, String> labels) {
        return labels.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }

    public static String balancerName(ShopCluster shop) {
        return shop.getMetadata().getName() + "-balancer";
    }

    public static String primaryServiceName(ShopCluster shop) {
        return shop.getMetadata().getName() + "-primary";
    }
}

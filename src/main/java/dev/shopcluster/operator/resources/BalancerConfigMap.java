package dev.shopcluster.operator.resources;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.haproxy.BalancerPodLayout;
import dev.shopcluster.operator.haproxy.HaproxyConfigRenderer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;

/** The ConfigMap holding the rendered haproxy.cfg. */
public final class BalancerConfigMap {

    private BalancerConfigMap() {}

    public static ConfigMap desired(ShopCluster shop, String haproxyConfig) {
        return new ConfigMapBuilder()
                .withMetadata(OwnedMetadata.of(
                        shop, ShopLabels.balancerName(shop), ShopLabels.common(shop, ShopLabels.COMPONENT_BALANCER)))
                .withData(Map.of(BalancerPodLayout.CONFIG_FILE_NAME, haproxyConfig))
                .build();
    }

    /** The hash the config carries, which HAProxy reports once it runs it. */
    public static String hash(String haproxyConfig) {
        return HaproxyConfigRenderer.hashOf(haproxyConfig);
    }
}

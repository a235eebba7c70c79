package dev.shopcluster.operator.resources;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.haproxy.BalancerPodLayout;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** The ConfigMap holding the rendered haproxy.cfg. */
public final class BalancerConfigMap {

    private BalancerConfigMap() {
    }

    public static ConfigMap desired(ShopCluster shop, String haproxyConfig) {
        return new ConfigMapBuilder()
                .withMetadata(OwnedMetadata.of(shop, ShopLabels.balancerName(shop),
                        ShopLabels.common(shop, ShopLabels.COMPONENT_BALANCER)))
                .withData(Map.of(BalancerPodLayout.CONFIG_FILE_NAME, haproxyConfig))
                .build();
    }

    public static String hash(String haproxyConfig) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(haproxyConfig.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}

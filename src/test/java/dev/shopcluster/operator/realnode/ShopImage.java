package dev.shopcluster.operator.realnode;

/**
 * The test shop (hack/realnode/images.sh): busybox httpd on 8080 answering /healthz, and "/" with the
 * name of the pod that served it.
 */
final class ShopImage {

    static final String NAME = "localhost/realnode/shop:1";

    private ShopImage() {
    }
}

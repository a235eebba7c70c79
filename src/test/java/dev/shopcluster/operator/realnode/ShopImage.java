package dev.shopcluster.operator.realnode;

/**
 * The test shop (hack/realnode/shop): an HTTP server on 8080 answering /healthz, and any other path with
 * the name of the pod that served it.
 */
final class ShopImage {

    static final String NAME = "localhost/realnode/shop:1";

    private ShopImage() {}
}

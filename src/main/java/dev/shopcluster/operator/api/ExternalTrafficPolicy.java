package dev.shopcluster.operator.api;

/** How a NodePort or LoadBalancer entry Service routes external traffic (Service spec.externalTrafficPolicy). */
public enum ExternalTrafficPolicy {
    Cluster,
    Local
}

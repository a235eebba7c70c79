package dev.shopcluster.operator.api;

/** Type of the entry Service in front of the balancer. */
public enum BalancerServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer
}

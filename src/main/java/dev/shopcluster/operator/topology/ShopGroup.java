package dev.shopcluster.operator.topology;

/**
 * One Deployment of shop pods with its headless Service: a pool (None, ActiveActive) or a slot
 * (ActiveStandby).
 *
 * @param name the pool or slot name (main, a, b, ...)
 * @param objectName NAME-name, the name of its Deployment and headless Service
 * @param replicas desired pods
 * @param weight balancer weight of each of its servers, 1-256
 * @param role whether its servers take traffic normally or only as the balancer's backup
 */
public record ShopGroup(String name, String objectName, int replicas, int weight, Role role) {

    public enum Role {
        /** A pool of a None or ActiveActive shop. */
        SERVING,
        /** The ActiveStandby slot wired as primary. */
        PRIMARY,
        /** The ActiveStandby slot standing by: HAProxy backup servers. */
        STANDBY
    }

    public boolean isBackup() {
        return role == Role.STANDBY;
    }
}

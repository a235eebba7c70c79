package dev.shopcluster.operator.status;

/** Condition types and reasons of a ShopCluster; the README's troubleshooting table explains each. */
public final class ConditionTypes {

    public static final String READY = "Ready";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";
    public static final String FAILED_OVER = "FailedOver";

    public static final String ALL_REPLICAS_READY = "AllReplicasReady";
    public static final String REPLICAS_NOT_READY = "ReplicasNotReady";
    public static final String ROLLOUT_IN_PROGRESS = "RolloutInProgress";
    public static final String ROLLOUT_COMPLETE = "RolloutComplete";
    public static final String AS_EXPECTED = "AsExpected";
    public static final String REPLICAS_UNAVAILABLE = "ReplicasUnavailable";
    public static final String CHILD_CONFLICT = "ChildConflict";
    public static final String CHILD_REJECTED = "ChildRejected";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String NO_HEALTHY_STANDBY = "NoHealthyStandby";
    public static final String NO_FAILOVER = "NoFailover";
    public static final String PRIMARY_UNREADY = "PrimaryUnready";
    public static final String SWITCHED_OVER = "SwitchedOver";
    public static final String FAILED_BACK = "FailedBack";

    private ConditionTypes() {}
}

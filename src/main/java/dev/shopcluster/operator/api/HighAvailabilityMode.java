package dev.shopcluster.operator.api;

/** How the shop survives the loss of pods. */
public enum HighAvailabilityMode {
    /** One pool, no standby. */
    None,
    /** Redundancy: every pool serves, spread over nodes and protected by disruption budgets. */
    ActiveActive,
    /** Master-slave: slot a or b serves, the other stands by and is promoted when the primary goes unready. */
    ActiveStandby
}

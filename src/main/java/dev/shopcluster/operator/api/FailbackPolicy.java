package dev.shopcluster.operator.api;

/** What happens once a demoted primary slot is healthy again. */
public enum FailbackPolicy {
    /** Traffic stays on the promoted slot until a switchover is requested. */
    Manual,
    /** Traffic moves back once the old primary has been ready for failoverAfterSeconds. */
    Automatic
}

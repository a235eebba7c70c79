package dev.shopcluster.operator.api;

/** What passive outlier detection counts as a pod's failure. */
public enum OutlierObserve {
    /** Refused or timed-out connections. */
    Connections,
    /** Connections, plus 5xx answers and broken, empty or timed-out answers that were not retried. */
    Responses
}

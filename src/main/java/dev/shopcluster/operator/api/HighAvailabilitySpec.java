package dev.shopcluster.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

public class HighAvailabilitySpec {

    @Default("None")
    @JsonPropertyDescription("None: one pool, no standby. ActiveActive (redundancy): every pool serves, spread over "
            + "nodes, with disruption budgets. ActiveStandby (master-slave): slot a or b serves, the other is the "
            + "balancer's backup and is promoted when the primary goes unready.")
    private HighAvailabilityMode mode = HighAvailabilityMode.None;

    @Min(1)
    @Max(1000)
    @Default("1")
    @JsonPropertyDescription("ActiveStandby: replicas of the standby slot.")
    private int standbyReplicas = 1;

    @Min(1)
    @Max(3600)
    @Default("5")
    @JsonPropertyDescription("ActiveStandby: seconds the primary must stay below minReadyPrimaries before the standby "
            + "is promoted. Shorter flaps cause no promotion.")
    private int failoverAfterSeconds = 5;

    @Min(1)
    @Max(1000)
    @Default("1")
    @JsonPropertyDescription("ActiveStandby: the primary is healthy while at least this many of its pods are ready. "
            + "At most spec.replicas.")
    private int minReadyPrimaries = 1;

    @Default("Manual")
    @JsonPropertyDescription(
            "ActiveStandby: Manual keeps traffic on the promoted slot; Automatic moves it back once the "
                    + "old primary has been ready for failoverAfterSeconds.")
    private FailbackPolicy failback = FailbackPolicy.Manual;

    public HighAvailabilityMode getMode() {
        return mode;
    }

    public void setMode(HighAvailabilityMode mode) {
        this.mode = mode;
    }

    public int getStandbyReplicas() {
        return standbyReplicas;
    }

    public void setStandbyReplicas(int standbyReplicas) {
        this.standbyReplicas = standbyReplicas;
    }

    public int getFailoverAfterSeconds() {
        return failoverAfterSeconds;
    }

    public void setFailoverAfterSeconds(int failoverAfterSeconds) {
        this.failoverAfterSeconds = failoverAfterSeconds;
    }

    public int getMinReadyPrimaries() {
        return minReadyPrimaries;
    }

    public void setMinReadyPrimaries(int minReadyPrimaries) {
        this.minReadyPrimaries = minReadyPrimaries;
    }

    public FailbackPolicy getFailback() {
        return failback;
    }

    public void setFailback(FailbackPolicy failback) {
        this.failback = failback;
    }
}

package dev.shopcluster.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShopClusterStatus {

    @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("ActiveStandby: the slot (a or b) the operator decided should be primary. It is written "
            + "before any wiring changes, so an interrupted promotion is completed from it.")
    private Slot targetPrimary;

    @JsonPropertyDescription(
            "ActiveStandby: the slot (a or b) actually wired as primary: balancer config, NAME-primary "
                    + "Service and scale.")
    private Slot currentPrimary;

    @JsonPropertyDescription(
            "ActiveStandby: when the operator first saw the primary below minReadyPrimaries (RFC 3339); "
                    + "unset while it is healthy. Kept here so a restart neither resets nor skips the grace period.")
    private String primaryUnreadySince;

    @JsonPropertyDescription("ActiveStandby: the slot a failover took traffic away from, while it recovers; it keeps "
            + "spec.replicas pods until it is healthy again.")
    private Slot demotedPrimary;

    @JsonPropertyDescription("ActiveStandby with Automatic failback: since when the demoted slot has been healthy "
            + "(RFC 3339); traffic moves back after failoverAfterSeconds.")
    private String demotedReadySince;

    @StatusReplicas
    @JsonPropertyDescription(
            "Serving shop pods that exist (the primary slot's in ActiveStandby); read by the scale " + "subresource.")
    private Integer replicas;

    @JsonPropertyDescription("Serving shop pods that are ready.")
    private Integer readyReplicas;

    @JsonPropertyDescription("ActiveStandby: ready pods of the standby slot.")
    private Integer standbyReadyReplicas;

    @JsonPropertyDescription("ActiveStandby: failovers so far (promotions because the primary was unready).")
    private Integer failovers;

    @JsonPropertyDescription("ActiveStandby: when the last failover was decided (RFC 3339).")
    private String lastFailoverTime;

    @JsonPropertyDescription("ActiveStandby: when the failovers of the last 10 minutes were decided (RFC 3339), oldest "
            + "first. Each doubles failoverWaitSeconds.")
    private List<String> recentFailoverTimes;

    @JsonPropertyDescription("ActiveStandby: how long the primary must now stay below minReadyPrimaries before it is "
            + "failed over: failoverAfterSeconds, doubled for each failover in the last 10 minutes, at most 300 (or "
            + "failoverAfterSeconds, if that is longer).")
    private Integer failoverWaitSeconds;

    @JsonPropertyDescription("SHA-256 of the rendered haproxy.cfg in the NAME-balancer ConfigMap.")
    private String balancerConfigHash;

    @LabelSelector
    @JsonPropertyDescription("Label selector of the serving shop pods; read by the scale subresource.")
    private String selector;

    @JsonPropertyDescription(
            "Ready, Progressing and Degraded (and FailedOver in ActiveStandby), in metav1.Condition form.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Slot getTargetPrimary() {
        return targetPrimary;
    }

    public void setTargetPrimary(Slot targetPrimary) {
        this.targetPrimary = targetPrimary;
    }

    public Slot getCurrentPrimary() {
        return currentPrimary;
    }

    public void setCurrentPrimary(Slot currentPrimary) {
        this.currentPrimary = currentPrimary;
    }

    public String getPrimaryUnreadySince() {
        return primaryUnreadySince;
    }

    public void setPrimaryUnreadySince(String primaryUnreadySince) {
        this.primaryUnreadySince = primaryUnreadySince;
    }

    public Slot getDemotedPrimary() {
        return demotedPrimary;
    }

    public void setDemotedPrimary(Slot demotedPrimary) {
        this.demotedPrimary = demotedPrimary;
    }

    public String getDemotedReadySince() {
        return demotedReadySince;
    }

    public void setDemotedReadySince(String demotedReadySince) {
        this.demotedReadySince = demotedReadySince;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public Integer getStandbyReadyReplicas() {
        return standbyReadyReplicas;
    }

    public void setStandbyReadyReplicas(Integer standbyReadyReplicas) {
        this.standbyReadyReplicas = standbyReadyReplicas;
    }

    public Integer getFailovers() {
        return failovers;
    }

    public void setFailovers(Integer failovers) {
        this.failovers = failovers;
    }

    public String getLastFailoverTime() {
        return lastFailoverTime;
    }

    public void setLastFailoverTime(String lastFailoverTime) {
        this.lastFailoverTime = lastFailoverTime;
    }

    public List<String> getRecentFailoverTimes() {
        return recentFailoverTimes;
    }

    public void setRecentFailoverTimes(List<String> recentFailoverTimes) {
        this.recentFailoverTimes = recentFailoverTimes;
    }

    public Integer getFailoverWaitSeconds() {
        return failoverWaitSeconds;
    }

    public void setFailoverWaitSeconds(Integer failoverWaitSeconds) {
        this.failoverWaitSeconds = failoverWaitSeconds;
    }

    public String getBalancerConfigHash() {
        return balancerConfigHash;
    }

    public void setBalancerConfigHash(String balancerConfigHash) {
        this.balancerConfigHash = balancerConfigHash;
    }

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    /**
     * Decides whether status is written at all: a field left out here would never be written.
     * ShopClusterStatusTest checks that every field counts, in equals and in hashCode.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ShopClusterStatus other)) {
            return false;
        }
        return Objects.equals(observedGeneration, other.observedGeneration)
                && targetPrimary == other.targetPrimary
                && currentPrimary == other.currentPrimary
                && Objects.equals(primaryUnreadySince, other.primaryUnreadySince)
                && demotedPrimary == other.demotedPrimary
                && Objects.equals(demotedReadySince, other.demotedReadySince)
                && Objects.equals(replicas, other.replicas)
                && Objects.equals(readyReplicas, other.readyReplicas)
                && Objects.equals(standbyReadyReplicas, other.standbyReadyReplicas)
                && Objects.equals(failovers, other.failovers)
                && Objects.equals(lastFailoverTime, other.lastFailoverTime)
                && Objects.equals(recentFailoverTimes, other.recentFailoverTimes)
                && Objects.equals(failoverWaitSeconds, other.failoverWaitSeconds)
                && Objects.equals(balancerConfigHash, other.balancerConfigHash)
                && Objects.equals(selector, other.selector)
                && Objects.equals(conditions, other.conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                observedGeneration,
                targetPrimary,
                currentPrimary,
                primaryUnreadySince,
                demotedPrimary,
                demotedReadySince,
                replicas,
                readyReplicas,
                standbyReadyReplicas,
                failovers,
                lastFailoverTime,
                recentFailoverTimes,
                failoverWaitSeconds,
                balancerConfigHash,
                selector,
                conditions);
    }
}

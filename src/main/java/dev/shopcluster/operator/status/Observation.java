package dev.shopcluster.operator.status;

import dev.shopcluster.operator.ha.PromotionOutcome;
import dev.shopcluster.operator.resources.DesiredChildren;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one reconcile wanted, saw and did: the input the status is computed from.
 *
 * @param desired the children the spec asks for
 * @param deployments the observed Deployments by name
 * @param conflicts objects (Kind/name) that exist but belong to someone else
 * @param rejected children the API server refused to apply, as "Kind/name: the server's message"
 * @param promotion ActiveStandby: the promotion decision and the state to record; empty in the other modes
 */
public record Observation(
        DesiredChildren desired,
        Map<String, Deployment> deployments,
        List<String> conflicts,
        List<String> rejected,
        Optional<PromotionOutcome> promotion) {

    /** A None or ActiveActive shop whose children were all accepted: no promotion. */
    public static Observation of(DesiredChildren desired, Map<String, Deployment> deployments, List<String> conflicts) {
        return new Observation(desired, deployments, conflicts, List.of(), Optional.empty());
    }
}

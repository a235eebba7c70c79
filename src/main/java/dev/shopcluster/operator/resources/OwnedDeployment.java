package dev.shopcluster.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;

/** A Deployment the operator runs for a ShopCluster (a pool or slot of shop pods, or the balancer). */
final class OwnedDeployment {

    private OwnedDeployment() {}

    /**
     * @param selector the labels that select its pods, a subset of {@code podLabels}
     */
    static Deployment of(
            ObjectMeta metadata,
            int replicas,
            Map<String, String> selector,
            Map<String, String> podLabels,
            PodSpec pod) {
        return new DeploymentBuilder()
                .withMetadata(metadata)
                .withNewSpec()
                .withReplicas(replicas)
                .withRevisionHistoryLimit(3)
                .withNewSelector()
                .withMatchLabels(selector)
                .endSelector()
                // Surge first: capacity never drops below the desired replicas during a rollout.
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1))
                .withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(podLabels)
                .endMetadata()
                .withSpec(pod)
                .endTemplate()
                .endSpec()
                .build();
    }
}

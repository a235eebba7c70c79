package dev.shopcluster.operator.apiserver;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Plays the Deployment controller and kubelet, which this tier does not run: writes a Deployment's
 * status subresource as if its rollout finished with the given number of ready pods.
 */
public final class DeploymentStatusWriter {

    private DeploymentStatusWriter() {
    }

    public static void allReady(KubernetesClient client, String namespace, String name) {
        Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
        ready(client, deployment, deployment.getSpec().getReplicas());
    }

    public static void ready(KubernetesClient client, String namespace, String name, int readyReplicas) {
        ready(client, client.apps().deployments().inNamespace(namespace).withName(name).get(), readyReplicas);
    }

    private static void ready(KubernetesClient client, Deployment deployment, int readyReplicas) {
        int replicas = deployment.getSpec().getReplicas();
        deployment.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withReadyReplicas(readyReplicas)
                .withAvailableReplicas(readyReplicas)
                .withUnavailableReplicas(replicas - readyReplicas)
                .build());
        client.resource(deployment).updateStatus();
    }
}

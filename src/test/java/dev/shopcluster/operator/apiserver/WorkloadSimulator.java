package dev.shopcluster.operator.apiserver;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.List;

/**
 * Plays the Deployment controller and the kubelet, which this tier does not run: keeps one Pod per
 * desired replica of a Deployment, sets the first {@code ready} of them Ready, and writes the
 * Deployment's status subresource as if its rollout had finished that way.
 */
public final class WorkloadSimulator {

    private WorkloadSimulator() {}

    public static void allReady(KubernetesClient client, String namespace, String name) {
        Deployment deployment = client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(name)
                .get();
        run(client, deployment, deployment.getSpec().getReplicas());
    }

    /** Runs the Deployment's desired pods with {@code ready} of them ready (at most all of them). */
    public static void ready(KubernetesClient client, String namespace, String name, int ready) {
        run(
                client,
                client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName(name)
                        .get(),
                ready);
    }

    private static void run(KubernetesClient client, Deployment deployment, int ready) {
        // The operator may change the Deployment meanwhile (a promotion scales it): start over on a conflict.
        for (int attempt = 1; ; attempt++) {
            try {
                runOnce(client, deployment, ready);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
                deployment = client.resource(deployment).get();
            }
        }
    }

    private static void runOnce(KubernetesClient client, Deployment deployment, int ready) {
        String namespace = deployment.getMetadata().getNamespace();
        String name = deployment.getMetadata().getName();
        int replicas = deployment.getSpec().getReplicas();
        int readyPods = Math.min(ready, replicas);
        List<Pod> pods = client
                .pods()
                .inNamespace(namespace)
                .withLabels(deployment.getSpec().getSelector().getMatchLabels())
                .list()
                .getItems()
                .stream()
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .toList();
        for (int i = 0; i < Math.max(replicas, pods.size()); i++) {
            String podName = name + "-" + i;
            if (i >= replicas) {
                client.pods().inNamespace(namespace).withName(podName).delete();
                continue;
            }
            Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
            if (pod == null) {
                pod = client.pods()
                        .inNamespace(namespace)
                        .resource(new PodBuilder()
                                .withNewMetadata()
                                .withName(podName)
                                .withLabels(deployment
                                        .getSpec()
                                        .getTemplate()
                                        .getMetadata()
                                        .getLabels())
                                .endMetadata()
                                .withSpec(deployment.getSpec().getTemplate().getSpec())
                                .build())
                        .create();
            }
            String readyStatus = i < readyPods ? "True" : "False";
            pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
                    .withPhase("Running")
                    .withConditions(new PodConditionBuilder()
                            .withType("Ready")
                            .withStatus(readyStatus)
                            .build())
                    .build());
            client.pods().inNamespace(namespace).resource(pod).updateStatus();
        }
        deployment.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withUpdatedReplicas(replicas)
                .withReadyReplicas(readyPods)
                .withAvailableReplicas(readyPods)
                .withUnavailableReplicas(replicas - readyPods)
                .build());
        client.resource(deployment).updateStatus();
    }
}

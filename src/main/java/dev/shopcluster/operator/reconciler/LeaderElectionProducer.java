package dev.shopcluster.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Operator replicas share one Lease; only its holder reconciles, so two replicas never act on the same
 * ShopCluster at once. The Lease lives in {@code shop.operator.leader-election.lease-namespace} if set,
 * else in the client's namespace (the pod's own namespace in a cluster, the kubeconfig context's
 * namespace outside), else in {@code default}: `java -jar` with a context that names no namespace works.
 *
 * <p>A replica that loses the Lease exits at once, so it cannot go on reconciling beside the new
 * leader. JOSDK's own exit-on-stop-leading would also fire when the JVM is already shutting down (a
 * SIGTERM cancels the election from the shutdown hook) and then deadlock in System.exit, leaving the
 * pod to be killed at the end of its grace period; so the exit is ours, and skipped during shutdown.
 */
@ApplicationScoped
class LeaderElectionProducer {

    private static final Logger LOG = Logger.getLogger(LeaderElectionProducer.class);
    static final String DEFAULT_NAMESPACE = "default";

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(
            KubernetesClient client,
            @ConfigProperty(name = "shop.operator.leader-election.lease-name", defaultValue = "shop-operator-leader")
                    String leaseName,
            @ConfigProperty(name = "shop.operator.leader-election.lease-namespace") Optional<String> leaseNamespace) {
        LeaderCallbacks exitWhenLeaseLost =
                new LeaderCallbacks(() -> {}, LeaderElectionProducer::leaseLost, leader -> {});
        String namespace = leaseNamespace(leaseNamespace, client.getNamespace());
        LOG.infof("leader election through Lease %s/%s", namespace, leaseName);
        return new LeaderElectionConfiguration(
                leaseName,
                namespace,
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                null,
                exitWhenLeaseLost,
                false);
    }

    /** The configured namespace, else the client's (pod or kubeconfig context), else {@code default}. */
    static String leaseNamespace(Optional<String> configured, String clientNamespace) {
        return configured
                .filter(n -> !n.isBlank())
                .or(() -> Optional.ofNullable(clientNamespace).filter(n -> !n.isBlank()))
                .orElse(DEFAULT_NAMESPACE);
    }

    private static void leaseLost() {
        if (shuttingDown()) {
            return; // the election was cancelled by our own shutdown
        }
        LOG.error("lost the leader Lease: exiting so that only the new leader reconciles");
        // From another thread: the caller may be Quarkus closing a failed start on the main thread, which the
        // shutdown hooks System.exit runs would wait for (a deadlock that hid the start's error).
        Thread exit = new Thread(() -> System.exit(1), "exit-on-lost-lease");
        exit.start();
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}

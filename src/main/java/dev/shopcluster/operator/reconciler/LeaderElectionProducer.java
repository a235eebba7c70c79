package dev.shopcluster.operator.reconciler;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Operator replicas share one Lease (in the operator's namespace); only its holder reconciles, so two
 * replicas never act on the same ShopCluster at once.
 *
 * <p>A replica that loses the Lease exits at once, so it cannot go on reconciling beside the new
 * leader. JOSDK's own exit-on-stop-leading would also fire when the JVM is already shutting down (a
 * SIGTERM cancels the election from the shutdown hook) and then deadlock in System.exit, leaving the
 * pod to be killed at the end of its grace period; so the exit is ours, and skipped during shutdown.
 */
@ApplicationScoped
class LeaderElectionProducer {

    private static final Logger LOG = Logger.getLogger(LeaderElectionProducer.class);

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(
            @ConfigProperty(name = "shop.operator.leader-election.lease-name", defaultValue = "shop-operator-leader")
            String leaseName) {
        LeaderCallbacks exitWhenLeaseLost = new LeaderCallbacks(() -> { }, LeaderElectionProducer::leaseLost, leader -> { });
        return new LeaderElectionConfiguration(leaseName, null, LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null, exitWhenLeaseLost, false);
    }

    private static void leaseLost() {
        if (shuttingDown()) {
            return; // the election was cancelled by our own shutdown
        }
        LOG.error("lost the leader Lease: exiting so that only the new leader reconciles");
        System.exit(1);
    }

    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}

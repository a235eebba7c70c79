package dev.shopcluster.operator.reconciler;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Operator replicas share one Lease (in the operator's namespace); only its holder reconciles, so two
 * replicas never act on the same ShopCluster at once.
 */
@ApplicationScoped
class LeaderElectionProducer {

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(
            @ConfigProperty(name = "shop.operator.leader-election.lease-name", defaultValue = "shop-operator-leader")
            String leaseName) {
        return new LeaderElectionConfiguration(leaseName);
    }
}

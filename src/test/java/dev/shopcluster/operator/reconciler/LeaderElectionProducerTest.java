package dev.shopcluster.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where the leader Lease lives when the operator runs in a pod, or from a kubeconfig. */
class LeaderElectionProducerTest {

    @Test
    void aConfiguredNamespaceWins() {
        assertThat(LeaderElectionProducer.leaseNamespace(Optional.of("ops"), "shop-system"))
                .isEqualTo("ops");
    }

    @Test
    void otherwiseTheClientsNamespaceOfThePodOrTheContext() {
        assertThat(LeaderElectionProducer.leaseNamespace(Optional.empty(), "shop-system"))
                .isEqualTo("shop-system");
        assertThat(LeaderElectionProducer.leaseNamespace(Optional.of(" "), "shop-system"))
                .isEqualTo("shop-system");
    }

    @Test
    void aContextWithoutNamespaceUsesDefault() {
        assertThat(LeaderElectionProducer.leaseNamespace(Optional.empty(), null))
                .isEqualTo("default");
        assertThat(LeaderElectionProducer.leaseNamespace(Optional.empty(), "")).isEqualTo("default");
    }
}

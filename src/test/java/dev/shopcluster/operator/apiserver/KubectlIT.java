package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What users see through kubectl: field docs, short names, printer columns. */
@ExtendWith(TestApiServer.class)
class KubectlIT {

    @Test
    void explainPrintsTheFieldDocs() throws Exception {
        Kubectl.Result explain = Kubectl.run("explain", "shop.spec.strategy");
        assertThat(explain.exitCode()).isZero();
        // kubectl wraps the docs: compare with white space folded.
        assertThat(explain.output().replaceAll("\\s+", " "))
                .contains("How the balancer spreads requests over the serving pods.")
                .contains("hashOn")
                .contains("ConsistentHash only, required there");
        assertThat(Kubectl.run("explain", "shop.status.targetPrimary").output().replaceAll("\\s+", " "))
                .contains("so an interrupted promotion is completed from it");
    }

    @Test
    void getShopsShowsThePrinterColumns() throws Exception {
        String namespace = TestShops.newNamespace(TestApiServer.client(), "kubectl");
        TestShops.create(
                TestApiServer.client(),
                namespace,
                "columns",
                "image: shop:1\nstrategy: {type: LeastConnections}\nhighAvailability: {mode: ActiveActive}");
        Kubectl.Result get = Kubectl.run("get", "shops", "-n", namespace);
        assertThat(get.exitCode()).as(get.output()).isZero();
        assertThat(get.output().lines().findFirst().orElseThrow().split("\\s+"))
                .contains("NAME", "STRATEGY", "HA", "PRIMARY", "READY", "AGE");
        assertThat(get.output())
                .containsPattern("columns\\s+.*LeastConnections")
                .contains("ActiveActive");
    }
}

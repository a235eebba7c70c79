package dev.shopcluster.operator.reconciler;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The Operator SDK's reconcile metrics per controller, not per ShopCluster. Quarkus' default keeps a
 * set of counters and timers for every ShopCluster: about 17 KiB of heap each (17 MiB at 1,000 shops,
 * make bench-scale) and a metric series per shop that Prometheus has to store. The per-shop metrics that
 * alerts need (failovers, promotion time) are the operator's own ({@link HaMetrics}).
 */
@Singleton
class OperatorSdkMetricsProducer {

    @Produces
    @Singleton
    Metrics operatorSdkMetrics(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}

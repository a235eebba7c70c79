package dev.shopcluster.operator.apiserver;

import dev.shopcluster.operator.reconciler.ShopClusterReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

/** The operator's reconciler run in-process by the Java Operator SDK against the test API server. */
public final class InProcessOperator implements AutoCloseable {

    private final Operator operator;
    private final KubernetesClient client;
    private final Map<String, AtomicInteger> finishedReconciles = new ConcurrentHashMap<>();
    private final AtomicLong writeRequests = new AtomicLong();

    private InProcessOperator(String namespace, Duration resyncInterval, Clock clock) {
        client = TestApiServer.newClient(builder -> builder.addOrReplaceInterceptor("count-writes", new Interceptor() {
            @Override
            public void before(BasicBuilder request, HttpRequest httpRequest, Interceptor.RequestTags tags) {
                if (!"GET".equals(httpRequest.method())) {
                    writeRequests.incrementAndGet();
                }
            }
        }));
        operator = new Operator(o -> o.withKubernetesClient(client)
                .withCloseClientOnStop(true)
                .withStopOnInformerErrorDuringStartup(true)
                .withMetrics(new Metrics() {
                    @Override
                    public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
                        finishedReconciles.computeIfAbsent(resource.getMetadata().getName(), k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                }));
        operator.register(new ShopClusterReconciler(clock, "cluster.local"), override -> {
            override.settingNamespace(namespace);
            if (resyncInterval != null) {
                override.withReconciliationMaxInterval(resyncInterval);
            }
        });
        operator.start();
    }

    /** Starts an operator watching one namespace, resyncing at the SDK's default interval. */
    public static InProcessOperator start(String namespace) {
        return new InProcessOperator(namespace, null, Clock.systemUTC());
    }

    /** Starts an operator that reconciles every ShopCluster at least once per {@code resyncInterval}. */
    public static InProcessOperator startWithResync(String namespace, Duration resyncInterval) {
        return new InProcessOperator(namespace, resyncInterval, Clock.systemUTC());
    }

    /** Reconciles of the named ShopCluster that finished without error. */
    public int finishedReconciles(String shopName) {
        AtomicInteger count = finishedReconciles.get(shopName);
        return count == null ? 0 : count.get();
    }

    /** Requests other than GET (create, update, patch, apply, delete) the operator has sent so far. */
    public long writeRequests() {
        return writeRequests.get();
    }

    @Override
    public void close() {
        operator.stop();
    }
}

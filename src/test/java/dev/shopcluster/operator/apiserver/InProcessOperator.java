package dev.shopcluster.operator.apiserver;

import dev.shopcluster.operator.reconciler.ShopClusterReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The operator's reconciler run in-process by the Java Operator SDK against the test API server. */
public final class InProcessOperator implements AutoCloseable {

    private final Operator operator;
    private final Map<String, AtomicInteger> finishedReconciles = new ConcurrentHashMap<>();
    private final AtomicLong writeRequests = new AtomicLong();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final java.util.Queue<String> writeLog = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Writes still allowed before the operator is cut off from the API server, as if it crashed; -1: no limit. */
    private final AtomicLong writesUntilCrash = new AtomicLong(-1);

    private InProcessOperator(Options options) {
        KubernetesClient client =
                TestApiServer.newClient(builder -> builder.addOrReplaceInterceptor("writes", new Interceptor() {
                    @Override
                    public void before(BasicBuilder request, HttpRequest httpRequest, Interceptor.RequestTags tags) {
                        if (crashed()) {
                            throw new UncheckedIOException(new ConnectException("simulated operator crash"));
                        }
                        // Leader election renews its lease and reviews its permissions (a POST that changes
                        // nothing); only the operator's own work counts.
                        String path = httpRequest.uri().getPath();
                        if (!"GET".equals(httpRequest.method())
                                && !path.contains("/leases")
                                && !path.contains("/selfsubject")) {
                            writeRequests.incrementAndGet();
                            writeLog.add(httpRequest.method() + " " + path);
                            writesUntilCrash.getAndUpdate(n -> n > 0 ? n - 1 : n);
                        }
                    }
                }));
        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(true)
                    .withStopOnInformerErrorDuringStartup(true)
                    .withMetrics(new Metrics() {
                        @Override
                        public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
                            finishedReconciles
                                    .computeIfAbsent(resource.getMetadata().getName(), k -> new AtomicInteger())
                                    .incrementAndGet();
                        }
                    });
            if (options.leaseName != null) {
                // Short lease, so a test sees a takeover in seconds; no process exit when leadership is lost.
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
                        options.leaseName,
                        options.namespace,
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(3),
                        Duration.ofMillis(500),
                        options.identity,
                        new LeaderCallbacks(() -> {}, () -> {}, leader -> {}),
                        false));
            }
        });
        operator.register(new ShopClusterReconciler(Clock.systemUTC(), meters, "cluster.local", false), override -> {
            override.settingNamespace(options.namespace);
            if (options.resync != null) {
                override.withReconciliationMaxInterval(options.resync);
            }
        });
        operator.start();
    }

    /** Starts an operator watching one namespace, resyncing at the SDK's default interval. */
    public static InProcessOperator start(String namespace) {
        return new Options(namespace).start();
    }

    /** Starts an operator that reconciles every ShopCluster at least once per {@code resyncInterval}. */
    public static InProcessOperator startWithResync(String namespace, Duration resyncInterval) {
        return new Options(namespace).resync(resyncInterval).start();
    }

    public static Options options(String namespace) {
        return new Options(namespace);
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

    /** The operator's own metrics (failovers, promotion durations). */
    public SimpleMeterRegistry meters() {
        return meters;
    }

    /** Method and path of every write request so far, for assertion messages. */
    public java.util.List<String> writeLog() {
        return java.util.List.copyOf(writeLog);
    }

    /** After {@code writes} more write requests, every request fails, as if the process had died there. */
    public void crashAfterWrites(long writes) {
        writesUntilCrash.set(writes);
    }

    /** Whether the simulated crash has happened. */
    public boolean crashed() {
        return writesUntilCrash.get() == 0;
    }

    @Override
    public void close() {
        operator.stop();
    }

    /** How to run an in-process operator. */
    public static final class Options {
        private final String namespace;
        private Duration resync;
        private String leaseName;
        private String identity;

        private Options(String namespace) {
            this.namespace = namespace;
        }

        public Options resync(Duration interval) {
            this.resync = interval;
            return this;
        }

        /** Only the holder of the named Lease (in the watched namespace) reconciles. */
        public Options leaderElection(String leaseName, String identity) {
            this.leaseName = leaseName;
            this.identity = identity;
            return this;
        }

        public InProcessOperator start() {
            return new InProcessOperator(this);
        }
    }
}

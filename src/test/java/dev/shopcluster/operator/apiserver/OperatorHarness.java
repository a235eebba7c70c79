package dev.shopcluster.operator.apiserver;

import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The set-up every API-server test class shares: the test API server's client, a fresh namespace and,
 * unless asked otherwise, an in-process operator watching it. When a test fails it prints the
 * operator's log, the namespace's events and every shop's status, once, here instead of in each test.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final OperatorHarness harness = OperatorHarness.withOperator("status");
 * </pre>
 */
public final class OperatorHarness implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    /** Log lines kept for a failure report: the latest ones. */
    private static final int LOG_LINES = 400;

    private static final List<String> LOGGERS = List.of("dev.shopcluster", "io.javaoperatorsdk");

    private final String namespacePrefix;
    private final boolean startOperator;
    private final Duration resync;
    private final Deque<String> log = new ArrayDeque<>();
    private final Handler logCapture = new LogCapture();
    /** Held so the JUL loggers, weakly referenced by the log manager, keep the capture handler. */
    private final List<Logger> capturedLoggers =
            LOGGERS.stream().map(Logger::getLogger).toList();

    private String namespace;
    private InProcessOperator operator;

    private OperatorHarness(String namespacePrefix, boolean startOperator, Duration resync) {
        this.namespacePrefix = namespacePrefix;
        this.startOperator = startOperator;
        this.resync = resync;
    }

    /** A namespace and an operator watching it, resyncing at the SDK's default interval. */
    public static OperatorHarness withOperator(String namespacePrefix) {
        return new OperatorHarness(namespacePrefix, true, null);
    }

    /** A namespace and an operator that reconciles every shop at least once per {@code resync}. */
    public static OperatorHarness withOperatorResyncing(String namespacePrefix, Duration resync) {
        return new OperatorHarness(namespacePrefix, true, resync);
    }

    /** A namespace only: the test starts its own operators (crashes, leader election). */
    public static OperatorHarness withoutOperator(String namespacePrefix) {
        return new OperatorHarness(namespacePrefix, false, null);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        capturedLoggers.forEach(logger -> logger.addHandler(logCapture));
        namespace = TestShops.newNamespace(client(), namespacePrefix);
        if (startOperator) {
            startOperator();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopOperator();
        capturedLoggers.forEach(logger -> logger.removeHandler(logCapture));
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.out.println(
                diagnostics(context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName()));
    }

    public KubernetesClient client() {
        return TestApiServer.client();
    }

    public String namespace() {
        return namespace;
    }

    /** The harness's operator; see {@link #restartOperator()}. */
    public InProcessOperator operator() {
        return Objects.requireNonNull(operator, "no operator is running");
    }

    /** Stops the operator and starts a new one, as a process restart would. */
    public InProcessOperator restartOperator() {
        stopOperator();
        return startOperator();
    }

    /** The operator's log as captured so far (its latest lines), one formatted record per entry. */
    public List<String> logLines() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** The ShopCluster as the API server has it now, or null. */
    public ShopCluster shop(String name) {
        return client().resources(ShopCluster.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    /** The Deployment as the API server has it now, or null. */
    public Deployment deployment(String name) {
        return client().apps()
                .deployments()
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    /** Waits up to 30 s until every named Deployment exists: the operator has created them. */
    public void awaitDeployments(List<String> names) {
        await().atMost(Duration.ofSeconds(30)).until(() -> names.stream().allMatch(name -> deployment(name) != null));
    }

    /** Creates a ShopCluster in the harness's namespace; see {@link TestShops#create}. */
    public ShopCluster createShop(String name, String specYaml) {
        return TestShops.create(client(), namespace, name, specYaml);
    }

    /** Changes a shop's spec as `kubectl patch --type merge` does; see {@link TestShops#patchSpec}. */
    public void patchSpec(String name, String specJson) {
        TestShops.patchSpec(client(), namespace, name, specJson);
    }

    private InProcessOperator startOperator() {
        operator = resync == null
                ? InProcessOperator.start(namespace)
                : InProcessOperator.startWithResync(namespace, resync);
        return operator;
    }

    private void stopOperator() {
        if (operator != null) {
            operator.close();
            operator = null;
        }
    }

    /** The operator's log, the events and every shop's status in the namespace. */
    String diagnostics(String test) {
        StringBuilder out = new StringBuilder();
        out.append("==== ")
                .append(test)
                .append(" failed; namespace ")
                .append(namespace)
                .append('\n');
        out.append("---- operator log (latest ").append(LOG_LINES).append(" lines)\n");
        synchronized (log) {
            log.forEach(line -> out.append(line).append('\n'));
        }
        try {
            out.append("---- events\n");
            client().v1().events().inNamespace(namespace).list().getItems().stream()
                    .sorted(Comparator.comparing(e -> Objects.toString(e.getLastTimestamp(), "")))
                    .forEach(e -> out.append(describe(e)).append('\n'));
            out.append("---- shops\n");
            client().resources(ShopCluster.class)
                    .inNamespace(namespace)
                    .list()
                    .getItems()
                    .forEach(shop -> out.append(shop.getMetadata().getName())
                            .append(" (generation ")
                            .append(shop.getMetadata().getGeneration())
                            .append("):\n")
                            .append(Serialization.asYaml(shop.getStatus()).indent(2)));
        } catch (RuntimeException e) {
            out.append("(could not read the namespace: ").append(e).append(")\n");
        }
        return out.append("====\n").toString();
    }

    private static String describe(Event e) {
        return "%s %s %s %s/%s: %s"
                .formatted(
                        e.getLastTimestamp(),
                        e.getType(),
                        e.getReason(),
                        e.getInvolvedObject().getKind(),
                        e.getInvolvedObject().getName(),
                        e.getMessage());
    }

    /** Keeps the latest operator log lines of this test class. */
    private final class LogCapture extends Handler {

        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            String message =
                    record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : formatter.formatMessage(record);
            String line =
                    "%s %s [%s] %s".formatted(record.getInstant(), record.getLevel(), record.getLoggerName(), message)
                            + (record.getThrown() == null ? "" : " " + record.getThrown());
            synchronized (log) {
                log.addLast(line);
                while (log.size() > LOG_LINES) {
                    log.removeFirst();
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}

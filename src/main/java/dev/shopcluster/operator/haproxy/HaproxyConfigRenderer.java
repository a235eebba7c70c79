package dev.shopcluster.operator.haproxy;

import static dev.shopcluster.operator.haproxy.BalancerPodLayout.ADMIN_SOCKET;
import static dev.shopcluster.operator.haproxy.BalancerPodLayout.HEALTH_PATH;
import static dev.shopcluster.operator.haproxy.BalancerPodLayout.METRICS_PATH;
import static dev.shopcluster.operator.haproxy.BalancerPodLayout.SERVER_STATE_FILE;

import dev.shopcluster.operator.api.BalancerTimeouts;
import dev.shopcluster.operator.api.HealthCheckSpec;
import dev.shopcluster.operator.api.OutlierDetectionSpec;
import dev.shopcluster.operator.api.OutlierObserve;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.ShopClusterSpec;
import dev.shopcluster.operator.api.StrategySpec;
import dev.shopcluster.operator.topology.ShopGroup;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders haproxy.cfg for a ShopCluster. Pure: no Kubernetes calls, the same input gives the same text.
 *
 * <p>Servers are discovered by DNS from the groups' headless Services ({@code server-template} with
 * {@code init-addr none}), so pod churn changes no config. Every user value that reaches the text is
 * checked again here against the same patterns the CRD enforces, so a bypassed API server still cannot
 * inject directives.
 */
public final class HaproxyConfigRenderer {

    /** The backend every request goes to. */
    public static final String BACKEND = "shop";
    /** Interval of the checks after a failed one, until the pod is up again or out. */
    static final int FAST_CHECK_MILLIS = 100;
    /** HAProxy's highest server weight; see {@link #serverWeight}. */
    static final int MAX_WEIGHT = 256;

    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static final Pattern DNS_NAME =
            Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$");
    private static final Pattern ADDRESS = Pattern.compile("^[0-9a-fA-F.:]*$");
    private static final Pattern TOKEN = Pattern.compile(StrategySpec.TOKEN_PATTERN);
    private static final Pattern PATH = Pattern.compile(HealthCheckSpec.PATH_PATTERN);
    private static final String HASH_PLACEHOLDER = "config-hash-placeholder";
    private static final Pattern EMBEDDED_HASH = Pattern.compile(
            " string ([0-9a-f]{64}) if \\{ path " + Pattern.quote(BalancerPodLayout.CONFIG_HASH_PATH) + " \\}");
    private static final Pattern RUNTIME_DIR = Pattern.compile("^/[A-Za-z0-9._/-]*$");

    private HaproxyConfigRenderer() {}

    /**
     * @param groups the shop's pools or slots, in order; backup servers for the standby slot
     * @param env where the config runs
     * @throws InvalidBalancerInputException when a value could alter the config's structure
     */
    public static String render(ShopCluster shop, List<ShopGroup> groups, HaproxyEnvironment env) {
        ShopClusterSpec spec = shop.getSpec();
        String namespace = check(DNS_LABEL, shop.getMetadata().getNamespace(), "metadata.namespace");
        String name = check(DNS_LABEL, shop.getMetadata().getName(), "metadata.name");
        HealthCheckSpec health = spec.getHealthCheck();
        check(PATH, health.getPath(), "spec.healthCheck.path");
        range(health.getPath().length(), 1, 256, "spec.healthCheck.path length");
        range(spec.getPort(), 1, 65535, "spec.port");
        range(health.getIntervalMillis(), 100, 60000, "spec.healthCheck.intervalMillis");
        range(health.getFall(), 1, 10, "spec.healthCheck.fall");
        range(health.getRise(), 1, 10, "spec.healthCheck.rise");
        range(health.getTimeoutMillis(), 10, 60000, "spec.healthCheck.timeoutMillis");
        int slowStart = spec.getBalancer().getSlowStartSeconds();
        range(slowStart, 0, 300, "spec.balancer.slowStartSeconds");
        BalancerTimeouts timeouts = spec.getBalancer().getTimeouts();
        range(timeouts.getConnectMillis(), 10, 10000, "spec.balancer.timeouts.connectMillis");
        range(timeouts.getRequestMillis(), 100, 3600000, "spec.balancer.timeouts.requestMillis");
        range(timeouts.getPerTryMillis(), 50, timeouts.getRequestMillis(), "spec.balancer.timeouts.perTryMillis");
        OutlierDetectionSpec outliers = spec.getBalancer().getOutlierDetection();
        range(outliers.getConsecutiveErrors(), 1, 100, "spec.balancer.outlierDetection.consecutiveErrors");
        check(DNS_NAME, env.clusterDomain(), "cluster domain");
        check(ADDRESS, env.bindAddress(), "bind address");
        check(RUNTIME_DIR, env.runtimeDir(), "runtime directory");

        StringBuilder cfg = new StringBuilder(2048);
        cfg.append("# Rendered by shop-operator for ShopCluster ")
                .append(namespace)
                .append('/')
                .append(name)
                .append(". Do not edit.\n");
        cfg.append(
                """
                global
                    master-worker
                    stats socket %1$s/%2$s mode 600 level admin
                    # Saved by the reload sidecar before each reload: new workers start with the servers as they were.
                    server-state-file %1$s/%3$s
                    log stdout format raw local0 notice
                    # Needs about 2 file descriptors per connection; fits the usual 20000-65536 nofile limits.
                    maxconn 8000
                    # A reload's old worker finishes its requests, then exits even if a client keeps a connection open.
                    hard-stop-after 30s

                defaults
                    mode http
                    log global
                    option dontlognull
                    load-server-state-from-file global
                    option forwardfor
                    # Retry on another server each time, so a dead server costs a retry, not a failed request.
                    option redispatch 1
                    retries %4$d
                    retry-on conn-failure empty-response junk-response response-timeout
                    # Also the pause before retrying after a refused connection: min(timeout connect, 1 s).
                    timeout connect %5$dms
                    timeout client 30s
                    # Requests that may change state; GET, HEAD and OPTIONS get the per-try timeout (backend).
                    timeout server %6$dms
                    timeout http-request 10s
                    timeout http-keep-alive 10s
                    timeout queue 5s
                    timeout check %7$dms

                """
                        .formatted(
                                env.runtimeDir(),
                                ADMIN_SOCKET,
                                SERVER_STATE_FILE,
                                retries(groups, timeouts),
                                timeouts.getConnectMillis(),
                                timeouts.getRequestMillis(),
                                health.getTimeoutMillis()));
        cfg.append("resolvers kubernetes\n");
        if (env.nameservers().isEmpty()) {
            cfg.append("    parse-resolv-conf\n");
        }
        for (int i = 0; i < env.nameservers().size(); i++) {
            InetSocketAddress server = env.nameservers().get(i);
            cfg.append("    nameserver dns")
                    .append(i + 1)
                    .append(' ')
                    .append(check(ADDRESS, server.getAddress().getHostAddress(), "nameserver"))
                    .append(':')
                    .append(server.getPort())
                    .append('\n');
        }
        cfg.append(
                """
                    accepted_payload_size 8192
                    resolve_retries 3
                    timeout resolve 1s
                    timeout retry 1s
                    hold valid 5s
                    hold obsolete 5s

                frontend monitor
                    bind %1$s:%2$d
                    monitor-uri %3$s
                    # A balancer pod takes traffic only once it can send it on: a new pod is not Ready
                    # before its servers are resolved and checked, so Ready never means 503s.
                    monitor fail if { nbsrv(%6$s) lt 1 }
                    http-request use-service prometheus-exporter if { path %4$s }
                    http-request return status 200 content-type text/plain string %7$s if { path %8$s }
                    http-request return status 200 if { path %9$s }
                    no log

                frontend http
                    bind %1$s:%5$d
                    # Retrying a request that reached a shop is only safe when it cannot change state.
                    http-request disable-l7-retry unless METH_GET || METH_HEAD || METH_OPTIONS
                    default_backend %6$s

                backend %6$s
                """
                        .formatted(
                                env.bindAddress(),
                                env.monitorPort(),
                                HEALTH_PATH,
                                METRICS_PATH,
                                env.httpPort(),
                                BACKEND,
                                HASH_PLACEHOLDER,
                                BalancerPodLayout.CONFIG_HASH_PATH,
                                BalancerPodLayout.LIVENESS_PATH));
        BalanceAlgorithm.directives(spec.getStrategy())
                .forEach(line -> cfg.append("    ").append(line).append('\n'));
        if (groups.stream().anyMatch(ShopGroup::isBackup)) {
            // Every standby server takes traffic when the primaries are down, not only the first one.
            cfg.append("    option allbackups\n");
        }
        // Each attempt of a retryable request waits this long; a hung pod costs one attempt, not the request.
        cfg.append("    http-request set-timeout server ")
                .append(timeouts.getPerTryMillis())
                .append("ms if METH_GET || METH_HEAD || METH_OPTIONS\n");
        cfg.append("    option httpchk\n");
        cfg.append("    http-check send meth GET uri ")
                .append(health.getPath())
                .append(" ver HTTP/1.1 hdr Host shop\n");
        cfg.append("    http-check expect rstatus ^[23]\n");
        // fastinter: after a failed check, check again soon, so a hung pod is out within about a second.
        // observe: failures on live traffic take a pod out at once, not only by the next checks.
        cfg.append("    default-server check inter ")
                .append(health.getIntervalMillis())
                .append("ms fastinter ")
                .append(fastInterval(health))
                .append("ms fall ")
                .append(health.getFall())
                .append(" rise ")
                .append(health.getRise())
                .append(slowStart > 0 ? " slowstart " + slowStart + "s" : "")
                .append(" observe ")
                .append(outliers.getObserve() == OutlierObserve.Responses ? "layer7" : "layer4")
                .append(" error-limit ")
                .append(outliers.getConsecutiveErrors())
                .append(" on-error mark-down")
                .append(" resolvers kubernetes resolve-prefer ipv4 init-addr last,none\n");
        int maxWeight = groups.stream().mapToInt(ShopGroup::weight).max().orElse(1);
        String ringKey = BalanceAlgorithm.hashesOnRing(spec.getStrategy()) ? " hash-key addr-port" : "";
        // Both ActiveStandby slots get the larger slot's server count: the scaling around a promotion or
        // switchover (standby up to replicas, the old primary down) then changes no config and reloads no
        // HAProxy; only the wiring does, once.
        int slotReplicas = groups.stream()
                .filter(g -> g.role() != ShopGroup.Role.SERVING)
                .mapToInt(ShopGroup::replicas)
                .max()
                .orElse(0);
        for (ShopGroup group : groups) {
            String groupName = check(DNS_LABEL, group.name(), "pool name");
            String host = check(DNS_LABEL, group.objectName(), "object name") + "." + namespace + ".svc."
                    + env.clusterDomain();
            range(group.weight(), 1, MAX_WEIGHT, "pool weight");
            cfg.append("    server-template ")
                    .append(groupName)
                    .append('-')
                    .append(' ')
                    .append(serverSlots(group.role() == ShopGroup.Role.SERVING ? group.replicas() : slotReplicas))
                    .append(' ')
                    .append(host)
                    .append(':')
                    .append(spec.getPort())
                    .append(" weight ")
                    .append(serverWeight(group.weight(), maxWeight))
                    .append(ringKey)
                    .append(group.isBackup() ? " backup" : "")
                    .append('\n');
        }
        // The hash of the text with the placeholder, so anyone can recompute it from the config alone.
        String text = cfg.toString();
        return text.replace(HASH_PLACEHOLDER, sha256(text));
    }

    /** The hash a rendered config reports on {@link BalancerPodLayout#CONFIG_HASH_PATH}. */
    public static String hashOf(String renderedConfig) {
        Matcher embedded = EMBEDDED_HASH.matcher(renderedConfig);
        if (!embedded.find()) {
            throw new IllegalArgumentException(
                    "not a config rendered by " + HaproxyConfigRenderer.class.getSimpleName());
        }
        return embedded.group(1);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Scales the pool weights up to HAProxy's maximum, keeping their ratios: the random and hash
     * algorithms place {@code 16 × weight} points per server on a ring, and more points share the ring
     * more evenly.
     */
    static int serverWeight(int poolWeight, int maxPoolWeight) {
        return poolWeight * (MAX_WEIGHT / maxPoolWeight);
    }

    /**
     * Server slots per group: pods beyond the slots would get no traffic, so leave room for a rolling
     * update's surge and for scaling up before the config follows.
     */
    static int serverSlots(int replicas) {
        return Math.max(replicas * 2, replicas + 4);
    }

    static int fastInterval(HealthCheckSpec health) {
        return Math.min(health.getIntervalMillis(), FAST_CHECK_MILLIS);
    }

    /**
     * As many attempts as fit into the request timeout at the per-try timeout, and at least one retry per
     * serving pod (at least 3; HAProxy's retries are at most 10 here): with a redispatch on every retry, a
     * request can pass every dead or hung primary until the health checks take them out and the standby
     * answers.
     */
    static int retries(List<ShopGroup> groups, BalancerTimeouts timeouts) {
        int serving = groups.stream()
                .filter(group -> !group.isBackup())
                .mapToInt(ShopGroup::replicas)
                .sum();
        int fitting = timeouts.getRequestMillis() / timeouts.getPerTryMillis() - 1;
        return Math.min(10, Math.max(3, Math.max(serving, fitting)));
    }

    static String check(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new InvalidBalancerInputException(what + " '" + value + "' does not match " + pattern.pattern());
        }
        return value;
    }

    static void range(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new InvalidBalancerInputException(what + " " + value + " is outside " + min + ".." + max);
        }
    }

    /** The token pattern, for header and cookie names. */
    static Pattern tokenPattern() {
        return TOKEN;
    }
}

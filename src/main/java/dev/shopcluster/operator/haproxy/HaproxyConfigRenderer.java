package dev.shopcluster.operator.haproxy;

import dev.shopcluster.operator.api.HealthCheckSpec;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.ShopClusterSpec;
import dev.shopcluster.operator.api.StrategySpec;
import dev.shopcluster.operator.resources.ShopGroup;
import java.util.List;
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

    /** Port the balancer's traffic frontend binds (non-root). */
    public static final int HTTP_PORT = 8080;
    /** Port of the balancer's own health endpoint and the Prometheus exporter. */
    public static final int MONITOR_PORT = 8405;
    public static final String HEALTH_PATH = "/healthz";
    public static final String METRICS_PATH = "/metrics";
    /** Master CLI socket directory (an emptyDir): the reload sidecar talks to HAProxy through it. */
    public static final String RUNTIME_DIR = "/var/run/haproxy";

    static final String BACKEND = "shop";
    private static final Pattern DNS_LABEL = Pattern.compile("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static final Pattern DNS_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$");
    private static final Pattern TOKEN = Pattern.compile(StrategySpec.TOKEN_PATTERN);
    private static final Pattern PATH = Pattern.compile(HealthCheckSpec.PATH_PATTERN);

    private HaproxyConfigRenderer() {
    }

    /**
     * @param groups the shop's pools or slots, in order; backup servers for the standby slot
     * @param clusterDomain the cluster's DNS domain, usually cluster.local
     * @throws InvalidBalancerInputException when a value could alter the config's structure
     */
    public static String render(ShopCluster shop, List<ShopGroup> groups, String clusterDomain) {
        ShopClusterSpec spec = shop.getSpec();
        String namespace = check(DNS_LABEL, shop.getMetadata().getNamespace(), "metadata.namespace");
        check(DNS_NAME, clusterDomain, "cluster domain");
        HealthCheckSpec health = spec.getHealthCheck();
        check(PATH, health.getPath(), "spec.healthCheck.path");
        range(spec.getPort(), 1, 65535, "spec.port");
        range(health.getIntervalMillis(), 100, 60000, "spec.healthCheck.intervalMillis");
        range(health.getFall(), 1, 10, "spec.healthCheck.fall");
        range(health.getRise(), 1, 10, "spec.healthCheck.rise");

        StringBuilder cfg = new StringBuilder(2048);
        cfg.append("# Rendered by shop-operator for ShopCluster ").append(namespace).append('/')
                .append(check(DNS_LABEL, shop.getMetadata().getName(), "metadata.name")).append(". Do not edit.\n");
        cfg.append("""
                global
                    master-worker
                    stats socket %1$s/admin.sock mode 600 level admin expose-fd listeners
                    log stdout format raw local0 notice
                    maxconn 20000

                defaults
                    mode http
                    log global
                    option dontlognull
                    option forwardfor
                    option redispatch
                    retries 3
                    retry-on conn-failure empty-response response-timeout
                    timeout connect 2s
                    timeout client 30s
                    timeout server 30s
                    timeout http-request 10s
                    timeout http-keep-alive 10s
                    timeout queue 5s
                    timeout check 2s

                resolvers kubernetes
                    parse-resolv-conf
                    accepted_payload_size 8192
                    resolve_retries 3
                    timeout resolve 1s
                    timeout retry 1s
                    hold valid 5s
                    hold obsolete 5s

                frontend monitor
                    bind :%2$d
                    monitor-uri %3$s
                    http-request use-service prometheus-exporter if { path %4$s }
                    no log

                frontend http
                    bind :%5$d
                    # Retrying a request that reached a shop is only safe when it cannot change state.
                    http-request disable-l7-retry unless METH_GET || METH_HEAD || METH_OPTIONS
                    default_backend %6$s

                backend %6$s
                """.formatted(RUNTIME_DIR, MONITOR_PORT, HEALTH_PATH, METRICS_PATH, HTTP_PORT, BACKEND));
        BalanceAlgorithm.directives(spec.getStrategy()).forEach(line -> cfg.append("    ").append(line).append('\n'));
        if (groups.stream().anyMatch(ShopGroup::isBackup)) {
            cfg.append("    option allbackups\n");
        }
        cfg.append("    option httpchk\n");
        cfg.append("    http-check send meth GET uri ").append(health.getPath()).append(" ver HTTP/1.1 hdr Host shop\n");
        cfg.append("    http-check expect rstatus ^[23]\n");
        cfg.append("    default-server check inter ").append(health.getIntervalMillis()).append("ms fall ")
                .append(health.getFall()).append(" rise ").append(health.getRise())
                .append(" slowstart 10s resolvers kubernetes resolve-prefer ipv4 init-addr none\n");
        for (ShopGroup group : groups) {
            String groupName = check(DNS_LABEL, group.name(), "pool name");
            String host = check(DNS_LABEL, group.objectName(), "object name") + "." + namespace + ".svc." + clusterDomain;
            range(group.weight(), 1, 256, "pool weight");
            cfg.append("    server-template ").append(groupName).append('-').append(' ')
                    .append(serverSlots(group.replicas())).append(' ').append(host).append(':').append(spec.getPort())
                    .append(" weight ").append(group.weight()).append(group.isBackup() ? " backup" : "").append('\n');
        }
        return cfg.toString();
    }

    /**
     * Server slots per group: pods beyond the slots would get no traffic, so leave room for a rolling
     * update's surge and for scaling up before the config follows.
     */
    static int serverSlots(int replicas) {
        return Math.max(replicas * 2, replicas + 4);
    }

    static String check(Pattern pattern, String value, String what) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new InvalidBalancerInputException(what + " '" + value + "' does not match " + pattern.pattern());
        }
        return value;
    }

    private static void range(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new InvalidBalancerInputException(what + " " + value + " is outside " + min + ".." + max);
        }
    }

    /** The token pattern, for header and cookie names. */
    static Pattern tokenPattern() {
        return TOKEN;
    }
}

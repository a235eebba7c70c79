package dev.shopcluster.operator.bench;

import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDRBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the benchmarks read about the packaged operator and its API server: write requests served,
 * reconciles per shop, the process's memory and CPU, and the JVM options the Helm chart sets.
 */
final class OperatorProbe {

    private static final Pattern COUNTER = Pattern.compile("^(\\w+)\\{([^}]*)} ([0-9.eE+-]+)$");
    /** The kinds the operator writes; the API server's own bookkeeping (leases) is not ours. */
    private static final Set<String> OPERATOR_RESOURCES =
            Set.of("deployments", "services", "configmaps", "poddisruptionbudgets", "shopclusters", "events");

    /** Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    private final KubernetesClient client;
    private final HttpClient http = HttpClient.newHttpClient();

    OperatorProbe(KubernetesClient client) {
        this.client = client;
    }

    /**
     * kube-api-test starts the API server with a /24 Service range (about 250 ClusterIPs); a ServiceCIDR
     * (networking.k8s.io/v1, Kubernetes 1.33+) adds a /16 at run time. Without a controller-manager to set
     * its Ready condition, the API server's allocator takes it as ready.
     */
    static void widenServiceRange(KubernetesClient client) {
        client.resource(new ServiceCIDRBuilder()
                        .withNewMetadata()
                        .withName("bench-wide")
                        .endMetadata()
                        .withNewSpec()
                        .withCidrs("10.128.0.0/16")
                        .endSpec()
                        .build())
                .serverSideApply();
    }

    /**
     * The packaged operator's environment in the benchmarks: the memory settings the Helm chart gives it
     * (JVM options, malloc arenas), and every shop reconciled at least once per {@code resync}.
     */
    static Map<String, String> benchmarkEnvironment(Duration resync) throws IOException {
        String deployment = Files.readString(Path.of("helm/shop-operator/templates/deployment.yaml"));
        return Map.of(
                "QUARKUS_OPERATOR_SDK_CONTROLLERS_SHOPCLUSTER_MAX_RECONCILIATION_INTERVAL",
                resync.toString(),
                "JAVA_TOOL_OPTIONS",
                chartEnv(deployment, "JAVA_TOOL_OPTIONS"),
                "MALLOC_ARENA_MAX",
                chartEnv(deployment, "MALLOC_ARENA_MAX"));
    }

    /** The value the chart's Deployment gives the operator's environment variable {@code name}. */
    private static String chartEnv(String deployment, String name) {
        Matcher m = Pattern.compile("name: " + name + "\\s+value: \"([^\"]*)\"").matcher(deployment);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in the chart's Deployment");
        }
        return m.group(1);
    }

    /** Write requests (any verb but reads and watches) the API server served on the operator's kinds. */
    double operatorWrites() {
        String metrics = client.raw(client.getMasterUrl() + "metrics");
        double writes = 0;
        for (String line : metrics.split("\n")) {
            Matcher m = COUNTER.matcher(line);
            if (m.matches() && m.group(1).equals("apiserver_request_total")) {
                String labels = m.group(2);
                String verb = label(labels, "verb");
                if (OPERATOR_RESOURCES.contains(label(labels, "resource"))
                        && !Set.of("GET", "LIST", "WATCH").contains(verb)) {
                    writes += Double.parseDouble(m.group(3));
                }
            }
        }
        return writes;
    }

    /**
     * Successful reconciles so far, of every ShopCluster, from the operator's /q/metrics (the Operator
     * SDK's counters are per controller, not per shop).
     */
    double reconciles(int port) throws IOException, InterruptedException {
        String body = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        double reconciles = 0;
        for (String line : body.split("\n")) {
            Matcher m = COUNTER.matcher(line);
            if (m.matches() && m.group(1).equals("operator_sdk_reconciliations_success_total")) {
                reconciles += Double.parseDouble(m.group(3));
            }
        }
        return reconciles;
    }

    private static String label(String labels, String name) {
        Matcher m = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
        return m.find() ? m.group(1) : "";
    }

    /** VmRSS and VmHWM (peak) of a process, in KiB. */
    static long[] rssKiB(long pid) throws IOException {
        long rss = 0;
        long peak = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("VmHWM:")) {
                peak = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return new long[] {rss, peak};
    }

    /** User plus system CPU time the process has used, in seconds. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After the command: state is field 3 of the full line; utime and stime are fields 14 and 15.
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** Runs a full GC in the process and returns the heap in use after it, in KiB (jcmd GC.heap_info). */
    static long liveHeapKiB(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Matcher m = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(jcmd(pid, "GC.heap_info"));
        long used = 0;
        while (m.find()) {
            used += Long.parseLong(m.group(2));
        }
        return used;
    }

    /** The first lines of the process's heap histogram (jcmd GC.class_histogram), also saved to a file. */
    static String histogram(long pid, Path file, int lines) throws IOException, InterruptedException {
        String histogram = jcmd(pid, "GC.class_histogram");
        Files.writeString(file, histogram);
        return String.join("\n", histogram.lines().limit(lines).toList());
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", String.valueOf(pid), command)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}

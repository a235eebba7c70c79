package dev.shopcluster.operator.realnode;

import dev.shopcluster.operator.KubeBinaries;
import dev.shopcluster.operator.Kubeconfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real node of `hack/realnode/node.sh`: control plane, kubelet, containerd, CNI, kube-proxy and
 * CoreDNS in a network namespace of their own, with the images `make realnode` builds. Started once per
 * test run and stopped when the run ends, or by a shutdown hook when the JVM ends without closing it;
 * stopping fails when anything the node made is left behind.
 */
public final class RealNode implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {

    static final Path DIR = Path.of("target/realnode").toAbsolutePath();
    /** node.sh's cgroup, in the pids hierarchy: every container's processes are in it. */
    private static final Path CGROUP = Path.of("/sys/fs/cgroup/pids/shop-realnode");

    private static final Path SCRIPT = Path.of("hack/realnode/node.sh");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
    private static KubernetesClient client;
    private static Thread stopOnExit;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (System.getProperty("realnode.images") == null) {
            String why = "real-node tier skipped: -Drealnode.images is not set (plain mvn); `make test` and"
                    + " `make test-realnode` build the node's binaries and images and pass them";
            System.err.println(why);
            org.junit.jupiter.api.Assumptions.abort(why);
        }
        context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(RealNode.class, k -> start(), RealNode.class);
    }

    private static RealNode start() {
        stopOnExit = new Thread(() -> script("stop", Duration.ofMinutes(2)));
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        script("start", START_TIMEOUT);
        client = Kubeconfig.client(kubeconfig());
        return new RealNode();
    }

    @Override
    public void close() {
        client.close();
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
        script("stop", Duration.ofMinutes(2));
    }

    static KubernetesClient client() {
        return client;
    }

    static Path kubeconfig() {
        return DIR.resolve("kubeconfig");
    }

    /** The operator image `make image` built, which the node has loaded. */
    static Path operatorImage() {
        return Path.of(property("realnode.operator-image"));
    }

    /** A binary built by `make kube-binaries`. */
    static String binary(String name) {
        return KubeBinaries.binary(name).toString();
    }

    /** Runs kubectl against the node; the output, or an exception with it when kubectl fails. */
    static String kubectl(String... args) {
        return run("kubectl", args);
    }

    static String helm(String... args) {
        return run("helm", args);
    }

    /**
     * Kills every process of the pod's containers with SIGKILL, as a crash would, found in the pod's
     * cgroup rather than in its status, which lags behind the kubelet's restarts; the sandbox (pause)
     * is left alone. The kubelet sees the containers exit and restarts them. Returns how many were killed.
     */
    static int killContainers(Pod pod) {
        String podCgroup = "pod" + pod.getMetadata().getUid();
        try (Stream<Path> dirs = Files.find(
                CGROUP,
                4,
                (path, attributes) -> attributes.isDirectory()
                        && path.getFileName().toString().equals(podCgroup))) {
            int killed = 0;
            for (Path dir : dirs.toList()) {
                try (Stream<Path> procs = Files.find(dir, 2, (path, attributes) -> path.endsWith("cgroup.procs"))) {
                    for (Path procsFile : procs.toList()) {
                        for (String pid : Files.readAllLines(procsFile)) {
                            killed += kill(ProcessHandle.of(Long.parseLong(pid)));
                        }
                    }
                }
            }
            return killed;
        } catch (IOException e) {
            // The pod's cgroup went away while we looked: nothing left to kill.
            return 0;
        }
    }

    private static int kill(Optional<ProcessHandle> process) {
        boolean sandbox = process.flatMap(p -> p.info().command())
                .filter(c -> c.endsWith("/pause"))
                .isPresent();
        return !sandbox && process.map(ProcessHandle::destroyForcibly).orElse(false) ? 1 : 0;
    }

    private static String run(String binary, String... args) {
        List<String> command = new ArrayList<>(
                List.of(binary(binary), "--kubeconfig", kubeconfig().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // helm keeps caches and config under $HOME; keep them out of the user's.
        builder.environment().put("HELM_CACHE_HOME", "target/helm/cache");
        builder.environment().put("HELM_CONFIG_HOME", "target/helm/config");
        builder.environment().put("HELM_DATA_HOME", "target/helm/data");
        try {
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: the real-node tier runs through"
                    + " `make test` or `make test-realnode`, which build the node's binaries and images and pass them");
        }
        return value;
    }

    private static void script(String command, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), command).inheritIO();
        builder.environment().put("KUBE_BIN_DIR", KubeBinaries.dir().toString());
        builder.environment().put("REALNODE_DIR", DIR.toString());
        if (command.equals("start")) {
            builder.environment().put("REALNODE_IMAGES", property("realnode.images"));
            builder.environment().put("REALNODE_FORWARD", property("realnode.forward"));
            builder.environment().put("OPERATOR_IMAGE", operatorImage().toString());
        }
        try {
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(SCRIPT + " " + command + " failed; logs in " + DIR.resolve("logs"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

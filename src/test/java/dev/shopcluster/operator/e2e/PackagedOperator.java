package dev.shopcluster.operator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged operator (target/quarkus-app), run as its own process against a kubeconfig. */
public final class PackagedOperator implements AutoCloseable {

    private final Process process;
    private final int httpPort;

    private PackagedOperator(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /**
     * @param memoryLimit the JVM sizes itself as in a pod with this memory limit, e.g. 512m
     * @param env further environment, e.g. Quarkus settings
     */
    public static PackagedOperator start(Path kubeconfig, Path log, String memoryLimit, Map<String, String> env) {
        try {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            ProcessBuilder builder = new ProcessBuilder(
                            "java", "-XX:MaxRAM=" + memoryLimit, "-jar", "target/quarkus-app/quarkus-run.jar")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("KUBECONFIG", kubeconfig.toString());
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            builder.environment().putAll(env);
            return new PackagedOperator(builder.start(), port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The operator's HTTP port on 127.0.0.1: /q/metrics, /q/health. */
    public int httpPort() {
        return httpPort;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

package dev.shopcluster.operator.dataplane;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The tools of the data-plane tier: HAProxy from `make haproxy`, the others from `make tools`. */
final class Tools {

    private static final List<String> SYSTEM_DIRS = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");
    /** The HAProxy major the balancer image ships; the tier tests that one and no other. */
    static final String HAPROXY_MAJOR = "3.";

    private static final Pattern HAPROXY_VERSION = Pattern.compile("^HAProxy version (\\S+)");
    private static String haproxy;

    private Tools() {}

    /** The tool's path, also from sbin directories a non-root PATH may lack. */
    static String binary(String name) {
        return Stream.concat(Stream.of(System.getenv("PATH").split(":")), SYSTEM_DIRS.stream())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst()
                .map(Path::toString)
                .orElseThrow(() -> new IllegalStateException(name + " is not installed: run `make tools`"));
    }

    /**
     * The haproxy binary: {@code -Dhaproxy.binary}, else the first on PATH. `make test` passes the 3.0
     * that `make haproxy` builds; any other major fails here instead of testing what we do not ship.
     */
    static synchronized String haproxy() throws IOException {
        if (haproxy == null) {
            String binary = System.getProperty("haproxy.binary", "");
            binary = binary.isEmpty() ? binary("haproxy") : binary;
            String version = version(binary);
            if (!version.startsWith(HAPROXY_MAJOR)) {
                throw new IllegalStateException(
                        "the data-plane tier needs HAProxy " + HAPROXY_MAJOR + "x (the balancer "
                                + "image's major), but " + binary + " is " + version + ": run `make haproxy` and pass "
                                + "-Dhaproxy.binary=$(make -s haproxy-binary), or run the tier through `make test`");
            }
            haproxy = binary;
        }
        return haproxy;
    }

    /** The version {@code haproxy -v} prints, or what it printed instead. */
    static String version(String haproxyBinary) throws IOException {
        Process process = new ProcessBuilder(haproxyBinary, "-v")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher version = HAPROXY_VERSION.matcher(output);
        return version.find()
                ? version.group(1)
                : "not HAProxy: " + output.lines().findFirst().orElse("no output");
    }

    static void signal(long pid, String signal) throws IOException {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .start()
                    .waitFor();
            if (exit != 0) {
                throw new IOException("kill -" + signal + " " + pid + " exited with " + exit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Stops a process and everything it started, waiting for them to exit. */
    static void stop(Process process) {
        List<ProcessHandle> all = Stream.concat(process.descendants(), Stream.of(process.toHandle()))
                .toList();
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
    }

    /** A TCP port that is free on every loopback address at the moment. */
    static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            return socket.getLocalPort();
        }
    }
}

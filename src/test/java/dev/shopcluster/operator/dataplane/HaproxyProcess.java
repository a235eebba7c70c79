package dev.shopcluster.operator.dataplane;

import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.haproxy.BalancerPodLayout;
import dev.shopcluster.operator.haproxy.HaproxyConfigRenderer;
import dev.shopcluster.operator.haproxy.HaproxyEnvironment;
import dev.shopcluster.operator.resources.BalancerDeployment;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The real haproxy binary run as the balancer pod runs it (master-worker, {@code -W -db -f cfg -p pid}),
 * on loopback ports, optionally with the pod's reload sidecar script beside it.
 */
final class HaproxyProcess implements AutoCloseable {

    private final Path dir;
    private final Path config;
    private final Path pidFile;
    private final HaproxyEnvironment env;
    private final Process master;
    private Process reloadSidecar;

    HaproxyProcess(Path dir, HaproxyEnvironment env, String configText) throws IOException {
        this.dir = dir;
        this.env = env;
        this.config = dir.resolve("haproxy.cfg");
        this.pidFile = dir.resolve(BalancerPodLayout.PID_FILE_NAME);
        writeConfig(configText);
        master = new ProcessBuilder(Tools.haproxy(), "-W", "-db", "-f", config.toString(), "-p", pidFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
    }

    /** Checks a config as the reload sidecar does; returns HAProxy's complaint, or null when valid. */
    static String check(Path file) throws IOException, InterruptedException {
        Process check = new ProcessBuilder(Tools.haproxy(), "-c", "-q", "-f", file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return check.waitFor() == 0 ? null : output;
    }

    InetSocketAddress frontend() {
        return new InetSocketAddress(env.bindAddress(), env.httpPort());
    }

    InetSocketAddress monitor() {
        return new InetSocketAddress(env.bindAddress(), env.monitorPort());
    }

    /** The config file as it is now. */
    String configText() throws IOException {
        return Files.readString(config);
    }

    /** Replaces the config file at once, as the kubelet swaps a ConfigMap volume's files. */
    void writeConfig(String configText) throws IOException {
        Path next = dir.resolve("haproxy.cfg.next");
        Files.writeString(next, configText);
        Files.move(next, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Starts the balancer pod's reload sidecar script against this HAProxy. */
    void startReloadSidecar(String intervalSeconds) throws IOException {
        Path script = dir.resolve("reload-on-change.sh");
        Files.writeString(script, BalancerDeployment.reloadScript());
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", script.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("reload.log").toFile());
        builder.environment()
                .putAll(Map.of(
                        "HAPROXY_CONFIG",
                        config.toString(),
                        "HAPROXY_PIDFILE",
                        pidFile.toString(),
                        "HAPROXY_SOCKET",
                        Path.of(env.runtimeDir(), BalancerPodLayout.ADMIN_SOCKET)
                                .toString(),
                        "HAPROXY_STATE_FILE",
                        Path.of(env.runtimeDir(), BalancerPodLayout.SERVER_STATE_FILE)
                                .toString(),
                        "HAPROXY_MONITOR_PORT",
                        String.valueOf(env.monitorPort()),
                        "RELOAD_INTERVAL_SECONDS",
                        intervalSeconds,
                        "PATH",
                        Path.of(Tools.haproxy()).getParent() + ":" + System.getenv("PATH")));
        reloadSidecar = builder.start();
        // Its first fingerprint is the config it considers loaded: changes before that would go unseen.
        await("the reload sidecar watches the config")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> reloadLog().startsWith("watching"));
    }

    String reloadLog() throws IOException {
        return Files.readString(dir.resolve("reload.log"));
    }

    /** The shop backend's servers as HAProxy's stats show them: one map of column → value per server. */
    List<Map<String, String>> servers() throws IOException {
        List<String> lines = adminCommand("show stat")
                .lines()
                .filter(line -> !line.isBlank())
                .toList();
        List<String> header = Arrays.asList(lines.get(0).substring(2).split(","));
        List<Map<String, String>> servers = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            Map<String, String> server = new HashMap<>();
            for (int i = 0; i < Math.min(header.size(), fields.length); i++) {
                server.put(header.get(i), fields[i]);
            }
            if (server.get("pxname").equals(HaproxyConfigRenderer.BACKEND)
                    && !server.get("svname").equals("BACKEND")) {
                servers.add(server);
            }
        }
        return servers;
    }

    /** How many servers of the shop backend are up (checks passed, slow start included). */
    long serversUp() throws IOException {
        return servers().stream()
                .filter(server -> server.get("status").startsWith("UP"))
                .count();
    }

    /** Which pod (address:port) fills which server slot, for the servers that are up. */
    Map<String, String> podsBySlot() throws IOException {
        return servers().stream()
                .filter(server -> server.get("status").startsWith("UP"))
                .collect(Collectors.toMap(server -> server.get("svname"), server -> server.get("addr")));
    }

    /** Whether every server that is up has its full weight (no slow start in progress). */
    boolean fullWeight(int weight) throws IOException {
        return servers().stream()
                .filter(server -> server.get("status").startsWith("UP"))
                .allMatch(server -> server.get("weight").equals(Integer.toString(weight)));
    }

    String adminCommand(String command) throws IOException {
        Path socket = Path.of(env.runtimeDir(), BalancerPodLayout.ADMIN_SOCKET);
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(StandardCharsets.US_ASCII.encode(command + "\n"));
            try (InputStream in = Channels.newInputStream(channel)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    /** The pid of the master, which stays the same across reloads. */
    long masterPid() {
        return master.pid();
    }

    /** The current workers' pids: a reload replaces them. */
    List<Long> workerPids() {
        return master.children()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .toList();
    }

    boolean alive() {
        return master.isAlive();
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("haproxy.log"));
    }

    @Override
    public void close() {
        if (reloadSidecar != null) {
            Tools.stop(reloadSidecar);
        }
        Tools.stop(master);
    }
}

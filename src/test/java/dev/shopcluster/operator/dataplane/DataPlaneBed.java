package dev.shopcluster.operator.dataplane;

import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.haproxy.HaproxyConfigRenderer;
import dev.shopcluster.operator.haproxy.HaproxyEnvironment;
import dev.shopcluster.operator.topology.ShopGroup;
import dev.shopcluster.operator.topology.ShopTopology;
import dev.shopcluster.operator.topology.SlotPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A shop's data plane on loopback: one real HTTP backend per pod of each pool or slot, each on its own
 * 127.1.x.y address; dnsmasq answering each headless Service's cluster name with its backends'
 * addresses; and the real HAProxy running the config the operator renders for the ShopCluster.
 */
final class DataPlaneBed implements AutoCloseable {

    static final String CLUSTER_DOMAIN = "cluster.local";
    private static final AtomicInteger NEXT_HOST = new AtomicInteger();

    private final Path dir;
    private final Dnsmasq dns;
    private int backendPort;
    private HaproxyEnvironment env;
    private final Map<String, List<ShopBackend>> backends = new LinkedHashMap<>();
    private final Map<String, String> hostNames = new LinkedHashMap<>();
    private HaproxyProcess haproxy;
    private final List<HaproxyProcess> replicas = new ArrayList<>();
    private final List<Dnsmasq> otherDns = new ArrayList<>();

    /**
     * Starts backends, DNS and HAProxy for the shop and waits until HAProxy has every backend up.
     * Sets the shop's {@code spec.port} to the backends' loopback port.
     *
     * @param plan ActiveStandby: the primary and each slot's pods; null otherwise
     */
    DataPlaneBed(ShopCluster shop, SlotPlan plan) throws IOException {
        this(shop, plan, null, null);
    }

    /**
     * As {@link #DataPlaneBed(ShopCluster, SlotPlan)}, but the pods of {@code remoteGroup} are {@code remote}'s,
     * on their own node (network namespace); the others run here on the same port.
     */
    DataPlaneBed(ShopCluster shop, SlotPlan plan, String remoteGroup, NetnsPods remote) throws IOException {
        dir = Files.createTempDirectory("shop-dataplane");
        dns = new Dnsmasq(dir);
        try {
            backendPort = remote == null ? Tools.freeTcpPort() : remote.port();
            shop.getSpec().setPort(backendPort);
            env = new HaproxyEnvironment(
                    CLUSTER_DOMAIN,
                    List.of(dns.address()),
                    "127.0.0.1",
                    Tools.freeTcpPort(),
                    Tools.freeTcpPort(),
                    dir.toString());
            List<ShopGroup> groups = ShopTopology.groups(shop, plan);
            for (ShopGroup group : groups) {
                hostNames.put(
                        group.name(),
                        group.objectName() + "." + shop.getMetadata().getNamespace() + ".svc." + CLUSTER_DOMAIN);
                backends.put(group.name(), new ArrayList<>());
                if (group.name().equals(remoteGroup)) {
                    dns.answer(hostNames.get(group.name()), remote.ips());
                    continue;
                }
                for (int i = 0; i < group.replicas(); i++) {
                    addBackend(group.name(), shop.getSpec().getHealthCheck().getPath());
                }
            }
            haproxy = new HaproxyProcess(dir, env, HaproxyConfigRenderer.render(shop, groups, env));
            awaitServersUp(
                    allBackends().size() + (remote == null ? 0 : remote.ips().size()));
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * Another cluster DNS server for the same Services, answering only what {@link #answer} tells it: as
     * each CoreDNS replica answers in its own order, and a pod becomes ready to one before the other.
     */
    Dnsmasq startDns() throws IOException {
        Dnsmasq other = new Dnsmasq(Files.createTempDirectory(dir, "dns"));
        otherDns.add(other);
        return other;
    }

    /** Makes {@code server} answer the group's Service name with these backends. */
    void answer(Dnsmasq server, String group, List<ShopBackend> members) throws IOException {
        server.answer(
                hostNames.get(group), members.stream().map(ShopBackend::ip).toList());
    }

    /**
     * Starts another balancer replica for the shop as it is now: its own ports and runtime directory, the
     * same backends, the given DNS server.
     */
    HaproxyProcess startReplica(ShopCluster shop, SlotPlan plan, Dnsmasq resolver) throws IOException {
        shop.getSpec().setPort(backendPort);
        Path replicaDir = Files.createTempDirectory(dir, "replica");
        HaproxyEnvironment replicaEnv = new HaproxyEnvironment(
                CLUSTER_DOMAIN,
                List.of(resolver.address()),
                "127.0.0.1",
                Tools.freeTcpPort(),
                Tools.freeTcpPort(),
                replicaDir.toString());
        HaproxyProcess replica = new HaproxyProcess(
                replicaDir,
                replicaEnv,
                HaproxyConfigRenderer.render(shop, ShopTopology.groups(shop, plan), replicaEnv));
        replicas.add(replica);
        return replica;
    }

    /** A new pod in the group: a started backend, added to its Service's DNS answer. */
    ShopBackend addBackend(String group, String healthPath) throws IOException {
        int host = NEXT_HOST.incrementAndGet();
        String ip = "127.1." + (host / 250) + "." + (host % 250 + 1);
        List<ShopBackend> members = backends.get(group);
        ShopBackend backend = new ShopBackend(
                        group + "-" + (members.size() + 1), new InetSocketAddress(ip, backendPort), healthPath)
                .start();
        members.add(backend);
        dns.answer(hostNames.get(group), members.stream().map(ShopBackend::ip).toList());
        return backend;
    }

    /** Renders the shop again and replaces HAProxy's config file, as a ConfigMap update does. */
    void updateConfig(ShopCluster shop, SlotPlan plan) throws IOException {
        shop.getSpec().setPort(backendPort);
        haproxy.writeConfig(HaproxyConfigRenderer.render(shop, ShopTopology.groups(shop, plan), env));
    }

    void awaitServersUp(int count) throws IOException {
        awaitServersUp(haproxy, count);
    }

    static void awaitServersUp(HaproxyProcess balancer, int count) throws IOException {
        try {
            await("HAProxy has " + count + " servers up")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("HAProxy exited", () -> !balancer.alive())
                    .ignoreExceptions() // until HAProxy has opened its admin socket
                    .until(() -> balancer.serversUp() == count);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "\nHAProxy's log:\n" + balancer.log(), e);
        }
    }

    List<ShopBackend> backends(String group) {
        return backends.get(group);
    }

    List<ShopBackend> allBackends() {
        return backends.values().stream().flatMap(List::stream).toList();
    }

    HaproxyProcess haproxy() {
        return haproxy;
    }

    InetSocketAddress frontend() {
        return haproxy.frontend();
    }

    /** Direct address of a backend, bypassing HAProxy. */
    InetSocketAddress direct(ShopBackend backend) {
        return new InetSocketAddress(backend.ip(), backendPort);
    }

    @Override
    public void close() {
        replicas.forEach(HaproxyProcess::close);
        if (haproxy != null) {
            haproxy.close();
        }
        otherDns.forEach(Dnsmasq::close);
        dns.close();
        allBackends().forEach(ShopBackend::close);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.shopcluster.operator.dataplane;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real DNS server (dnsmasq) on a loopback port, answering the Services' names with A records from a
 * hosts file, as cluster DNS answers a headless Service's name with its ready pods' addresses.
 */
final class Dnsmasq implements AutoCloseable {

    private final Path hostsFile;
    private final Process process;
    private final InetSocketAddress address;
    private final Map<String, List<String>> answers = new LinkedHashMap<>();

    Dnsmasq(Path dir) throws IOException {
        hostsFile = dir.resolve("hosts");
        Files.writeString(hostsFile, "");
        address = new InetSocketAddress(InetAddress.getLoopbackAddress(), freeUdpAndTcpPort());
        List<String> command = new ArrayList<>(List.of(
                Tools.binary("dnsmasq"),
                "--keep-in-foreground",
                "--no-resolv",
                "--no-hosts",
                "--addn-hosts=" + hostsFile,
                "--listen-address=" + address.getAddress().getHostAddress(),
                "--bind-interfaces",
                "--port=" + address.getPort(),
                "--pid-file=",
                "--cache-size=0",
                "--log-facility=" + dir.resolve("dnsmasq.log")));
        if ("root".equals(System.getProperty("user.name"))) {
            command.add("--user=root"); // as root it would switch to nobody, who cannot read the test's files
        }
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("dnsmasq.out").toFile())
                .start();
        // Until its handler is installed, SIGHUP would end dnsmasq instead of reloading it.
        await("dnsmasq answers on " + address)
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .failFast("dnsmasq exited: " + dir.resolve("dnsmasq.out"), () -> !process.isAlive())
                .until(this::answers);
    }

    /** Whether dnsmasq answers a query (any answer, NXDOMAIN included). */
    private boolean answers() throws IOException {
        byte[] query = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 5, 'r', 'e', 'a', 'd', 'y', 0, 0, 1, 0, 1};
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(200);
            socket.send(new DatagramPacket(query, query.length, address));
            socket.receive(new DatagramPacket(new byte[512], 512));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    InetSocketAddress address() {
        return address;
    }

    /** Answers {@code name} with {@code addresses} from now on (an empty list: NXDOMAIN). */
    synchronized void answer(String name, List<String> addresses) throws IOException {
        answers.put(name, List.copyOf(addresses));
        String hosts = answers.entrySet().stream()
                .flatMap(entry -> entry.getValue().stream().map(ip -> ip + " " + entry.getKey()))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(hostsFile, hosts);
        Tools.signal(process.pid(), "HUP"); // dnsmasq rereads its hosts files on SIGHUP
    }

    @Override
    public void close() {
        Tools.stop(process);
    }

    /** dnsmasq serves DNS on UDP and TCP: a port free for both. */
    private static int freeUdpAndTcpPort() throws IOException {
        while (true) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    DatagramSocket udp = new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
                return udp.getLocalPort();
            } catch (BindException e) {
                // the UDP side is taken: try another port
            }
        }
    }
}

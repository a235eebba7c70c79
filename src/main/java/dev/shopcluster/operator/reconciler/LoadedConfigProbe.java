package dev.shopcluster.operator.reconciler;

import dev.shopcluster.operator.haproxy.BalancerPodLayout;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks a balancer pod which config its HAProxy serves: the hash the rendered config reports on the
 * monitor port. A new connection reaches a worker of the newest loaded config, so the answer is what
 * new requests get, not what the file on disk says.
 */
public interface LoadedConfigProbe {

    /** The hash the pod's HAProxy reports, or empty when it cannot be asked (not reachable, not answering). */
    Optional<String> loadedHash(Pod pod);

    /** Over HTTP to the pod's IP, as the operator's pod reaches it inside the cluster. */
    static LoadedConfigProbe http(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        return pod -> {
            String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
            if (ip == null || ip.isEmpty()) {
                return Optional.empty();
            }
            String host = ip.contains(":") ? "[" + ip + "]" : ip;
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":"
                            + BalancerPodLayout.MONITOR_PORT + BalancerPodLayout.CONFIG_HASH_PATH))
                    .timeout(timeout)
                    .build();
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200
                        ? Optional.of(response.body().trim())
                        : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        };
    }
}

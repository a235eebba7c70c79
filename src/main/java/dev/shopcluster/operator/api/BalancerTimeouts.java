package dev.shopcluster.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** How long the balancer waits for a pod before it tries another one (Envoy: connect, per-try and route timeouts). */
@ValidationRule(
        value = "self.perTryMillis <= self.requestMillis",
        message = "perTryMillis must not exceed requestMillis",
        fieldPath = ".perTryMillis")
public class BalancerTimeouts {

    @Min(10)
    @Max(10000)
    @Default("100")
    @JsonPropertyDescription(
            "Milliseconds to open a connection to a pod. A pod that refuses or does not answer in time "
                    + "counts as a failed connection and the request goes to another pod; the balancer also waits this long "
                    + "(at most 1 s) before retrying after a refused connection when only one pod is left to try.")
    private int connectMillis = 100;

    @Min(50)
    @Max(3600000)
    @Default("300")
    @JsonPropertyDescription("GET, HEAD and OPTIONS requests: milliseconds one attempt waits for the pod to send "
            + "anything before the request is retried on another pod: a hung or unreachable pod costs one attempt, "
            + "not the request. Raise it if such requests legitimately take longer before their first byte, or they "
            + "are retried until their attempts run out (then 504). At most requestMillis.")
    private int perTryMillis = 300;

    @Min(100)
    @Max(3600000)
    @Default("30000")
    @JsonPropertyDescription("Milliseconds the balancer waits for a pod to send anything before it answers 504, for "
            + "requests that may change state (POST, PUT, DELETE, ...: never retried once sent). GET, HEAD and OPTIONS "
            + "get at most requestMillis / perTryMillis attempts (10 retries at most).")
    private int requestMillis = 30000;

    public int getConnectMillis() {
        return connectMillis;
    }

    public void setConnectMillis(int connectMillis) {
        this.connectMillis = connectMillis;
    }

    public int getPerTryMillis() {
        return perTryMillis;
    }

    public void setPerTryMillis(int perTryMillis) {
        this.perTryMillis = perTryMillis;
    }

    public int getRequestMillis() {
        return requestMillis;
    }

    public void setRequestMillis(int requestMillis) {
        this.requestMillis = requestMillis;
    }
}

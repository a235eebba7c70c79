package dev.shopcluster.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Passive outlier detection (Envoy's term): live traffic takes a failing pod out of service before the
 * health checks notice. The pod returns after healthCheck.rise passing checks.
 */
public class OutlierDetectionSpec {

    @Min(1)
    @Max(100)
    @Default("1")
    @JsonPropertyDescription("Consecutive failures on live traffic after which a pod is taken out of service. With "
            + "observe Connections (the default) a failure is a refused or timed-out connection, which is never "
            + "ambiguous, so 1 takes a dead pod out at the first failure.")
    private int consecutiveErrors = 1;

    @Default("Connections")
    @JsonPropertyDescription("What counts as a failure: Connections (refused or timed-out connections) or Responses "
            + "(also 5xx answers other than 501 and 505, and broken, empty or timed-out answers that were not "
            + "retried). Responses takes out a pod whose application fails; raise consecutiveErrors with it, or a "
            + "single error page takes the pod out.")
    private OutlierObserve observe = OutlierObserve.Connections;

    public int getConsecutiveErrors() {
        return consecutiveErrors;
    }

    public void setConsecutiveErrors(int consecutiveErrors) {
        this.consecutiveErrors = consecutiveErrors;
    }

    public OutlierObserve getObserve() {
        return observe;
    }

    public void setObserve(OutlierObserve observe) {
        this.observe = observe;
    }
}

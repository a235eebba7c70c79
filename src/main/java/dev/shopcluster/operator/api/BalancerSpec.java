package dev.shopcluster.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

public class BalancerSpec {

    public static final String DEFAULT_IMAGE = "haproxy:3.0";

    @Min(1)
    @Max(100)
    @Default("2")
    @JsonPropertyDescription("Replicas of the HAProxy balancer.")
    private int replicas = 2;

    @Size(min = 1, max = 512)
    @Pattern("^[^\\s]+$")
    @Default(DEFAULT_IMAGE)
    @JsonPropertyDescription("HAProxy image (3.0 or newer) of the balancer.")
    private String image = DEFAULT_IMAGE;

    @Default("ClusterIP")
    @JsonPropertyDescription("Type of the entry Service NAME: ClusterIP, NodePort or LoadBalancer.")
    private BalancerServiceType serviceType = BalancerServiceType.ClusterIP;

    @Min(1)
    @Max(65535)
    @Default("80")
    @JsonPropertyDescription("Port of the entry Service NAME.")
    private int port = 80;

    @Min(0)
    @Max(300)
    @Default("10")
    @JsonPropertyDescription("Seconds over which a pod that comes back into service ramps up from a small share to "
            + "its full share of traffic, so a cold or just-restarted shop is not flooded at once. 0: full share at once.")
    private int slowStartSeconds = 10;

    @Default("{}")
    @JsonPropertyDescription("How long the balancer waits for a pod before it retries the request on another one.")
    private BalancerTimeouts timeouts = new BalancerTimeouts();

    @Default("{}")
    @JsonPropertyDescription("Passive outlier detection: failures on live traffic take a pod out of service before "
            + "the health checks notice.")
    private OutlierDetectionSpec outlierDetection = new OutlierDetectionSpec();

    public int getReplicas() {
        return replicas;
    }

    public void setReplicas(int replicas) {
        this.replicas = replicas;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public BalancerServiceType getServiceType() {
        return serviceType;
    }

    public void setServiceType(BalancerServiceType serviceType) {
        this.serviceType = serviceType;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public int getSlowStartSeconds() {
        return slowStartSeconds;
    }

    public void setSlowStartSeconds(int slowStartSeconds) {
        this.slowStartSeconds = slowStartSeconds;
    }

    public BalancerTimeouts getTimeouts() {
        return timeouts;
    }

    public void setTimeouts(BalancerTimeouts timeouts) {
        this.timeouts = timeouts;
    }

    public OutlierDetectionSpec getOutlierDetection() {
        return outlierDetection;
    }

    public void setOutlierDetection(OutlierDetectionSpec outlierDetection) {
        this.outlierDetection = outlierDetection;
    }
}

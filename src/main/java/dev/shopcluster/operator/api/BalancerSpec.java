package dev.shopcluster.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.externalTrafficPolicy) || self.serviceType != 'ClusterIP'",
        message = "externalTrafficPolicy applies only to serviceType NodePort or LoadBalancer",
        fieldPath = ".externalTrafficPolicy")
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
    @JsonPropertyDescription(
            "Seconds over which a pod that comes back into service ramps up from a small share to "
                    + "its full share of traffic, so a cold or just-restarted shop is not flooded at once. 0: full share at once.")
    private int slowStartSeconds = 10;

    @JsonPropertyDescription("Resources, placement, pull secrets, labels and annotations of the balancer pods. "
            + "resources applies to the haproxy container; unset: requests 100m CPU and 64 MiB, limit 256 MiB (the "
            + "reload sidecar always requests 10m and 16 MiB, limited to 500m and 64 MiB).")
    private PodSettings pod;

    @Size(max = 32)
    @JsonPropertyDescription("Annotations on the entry Service NAME, for example for a LoadBalancer controller.")
    private Map<String, String> serviceAnnotations;

    @JsonPropertyDescription("NodePort or LoadBalancer only: Local keeps the client's source address and sends "
            + "external traffic only to balancer pods on the receiving node; Cluster (Kubernetes' default) spreads it over "
            + "all of them.")
    private ExternalTrafficPolicy externalTrafficPolicy;

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

    public PodSettings getPod() {
        return pod;
    }

    public void setPod(PodSettings pod) {
        this.pod = pod;
    }

    public Map<String, String> getServiceAnnotations() {
        return serviceAnnotations;
    }

    public void setServiceAnnotations(Map<String, String> serviceAnnotations) {
        this.serviceAnnotations = serviceAnnotations;
    }

    public ExternalTrafficPolicy getExternalTrafficPolicy() {
        return externalTrafficPolicy;
    }

    public void setExternalTrafficPolicy(ExternalTrafficPolicy externalTrafficPolicy) {
        this.externalTrafficPolicy = externalTrafficPolicy;
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

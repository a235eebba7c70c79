package dev.shopcluster.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.pools) || size(self.pools) == 0 || self.highAvailability.mode != 'ActiveStandby'",
        message = "pools cannot be combined with highAvailability.mode ActiveStandby: its slots a and b replace pools",
        fieldPath = ".pools")
@ValidationRule(
        value =
                "self.highAvailability.mode != 'ActiveStandby' || self.highAvailability.minReadyPrimaries <= self.replicas",
        message = "highAvailability.minReadyPrimaries must not exceed replicas, or the primary could never be healthy",
        fieldPath = ".highAvailability.minReadyPrimaries")
public class ShopClusterSpec {

    @Required
    @Size(min = 1, max = 512)
    @Pattern("^[^\\s]+$")
    @JsonPropertyDescription("Container image of the shop, for example registry.example.com/storefront:1.4.2.")
    private String image;

    @Min(1)
    @Max(65535)
    @Default("8080")
    @JsonPropertyDescription("Port the shop container listens on for HTTP.")
    private int port = 8080;

    @JsonPropertyDescription("Settings of the shop pods: resources, env and envFrom, volumes, pull secrets, service "
            + "account, placement, liveness and startup probes, shutdown. The operator keeps the image, the port, the "
            + "readiness probe (healthCheck), the selector labels and the restricted security context.")
    private ShopPodSpec pod;

    @Min(1)
    @Max(1000)
    @Default("1")
    @SpecReplicas
    @JsonPropertyDescription(
            "Serving replicas: the replicas of each pool that sets none (None, ActiveActive), or of the "
                    + "primary slot (ActiveStandby). `kubectl scale shop` changes this field.")
    private int replicas = 1;

    @Default("{}")
    @JsonPropertyDescription(
            "HTTP health check of the shop pods: the pods' readiness probe and HAProxy's active check.")
    private HealthCheckSpec healthCheck = new HealthCheckSpec();

    @Default("{}")
    @JsonPropertyDescription("How the balancer spreads requests over the serving pods.")
    private StrategySpec strategy = new StrategySpec();

    @Size(max = 16)
    @ValidationRule(
            value = "self.all(p, self.filter(q, q.name == p.name).size() == 1)",
            message = "pool names must be unique",
            reason = "FieldValueDuplicate")
    @JsonPropertyDescription(
            "Weighted pools of shop pods (modes None and ActiveActive). Each pool is its own Deployment; "
                    + "the balancer weights its servers by the pool's weight. Default: one pool named main.")
    private List<PoolSpec> pools = new ArrayList<>();

    @Default("{}")
    @JsonPropertyDescription("High-availability mode and the failover policy of ActiveStandby.")
    private HighAvailabilitySpec highAvailability = new HighAvailabilitySpec();

    @Default("{}")
    @JsonPropertyDescription("The HAProxy balancer in front of the shop and the entry Service clients use.")
    private BalancerSpec balancer = new BalancerSpec();

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public ShopPodSpec getPod() {
        return pod;
    }

    public void setPod(ShopPodSpec pod) {
        this.pod = pod;
    }

    public int getReplicas() {
        return replicas;
    }

    public void setReplicas(int replicas) {
        this.replicas = replicas;
    }

    public HealthCheckSpec getHealthCheck() {
        return healthCheck;
    }

    public void setHealthCheck(HealthCheckSpec healthCheck) {
        this.healthCheck = healthCheck;
    }

    public StrategySpec getStrategy() {
        return strategy;
    }

    public void setStrategy(StrategySpec strategy) {
        this.strategy = strategy;
    }

    public List<PoolSpec> getPools() {
        return pools;
    }

    public void setPools(List<PoolSpec> pools) {
        this.pools = pools;
    }

    public HighAvailabilitySpec getHighAvailability() {
        return highAvailability;
    }

    public void setHighAvailability(HighAvailabilitySpec highAvailability) {
        this.highAvailability = highAvailability;
    }

    public BalancerSpec getBalancer() {
        return balancer;
    }

    public void setBalancer(BalancerSpec balancer) {
        this.balancer = balancer;
    }
}

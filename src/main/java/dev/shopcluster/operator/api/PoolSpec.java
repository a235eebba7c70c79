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

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolSpec {

    public static final String NAME_PATTERN = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
    public static final int MAX_NAME_LENGTH = 15;

    @Required
    @Size(min = 1, max = MAX_NAME_LENGTH)
    @Pattern(NAME_PATTERN)
    @ValidationRule(
            value = "self != 'balancer'",
            message = "pool name balancer is reserved: NAME-balancer is the balancer's Deployment and Service")
    @JsonPropertyDescription("Pool name, a DNS label of at most 15 characters other than balancer; the pool's "
            + "Deployment and headless Service are named NAME-POOL.")
    private String name;

    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("Replicas of this pool. Unset: spec.replicas.")
    private Integer replicas;

    @Min(1)
    @Max(256)
    @Default("1")
    @JsonPropertyDescription("Relative share of traffic for each server of this pool (1-256), used by RoundRobin and "
            + "WeightedRandom.")
    private int weight = 1;

    public PoolSpec() {}

    public PoolSpec(String name, Integer replicas, int weight) {
        this.name = name;
        this.replicas = replicas;
        this.weight = weight;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public int getWeight() {
        return weight;
    }

    public void setWeight(int weight) {
        this.weight = weight;
    }
}

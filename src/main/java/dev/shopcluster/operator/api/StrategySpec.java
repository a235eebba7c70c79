package dev.shopcluster.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "!has(self.hashOn) || self.type == 'ConsistentHash'",
        message = "hashOn is only allowed when type is ConsistentHash",
        fieldPath = ".hashOn")
@ValidationRule(
        value = "self.type != 'ConsistentHash' || has(self.hashOn)",
        message = "hashOn is required when type is ConsistentHash",
        fieldPath = ".hashOn",
        reason = "FieldValueRequired")
@ValidationRule(
        value = "!has(self.hashKey) || (has(self.hashOn) && (self.hashOn == 'Header' || self.hashOn == 'Cookie'))",
        message = "hashKey is only allowed when hashOn is Header or Cookie",
        fieldPath = ".hashKey")
@ValidationRule(
        value = "!has(self.hashOn) || !(self.hashOn == 'Header' || self.hashOn == 'Cookie') || has(self.hashKey)",
        message = "hashKey is required when hashOn is Header or Cookie",
        fieldPath = ".hashKey",
        reason = "FieldValueRequired")
@ValidationRule(
        value = "!has(self.boundedLoadPercent) || self.type == 'ConsistentHash'",
        message = "boundedLoadPercent is only allowed when type is ConsistentHash",
        fieldPath = ".boundedLoadPercent")
public class StrategySpec {

    /**
     * An RFC 7230 token (header field and cookie names) without #, $, ' and `, which are legal there but
     * special to HAProxy's config syntax and not used in real header or cookie names.
     */
    public static final String TOKEN_PATTERN = "^[A-Za-z0-9!%&*+.^_|~-]+$";

    @Default("RoundRobin")
    @JsonPropertyDescription("Balancing algorithm: RoundRobin (weighted by pool weight), Random (equal weights), "
            + "WeightedRandom (pool weights), LeastConnections, IPHash (source address, consistent), ConsistentHash "
            + "(see hashOn) or PowerOfTwoChoices (the less loaded of two random servers).")
    private StrategyType type = StrategyType.RoundRobin;

    @JsonPropertyDescription(
            "ConsistentHash only, required there: the request key to hash: SourceIP, Header, Cookie or URI.")
    private HashOn hashOn;

    @Size(min = 1, max = 64)
    @Pattern(TOKEN_PATTERN)
    @JsonPropertyDescription("Header or cookie name to hash when hashOn is Header or Cookie, for example "
            + "X-Session-Id: an RFC 7230 token of letters, digits and ! % & * + . ^ _ | ~ -.")
    private String hashKey;

    @Min(101)
    @Max(1000)
    @JsonPropertyDescription("ConsistentHash only: bounded-load hashing. No server takes more than this percentage "
            + "of the mean load; excess requests move to the next server on the ring. Unset: unbounded.")
    private Integer boundedLoadPercent;

    public StrategyType getType() {
        return type;
    }

    public void setType(StrategyType type) {
        this.type = type;
    }

    public HashOn getHashOn() {
        return hashOn;
    }

    public void setHashOn(HashOn hashOn) {
        this.hashOn = hashOn;
    }

    public String getHashKey() {
        return hashKey;
    }

    public void setHashKey(String hashKey) {
        this.hashKey = hashKey;
    }

    public Integer getBoundedLoadPercent() {
        return boundedLoadPercent;
    }

    public void setBoundedLoadPercent(Integer boundedLoadPercent) {
        this.boundedLoadPercent = boundedLoadPercent;
    }
}

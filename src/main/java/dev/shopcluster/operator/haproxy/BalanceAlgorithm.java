package dev.shopcluster.operator.haproxy;

import dev.shopcluster.operator.api.StrategySpec;
import dev.shopcluster.operator.api.StrategyType;
import java.util.ArrayList;
import java.util.List;

/** The backend directives that implement a strategy. */
final class BalanceAlgorithm {

    /** The CRD's bound on header and cookie names. */
    static final int MAX_KEY_LENGTH = 64;

    private BalanceAlgorithm() {}

    static List<String> directives(StrategySpec strategy) {
        List<String> lines = new ArrayList<>();
        switch (strategy.getType()) {
            case RoundRobin -> lines.add("balance roundrobin");
            case Random, WeightedRandom -> lines.add("balance random");
            case LeastConnections -> lines.add("balance leastconn");
            case PowerOfTwoChoices -> lines.add("balance random(2)");
            case IPHash -> {
                lines.add("balance source");
                lines.add("hash-type consistent");
            }
            case ConsistentHash -> {
                if (strategy.getHashOn() == null) {
                    throw new InvalidBalancerInputException("spec.strategy.hashOn is required for ConsistentHash");
                }
                lines.add(
                        switch (strategy.getHashOn()) {
                            case SourceIP -> "balance source";
                            case URI -> "balance uri";
                            case Header -> "balance hdr(" + key(strategy) + ")";
                            case Cookie -> "balance hash req.cook(" + key(strategy) + ")";
                        });
                lines.add("hash-type consistent");
                if (strategy.getBoundedLoadPercent() != null) {
                    int factor = strategy.getBoundedLoadPercent();
                    if (factor <= 100 || factor > 1000) {
                        throw new InvalidBalancerInputException(
                                "spec.strategy.boundedLoadPercent " + factor + " is outside 101..1000");
                    }
                    lines.add("hash-balance-factor " + factor);
                }
            }
            default -> throw new InvalidBalancerInputException("unknown strategy " + strategy.getType());
        }
        return lines;
    }

    /**
     * Whether the strategy hashes onto HAProxy's consistent ring. Those servers hash by their address
     * ({@code hash-key addr-port}), not by their slot: which pod fills which {@code server-template} slot
     * depends on the order each balancer replica saw the pods in, their addresses do not, so every replica
     * sends a key to the same pod.
     */
    static boolean hashesOnRing(StrategySpec strategy) {
        return strategy.getType() == StrategyType.IPHash || strategy.getType() == StrategyType.ConsistentHash;
    }

    private static String key(StrategySpec strategy) {
        String key = HaproxyConfigRenderer.check(
                HaproxyConfigRenderer.tokenPattern(), strategy.getHashKey(), "spec.strategy.hashKey");
        HaproxyConfigRenderer.range(key.length(), 1, MAX_KEY_LENGTH, "spec.strategy.hashKey length");
        return key;
    }
}

package dev.shopcluster.operator.api;

/** Load-balancing algorithm of the balancer. */
public enum StrategyType {
    /** Each server in turn, weighted by pool weight. */
    RoundRobin,
    /** A random server, ignoring pool weights. */
    Random,
    /** A random server, weighted by pool weight. */
    WeightedRandom,
    /** The server with the fewest active connections. */
    LeastConnections,
    /** The client's source address, hashed consistently onto the servers. */
    IPHash,
    /** A request key (source IP, header, cookie or URI), hashed consistently onto the servers. */
    ConsistentHash,
    /** The less loaded of two randomly drawn servers. */
    PowerOfTwoChoices
}

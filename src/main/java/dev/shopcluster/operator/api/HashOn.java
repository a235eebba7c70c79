package dev.shopcluster.operator.api;

/** The request key that ConsistentHash hashes. */
public enum HashOn {
    SourceIP,
    Header,
    Cookie,
    URI
}

/**
 * The shop's topology: the groups of shop pods (pools or ActiveStandby slots) a ShopCluster runs. Pure
 * values derived from the spec, shared by the desired-state classes, the HAProxy renderer and the status
 * aggregator; it depends on nothing but the API classes.
 */
package dev.shopcluster.operator.topology;

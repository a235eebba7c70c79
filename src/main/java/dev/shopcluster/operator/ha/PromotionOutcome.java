package dev.shopcluster.operator.ha;

/**
 * What one reconcile of an ActiveStandby shop decided and wired.
 *
 * @param decision this reconcile's decision
 * @param state the promotion state to record: the decision's, marked wired once every child was applied
 */
public record PromotionOutcome(HaDecision decision, HaState state) {}

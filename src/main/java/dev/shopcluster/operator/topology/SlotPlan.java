package dev.shopcluster.operator.topology;

import dev.shopcluster.operator.api.Slot;

/**
 * ActiveStandby: which slot is wired as primary and how many pods each slot runs, as the promotion
 * state machine decided.
 *
 * @param primary the slot the balancer config serves as primary
 * @param primaryService the slot the {@code NAME-primary} Service selects; null while a promotion is on
 *     its way to the balancer pods, so that no client reaches two primaries (docs/high-availability.md)
 */
public record SlotPlan(Slot primary, Slot primaryService, int replicasA, int replicasB) {

    /** A settled plan: the Service selects the balancer's primary. */
    public SlotPlan(Slot primary, int replicasA, int replicasB) {
        this(primary, primary, replicasA, replicasB);
    }

    public int replicas(Slot slot) {
        return slot == Slot.A ? replicasA : replicasB;
    }
}

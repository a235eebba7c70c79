package dev.shopcluster.operator.topology;

import dev.shopcluster.operator.api.Slot;

/**
 * ActiveStandby: which slot is wired as primary and how many pods each slot runs, as the promotion
 * state machine decided.
 */
public record SlotPlan(Slot primary, int replicasA, int replicasB) {

    public int replicas(Slot slot) {
        return slot == Slot.A ? replicasA : replicasB;
    }
}

package dev.shopcluster.operator.ha;

import dev.shopcluster.operator.api.Slot;

/** Ready pods observed in each slot of an ActiveStandby shop. */
public record SlotReadiness(int readyA, int readyB) {

    public int of(Slot slot) {
        return slot == Slot.A ? readyA : readyB;
    }
}

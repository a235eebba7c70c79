package dev.shopcluster.operator.api;

import com.fasterxml.jackson.annotation.JsonValue;

/** One of the two Deployments of an ActiveStandby shop; the primary serves, the other stands by. */
public enum Slot {
    A("a"),
    B("b");

    private final String id;

    Slot(String id) {
        this.id = id;
    }

    /** The slot's name as it appears in status, labels and object names (NAME-a, NAME-b). */
    @JsonValue
    public String id() {
        return id;
    }

    public Slot other() {
        return this == A ? B : A;
    }
}

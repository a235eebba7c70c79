package dev.shopcluster.operator.reconciler;

import io.fabric8.kubernetes.api.model.FieldsV1;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One instance per distinct set of fields in the informers' managedFields entries. The operator's entry
 * of a Deployment lists hundreds of nested field sets, one map each, and the children of a thousand shops
 * list the same sets but for the owner reference's uid: shared, a child costs a few maps instead of
 * hundreds (about 40 MiB of heap at 1,000 shops, make bench-scale). Shared sets are immutable, so no
 * reader can change another child's; a set no cached object uses any more is collected.
 */
final class SharedFieldSets {

    private static final Map<Map<String, Object>, WeakReference<Map<String, Object>>> SETS = new WeakHashMap<>();

    private SharedFieldSets() {}

    /** The same fields, built of shared immutable sets. */
    static FieldsV1 share(FieldsV1 fields) {
        FieldsV1 shared = new FieldsV1();
        fields.getAdditionalProperties().forEach((name, value) -> shared.setAdditionalProperty(name, canonical(value)));
        return shared;
    }

    private static Object canonical(Object value) {
        if (!(value instanceof Map<?, ?> set)) {
            return value;
        }
        Map<String, Object> members = new HashMap<>();
        set.forEach((name, member) -> members.put((String) name, canonical(member)));
        return intern(Map.copyOf(members));
    }

    private static synchronized Map<String, Object> intern(Map<String, Object> set) {
        WeakReference<Map<String, Object>> known = SETS.get(set);
        Map<String, Object> existing = known == null ? null : known.get();
        if (existing != null) {
            return existing;
        }
        SETS.put(set, new WeakReference<>(set));
        return set;
    }
}

package dev.shopcluster.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** metav1.Condition lists: a condition keeps its lastTransitionTime until its status changes. */
public final class Conditions {

    private Conditions() {}

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null
                ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    /** The condition as it should be now, carrying over the previous transition time if the status is unchanged. */
    public static Condition next(
            List<Condition> previous,
            String type,
            boolean status,
            String reason,
            String message,
            Long generation,
            Instant now) {
        String statusText = status ? "True" : "False";
        String transitionTime = find(previous, type)
                .filter(c -> Objects.equals(c.getStatus(), statusText))
                .map(Condition::getLastTransitionTime)
                .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
        return new ConditionBuilder()
                .withType(type)
                .withStatus(statusText)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transitionTime)
                .build();
    }

    /** Replaces or adds each given condition, keeping the others (in their order). */
    public static List<Condition> merge(List<Condition> previous, List<Condition> updates) {
        List<Condition> merged = new ArrayList<>(previous == null ? List.of() : previous);
        for (Condition update : updates) {
            merged.removeIf(c -> c.getType().equals(update.getType()));
        }
        merged.addAll(updates);
        merged.sort(java.util.Comparator.comparing(Condition::getType));
        return merged;
    }
}

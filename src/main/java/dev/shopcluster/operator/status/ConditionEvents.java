package dev.shopcluster.operator.status;

import dev.shopcluster.operator.api.ShopClusterStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which condition changes become events, so that `kubectl describe shop` tells the story. */
public final class ConditionEvents {

    /**
     * @param warning whether the condition turned bad (Ready=False, Degraded=True)
     * @param reason the condition's reason, the event's reason
     * @param message TYPE=STATUS: the condition's message
     */
    public record ConditionEvent(boolean warning, String reason, String message) {}

    private ConditionEvents() {}

    /**
     * One event per change of Ready's or Degraded's status or reason. A shop's first Degraded=False is
     * not news; its first Ready is.
     *
     * @param previous the status before, or null for a new shop
     */
    public static List<ConditionEvent> between(ShopClusterStatus previous, ShopClusterStatus next) {
        List<ConditionEvent> events = new ArrayList<>();
        for (String type : List.of(ConditionTypes.READY, ConditionTypes.DEGRADED)) {
            Condition now = Conditions.find(next.getConditions(), type).orElseThrow();
            Optional<Condition> before = Conditions.find(previous == null ? null : previous.getConditions(), type);
            boolean changed = before.map(b -> !b.getStatus().equals(now.getStatus())
                            || !b.getReason().equals(now.getReason()))
                    .orElse(true);
            boolean worthTelling =
                    before.isPresent() || !"False".equals(now.getStatus()) || type.equals(ConditionTypes.READY);
            if (changed && worthTelling) {
                boolean bad = type.equals(ConditionTypes.READY)
                        ? "False".equals(now.getStatus())
                        : "True".equals(now.getStatus());
                events.add(new ConditionEvent(
                        bad, now.getReason(), type + "=" + now.getStatus() + ": " + now.getMessage()));
            }
        }
        return events;
    }
}

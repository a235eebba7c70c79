package dev.shopcluster.operator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.Slot;
import dev.shopcluster.operator.status.ConditionTypes;
import dev.shopcluster.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;

/** What API-server tests check about a shop: a condition with a reason, Ready, settled on a slot. */
public final class ShopAssertions {

    /** How long a shop may take to reach a state the operator only has to write. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ShopAssertions() {}

    /** Waits until the shop has the condition with this status and reason, and returns it. */
    public static Condition awaitCondition(
            OperatorHarness harness, String shop, String type, String status, String reason) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> condition(harness.shop(shop), type),
                        c -> c != null && status.equals(c.getStatus()) && reason.equals(c.getReason()));
    }

    /** Waits until the shop reports Ready=True. */
    public static void awaitReady(OperatorHarness harness, String shop) {
        await().atMost(TIMEOUT).until(() -> isReady(harness.shop(shop)));
    }

    /** Waits until config, primary Service and status all name {@code slot} as the one primary. */
    public static void awaitSettledOn(OperatorHarness harness, String shop, Slot slot, Duration within) {
        await().atMost(within).until(() -> Wiring.observe(harness, shop).settledOn(slot));
    }

    /** Asserts that the shop has the condition with this status and reason, and returns it. */
    public static Condition assertCondition(ShopCluster shop, String type, String status, String reason) {
        Condition condition = condition(shop, type);
        assertThat(condition).as(type + " of " + shop.getMetadata().getName()).isNotNull();
        assertThat(condition.getStatus()).as(type).isEqualTo(status);
        assertThat(condition.getReason()).as(type + " reason").isEqualTo(reason);
        return condition;
    }

    public static boolean isReady(ShopCluster shop) {
        return shop != null
                && shop.getStatus() != null
                && Conditions.isTrue(shop.getStatus().getConditions(), ConditionTypes.READY);
    }

    private static Condition condition(ShopCluster shop, String type) {
        return shop == null || shop.getStatus() == null
                ? null
                : Conditions.find(shop.getStatus().getConditions(), type).orElse(null);
    }
}

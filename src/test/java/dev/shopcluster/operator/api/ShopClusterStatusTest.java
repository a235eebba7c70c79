package dev.shopcluster.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reconciler writes status only when it differs from the observed one, so equals must see every
 * field. Fields are enumerated by reflection: a new field that equals or hashCode leaves out fails here.
 */
class ShopClusterStatusTest {

    @Test
    void everyFieldCountsInEqualsAndHashCode() throws ReflectiveOperationException {
        List<Field> fields = Arrays.stream(ShopClusterStatus.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .toList();
        assertThat(fields).hasSizeGreaterThan(10);

        for (Field field : fields) {
            field.setAccessible(true);
            ShopClusterStatus changed = new ShopClusterStatus();
            field.set(changed, sample(field.getType()));
            ShopClusterStatus same = new ShopClusterStatus();
            field.set(same, sample(field.getType()));

            assertThat(changed).as(field.getName() + " counts in equals").isNotEqualTo(new ShopClusterStatus());
            assertThat(changed.hashCode())
                    .as(field.getName() + " counts in hashCode")
                    .isNotEqualTo(new ShopClusterStatus().hashCode());
            assertThat(changed)
                    .as(field.getName() + ": equal values are equal")
                    .isEqualTo(same)
                    .hasSameHashCodeAs(same);
        }
    }

    /** A value that differs from a new status's default for a field of this type. */
    private static Object sample(Class<?> type) {
        if (type == Long.class) {
            return 7L;
        } else if (type == Integer.class) {
            return 7;
        } else if (type == Boolean.class) {
            return Boolean.TRUE;
        } else if (type == String.class) {
            return "2026-03-01T12:00:00Z";
        } else if (type == Slot.class) {
            return Slot.B;
        } else if (type == List.class) {
            return List.of(
                    new ConditionBuilder().withType("Ready").withStatus("True").build());
        }
        throw new AssertionError("no sample value for a field of type " + type + ": add one here");
    }
}

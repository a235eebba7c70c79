package dev.shopcluster.operator.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shopcluster.operator.ShopFixtures;
import dev.shopcluster.operator.api.HashOn;
import dev.shopcluster.operator.api.PoolSpec;
import dev.shopcluster.operator.api.ShopCluster;
import dev.shopcluster.operator.api.StrategyType;
import dev.shopcluster.operator.haproxy.HaproxyConfigRenderer;
import dev.shopcluster.operator.haproxy.HaproxyEnvironment;
import dev.shopcluster.operator.haproxy.InvalidBalancerInputException;
import dev.shopcluster.operator.topology.ShopTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing a user types can change the structure of haproxy.cfg. 10,000 generated values, each put into
 * one of the fields that reach the config: every value is either refused by the renderer, or the config
 * holds exactly the sections and directives of a known-good one with the value in its place, as a single
 * token, and the real {@code haproxy -c} accepts it.
 */
class ConfigInjectionIT {

    static final int VALUES = 10_000;

    /** A field that reaches the config, with a placeholder that appears nowhere else in it. */
    enum Field {
        HASH_KEY(
                "X-Placeholder-Key",
                (shop, value) -> shop.getSpec().getStrategy().setHashKey(value)),
        HEALTH_PATH(
                "/placeholder-path",
                (shop, value) -> shop.getSpec().getHealthCheck().setPath(value)),
        POOL_NAME("placeholderpool", (shop, value) -> shop.getSpec().setPools(List.of(new PoolSpec(value, 2, 1)))),
        NAMESPACE("placeholderns", (shop, value) -> shop.getMetadata().setNamespace(value)),
        NAME("placeholdername", (shop, value) -> shop.getMetadata().setName(value));

        final String placeholder;
        final BiConsumer<ShopCluster, String> setter;

        Field(String placeholder, BiConsumer<ShopCluster, String> setter) {
            this.placeholder = placeholder;
            this.setter = setter;
        }
    }

    record Case(Field field, String value) {}

    @Test
    void everyValueIsRefusedOrStaysOneTokenInAConfigHaproxyAccepts(@TempDir Path dir) throws Exception {
        List<Case> cases = Arbitraries.of(Field.class)
                .flatMap(field -> values(field).map(v -> new Case(field, v)))
                .sampleStream()
                .limit(VALUES)
                .toList();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        Map<Case, String> failures = new ConcurrentHashMap<>();
        Map<Field, String> knownGood = new EnumMap<>(Field.class);
        for (Field field : Field.values()) {
            knownGood.put(field, render(field, field.placeholder));
        }
        // haproxy -c takes ~100 ms, mostly OpenSSL start-up: check the accepted configs a few at a time.
        ForkJoinPool checkers = new ForkJoinPool(4);
        try {
            checkers.submit(() -> cases.parallelStream().forEach(c -> {
                        String config;
                        try {
                            config = render(c.field(), c.value());
                        } catch (InvalidBalancerInputException e) {
                            refused.incrementAndGet();
                            return;
                        }
                        accepted.incrementAndGet();
                        String structure = structureProblem(config, knownGood.get(c.field()), c);
                        String problem = structure != null ? structure : haproxyProblem(dir, config);
                        if (problem != null) {
                            failures.put(c, problem);
                        }
                    }))
                    .get();
        } finally {
            checkers.shutdown();
        }

        System.out.printf(
                "config injection: %d values, %d refused, %d accepted and checked by haproxy -c%n",
                cases.size(), refused.get(), accepted.get());
        assertThat(cases).hasSize(VALUES);
        assertThat(failures)
                .as("values that changed the config's structure or that haproxy -c refused")
                .isEmpty();
        assertThat(accepted.get())
                .as("accepted values (the generator must reach both sides)")
                .isGreaterThan(1_000);
        assertThat(refused.get()).isGreaterThan(1_000);
    }

    /** The config with {@code value} in {@code field}; everything else fixed and valid. */
    static String render(Field field, String value) {
        ShopCluster shop = ShopFixtures.shop("shopname");
        shop.getSpec().getStrategy().setType(StrategyType.ConsistentHash);
        shop.getSpec().getStrategy().setHashOn(HashOn.Header);
        shop.getSpec().getStrategy().setHashKey("X-Session-Id");
        field.setter.accept(shop, value);
        return HaproxyConfigRenderer.render(
                shop, ShopTopology.groups(shop, null), HaproxyEnvironment.pod("cluster.local"));
    }

    /**
     * Null when {@code actual} is {@code expected} (rendered with the placeholder) with the placeholder
     * replaced by the value on the same lines, each line keeping its directive and number of tokens.
     */
    static String structureProblem(String actual, String expected, Case c) {
        // The embedded hash of the whole text differs whenever the value does: compare the rest.
        List<String> actualLines = actual.replace(HaproxyConfigRenderer.hashOf(actual), "HASH")
                .lines()
                .toList();
        List<String> expectedLines = expected.replace(HaproxyConfigRenderer.hashOf(expected), "HASH")
                .lines()
                .toList();
        if (actualLines.size() != expectedLines.size()) {
            return "%d lines instead of %d".formatted(actualLines.size(), expectedLines.size());
        }
        for (int i = 0; i < actualLines.size(); i++) {
            String want = expectedLines.get(i).replace(c.field().placeholder, c.value());
            if (!actualLines.get(i).equals(want)
                    || tokens(actualLines.get(i)).size()
                            != tokens(expectedLines.get(i)).size()
                    || !tokens(actualLines.get(i))
                            .get(0)
                            .equals(tokens(expectedLines.get(i)).get(0))) {
                return "line %d is '%s', expected '%s'".formatted(i + 1, actualLines.get(i), want);
            }
        }
        return null;
    }

    private static List<String> tokens(String line) {
        return List.of(line.strip().split("\\s+"));
    }

    private static String haproxyProblem(Path dir, String config) {
        try {
            Path file = Files.createTempFile(dir, "haproxy", ".cfg");
            Files.writeString(file, config);
            String problem = HaproxyProcess.check(file);
            Files.delete(file);
            return problem;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Values for a field: arbitrary Unicode; the characters that mean something to HAProxy's parser or
     * to HTTP; values close to valid (the field's alphabet and a few more, lengths around its bound); and
     * valid ones, so that a good share is accepted and must then survive haproxy -c.
     */
    static Arbitrary<String> values(Field field) {
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> syntax = Arbitraries.strings()
                .withChars("aZ09-_./ #\n\r\t'\"\\{}%$[]()&?=:@!*+,;~^|`<>\0")
                .ofMaxLength(30);
        Arbitrary<String> nearlyValid =
                switch (field) {
                    case HASH_KEY -> Arbitraries.strings()
                            .withChars("Aa09!%&*+.^_|~-#$'`")
                            .ofMinLength(1)
                            .ofMaxLength(70);
                    case HEALTH_PATH -> Arbitraries.strings()
                            .withChars("az09._~%!*+,;=:@/?&-# \"")
                            .ofMaxLength(260)
                            .map(path -> "/" + path);
                    case POOL_NAME, NAMESPACE, NAME -> Arbitraries.strings()
                            .withChars("az09-.A_")
                            .ofMaxLength(70);
                };
        Arbitrary<String> valid =
                switch (field) {
                    case HASH_KEY -> Arbitraries.strings()
                            .withChars("Aa09!%&*+.^_|~-")
                            .ofMinLength(1)
                            .ofMaxLength(64);
                    case HEALTH_PATH -> Arbitraries.strings()
                            .withChars("az09._~%!*+,;=:@/?&-")
                            .ofMaxLength(100)
                            .map(path -> "/" + path);
                    case POOL_NAME, NAMESPACE, NAME -> Arbitraries.strings()
                            .withChars("az09-")
                            .ofMinLength(1)
                            .ofMaxLength(15)
                            .map(label -> "p" + label + "0");
                };
        return Arbitraries.frequencyOf(
                Tuple.of(3, anything), Tuple.of(3, syntax), Tuple.of(4, nearlyValid), Tuple.of(2, valid));
    }
}

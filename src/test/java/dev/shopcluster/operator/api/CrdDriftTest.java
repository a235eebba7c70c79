package dev.shopcluster.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD committed under crds/ (applied by `make run`) and in the Helm chart is the one the API
 * classes generate: the Java classes are the one source of truth.
 */
class CrdDriftTest {

    private static final String FILE = "shopclusters.shopcluster.dev-v1.yml";

    @ParameterizedTest
    @ValueSource(strings = {"crds", "helm/shop-operator/crds"})
    void committedCrdMatchesTheGeneratedOne(String directory) throws IOException {
        String generated = Files.readString(Path.of("target/classes/META-INF/fabric8", FILE));
        String committed = Files.readString(Path.of(directory, FILE));
        assertThat(committed)
                .as("%s/%s is out of date: run `make crds` and commit the result", directory, FILE)
                .isEqualTo(generated);
    }
}

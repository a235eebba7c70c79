package dev.shopcluster.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CRD committed under crds/ (installed by Helm and `make run`) is the one the API classes generate. */
class CrdDriftTest {

    private static final String FILE = "shopclusters.shopcluster.dev-v1.yml";

    @Test
    void committedCrdMatchesTheGeneratedOne() throws IOException {
        String generated = Files.readString(Path.of("target/classes/META-INF/fabric8", FILE));
        String committed = Files.readString(Path.of("crds", FILE));
        assertThat(committed)
                .as("crds/%s is out of date: run `make crds` and commit the result", FILE)
                .isEqualTo(generated);
    }
}

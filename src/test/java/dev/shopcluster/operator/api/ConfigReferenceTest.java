package dev.shopcluster.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is what {@link ConfigReference} makes of the committed CRD. */
class ConfigReferenceTest {

    @Test
    void committedReferenceMatchesTheCrd() throws IOException {
        assertThat(Files.readString(ConfigReference.DOC))
                .as("%s is out of date: run `make docs` and commit the result", ConfigReference.DOC)
                .isEqualTo(ConfigReference.render(ConfigReference.CRD));
    }
}

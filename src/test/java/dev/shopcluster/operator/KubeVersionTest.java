package dev.shopcluster.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Kubernetes version has one source, the Go module the binaries are built from; the pom's default follows it. */
class KubeVersionTest {

    @Test
    void thePomsDefaultIsTheVersionTheBinariesAreBuiltFrom() throws IOException {
        String goMod = Files.readString(Path.of("hack/kube-binaries/kubernetes/go.mod"));
        Matcher built = Pattern.compile("(?m)^\\s*k8s\\.io/kubernetes v(\\S+)$").matcher(goMod);
        Matcher pom = Pattern.compile("<kube\\.version>([^<$]+)</kube\\.version>")
                .matcher(Files.readString(Path.of("pom.xml")));

        assertThat(built.find()).as("k8s.io/kubernetes in go.mod").isTrue();
        assertThat(pom.find()).as("kube.version in pom.xml").isTrue();
        assertThat(pom.group(1)).isEqualTo(built.group(1));
    }
}

package dev.shopcluster.operator;

import java.nio.file.Path;

/**
 * The Kubernetes binaries `make kube-binaries` builds, where kube-api-test looks for them:
 * {@code KUBE_API_TEST_DIR/k8s/VERSION-linux-ARCH/}. Directory, version and architecture are the system
 * properties kube.api.test.dir, kube.version and kube.arch: the Makefile passes them (the version from
 * hack/kube-binaries/kubernetes/go.mod, the architecture from {@code go env GOARCH}); the pom has defaults.
 */
public final class KubeBinaries {

    private KubeBinaries() {}

    public static String version() {
        return property("kube.version");
    }

    /** kube-api-test's directory; the binaries are in {@link #dir()} below it. */
    public static String testDir() {
        return property("kube.api.test.dir");
    }

    public static Path dir() {
        return Path.of(testDir(), "k8s", version() + "-linux-" + property("kube.arch"));
    }

    /** A binary built by `make kube-binaries` (kube-apiserver, kubectl, helm, kwok, ...). */
    public static Path binary(String name) {
        return dir().resolve(name);
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through Maven "
                    + "(the pom sets it) or make");
        }
        return value;
    }
}

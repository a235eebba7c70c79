package dev.shopcluster.operator.apiserver;

import dev.shopcluster.operator.KubeBinaries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs kubectl (or helm) built by `make kube-binaries` against the test API server. */
final class Kubectl {

    record Result(int exitCode, String output) {}

    private Kubectl() {}

    static Result run(String... args) throws IOException, InterruptedException {
        return exec("kubectl", args);
    }

    static Result helm(String... args) throws IOException, InterruptedException {
        return exec("helm", args);
    }

    private static Result exec(String binary, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                KubeBinaries.binary(binary).toString(),
                "--kubeconfig",
                TestApiServer.kubeconfig().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // helm keeps caches and config under $HOME; keep them out of the user's.
        builder.environment().put("HELM_CACHE_HOME", "target/helm/cache");
        builder.environment().put("HELM_CONFIG_HOME", "target/helm/config");
        builder.environment().put("HELM_DATA_HOME", "target/helm/data");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(binary + " " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), output);
    }
}

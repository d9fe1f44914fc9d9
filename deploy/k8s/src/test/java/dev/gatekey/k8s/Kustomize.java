package dev.gatekey.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Renders a kustomization with the kustomize built into {@code kubectl} ({@code kubectl
 * kustomize}, offline: it reads only the files). Where kubectl is missing the manifest tests are
 * skipped with a notice, except in CI ({@code CI} set), where that is a failure.
 */
final class Kustomize {
    static final Path REPO = Path.of(System.getProperty("gatekey.repo", "../..")).toAbsolutePath().normalize();
    static final Path K8S = REPO.resolve("deploy/k8s");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Kustomize() {
    }

    static List<JsonNode> render(Path kustomization) {
        String kubectl = kubectl();
        try {
            Process process = new ProcessBuilder(kubectl, "kustomize", kustomization.toString())
                    .redirectErrorStream(false).start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + K8S.relativize(kustomization) + " failed: " + err);
            }
            List<JsonNode> documents = new ArrayList<>();
            try (var parser = YAML.getFactory().createParser(out)) {
                var values = YAML.readValues(parser, JsonNode.class);
                while (values.hasNext()) {
                    JsonNode document = values.next();
                    if (document != null && !document.isNull() && !document.isEmpty()) {
                        documents.add(document);
                    }
                }
            }
            return documents;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + kubectl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every overlay directory: what `kubectl apply -k deploy/k8s/overlays/<env>` takes. */
    static List<Path> overlays() {
        try (var dirs = Files.list(K8S.resolve("overlays"))) {
            return dirs.filter(d -> Files.exists(d.resolve("kustomization.yaml"))).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        boolean ci = System.getenv("CI") != null && !System.getenv("CI").isBlank();
        if (ci) {
            throw new AssertionError("kubectl (with its built-in kustomize) is required in CI to render deploy/k8s");
        }
        Assumptions.abort("kubectl not found: Kubernetes manifests not rendered (CI requires it)");
        return null;
    }
}

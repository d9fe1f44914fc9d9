package dev.gatekey.systemtest;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The programs a user has beside Gatekey — Debian's AWS CLI v2, OATH Toolkit's
 * {@code oathtool}, Python with boto3 — found on this machine, and run as a user would run
 * them. When one is missing the test is skipped with a notice, except under CI (env
 * {@code CI=true}), where a missing tool is a failure.
 */
final class ExternalTools {
    /** Debian's package; a pip-installed v1 earlier on PATH must not shadow it. */
    static final Path DEBIAN_AWS_CLI = Path.of("/usr/bin/aws");

    private ExternalTools() {
    }

    /** What a program printed and how it ended. */
    record Run(int exitCode, String stdout, String stderr) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (or, under CI, fails) the calling test with {@code notice} when {@code present} is false. */
    static void require(boolean present, String notice) {
        if (present) {
            return;
        }
        if (ci()) {
            fail(notice + " — required when CI=true");
        }
        System.err.println("NOTICE: " + notice + " — skipping");
        assumeTrue(false, notice);
    }

    /** The AWS CLI v2: {@code -Dgatekey.aws=...}, else Debian's {@code /usr/bin/aws}, else v2 on PATH. */
    static Optional<Path> awsCliV2() {
        String configured = System.getProperty("gatekey.aws");
        List<Path> candidates = configured != null ? List.of(Path.of(configured))
                : java.util.stream.Stream.concat(java.util.stream.Stream.of(DEBIAN_AWS_CLI), onPath("aws").stream())
                        .toList();
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                Run version = run(List.of(candidate.toString(), "--version"), Map.of(), 60);
                if (version.succeeded() && version.stdout().startsWith("aws-cli/2.")) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** A Python 3 that imports boto3 (Debian's {@code python3-boto3} first). */
    static Optional<Path> pythonWithBoto3() {
        List<Path> candidates = java.util.stream.Stream.concat(
                java.util.stream.Stream.of(Path.of("/usr/bin/python3")), onPath("python3").stream()).toList();
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)
                    && run(List.of(candidate.toString(), "-c", "import boto3"), Map.of(), 60).succeeded()) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static Optional<Path> onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code command} with exactly {@code environment} plus PATH (nothing else of this
     * JVM's environment leaks in, so no credentials of the machine's user are picked up).
     */
    static Run run(List<String> command, Map<String, String> environment, int timeoutSeconds) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().clear();
            builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            builder.environment().put("LANG", "C.UTF-8");
            builder.environment().putAll(environment);
            Path out = Files.createTempFile("gatekey-tool", ".out");
            Path err = Files.createTempFile("gatekey-tool", ".err");
            try {
                Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError(command.get(0) + " did not finish within " + timeoutSeconds + " s");
                }
                return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

package dev.gatekey.systemtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatekey.systemtest.ExternalTools.Run;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real AWS CLI pointed at Gatekey with {@code --endpoint-url}, in a home directory of its
 * own: credentials come either from environment variables (as {@code .gatekey/local.env} sets
 * them) or from named profiles in its own {@code ~/.aws/credentials}, never from the machine's
 * user. One attempt per call ({@code AWS_MAX_ATTEMPTS=1}): a retried GetSessionToken would
 * replay its MFA code.
 */
final class AwsCli {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * How the CLI prints a service error: {@code An error occurred (Code) when calling the X
     * operation[ (reached max retries: N)]: message}.
     */
    private static final Pattern ERROR = Pattern.compile("An error occurred \\(([A-Za-z.]+)\\) when calling the (\\w+) "
            + "operation(?: \\(reached max retries: \\d+\\))?: (.*)", Pattern.DOTALL);

    private final Path executable;
    private final String endpointUrl;
    private final Path home;

    AwsCli(Path executable, String endpointUrl, Path home) {
        this.executable = executable;
        this.endpointUrl = endpointUrl;
        this.home = home;
        try {
            Files.createDirectories(home.resolve(".aws"));
            for (Path file : List.of(config(), credentials())) {
                Files.deleteIfExists(file);
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A named profile as {@code aws configure} would write it (the session token only for session credentials). */
    void addProfile(String name, String accessKeyId, String secretAccessKey, String sessionToken, String region) {
        StringBuilder credentials = new StringBuilder("[" + name + "]\n")
                .append("aws_access_key_id = ").append(accessKeyId).append('\n')
                .append("aws_secret_access_key = ").append(secretAccessKey).append('\n');
        if (sessionToken != null) {
            credentials.append("aws_session_token = ").append(sessionToken).append('\n');
        }
        try {
            Files.writeString(credentials(), credentials, StandardOpenOption.APPEND);
            Files.writeString(config(), "[profile " + name + "]\nregion = " + region + "\noutput = json\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code aws --endpoint-url <url> args...} with credentials from {@code environment} (AWS_ACCESS_KEY_ID, ...). */
    Run withEnvironment(Map<String, String> environment, String... args) {
        Map<String, String> env = baseEnvironment();
        env.putAll(environment);
        return run(env, args);
    }

    /** {@code aws --profile <profile> --endpoint-url <url> args...}. */
    Run withProfile(String profile, String... args) {
        Map<String, String> env = baseEnvironment();
        env.put("AWS_PROFILE", profile);
        return run(env, args);
    }

    Path home() {
        return home;
    }

    private Run run(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--endpoint-url", endpointUrl,
                "--output", "json"));
        command.addAll(List.of(args));
        return ExternalTools.run(command, env, 120);
    }

    private Map<String, String> baseEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("AWS_CONFIG_FILE", config().toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", credentials().toString());
        env.put("AWS_PAGER", "");
        env.put("AWS_CLI_AUTO_PROMPT", "off");
        env.put("AWS_MAX_ATTEMPTS", "1");
        env.put("AWS_RETRY_MODE", "standard");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        return env;
    }

    private Path config() {
        return home.resolve(".aws/config");
    }

    private Path credentials() {
        return home.resolve(".aws/credentials");
    }

    /** The JSON the CLI printed for a call that must succeed. */
    static JsonNode json(Run run) {
        assertTrue(run.succeeded(), () -> "the AWS CLI failed (exit " + run.exitCode() + "): " + run.stderr());
        try {
            return run.stdout().isBlank() ? JSON.createObjectNode() : JSON.readTree(run.stdout());
        } catch (IOException e) {
            throw new AssertionError("the AWS CLI printed no JSON: " + e.getMessage(), e);
        }
    }

    /** For a call that must fail with AWS's error {@code code}: the message the CLI printed with it. */
    static String error(Run run, String code) {
        assertEquals(254, run.exitCode(), () -> "expected the service error " + code + " (CLI exit 254), got exit "
                + run.exitCode() + ": " + run.stderr());
        Matcher m = ERROR.matcher(run.stderr().strip());
        assertTrue(m.find(), () -> "not an AWS service error: " + run.stderr());
        assertEquals(code, m.group(1), () -> run.stderr());
        return m.group(3).strip();
    }
}

package dev.gatekey.mfa.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our TOTP against OATH Toolkit's {@code oathtool} for random seeds and times: what an
 * independent implementation computes from the same Base32 seed. Needs {@code oathtool} on PATH;
 * under CI (env CI set) its absence is a failure, locally the test is skipped.
 */
class OathtoolComparisonTest {
    private static final DateTimeFormatter OATH_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static String oathtool;

    @BeforeAll
    static void findOathtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "oathtool");
            if (Files.isExecutable(candidate)) {
                oathtool = candidate.toString();
                return;
            }
        }
        if (System.getenv("CI") != null) {
            fail("oathtool is not installed (apt-get install oathtool); it is required when CI is set");
        }
        assumeTrue(false, "oathtool is not installed (apt-get install oathtool); skipping the comparison");
    }

    @Test
    void virtualDeviceCodesMatchOathtool() throws Exception {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 8; i++) {
            byte[] seed = new byte[NewVirtualMfaDevice.SEED_BYTES];
            random.nextBytes(seed);
            Instant time = Instant.ofEpochSecond(random.nextLong(4_102_444_800L)); // 1970 .. 2100
            String expected = run(List.of("--totp", "-b", "--now", OATH_TIME.format(time), Base32.encode(seed)));
            assertEquals(expected, new Totp(seed, TotpParameters.VIRTUAL_DEVICE).codeAt(time), "at " + time);
        }
    }

    @Test
    void hardwareTokenVariantsMatchOathtool() throws Exception {
        SecureRandom random = new SecureRandom();
        for (HmacAlgorithm algorithm : HmacAlgorithm.values()) {
            for (int digits : new int[] {6, 8}) {
                for (int period : new int[] {30, 60}) {
                    byte[] seed = new byte[switch (algorithm) {
                        case SHA1 -> 20;
                        case SHA256 -> 32;
                        case SHA512 -> 64;
                    }];
                    random.nextBytes(seed);
                    Instant time = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000));
                    List<String> args = new ArrayList<>(List.of("--totp=" + algorithm.name().toLowerCase(),
                            "-b", "-d", Integer.toString(digits), "-s", period + "s",
                            "--now", OATH_TIME.format(time), Base32.encode(seed)));
                    String expected = run(args);
                    String actual = new Totp(seed, new TotpParameters(algorithm, digits, period)).codeAt(time);
                    assertEquals(expected, actual, algorithm + "/" + digits + "/" + period + "s at " + time);
                }
            }
        }
    }

    private static String run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(oathtool);
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            fail("oathtool failed: " + out);
        }
        return out;
    }
}

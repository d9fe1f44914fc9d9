package dev.gatekey.systemtest;

import static dev.gatekey.systemtest.AwsCli.error;
import static dev.gatekey.systemtest.AwsCli.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import dev.gatekey.local.LocalSystem;
import dev.gatekey.local.LocalSystem.Service;
import dev.gatekey.systemtest.ExternalTools.Run;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The seed's Method 2 — the AWS CLI — against the three packaged services, with Debian's real
 * AWS CLI v2 ({@code --endpoint-url}), {@code oathtool} as the user's authenticator app and
 * boto3 as an SDK. Root works with exactly the credentials the local runner writes to
 * {@code .gatekey/local.env}; alice with her own access key in her own CLI profiles. Each step
 * is a test, in order; from alice's creation on, a step fails at once when an earlier one failed.
 *
 * <p>Without the AWS CLI v2 or {@code oathtool} the test is skipped with a notice; under CI
 * ({@code CI=true}) their absence is a failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AwsCliSystemTest {
    private static final String ALICE_PASSWORD = "Correct-Horse-9-Battery";
    private static final String POLICY_NAME = "BlockMostAccessUnlessSignedInWithMFA";
    /** alice signs in a region other than the root's: the service reads it from the credential scope. */
    private static final String ALICE_REGION = "eu-west-1";

    private static LocalSystem system;
    private static Path work;
    private static AwsCli aws;
    private static Map<String, String> localEnv;
    private static Path oathtool;
    private static String account;
    private static String aliceArn;
    private static String serial;
    private static String seed;
    private static String sessionCode;
    /** Steps from here on build on each other: alice, her policy, her device, her sessions. */
    private static final int FIRST_CHAINED_STEP = 4;
    /** The first chained step that failed: the later ones fail at once, naming it. */
    private static String failedStep;
    /** Whether the services' logs are worth keeping: the start or any step failed. */
    private static boolean keepLogs = true;

    @RegisterExtension
    static final TestWatcher FIRST_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            keepLogs = true;
            if (failedStep == null
                    && context.getRequiredTestMethod().getAnnotation(Order.class).value() >= FIRST_CHAINED_STEP) {
                failedStep = context.getDisplayName();
            }
        }
    };

    @BeforeAll
    static void startSystem() throws IOException {
        Optional<Path> cli = ExternalTools.awsCliV2();
        ExternalTools.require(cli.isPresent(),
                "the AWS CLI v2 is not installed (apt-get install awscli: Debian's /usr/bin/aws)");
        Optional<Path> oath = ExternalTools.onPath("oathtool");
        ExternalTools.require(oath.isPresent(), "oathtool is not installed (apt-get install oathtool)");
        oathtool = oath.get();

        Path repo = Path.of(System.getProperty("gatekey.repo", "..")).toAbsolutePath().normalize();
        work = Files.createTempDirectory("gatekey-aws-cli-test");
        system = LocalSystem.start(repo, work.resolve("gatekey"), LocalSystem.freePorts());
        localEnv = system.environment();
        account = system.state().accountId();
        aliceArn = "arn:aws:iam::" + account + ":user/alice";
        aws = new AwsCli(cli.get(), localEnv.get("GATEKEY_ENDPOINT_URL"), work.resolve("home"));
        keepLogs = false;
    }

    @AfterAll
    static void stopSystem() throws IOException {
        if (system != null) {
            system.close();
        }
        if (work == null) {
            return;
        }
        if (keepLogs) {
            System.err.println("The services' logs are in " + work.resolve("gatekey/logs"));
            deleteTree(work.resolve("home")); // alice's secrets in the CLI profiles
        } else {
            deleteTree(work);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @BeforeEach
    void earlierStepsSucceeded() {
        if (failedStep != null) {
            fail("this step builds on the earlier ones, and " + failedStep + " failed");
        }
    }

    @Test
    @Order(1)
    void rightAfterStartRootUsesTheCliWithLocalEnv() {
        // . .gatekey/local.env; aws --endpoint-url "$GATEKEY_ENDPOINT_URL" iam list-users
        assertTrue(json(root("iam", "list-users")).path("Users").isArray());
        JsonNode caller = json(root("sts", "get-caller-identity"));
        assertEquals("arn:aws:iam::" + account + ":root", caller.path("Arn").asText());
        assertEquals(account, caller.path("Account").asText());
        // mfa-device-service answers too (root's view of the account's virtual devices: none yet)
        assertTrue(json(root("iam", "list-virtual-mfa-devices")).path("VirtualMFADevices").isEmpty());
    }

    /** boto3, the AWS SDK for Python, with {@code endpoint_url} and the credentials of local.env. */
    @Test
    @Order(2)
    void boto3WorksWithEndpointUrl() throws IOException {
        Optional<Path> python = ExternalTools.pythonWithBoto3();
        ExternalTools.require(python.isPresent(), "Python 3 with boto3 is not installed (apt-get install python3-boto3)");
        Map<String, String> env = new HashMap<>(localEnv);
        env.put("HOME", aws.home().toString());
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        Run run = ExternalTools.run(List.of(python.get().toString(), "-c",
                "import boto3, json, os; url = os.environ['GATEKEY_ENDPOINT_URL']; "
                        + "iam = boto3.client('iam', endpoint_url=url); "
                        + "sts = boto3.client('sts', endpoint_url=url); "
                        + "print(json.dumps({'users': [u['UserName'] for u in iam.list_users()['Users']], "
                        + "'arn': sts.get_caller_identity()['Arn']}))"), env, 120);
        assertTrue(run.succeeded(), () -> "boto3 failed: " + run.stderr());
        JsonNode out = new ObjectMapper().readTree(run.stdout());
        assertTrue(out.path("users").isArray() && out.path("users").isEmpty(), "no users yet: " + out);
        assertEquals("arn:aws:iam::" + account + ":root", out.path("arn").asText());
    }

    @Test
    @Order(3)
    void badSignaturesAndUnknownKeysGetAwsErrorCodes() {
        Map<String, String> wrongSecret = new HashMap<>(localEnv);
        wrongSecret.put("AWS_SECRET_ACCESS_KEY", "not-the-secret-of-this-access-key-000000");
        String message = error(aws.withEnvironment(wrongSecret, "iam", "list-users"), "SignatureDoesNotMatch");
        assertTrue(message.startsWith("The request signature we calculated does not match the signature you provided"),
                message);

        Map<String, String> unknownKey = new HashMap<>(localEnv);
        unknownKey.put("AWS_ACCESS_KEY_ID", "AKIAAAAAAAAAAAAAAAAA");
        assertEquals("The security token included in the request is invalid.",
                error(aws.withEnvironment(unknownKey, "iam", "list-users"), "InvalidClientTokenId"));
    }

    @Test
    @Order(4)
    void rootCreatesAliceWithAPasswordAndAnAccessKey() {
        JsonNode user = json(root("iam", "create-user", "--user-name", "alice")).path("User");
        assertEquals(aliceArn, user.path("Arn").asText());
        assertTrue(user.path("UserId").asText().startsWith("AIDA"));
        json(root("iam", "create-login-profile", "--user-name", "alice", "--password", ALICE_PASSWORD));
        assertEquals("alice", json(root("iam", "get-login-profile", "--user-name", "alice"))
                .path("LoginProfile").path("UserName").asText());

        JsonNode key = json(root("iam", "create-access-key", "--user-name", "alice")).path("AccessKey");
        assertTrue(key.path("AccessKeyId").asText().matches("AKIA[A-Z2-7]{16}"), "an AKIA access key id");
        assertEquals("Active", key.path("Status").asText());
        aws.addProfile("alice", key.path("AccessKeyId").asText(), key.path("SecretAccessKey").asText(), null,
                ALICE_REGION);

        // alice's own key works, and before any policy she may do nothing (implicit deny)
        assertEquals(aliceArn, json(alice("sts", "get-caller-identity")).path("Arn").asText());
        assertEquals("User: " + aliceArn + " is not authorized to perform: iam:GetLoginProfile on resource: "
                + aliceArn + " because no identity-based policy allows the iam:GetLoginProfile action",
                error(alice("iam", "get-login-profile", "--user-name", "alice"), "AccessDenied"));
    }

    @Test
    @Order(5)
    void rootCreatesTheEnforcementPolicyAndAttachesItToAlice() throws Exception {
        Path document = Path.of(AwsCliSystemTest.class.getResource(
                "/block-most-access-unless-signed-in-with-mfa.json").toURI());
        JsonNode policy = json(root("iam", "create-policy", "--policy-name", POLICY_NAME,
                "--policy-document", "file://" + document)).path("Policy");
        String policyArn = "arn:aws:iam::" + account + ":policy/" + POLICY_NAME;
        assertEquals(policyArn, policy.path("Arn").asText());
        assertEquals("v1", policy.path("DefaultVersionId").asText());
        json(root("iam", "attach-user-policy", "--user-name", "alice", "--policy-arn", policyArn));
        JsonNode attached = json(root("iam", "list-attached-user-policies", "--user-name", "alice"))
                .path("AttachedPolicies");
        assertEquals(1, attached.size());
        assertEquals(policyArn, attached.get(0).path("PolicyArn").asText());
    }

    @Test
    @Order(6)
    void withHerLongTermKeyAliceMayLookAroundButNotAct() {
        // NotAction lets her list users (and set up MFA) without MFA...
        JsonNode users = json(alice("iam", "list-users")).path("Users");
        assertEquals("alice", users.get(0).path("UserName").asText());
        // ...but denies everything else while aws:MultiFactorAuthPresent is absent (BoolIfExists)
        assertEquals("User: " + aliceArn + " is not authorized to perform: iam:GetLoginProfile on resource: "
                + aliceArn + " with an explicit deny in an identity-based policy",
                error(alice("iam", "get-login-profile", "--user-name", "alice"), "AccessDenied"));
    }

    @Test
    @Order(7)
    void aliceCreatesHerVirtualMfaDeviceAsQrCodeAndAsBase32Seed() throws Exception {
        serial = "arn:aws:iam::" + account + ":mfa/alice";
        Path qr = work.resolve("QRCode.png");
        JsonNode device = json(alice("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "alice",
                "--outfile", qr.toString(), "--bootstrap-method", "QRCodePNG")).path("VirtualMFADevice");
        assertEquals(serial, device.path("SerialNumber").asText());
        String uri = decodeQr(Files.readAllBytes(qr));
        assertTrue(uri.matches("otpauth://totp/alice@" + account + "\\?secret=[A-Z2-7]{32}(&.*)?"), uri);

        // The same again with the seed as text: delete the unassigned device, create it anew.
        json(alice("iam", "delete-virtual-mfa-device", "--serial-number", serial));
        Path seedFile = work.resolve("alice-seed.txt");
        assertEquals(serial, json(alice("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "alice",
                "--outfile", seedFile.toString(), "--bootstrap-method", "Base32StringSeed"))
                .path("VirtualMFADevice").path("SerialNumber").asText());
        seed = Files.readString(seedFile, StandardCharsets.US_ASCII).strip();
        assertTrue(seed.matches("[A-Z2-7]{32}"), "a Base32 160-bit seed");
        assertFalse(uri.contains("secret=" + seed + "&") || uri.endsWith("secret=" + seed), "a new seed");
    }

    @Test
    @Order(8)
    void aliceEnablesItWithTwoConsecutiveOathtoolCodes() {
        long now = TotpOracle.step(Instant.now().getEpochSecond());
        assertEquals(TotpOracle.code(TotpOracle.base32Decode(seed), now), oathtool(now),
                "oathtool and the test's oracle agree");
        error(alice("iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", serial,
                "--authentication-code1", oathtool(now + 100), "--authentication-code2", oathtool(now + 101)),
                "InvalidAuthenticationCode");

        // the previous and the current code, as an authenticator app shows them one after the other
        json(alice("iam", "enable-mfa-device", "--user-name", "alice", "--serial-number", serial,
                "--authentication-code1", oathtool(now - 1), "--authentication-code2", oathtool(now)));
        sessionCode = oathtool(now + 1);

        JsonNode devices = json(alice("iam", "list-mfa-devices")).path("MFADevices");
        assertEquals(1, devices.size());
        assertEquals(serial, devices.get(0).path("SerialNumber").asText());
        assertEquals("alice", devices.get(0).path("UserName").asText());
        assertTrue(Duration.between(Instant.parse(devices.get(0).path("EnableDate").asText().replace("+00:00", "Z")),
                Instant.now()).abs().toMinutes() < 5, "enabled just now");
    }

    @Test
    @Order(9)
    void getSessionTokenWithTheNextCodeGivesCredentialsThatMayAct() {
        String wrong = error(aliceGetSessionToken(oathtool(TotpOracle.step(Instant.now().getEpochSecond()) + 50)),
                "AccessDenied");
        assertEquals("MultiFactorAuthentication failed with invalid MFA one time pass code.", wrong);

        JsonNode credentials = json(aliceGetSessionToken(sessionCode)).path("Credentials");
        assertTrue(credentials.path("AccessKeyId").asText().startsWith("ASIA"), "session credentials are ASIA...");
        Instant expiration = Instant.parse(credentials.path("Expiration").asText().replace("+00:00", "Z"));
        assertTrue(Duration.between(Instant.now(), expiration).toHours() >= 11, "12 hours by default");
        aws.addProfile("alice-mfa", credentials.path("AccessKeyId").asText(),
                credentials.path("SecretAccessKey").asText(), credentials.path("SessionToken").asText(), ALICE_REGION);

        // the action denied with the long-term key is allowed with MFA
        assertEquals("alice", json(aws.withProfile("alice-mfa", "iam", "get-login-profile", "--user-name", "alice"))
                .path("LoginProfile").path("UserName").asText());
        assertEquals(aliceArn, json(aws.withProfile("alice-mfa", "sts", "get-caller-identity")).path("Arn").asText());

        // the accepted code works once
        assertEquals("MultiFactorAuthentication failed with invalid MFA one time pass code.",
                error(aliceGetSessionToken(sessionCode), "AccessDenied"));
        // and session credentials cannot make more sessions (as AWS)
        error(aws.withProfile("alice-mfa", "sts", "get-session-token"), "AccessDenied");
    }

    @Test
    @Order(10)
    void getSessionTokenWithoutMfaGivesCredentialsThatAreStillDenied() {
        JsonNode credentials = json(alice("sts", "get-session-token", "--duration-seconds", "900"))
                .path("Credentials");
        aws.addProfile("alice-no-mfa", credentials.path("AccessKeyId").asText(),
                credentials.path("SecretAccessKey").asText(), credentials.path("SessionToken").asText(), ALICE_REGION);
        // aws:MultiFactorAuthPresent is false now, not absent: the same explicit deny
        assertEquals("User: " + aliceArn + " is not authorized to perform: iam:GetLoginProfile on resource: "
                + aliceArn + " with an explicit deny in an identity-based policy",
                error(aws.withProfile("alice-no-mfa", "iam", "get-login-profile", "--user-name", "alice"),
                        "AccessDenied"));
    }

    @Test
    @Order(11)
    void simulatePrincipalPolicyWithMfaContextEntries() {
        for (boolean mfa : new boolean[] {false, true}) {
            JsonNode results = json(root("iam", "simulate-principal-policy", "--policy-source-arn", aliceArn,
                    "--action-names", "iam:GetLoginProfile", "iam:ListUsers", "--resource-arns", aliceArn,
                    "--context-entries", "ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=" + mfa
                            + ",ContextKeyType=boolean")).path("EvaluationResults");
            Map<String, String> decisions = new LinkedHashMap<>();
            results.forEach(r -> decisions.put(r.path("EvalActionName").asText(), r.path("EvalDecision").asText()));
            assertEquals(Map.of("iam:GetLoginProfile", mfa ? "allowed" : "explicitDeny", "iam:ListUsers", "allowed"),
                    decisions, "with aws:MultiFactorAuthPresent=" + mfa);
        }
    }

    @Test
    @Order(12)
    void accountSummaryCountsTheDeviceInUse() {
        JsonNode summary = json(root("iam", "get-account-summary")).path("SummaryMap");
        assertEquals(1, summary.path("MFADevicesInUse").asInt());
        assertEquals(1, summary.path("MFADevices").asInt());
        assertEquals(1, summary.path("Users").asInt());
        // AccountMFAEnabled is about the root user, who has no device here
        assertEquals(0, summary.path("AccountMFAEnabled").asInt());
    }

    @Test
    @Order(13)
    void credentialReportShowsMfaActiveForAlice() throws Exception {
        String state = "";
        for (int i = 0; i < 20 && !state.equals("COMPLETE"); i++) {
            state = json(root("iam", "generate-credential-report")).path("State").asText();
            if (!state.equals("COMPLETE")) {
                Thread.sleep(500);
            }
        }
        assertEquals("COMPLETE", state);
        JsonNode report = json(root("iam", "get-credential-report"));
        assertEquals("text/csv", report.path("ReportFormat").asText());
        List<String> lines = new String(Base64.getDecoder().decode(report.path("Content").asText()),
                StandardCharsets.UTF_8).lines().toList();
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] values = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), values[i]);
            }
            rows.put(row.get("user"), row);
        }
        assertEquals(List.of("<root_account>", "alice"), new ArrayList<>(rows.keySet()));
        Map<String, String> alice = rows.get("alice");
        assertEquals(aliceArn, alice.get("arn"));
        assertEquals("true", alice.get("mfa_active"));
        assertEquals("true", alice.get("password_enabled"));
        assertEquals("true", alice.get("access_key_1_active"));
        assertEquals("false", rows.get("<root_account>").get("mfa_active"));
    }

    @Test
    @Order(14)
    void aliceDeactivatesWithMfaOnlyAndDeletesHerDevice() {
        // the policy lets her deactivate only when signed in with MFA
        error(alice("iam", "deactivate-mfa-device", "--user-name", "alice", "--serial-number", serial),
                "AccessDenied");
        json(aws.withProfile("alice-mfa", "iam", "deactivate-mfa-device", "--user-name", "alice",
                "--serial-number", serial));
        assertEquals(0, json(aws.withProfile("alice-mfa", "iam", "list-mfa-devices")).path("MFADevices").size());
        json(aws.withProfile("alice-mfa", "iam", "delete-virtual-mfa-device", "--serial-number", serial));
        JsonNode left = json(root("iam", "list-virtual-mfa-devices")).path("VirtualMFADevices");
        left.forEach(d -> assertNotEquals(serial, d.path("SerialNumber").asText()));
        assertEquals(0, json(root("iam", "get-account-summary")).path("SummaryMap").path("MFADevicesInUse").asInt());
    }

    private static Run root(String... args) {
        return aws.withEnvironment(localEnv, args);
    }

    private static Run alice(String... args) {
        return aws.withProfile("alice", args);
    }

    private static Run aliceGetSessionToken(String code) {
        return alice("sts", "get-session-token", "--serial-number", serial, "--token-code", code);
    }

    /** The code oathtool shows at TOTP step {@code step}: {@code oathtool --totp -b -N @<epoch> <seed>}. */
    private static String oathtool(long step) {
        Run run = ExternalTools.run(List.of(oathtool.toString(), "--totp", "-b", "-N", "@" + step * 30, seed),
                Map.of(), 30);
        assertTrue(run.succeeded(), () -> "oathtool failed: " + run.stderr());
        return run.stdout().strip();
    }

    private static String decodeQr(byte[] png) throws Exception {
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(png, 8),
                "a PNG file");
        var image = ImageIO.read(new ByteArrayInputStream(png));
        return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(
                new BufferedImageLuminanceSource(image))), Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE))
                .getText();
    }
}

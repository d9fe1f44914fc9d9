package dev.gatekey.identity.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.identity.application.AccountMfaSummary;
import dev.gatekey.identity.application.CredentialReportCsv;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.RecordingPolicyEnforcer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GenerateCredentialReport / GetCredentialReport over the Query API on PostgreSQL: AWS's states,
 * errors and HTTP statuses, the four-hour validity, and the CSV's rows for the root user, a user
 * with a password, MFA and a used key, and a user with nothing.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class CredentialReportTest {
    static final QueryClient.Credentials ROOT = QueryApiTest.ROOT;
    static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00";

    @TestHTTPResource("/")
    URI endpoint;

    @Inject
    RecordingPolicyEnforcer policy;

    @Inject
    AccountRecordingSources sources;

    @Inject
    DataSource dataSource;

    QueryClient client;

    @BeforeEach
    void setUp() throws SQLException {
        client = new QueryClient(endpoint);
        policy.reset();
        sources.reset();
        sql("DELETE FROM credential_reports");
    }

    void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    QueryClient.Answer generate() {
        QueryClient.Answer answer = client.iam(ROOT, "GenerateCredentialReport");
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("GenerateCredentialReportResponse", answer.root());
        return answer;
    }

    /** The report's rows, each as column → value. */
    static List<Map<String, String>> rows(QueryClient.Answer answer) {
        String csv = new String(Base64.getDecoder().decode(answer.text("Content")), StandardCharsets.UTF_8);
        List<String> lines = csv.lines().toList();
        assertEquals(String.join(",", CredentialReportCsv.COLUMNS), lines.get(0));
        return lines.stream().skip(1).map(line -> {
            List<String> values = Arrays.asList(line.split(",", -1));
            assertEquals(CredentialReportCsv.COLUMNS.size(), values.size(), line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < values.size(); i++) {
                row.put(CredentialReportCsv.COLUMNS.get(i), values.get(i));
            }
            return row;
        }).toList();
    }

    /** access_key_N_active, _last_rotated, _last_used_date, _last_used_region, _last_used_service. */
    static List<String> key(Map<String, String> row, int n) {
        String k = "access_key_" + n + "_";
        return List.of(row.get(k + "active"), row.get(k + "last_rotated"), row.get(k + "last_used_date"),
                row.get(k + "last_used_region"), row.get(k + "last_used_service"));
    }

    static Map<String, String> row(List<Map<String, String>> rows, String user) {
        return rows.stream().filter(r -> r.get("user").equals(user)).findFirst()
                .orElseThrow(() -> new AssertionError(user + " not in the report"));
    }

    @Test
    void beforeAnyGenerationTheReportIsNotPresentWith410() {
        QueryClient.Answer answer = client.iam(ROOT, "GetCredentialReport");
        assertEquals(410, answer.status(), answer.toString());
        assertEquals("ReportNotPresent", answer.code());
        assertEquals("Sender", answer.text("Type"));
    }

    @Test
    void theFirstGenerationIsStartedThenCompleteAndTheReportIsServedAsBase64Csv() {
        QueryClient.Answer first = generate();
        assertEquals("STARTED", first.text("State"));
        assertEquals("No report exists. Starting a new report generation task", first.text("Description"));
        QueryClient.Answer second = generate();
        assertEquals("COMPLETE", second.text("State"));
        assertEquals(0, second.count("Description"));

        QueryClient.Answer report = client.iam(ROOT, "GetCredentialReport");
        assertEquals(200, report.status(), report.toString());
        assertEquals("text/csv", report.text("ReportFormat"));
        Instant generated = Instant.parse(report.text("GeneratedTime"));
        assertTrue(Math.abs(ChronoUnit.SECONDS.between(generated, Instant.now())) < 120, generated.toString());
        List<Map<String, String>> rows = rows(report);
        assertEquals("<root_account>", rows.get(0).get("user"));
    }

    @Test
    void rowsCarryAwsValuesForRootAPasswordUserWithMfaAndAKeyAndAUserWithNothing() throws SQLException {
        String alice = "alice" + UUID.randomUUID().toString().substring(0, 6);
        String bob = "bob" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(200, client.iam(ROOT, "CreateUser", "UserName", alice).status());
        assertEquals(200, client.iam(ROOT, "CreateUser", "UserName", bob).status());
        assertEquals(200, client.iam(ROOT, "CreateLoginProfile", "UserName", alice, "Password",
                "Correct-Horse-9-Battery").status());
        QueryClient.Answer key = client.iam(ROOT, "CreateAccessKey", "UserName", alice);
        assertEquals(200, key.status(), key.toString());
        QueryClient.Credentials aliceKey = QueryClient.Credentials.longTerm(key.text("AccessKeyId"),
                key.text("SecretAccessKey"));
        assertEquals(200, client.iam(aliceKey, "GetUser").status()); // a use: date, region, service
        QueryClient.Answer second = client.iam(ROOT, "CreateAccessKey", "UserName", alice);
        assertEquals(200, client.iam(ROOT, "UpdateAccessKey", "UserName", alice, "AccessKeyId",
                second.text("AccessKeyId"), "Status", "Inactive").status());
        sources.answer(new AccountMfaSummary(2, 1, true, List.of(alice.toUpperCase())));

        assertEquals("STARTED", generate().text("State"));
        List<Map<String, String>> rows = rows(client.iam(ROOT, "GetCredentialReport"));

        Map<String, String> root = rows.get(0);
        assertEquals("<root_account>", root.get("user"));
        assertEquals("arn:aws:iam::" + QueryApiTest.ACCOUNT + ":root", root.get("arn"));
        assertTrue(root.get("user_creation_time").matches(TIME), root.toString());
        assertEquals("not_supported", root.get("password_enabled"));
        // the root's last sign-in (other tests sign it in), AWS's no_information before the first
        assertTrue(root.get("password_last_used").matches(TIME) || "no_information".equals(root.get("password_last_used")),
                root.toString());
        assertEquals("not_supported", root.get("password_last_changed"));
        assertEquals("not_supported", root.get("password_next_rotation"));
        assertEquals("true", root.get("mfa_active"));
        assertEquals("true", root.get("access_key_1_active")); // the configured root key
        assertTrue(root.get("access_key_1_last_rotated").matches(TIME), root.toString());

        Map<String, String> a = row(rows, alice);
        assertEquals("arn:aws:iam::" + QueryApiTest.ACCOUNT + ":user/" + alice, a.get("arn"));
        assertEquals("true", a.get("password_enabled"));
        assertEquals("no_information", a.get("password_last_used"));
        assertTrue(a.get("password_last_changed").matches(TIME), a.toString());
        assertEquals("N/A", a.get("password_next_rotation"));
        assertEquals("true", a.get("mfa_active"));
        // both keys were created within the same second: which one is key 1 is not specified
        List<List<String>> keys = List.of(key(a, 1), key(a, 2));
        List<String> used = keys.stream().filter(k -> k.get(0).equals("true")).findFirst().orElseThrow();
        List<String> unused = keys.stream().filter(k -> k.get(0).equals("false")).findFirst().orElseThrow();
        assertTrue(used.get(1).matches(TIME), a.toString());
        assertTrue(used.get(2).matches(TIME), a.toString());
        assertEquals(List.of(QueryClient.REGION, "iam"), used.subList(3, 5));
        assertTrue(unused.get(1).matches(TIME), a.toString());
        assertEquals(List.of("N/A", "N/A", "N/A"), unused.subList(2, 5));
        assertEquals(List.of("false", "N/A", "false", "N/A"), List.of(a.get("cert_1_active"),
                a.get("cert_1_last_rotated"), a.get("cert_2_active"), a.get("cert_2_last_rotated")));

        Map<String, String> b = row(rows, bob);
        assertEquals(List.of("false", "N/A", "N/A", "N/A", "false"), List.of(b.get("password_enabled"),
                b.get("password_last_used"), b.get("password_last_changed"), b.get("password_next_rotation"),
                b.get("mfa_active")));
        assertEquals(List.of("false", "N/A", "N/A", "N/A", "N/A", "false", "N/A", "N/A", "N/A", "N/A"),
                List.of(b.get("access_key_1_active"), b.get("access_key_1_last_rotated"),
                        b.get("access_key_1_last_used_date"), b.get("access_key_1_last_used_region"),
                        b.get("access_key_1_last_used_service"), b.get("access_key_2_active"),
                        b.get("access_key_2_last_rotated"), b.get("access_key_2_last_used_date"),
                        b.get("access_key_2_last_used_region"), b.get("access_key_2_last_used_service")));
    }

    @Test
    void aPasswordPolicyWithAMaximumAgeGivesTheNextRotation() throws SQLException {
        String carol = "carol" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(200, client.iam(ROOT, "CreateUser", "UserName", carol).status());
        assertEquals(200, client.iam(ROOT, "CreateLoginProfile", "UserName", carol, "Password",
                "Correct-Horse-9-Battery").status());
        try {
            QueryClient.Answer policyUpdate = client.iam(ROOT, "UpdateAccountPasswordPolicy", "MaxPasswordAge", "90");
            assertEquals(200, policyUpdate.status(), policyUpdate.toString());
            generate();
            Map<String, String> c = row(rows(client.iam(ROOT, "GetCredentialReport")), carol);
            Instant changed = Instant.parse(c.get("password_last_changed").replace("+00:00", "Z"));
            assertEquals(changed.plus(90, ChronoUnit.DAYS),
                    Instant.parse(c.get("password_next_rotation").replace("+00:00", "Z")));
        } finally {
            client.iam(ROOT, "DeleteAccountPasswordPolicy");
        }
    }

    @Test
    void aReportOlderThanFourHoursHasExpiredAndIsGeneratedAgain() throws SQLException {
        generate();
        sql("UPDATE credential_reports SET generated_at = now() - interval '4 hours 1 minute'");
        QueryClient.Answer expired = client.iam(ROOT, "GetCredentialReport");
        assertEquals(410, expired.status(), expired.toString());
        assertEquals("ReportExpired", expired.code());
        assertEquals("STARTED", generate().text("State"));
        assertEquals(200, client.iam(ROOT, "GetCredentialReport").status());
    }

    @Test
    void aFreshReportIsKeptEvenWhenUsersChange() {
        generate();
        String late = "late" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(200, client.iam(ROOT, "CreateUser", "UserName", late).status());
        assertEquals("COMPLETE", generate().text("State"));
        assertFalse(rows(client.iam(ROOT, "GetCredentialReport")).stream().anyMatch(r -> r.get("user").equals(late)));
    }

    @Test
    void bothActionsAreAuthorizedOnAnyResourceAndADenialChangesNothing() throws SQLException {
        generate();
        client.iam(ROOT, "GetCredentialReport");
        assertEquals(List.of("iam:GenerateCredentialReport", "iam:GetCredentialReport"),
                policy.questions().stream().map(RecordingPolicyEnforcer.Question::action).toList());
        assertTrue(policy.questions().stream().allMatch(q -> q.resource().equals("*")));

        sql("DELETE FROM credential_reports");
        policy.allow(false);
        sources.forgetCalls();
        QueryClient.Answer denied = client.iam(ROOT, "GenerateCredentialReport");
        assertEquals(403, denied.status());
        assertEquals("AccessDenied", denied.code());
        assertEquals("AccessDenied", client.iam(ROOT, "GetCredentialReport").code());
        assertTrue(sources.calls().isEmpty(), sources.calls().toString());
        policy.allow(true);
        assertEquals("ReportNotPresent", client.iam(ROOT, "GetCredentialReport").code());
    }

    @Test
    void anUnreachableMfaServiceGeneratesNothing() {
        sources.unavailable(true);
        QueryClient.Answer answer = client.iam(ROOT, "GenerateCredentialReport");
        assertEquals(503, answer.status(), answer.toString());
        assertEquals("ServiceUnavailable", answer.code());
        sources.unavailable(false);
        assertEquals("ReportNotPresent", client.iam(ROOT, "GetCredentialReport").code());
    }
}

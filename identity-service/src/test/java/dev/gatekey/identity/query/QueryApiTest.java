package dev.gatekey.identity.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.identity.grpc.ScriptedTotpVerifier;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.RecordingPolicyEnforcer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Query API over HTTP with SigV4: AWS's envelopes, namespaces and status codes, the
 * authentication errors, access keys, authorization with the caller's MFA context, and STS.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class QueryApiTest {
    static final String ACCOUNT = "123456789012";
    static final String IAM_NS = "https://iam.amazonaws.com/doc/2010-05-08/";
    static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
    static final QueryClient.Credentials ROOT = QueryClient.Credentials.longTerm("AKIAROOTTESTKEY23456",
            "RootTestSecretAccessKey0123456789abcdEFG");

    @TestHTTPResource("/")
    URI endpoint;

    @Inject
    RecordingPolicyEnforcer policy;

    @Inject
    ScriptedTotpVerifier totp;

    @Inject
    RecordingPeers peers;

    @Inject
    DataSource dataSource;

    QueryClient client;

    @BeforeEach
    void setUp() {
        client = new QueryClient(endpoint);
        policy.reset();
        peers.reset();
        totp.useRealClient();
    }

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new user with an access key (as root); returns the user's credentials. */
    QueryClient.Credentials userWithKey(String userName) {
        assertEquals(200, client.iam(ROOT, "CreateUser", "UserName", userName).status());
        QueryClient.Answer key = client.iam(ROOT, "CreateAccessKey", "UserName", userName);
        assertEquals(200, key.status(), key.toString());
        return QueryClient.Credentials.longTerm(key.text("AccessKeyId"), key.text("SecretAccessKey"));
    }

    // --- envelopes and authentication ------------------------------------------------------

    @Test
    void theRootKeyFromConfigurationListsUsersInAwsShape() {
        String name = unique("list");
        client.iam(ROOT, "CreateUser", "UserName", name, "Path", "/team/");
        QueryClient.Answer answer = client.iam(ROOT, "ListUsers", "PathPrefix", "/team/");
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("ListUsersResponse", answer.root());
        assertEquals(IAM_NS, answer.namespace());
        assertNotNull(answer.first("ListUsersResult"));
        assertTrue(answer.texts("UserName").contains(name));
        assertEquals("false", answer.text("IsTruncated"));
        assertNotNull(answer.text("RequestId"));
        assertTrue(answer.text("Arn").startsWith("arn:aws:iam::" + ACCOUNT + ":user/team/"));
        assertTrue(answer.text("CreateDate").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
    }

    /** A policy document is one form parameter of many kilobytes; the CLI sends it percent-encoded. */
    @Test
    void aParameterLongerThanTheHttpLayersDefaultReachesTheAction() {
        QueryClient.Answer answer = client.iam(ROOT, "ListUsers", "PathPrefix", "/" + "%".repeat(3000) + "/");
        assertEquals(400, answer.status(), answer.toString());
        assertEquals("ErrorResponse", answer.root());
        assertEquals("ValidationError", answer.code());
    }

    @Test
    void anUnsignedRequestIsMissingAuthenticationToken() {
        QueryClient.Answer answer = client.iam(null, "ListUsers");
        assertEquals(403, answer.status());
        assertEquals("ErrorResponse", answer.root());
        assertEquals(IAM_NS, answer.namespace());
        assertEquals("Sender", answer.text("Type"));
        assertEquals("MissingAuthenticationToken", answer.code());
        assertNotNull(answer.text("RequestId"));
    }

    @Test
    void aWrongSecretIsSignatureDoesNotMatchAndAnUnknownKeyInvalidClientTokenId() {
        QueryClient.Answer wrong = client.iam(QueryClient.Credentials.longTerm(ROOT.accessKeyId(),
                "RootTestSecretAccessKey0123456789abcdEFX"), "ListUsers");
        assertEquals(403, wrong.status());
        assertEquals("SignatureDoesNotMatch", wrong.code());
        QueryClient.Answer unknown = client.iam(QueryClient.Credentials.longTerm("AKIAUNKNOWNKEY234567",
                ROOT.secretAccessKey()), "ListUsers");
        assertEquals(403, unknown.status());
        assertEquals("InvalidClientTokenId", unknown.code());
    }

    @Test
    void aRequestSignedTwentyMinutesAgoHasExpired() {
        QueryClient.Answer old = client.post(ROOT, "iam", "Action=ListUsers&Version=2010-05-08",
                Instant.now().minusSeconds(1200));
        assertEquals(400, old.status());
        assertEquals("RequestExpired", old.code());
        QueryClient.Answer skewed = client.post(ROOT, "iam", "Action=ListUsers&Version=2010-05-08",
                Instant.now().minusSeconds(400));
        assertEquals("SignatureDoesNotMatch", skewed.code());
        assertTrue(skewed.text("Message").startsWith("Signature expired"), skewed.toString());
    }

    @Test
    void unknownAndMissingActionsAreRefusedAfterAuthentication() {
        QueryClient.Answer invalid = client.iam(ROOT, "DescribeEverything");
        assertEquals(400, invalid.status());
        assertEquals("InvalidAction", invalid.code());
        assertEquals("Could not find operation DescribeEverything for version 2010-05-08", invalid.text("Message"));
        QueryClient.Answer missing = client.post(ROOT, "iam", "Version=2010-05-08", Instant.now());
        assertEquals(400, missing.status());
        assertEquals("MissingAction", missing.code());
    }

    @Test
    void aKeySignedForStsCannotCallIam() {
        QueryClient.Answer answer = client.call(ROOT, "sts", "2010-05-08", "ListUsers");
        assertEquals("SignatureDoesNotMatch", answer.code());
        assertTrue(answer.text("Message").contains("'iam'"), answer.toString());
    }

    // --- access keys -----------------------------------------------------------------------

    @Test
    void accessKeysHaveAwsFormatAtMostTwoPerUserAndRecordTheirLastUse() throws Exception {
        String name = unique("keys");
        QueryClient.Credentials alice = userWithKey(name);
        assertTrue(alice.accessKeyId().matches("AKIA[A-Z2-7]{16}"), alice.accessKeyId());
        assertEquals(40, alice.secretAccessKey().length());

        QueryClient.Answer never = client.iam(ROOT, "GetAccessKeyLastUsed", "AccessKeyId", alice.accessKeyId());
        assertEquals("N/A", never.text("ServiceName"));
        assertEquals(name, never.text("UserName"));

        QueryClient.Answer me = client.sts(alice, "GetCallerIdentity");
        assertEquals(200, me.status(), me.toString());
        assertEquals(STS_NS, me.namespace());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":user/" + name, me.text("Arn"));
        assertEquals(ACCOUNT, me.text("Account"));
        assertTrue(me.text("UserId").startsWith("AIDA"));

        QueryClient.Answer used = client.iam(ROOT, "GetAccessKeyLastUsed", "AccessKeyId", alice.accessKeyId());
        assertEquals("sts", used.text("ServiceName"));
        assertEquals(QueryClient.REGION, used.text("Region"));
        assertNotNull(used.text("LastUsedDate"));

        assertEquals(200, client.iam(ROOT, "CreateAccessKey", "UserName", name).status());
        QueryClient.Answer third = client.iam(ROOT, "CreateAccessKey", "UserName", name);
        assertEquals(409, third.status());
        assertEquals("LimitExceeded", third.code());
        QueryClient.Answer list = client.iam(ROOT, "ListAccessKeys", "UserName", name);
        assertEquals(2, list.count("AccessKeyId"));
        assertFalse(list.body().contains("SecretAccessKey"));

        // the secret is stored encrypted, never in clear
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT secret_key_id, secret_ciphertext FROM access_keys WHERE access_key_id = ?")) {
            s.setString(1, alice.accessKeyId());
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("t1", rs.getString(1));
                String stored = new String(rs.getBytes(2), StandardCharsets.ISO_8859_1);
                assertFalse(stored.contains(alice.secretAccessKey()));
            }
        }

        // an inactive key no longer authenticates; deleting it removes it
        assertEquals(200, client.iam(ROOT, "UpdateAccessKey", "UserName", name, "AccessKeyId", alice.accessKeyId(),
                "Status", "Inactive").status());
        assertEquals("InvalidClientTokenId", client.sts(alice, "GetCallerIdentity").code());
        QueryClient.Answer badStatus = client.iam(ROOT, "UpdateAccessKey", "UserName", name, "AccessKeyId",
                alice.accessKeyId(), "Status", "Paused");
        assertEquals("ValidationError", badStatus.code());
        assertEquals(200, client.iam(ROOT, "DeleteAccessKey", "UserName", name, "AccessKeyId",
                alice.accessKeyId()).status());
        assertEquals(1, client.iam(ROOT, "ListAccessKeys", "UserName", name).count("AccessKeyId"));
        QueryClient.Answer gone = client.iam(ROOT, "DeleteAccessKey", "UserName", name, "AccessKeyId",
                alice.accessKeyId());
        assertEquals(404, gone.status());
        assertEquals("NoSuchEntity", gone.code());
    }

    @Test
    void aUserWithoutUserNameManagesItsOwnKeys() {
        String name = unique("self");
        QueryClient.Credentials bob = userWithKey(name);
        QueryClient.Answer own = client.iam(bob, "ListAccessKeys");
        assertEquals(200, own.status(), own.toString());
        assertEquals(List.of(bob.accessKeyId()), own.texts("AccessKeyId"));
        assertEquals("iam:ListAccessKeys", policy.questions().get(policy.questions().size() - 1).action());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":user/" + name,
                policy.questions().get(policy.questions().size() - 1).resource());
    }

    // --- authorization ---------------------------------------------------------------------

    @Test
    void everyActionIsAuthorizedWithTheCallersLongTermContextAndDenialsAreAccessDenied() {
        String name = unique("authz");
        QueryClient.Credentials carol = userWithKey(name);
        policy.reset();
        policy.allow(false);
        QueryClient.Answer denied = client.iam(carol, "CreateUser", "UserName", "mallory");
        assertEquals(403, denied.status());
        assertEquals("AccessDenied", denied.code());
        String arn = "arn:aws:iam::" + ACCOUNT + ":user/" + name;
        assertEquals("User: " + arn + " is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::"
                + ACCOUNT + ":user/mallory because no identity-based policy allows the iam:CreateUser action",
                denied.text("Message"));
        RecordingPolicyEnforcer.Question q = policy.questions().get(0);
        assertEquals(arn, q.caller().principalArn());
        // a long-term access key: aws:MultiFactorAuthPresent is absent, and the forwarded token says so
        assertEquals(Optional.empty(), q.caller().multiFactorAuthPresent());
        assertNotNull(q.caller().token());
        assertFalse(new String(java.util.Base64.getUrlDecoder().decode(q.caller().token().split("\\.")[1]),
                StandardCharsets.UTF_8).contains("MultiFactorAuthPresent"));
    }

    // --- STS -------------------------------------------------------------------------------

    @Test
    void getSessionTokenWithoutMfaGivesSessionCredentialsWithMfaFalse() {
        String name = unique("sess");
        QueryClient.Credentials dave = userWithKey(name);
        QueryClient.Answer answer = client.sts(dave, "GetSessionToken", "DurationSeconds", "900");
        assertEquals(200, answer.status(), answer.toString());
        assertEquals(STS_NS, answer.namespace());
        QueryClient.Credentials session = new QueryClient.Credentials(answer.text("AccessKeyId"),
                answer.text("SecretAccessKey"), answer.text("SessionToken"));
        assertTrue(session.accessKeyId().matches("ASIA[A-Z2-7]{16}"));
        Instant expiration = Instant.parse(answer.text("Expiration"));
        assertTrue(expiration.isAfter(Instant.now().plusSeconds(890)) && expiration.isBefore(Instant.now().plusSeconds(910)));

        policy.reset();
        QueryClient.Answer listed = client.iam(session, "ListUsers");
        assertEquals(200, listed.status(), listed.toString());
        assertEquals(Optional.of(false), policy.questions().get(0).caller().multiFactorAuthPresent());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":user/" + name, client.sts(session, "GetCallerIdentity").text("Arn"));

        // as AWS: session credentials cannot get another session
        QueryClient.Answer again = client.sts(session, "GetSessionToken");
        assertEquals(403, again.status());
        assertEquals("AccessDenied", again.code());

        // the token is required, and must be the session's
        assertEquals("InvalidClientTokenId", client.sts(new QueryClient.Credentials(session.accessKeyId(),
                session.secretAccessKey(), null), "GetCallerIdentity").code());
        assertEquals("InvalidClientTokenId", client.sts(new QueryClient.Credentials(session.accessKeyId(),
                session.secretAccessKey(), session.sessionToken() + "x"), "GetCallerIdentity").code());
    }

    @Test
    void getSessionTokenWithAValidCodeCarriesMfaPresentAndItsTime() {
        String name = unique("mfa");
        QueryClient.Credentials erin = userWithKey(name);
        Instant codeTime = Instant.now().minusSeconds(2).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        totp.accept("123456", codeTime);
        String serial = "arn:aws:iam::" + ACCOUNT + ":mfa/" + name;
        QueryClient.Answer wrong = client.sts(erin, "GetSessionToken", "SerialNumber", serial, "TokenCode", "654321");
        assertEquals(403, wrong.status());
        assertEquals("AccessDenied", wrong.code());
        assertEquals("MultiFactorAuthentication failed with invalid MFA one time pass code.", wrong.text("Message"));

        QueryClient.Answer answer = client.sts(erin, "GetSessionToken", "SerialNumber", serial, "TokenCode", "123456");
        assertEquals(200, answer.status(), answer.toString());
        Instant expiration = Instant.parse(answer.text("Expiration"));
        assertTrue(expiration.isAfter(Instant.now().plusSeconds(43_100)), "default 12 hours");
        QueryClient.Credentials session = new QueryClient.Credentials(answer.text("AccessKeyId"),
                answer.text("SecretAccessKey"), answer.text("SessionToken"));
        policy.reset();
        assertEquals(200, client.iam(session, "ListUsers").status());
        var caller = policy.questions().get(0).caller();
        assertEquals(Optional.of(true), caller.multiFactorAuthPresent());
        assertEquals(Optional.of(codeTime), caller.multiFactorAuthTime());
    }

    @Test
    void getSessionTokenChecksDurationAndRootSessionsLastAnHour() throws Exception {
        QueryClient.Answer tooShort = client.sts(ROOT, "GetSessionToken", "DurationSeconds", "899");
        assertEquals(400, tooShort.status());
        assertEquals("ValidationError", tooShort.code());
        assertEquals("ValidationError", client.sts(ROOT, "GetSessionToken", "DurationSeconds", "129601").code());
        QueryClient.Answer root = client.sts(ROOT, "GetSessionToken", "DurationSeconds", "7200");
        assertEquals(200, root.status(), root.toString());
        assertTrue(Instant.parse(root.text("Expiration")).isBefore(Instant.now().plusSeconds(3601)));
        QueryClient.Credentials session = new QueryClient.Credentials(root.text("AccessKeyId"),
                root.text("SecretAccessKey"), root.text("SessionToken"));
        assertEquals("arn:aws:iam::" + ACCOUNT + ":root", client.sts(session, "GetCallerIdentity").text("Arn"));

        // once expired, the credentials are ExpiredToken
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE session_credentials SET expires_at = now() - interval '1 second' WHERE access_key_id = ?")) {
            s.setString(1, session.accessKeyId());
            assertEquals(1, s.executeUpdate());
        }
        QueryClient.Answer expired = client.sts(session, "GetCallerIdentity");
        assertEquals(403, expired.status());
        assertEquals("ExpiredToken", expired.code());
    }
}

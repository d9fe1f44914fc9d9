package dev.gatekey.identity.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.identity.application.SessionTokens;
import dev.gatekey.identity.v1.CreateLoginProfileRequest;
import dev.gatekey.identity.v1.CreateUserRequest;
import dev.gatekey.identity.v1.GetCallerIdentityRequest;
import dev.gatekey.identity.v1.GetCallerIdentityResponse;
import dev.gatekey.identity.v1.GetUserRequest;
import dev.gatekey.identity.v1.IamUserCredentials;
import dev.gatekey.identity.v1.IdentityServiceGrpc;
import dev.gatekey.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.gatekey.identity.v1.RootUserCredentials;
import dev.gatekey.identity.v1.SignInRequest;
import dev.gatekey.identity.v1.SignInResponse;
import dev.gatekey.identity.v1.User;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.platform.grpc.GrpcErrors;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.RecordingPolicyEnforcer;
import dev.gatekey.testsupport.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class IdentityGrpcServiceTest {
    static final String ACCOUNT = "123456789012";
    static final String ROOT_EMAIL = "root@example.com";
    static final String ROOT_PASSWORD = "Root-Passw0rd-For-Tests";
    static final String ROOT_ARN = "arn:aws:iam::123456789012:root";
    static final String PASSWORD = "Alice-Passw0rd!";
    static final String SIGN_IN_FAILED = "Your authentication information is incorrect. Please try again.";

    static ManagedChannel channel;
    static IdentityServiceBlockingStub identity;

    @Inject
    RecordingPolicyEnforcer policy;

    @Inject
    ScriptedTotpVerifier totp;

    @Inject
    SessionTokens tokens;

    @Inject
    EntityManager em;

    @BeforeAll
    static void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", 19091).usePlaintext().build();
        identity = IdentityServiceGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void disconnect() {
        channel.shutdownNow();
    }

    @BeforeEach
    void allowEverything() {
        policy.reset();
        totp.useRealClient();
    }

    // --- helpers ---------------------------------------------------------------------------

    static SignInRequest.Builder rootSignIn(String password) {
        return SignInRequest.newBuilder().setRootUser(RootUserCredentials.newBuilder().setEmail(ROOT_EMAIL))
                .setPassword(password);
    }

    static SignInRequest.Builder userSignIn(String account, String userName, String password) {
        return SignInRequest.newBuilder()
                .setIamUser(IamUserCredentials.newBuilder().setAccountId(account).setUserName(userName))
                .setPassword(password);
    }

    static IdentityServiceBlockingStub as(String token) {
        return BearerToken.attach(identity, token);
    }

    static IdentityServiceBlockingStub asRoot() {
        return as(identity.signIn(rootSignIn(ROOT_PASSWORD).build()).getAccessToken());
    }

    /** Creates a user with a password as root and returns the user. */
    static User userWithPassword(String userName) {
        var root = asRoot();
        User user = root.createUser(CreateUserRequest.newBuilder().setUserName(userName).build()).getUser();
        root.createLoginProfile(CreateLoginProfileRequest.newBuilder().setUserName(userName).setPassword(PASSWORD)
                .build());
        return user;
    }

    static Map<String, Object> claims(String jwt) throws Exception {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return JsonUtil.parseJson(payload);
    }

    static StatusRuntimeException fails(Status.Code code, String reason, Supplier<?> call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::get);
        assertEquals(code, e.getStatus().getCode(), e.toString());
        assertEquals(reason, GrpcErrors.reason(e), e.toString());
        return e;
    }

    // --- SignIn ----------------------------------------------------------------------------

    @Test
    void rootSignsInWithItsEmailAndGetsAPasswordOnlySession() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        SignInResponse response = identity.signIn(rootSignIn(ROOT_PASSWORD).build());
        assertEquals(ROOT_ARN, response.getPrincipalArn());
        assertFalse(response.getMultiFactorAuthPresent());

        Map<String, Object> claims = claims(response.getAccessToken());
        assertEquals(ROOT_ARN, claims.get("sub"));
        assertEquals(ROOT_ARN, claims.get("upn"));
        assertEquals("gatekey", claims.get("iss"));
        assertEquals(Boolean.FALSE, claims.get("aws:MultiFactorAuthPresent"));
        assertFalse(claims.containsKey("gatekey:MultiFactorAuthTime"));
        assertEquals(ACCOUNT, claims.get("aws:PrincipalAccount"));
        assertEquals("Account", claims.get("aws:PrincipalType"));
        assertEquals(ACCOUNT, claims.get("aws:userid"));
        assertNotNull(claims.get("jti"));
        long iat = ((Number) claims.get("iat")).longValue();
        long exp = ((Number) claims.get("exp")).longValue();
        assertTrue(iat >= before.getEpochSecond() && iat <= Instant.now().getEpochSecond(), "iat is now");
        assertEquals(3600, exp - iat, "gatekey.identity.session-duration is PT1H");
        assertEquals(exp, response.getExpiration().getSeconds());
        assertTrue(!claims(identity.signIn(rootSignIn(ROOT_PASSWORD).build()).getAccessToken()).get("jti")
                .equals(claims.get("jti")), "a fresh jti per token");

        // The e-mail is matched ignoring case; the token works for GetCallerIdentity.
        String token = identity.signIn(rootSignIn(ROOT_PASSWORD)
                .setRootUser(RootUserCredentials.newBuilder().setEmail("Root@Example.COM")).build()).getAccessToken();
        GetCallerIdentityResponse me = as(token).getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance());
        assertEquals(ACCOUNT, me.getAccount());
        assertEquals(ROOT_ARN, me.getArn());
        assertEquals(ACCOUNT, me.getUserId());
        assertFalse(me.getMultiFactorAuthPresent());
        User rootUser = as(token).getUser(GetUserRequest.getDefaultInstance()).getUser();
        assertEquals(ROOT_ARN, rootUser.getArn());
        assertEquals(ACCOUNT, rootUser.getUserId());
    }

    @Test
    void rootCreatesAliceWithAPasswordAndAliceSignsInWithoutMfa() throws Exception {
        var root = asRoot();
        User alice = root.createUser(CreateUserRequest.newBuilder().setUserName("alice").build()).getUser();
        assertEquals("alice", alice.getUserName());
        assertEquals("/", alice.getPath());
        assertEquals("arn:aws:iam::123456789012:user/alice", alice.getArn());
        assertTrue(alice.getUserId().matches("AIDA[A-Z0-9]{17}"), alice.getUserId());
        assertTrue(alice.getCreateDate().getSeconds() > 0);

        var profile = root.createLoginProfile(CreateLoginProfileRequest.newBuilder().setUserName("alice")
                .setPassword(PASSWORD).setPasswordResetRequired(false).build()).getLoginProfile();
        assertEquals("alice", profile.getUserName());
        assertFalse(profile.getPasswordResetRequired());

        assertEquals(List.of(
                new RecordingPolicyEnforcer.Question(policy.questions().get(0).caller(), "iam:CreateUser", alice.getArn()),
                new RecordingPolicyEnforcer.Question(policy.questions().get(1).caller(), "iam:CreateLoginProfile",
                        alice.getArn())), policy.questions());
        assertEquals(ROOT_ARN, policy.questions().get(0).caller().principalArn());
        assertEquals(PrincipalType.ROOT, policy.questions().get(0).caller().principalType());

        SignInResponse signedIn = identity.signIn(userSignIn(ACCOUNT, "alice", PASSWORD).build());
        assertFalse(signedIn.getMultiFactorAuthPresent());
        assertEquals(alice.getArn(), signedIn.getPrincipalArn());
        Map<String, Object> claims = claims(signedIn.getAccessToken());
        assertEquals(alice.getArn(), claims.get("sub"));
        assertEquals(Boolean.FALSE, claims.get("aws:MultiFactorAuthPresent"));
        assertEquals("User", claims.get("aws:PrincipalType"));
        assertEquals("alice", claims.get("aws:username"));
        assertEquals(alice.getUserId(), claims.get("aws:userid"));

        // User names are case-insensitive at sign-in too.
        assertEquals(alice.getArn(), identity.signIn(userSignIn(ACCOUNT, "ALICE", PASSWORD).build()).getPrincipalArn());

        var asAlice = as(signedIn.getAccessToken());
        GetCallerIdentityResponse me = asAlice.getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance());
        assertEquals(ACCOUNT, me.getAccount());
        assertEquals(alice.getArn(), me.getArn());
        assertEquals(alice.getUserId(), me.getUserId());
        assertFalse(me.getMultiFactorAuthPresent());

        policy.reset();
        assertEquals(alice, asAlice.getUser(GetUserRequest.getDefaultInstance()).getUser());
        assertEquals(alice, asAlice.getUser(GetUserRequest.newBuilder().setUserName("alice").build()).getUser());
        assertEquals(List.of("iam:GetUser", "iam:GetUser"),
                policy.questions().stream().map(RecordingPolicyEnforcer.Question::action).toList());
        assertTrue(policy.questions().stream().allMatch(q -> q.resource().equals(alice.getArn())
                && q.caller().principalArn().equals(alice.getArn())
                && q.caller().multiFactorAuthPresent().equals(java.util.Optional.of(false))));
        // GetCallerIdentity needs no permission (as in AWS): nothing more was asked.
        asAlice.getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance());
        assertEquals(2, policy.questions().size());
    }

    @Test
    void everyPasswordFailureLooksTheSame() {
        userWithPassword("frank");
        asRoot().createUser(CreateUserRequest.newBuilder().setUserName("no-profile").build());
        List<SignInRequest> failures = List.of(
                userSignIn(ACCOUNT, "frank", "Wrong-Passw0rd!").build(),
                userSignIn(ACCOUNT, "frank", "").build(),
                userSignIn(ACCOUNT, "nobody", PASSWORD).build(),
                userSignIn(ACCOUNT, "no-profile", PASSWORD).build(),
                userSignIn("999999999999", "frank", PASSWORD).build(),
                rootSignIn("Wrong-Passw0rd!").build(),
                rootSignIn(ROOT_PASSWORD).setRootUser(RootUserCredentials.newBuilder().setEmail("who@example.com"))
                        .build());
        for (SignInRequest request : failures) {
            StatusRuntimeException e = fails(Status.Code.UNAUTHENTICATED, "SignInFailed", () -> identity.signIn(request));
            assertEquals(SIGN_IN_FAILED, e.getStatus().getDescription());
        }
    }

    @Test
    void mfaSignInFailsClosedWhenMfaDeviceServiceIsUnreachable() {
        userWithPassword("grace");
        StatusRuntimeException e = fails(Status.Code.UNAVAILABLE, "ServiceUnavailable", () -> identity.signIn(
                userSignIn(ACCOUNT, "grace", PASSWORD).setMfaSerialNumber("arn:aws:iam::123456789012:mfa/grace")
                        .setMfaAuthenticationCode("123456").build()));
        assertFalse(e.getStatus().getDescription().contains("123456"));
        // A wrong password is refused before any code is checked.
        fails(Status.Code.UNAUTHENTICATED, "SignInFailed", () -> identity.signIn(
                userSignIn(ACCOUNT, "grace", "Wrong-Passw0rd!").setMfaSerialNumber("arn:aws:iam::123456789012:mfa/grace")
                        .setMfaAuthenticationCode("123456").build()));
    }

    @Test
    void mfaSignInCarriesTheMfaContextAndAWrongCodeGetsNoToken() throws Exception {
        userWithPassword("heidi");
        Instant at = Instant.now().minusSeconds(2);
        totp.accept("654321", at);
        String serial = "arn:aws:iam::123456789012:mfa/heidi";
        SignInResponse response = identity.signIn(userSignIn(ACCOUNT, "heidi", PASSWORD).setMfaSerialNumber(serial)
                .setMfaAuthenticationCode("654321").build());
        assertTrue(response.getMultiFactorAuthPresent());
        Map<String, Object> claims = claims(response.getAccessToken());
        assertEquals(Boolean.TRUE, claims.get("aws:MultiFactorAuthPresent"));
        assertEquals(at.getEpochSecond(), ((Number) claims.get("gatekey:MultiFactorAuthTime")).longValue());
        assertTrue(as(response.getAccessToken()).getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance())
                .getMultiFactorAuthPresent());

        StatusRuntimeException wrong = fails(Status.Code.UNAUTHENTICATED, "InvalidAuthenticationCode",
                () -> identity.signIn(userSignIn(ACCOUNT, "heidi", PASSWORD).setMfaSerialNumber(serial)
                        .setMfaAuthenticationCode("000000").build()));
        assertEquals("The MFA code is invalid or has already been used.", wrong.getStatus().getDescription());
    }

    @Test
    void theRootUserSignsInWithMfa() throws Exception {
        Instant at = Instant.now().minusSeconds(1);
        totp.accept("135790", at);
        SignInResponse response = identity.signIn(rootSignIn(ROOT_PASSWORD)
                .setMfaSerialNumber("arn:aws:iam::123456789012:mfa/root-account-mfa-device")
                .setMfaAuthenticationCode("135790").build());
        assertTrue(response.getMultiFactorAuthPresent());
        assertEquals("", totp.lastUserName(), "mfa-device-service names the root user by the empty user name");
        assertEquals(Boolean.TRUE, claims(response.getAccessToken()).get("aws:MultiFactorAuthPresent"));
    }

    @Test
    void everySignInIsAConsoleLoginEventWithMfaUsedAndNoSecrets() {
        userWithPassword("olivia");
        Instant before = Instant.now().minusSeconds(1);
        identity.signIn(userSignIn(ACCOUNT, "olivia", PASSWORD).build());
        totp.accept("246801", Instant.now());
        String serial = "arn:aws:iam::123456789012:mfa/olivia";
        identity.signIn(userSignIn(ACCOUNT, "olivia", PASSWORD).setMfaSerialNumber(serial)
                .setMfaAuthenticationCode("246801").build());
        fails(Status.Code.UNAUTHENTICATED, "InvalidAuthenticationCode", () -> identity.signIn(
                userSignIn(ACCOUNT, "olivia", PASSWORD).setMfaSerialNumber(serial).setMfaAuthenticationCode("111111")
                        .build()));
        fails(Status.Code.UNAUTHENTICATED, "SignInFailed",
                () -> identity.signIn(userSignIn(ACCOUNT, "olivia", "Wrong-Passw0rd!").build()));
        fails(Status.Code.UNAUTHENTICATED, "SignInFailed",
                () -> identity.signIn(userSignIn(ACCOUNT, "nobody-olivia", PASSWORD).build()));

        List<Object[]> events = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT user_name, principal_arn, event_name, mfa_used, outcome, error_code FROM sign_in_events "
                        + "WHERE account_id = ?1 AND user_name IN ('olivia', 'nobody-olivia') AND event_time >= ?2 "
                        + "ORDER BY id").setParameter(1, ACCOUNT).setParameter(2, before).getResultList());
        List<String> rendered = events.stream().map(e -> e[0] + "|" + e[1] + "|" + e[2] + "|" + e[3] + "|" + e[4]
                + "|" + e[5]).toList();
        String arn = "arn:aws:iam::123456789012:user/olivia";
        assertEquals(List.of("olivia|" + arn + "|ConsoleLogin|false|Success|null",
                "olivia|" + arn + "|ConsoleLogin|true|Success|null",
                "olivia|" + arn + "|ConsoleLogin|true|Failure|InvalidAuthenticationCode",
                "olivia|" + arn + "|ConsoleLogin|false|Failure|SignInFailed",
                "nobody-olivia|null|ConsoleLogin|false|Failure|SignInFailed"), rendered);
        Object lastUsed = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "SELECT p.password_last_used FROM login_profiles p JOIN users u ON u.user_id = p.user_id "
                        + "WHERE u.user_name = 'olivia'").getSingleResult());
        assertNotNull(lastUsed, "the credential report's password_last_used");
    }

    @Test
    void malformedSignInsAreValidationErrors() {
        fails(Status.Code.INVALID_ARGUMENT, "ValidationError", () -> identity.signIn(
                userSignIn(ACCOUNT, "alice", PASSWORD).setMfaSerialNumber("arn:aws:iam::123456789012:mfa/alice").build()));
        fails(Status.Code.INVALID_ARGUMENT, "ValidationError", () -> identity.signIn(
                userSignIn(ACCOUNT, "alice", PASSWORD).setMfaAuthenticationCode("123456").build()));
        fails(Status.Code.INVALID_ARGUMENT, "ValidationError", () -> identity.signIn(
                SignInRequest.newBuilder().setPassword(PASSWORD).build()));
        fails(Status.Code.INVALID_ARGUMENT, "ValidationError", () -> identity.signIn(
                userSignIn("12345", "alice", PASSWORD).build()));
    }

    // --- tokens ----------------------------------------------------------------------------

    @Test
    void callsWithoutATokenOrWithABadOneAreUnauthenticated() {
        fails(Status.Code.UNAUTHENTICATED, "MissingAuthenticationToken",
                () -> identity.getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance()));
        fails(Status.Code.UNAUTHENTICATED, "MissingAuthenticationToken",
                () -> identity.getUser(GetUserRequest.newBuilder().setUserName("alice").build()));
        fails(Status.Code.UNAUTHENTICATED, "MissingAuthenticationToken",
                () -> identity.createUser(CreateUserRequest.newBuilder().setUserName("mallory").build()));

        String good = identity.signIn(rootSignIn(ROOT_PASSWORD).build()).getAccessToken();
        String tampered = good.substring(0, good.lastIndexOf('.') + 1) + "AAAA" + good.substring(good.lastIndexOf('.') + 5);
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                        ("{\"sub\":\"" + ROOT_ARN + "\",\"iss\":\"gatekey\"}").getBytes()) + ".";
        for (String bad : List.of("not-a-jwt", tampered, unsigned)) {
            fails(Status.Code.UNAUTHENTICATED, "InvalidClientTokenId",
                    () -> as(bad).getCallerIdentity(GetCallerIdentityRequest.getDefaultInstance()));
            fails(Status.Code.UNAUTHENTICATED, "InvalidClientTokenId",
                    () -> as(bad).createUser(CreateUserRequest.newBuilder().setUserName("mallory").build()));
        }
        assertTrue(policy.questions().isEmpty());
    }

    @Test
    void theServiceTokenNamesIdentityServiceAndLivesOneMinute() throws Exception {
        Map<String, Object> claims = claims(tokens.serviceToken());
        assertEquals("gatekey:service/identity-service", claims.get("sub"));
        assertEquals("GatekeyService", claims.get("aws:PrincipalType"));
        assertEquals("gatekey", claims.get("iss"));
        assertFalse(claims.containsKey("aws:MultiFactorAuthPresent"));
        assertEquals(60, ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue());
    }

    // --- users -----------------------------------------------------------------------------

    @Test
    void createUserTakesAPathAndRefusesDuplicatesIgnoringCase() {
        var root = asRoot();
        User ivan = root.createUser(CreateUserRequest.newBuilder().setUserName("ivan")
                .setPath("/division_abc/subdivision_xyz/").build()).getUser();
        assertEquals("arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/ivan", ivan.getArn());
        assertEquals("/division_abc/subdivision_xyz/", ivan.getPath());
        assertEquals(ivan.getArn(), policy.questions().get(0).resource());

        for (String name : List.of("ivan", "IVAN")) {
            StatusRuntimeException e = fails(Status.Code.ALREADY_EXISTS, "EntityAlreadyExists",
                    () -> root.createUser(CreateUserRequest.newBuilder().setUserName(name).build()));
            assertEquals("User with name " + name + " already exists.", e.getStatus().getDescription());
        }
        assertEquals(ivan, root.getUser(GetUserRequest.newBuilder().setUserName("Ivan").build()).getUser());
    }

    @Test
    void badNamesAndPathsAreValidationErrors() {
        var root = asRoot();
        for (CreateUserRequest bad : List.of(
                CreateUserRequest.newBuilder().setUserName("").build(),
                CreateUserRequest.newBuilder().setUserName("judy smith").build(),
                CreateUserRequest.newBuilder().setUserName("j".repeat(65)).build(),
                CreateUserRequest.newBuilder().setUserName("judy").setPath("engineering").build(),
                CreateUserRequest.newBuilder().setUserName("judy").setPath("/a b/").build())) {
            String description = fails(Status.Code.INVALID_ARGUMENT, "ValidationError", () -> root.createUser(bad))
                    .getStatus().getDescription();
            String parameter = bad.getPath().isEmpty() ? "userName" : "path";
            String value = bad.getPath().isEmpty() ? bad.getUserName() : bad.getPath();
            assertTrue(description.startsWith("1 validation error detected: Value '" + value + "' at '" + parameter
                    + "' failed to satisfy constraint: Member must "), description);
        }
        fails(Status.Code.NOT_FOUND, "NoSuchEntity", () -> root.getUser(GetUserRequest.newBuilder().setUserName("judy").build()));
    }

    @Test
    void getUserOfAMissingUserIsAuthorizedFirstThenNoSuchEntity() {
        var root = asRoot();
        policy.reset();
        StatusRuntimeException e = fails(Status.Code.NOT_FOUND, "NoSuchEntity",
                () -> root.getUser(GetUserRequest.newBuilder().setUserName("bob").build()));
        assertEquals("The user with name bob cannot be found.", e.getStatus().getDescription());
        assertEquals(1, policy.questions().size());
        assertEquals("iam:GetUser", policy.questions().get(0).action());
        assertEquals("arn:aws:iam::123456789012:user/bob", policy.questions().get(0).resource());

        // Denied, a missing and an existing user look the same: existence cannot be probed.
        userWithPassword("kate");
        String kate = identity.signIn(userSignIn(ACCOUNT, "kate", PASSWORD).build()).getAccessToken();
        policy.allow(false);
        StatusRuntimeException missing = fails(Status.Code.PERMISSION_DENIED, "AccessDenied",
                () -> as(kate).getUser(GetUserRequest.newBuilder().setUserName("bob").build()));
        assertEquals("User: arn:aws:iam::123456789012:user/kate is not authorized to perform: iam:GetUser on resource:"
                + " arn:aws:iam::123456789012:user/bob because no identity-based policy allows the iam:GetUser action",
                missing.getStatus().getDescription());
        StatusRuntimeException existing = fails(Status.Code.PERMISSION_DENIED, "AccessDenied",
                () -> as(kate).getUser(GetUserRequest.newBuilder().setUserName("kate").build()));
        assertEquals(missing.getStatus().getDescription().replace("user/bob", "user/kate"),
                existing.getStatus().getDescription());
        // Without a name, an IAM user needs iam:GetUser on itself too (as in AWS).
        fails(Status.Code.PERMISSION_DENIED, "AccessDenied", () -> as(kate).getUser(GetUserRequest.getDefaultInstance()));
    }

    @Test
    void aDenyGivesAccessDeniedAndChangesNothing() {
        var root = asRoot();
        root.createUser(CreateUserRequest.newBuilder().setUserName("leo").build());
        policy.reset();
        policy.allow(false);
        StatusRuntimeException e = fails(Status.Code.PERMISSION_DENIED, "AccessDenied",
                () -> root.createUser(CreateUserRequest.newBuilder().setUserName("eve").build()));
        assertEquals("User: arn:aws:iam::123456789012:root is not authorized to perform: iam:CreateUser on resource:"
                + " arn:aws:iam::123456789012:user/eve because no identity-based policy allows the iam:CreateUser"
                + " action", e.getStatus().getDescription());
        fails(Status.Code.PERMISSION_DENIED, "AccessDenied", () -> root.createLoginProfile(
                CreateLoginProfileRequest.newBuilder().setUserName("leo").setPassword(PASSWORD).build()));
        assertEquals(List.of(
                new RecordingPolicyEnforcer.Question(policy.questions().get(0).caller(), "iam:CreateUser",
                        "arn:aws:iam::123456789012:user/eve"),
                new RecordingPolicyEnforcer.Question(policy.questions().get(0).caller(), "iam:CreateLoginProfile",
                        "arn:aws:iam::123456789012:user/leo")), policy.questions());

        policy.reset();
        fails(Status.Code.NOT_FOUND, "NoSuchEntity", () -> root.getUser(GetUserRequest.newBuilder().setUserName("eve").build()));
        fails(Status.Code.UNAUTHENTICATED, "SignInFailed", () -> identity.signIn(userSignIn(ACCOUNT, "leo", PASSWORD).build()));
        // Allowed now, the login profile can be created: the denied call left nothing behind.
        root.createLoginProfile(CreateLoginProfileRequest.newBuilder().setUserName("leo").setPassword(PASSWORD).build());
        assertEquals("arn:aws:iam::123456789012:user/leo",
                identity.signIn(userSignIn(ACCOUNT, "leo", PASSWORD).build()).getPrincipalArn());
    }

    // --- login profiles --------------------------------------------------------------------

    @Test
    void loginProfilesFollowThePasswordPolicyAndAreCreatedOnce() {
        var root = asRoot();
        root.createUser(CreateUserRequest.newBuilder().setUserName("nina").build());
        for (String weak : List.of("short1A", "alllowercase1", "ALLUPPERCASE!", "Nina", "nina")) {
            StatusRuntimeException e = fails(Status.Code.INVALID_ARGUMENT, "PasswordPolicyViolation",
                    () -> root.createLoginProfile(CreateLoginProfileRequest.newBuilder().setUserName("nina")
                            .setPassword(weak).build()));
            assertFalse(e.getStatus().getDescription().contains(weak));
        }
        fails(Status.Code.INVALID_ARGUMENT, "PasswordPolicyViolation", () -> root.createLoginProfile(
                CreateLoginProfileRequest.newBuilder().setUserName("nina").setPassword("Example-Corp").build()));
        fails(Status.Code.UNAUTHENTICATED, "SignInFailed", () -> identity.signIn(userSignIn(ACCOUNT, "nina", "alllowercase1").build()));

        var profile = root.createLoginProfile(CreateLoginProfileRequest.newBuilder().setUserName("nina")
                .setPassword(PASSWORD).setPasswordResetRequired(true).build()).getLoginProfile();
        assertTrue(profile.getPasswordResetRequired());
        StatusRuntimeException again = fails(Status.Code.ALREADY_EXISTS, "EntityAlreadyExists",
                () -> root.createLoginProfile(CreateLoginProfileRequest.newBuilder().setUserName("nina")
                        .setPassword("Another-Passw0rd!").build()));
        assertEquals("Login Profile for user nina already exists.", again.getStatus().getDescription());
        // The first password stays.
        identity.signIn(userSignIn(ACCOUNT, "nina", PASSWORD).build());

        policy.reset();
        StatusRuntimeException missing = fails(Status.Code.NOT_FOUND, "NoSuchEntity",
                () -> root.createLoginProfile(CreateLoginProfileRequest.newBuilder().setUserName("oscar")
                        .setPassword(PASSWORD).build()));
        assertEquals("The user with name oscar cannot be found.", missing.getStatus().getDescription());
        assertEquals("arn:aws:iam::123456789012:user/oscar", policy.questions().get(0).resource());
    }
}

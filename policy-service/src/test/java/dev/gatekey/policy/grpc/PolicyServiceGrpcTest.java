package dev.gatekey.policy.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.platform.grpc.GrpcErrors;
import dev.gatekey.policy.conformance.ConformanceCorpus;
import dev.gatekey.policy.v1.AttachUserPolicyRequest;
import dev.gatekey.policy.v1.AuthorizeRequest;
import dev.gatekey.policy.v1.AuthorizeResponse;
import dev.gatekey.policy.v1.ContextEntry;
import dev.gatekey.policy.v1.CreatePolicyRequest;
import dev.gatekey.policy.v1.Decision;
import dev.gatekey.policy.v1.Effect;
import dev.gatekey.policy.v1.GetPolicyRequest;
import dev.gatekey.policy.v1.GetPolicyVersionRequest;
import dev.gatekey.policy.v1.ListAttachedUserPoliciesRequest;
import dev.gatekey.policy.v1.Policy;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import dev.gatekey.policy.v1.PolicyServiceGrpc.PolicyServiceBlockingStub;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.TestTokens;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

/**
 * The walking-skeleton flow over gRPC against a real PostgreSQL: alice has AWS's tutorial
 * policy (BlockMostAccessUnlessSignedInWithMFA) and a policy allowing iam:GetUser on any user.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyServiceGrpcTest {
    private static final String ACCOUNT = TestTokens.ACCOUNT_ID;
    private static final String BOB = "arn:aws:iam::" + ACCOUNT + ":user/bob";
    private static final Pattern VALIDATION_ERROR = Pattern.compile(
            "1 validation error detected: Value .* at '([^']+)' failed to satisfy constraint: Member must .*",
            Pattern.DOTALL);

    private ManagedChannel channel;
    private PolicyServiceBlockingStub stub;
    private PolicyServiceBlockingStub root;
    private String alice;
    private Policy tutorial;
    private Policy getUser;

    @BeforeAll
    void setUp() {
        channel = ManagedChannelBuilder.forAddress("localhost", 19093).usePlaintext().build();
        stub = PolicyServiceGrpc.newBlockingStub(channel);
        root = BearerToken.attach(stub, TestTokens.rootToken());
        // A user of its own, so that other test classes sharing the database do not interfere.
        alice = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        String suffix = alice.substring(6);
        tutorial = root.createPolicy(CreatePolicyRequest.newBuilder().setPolicyName("Force_MFA-" + suffix)
                .setPolicyDocument(ConformanceCorpus.policyFile("aws-tutorial-force-mfa"))
                .setDescription("This policy allows users to manage their own passwords and MFA devices but nothing "
                        + "else unless they authenticate with MFA.")
                .build()).getPolicy();
        getUser = root.createPolicy(CreatePolicyRequest.newBuilder().setPolicyName("GetAnyUser-" + suffix)
                .setPath("/gatekey/").setPolicyDocument(ConformanceCorpus.policyFile("allow-get-user-any")).build())
                .getPolicy();
        for (Policy p : new Policy[] {tutorial, getUser}) {
            root.attachUserPolicy(AttachUserPolicyRequest.newBuilder().setUserName(alice).setPolicyArn(p.getArn()).build());
        }
    }

    @AfterAll
    void tearDown() {
        channel.shutdownNow();
    }

    private static AuthorizeRequest getUserOnBob() {
        return AuthorizeRequest.newBuilder().setAction("iam:GetUser").setResource(BOB).build();
    }

    private static String reason(Executable call, Status.Code code) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        return GrpcErrors.reason(e);
    }

    /** The request parameter an AWS-worded ValidationError names. */
    private static String invalidParameter(Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals("ValidationError", GrpcErrors.reason(e));
        Matcher m = VALIDATION_ERROR.matcher(e.getStatus().getDescription());
        assertTrue(m.matches(), e.getStatus().getDescription());
        return m.group(1);
    }

    @Test
    void createdPolicyHasAwsShape() {
        assertTrue(tutorial.getPolicyId().matches("ANPA[A-Z0-9]{17}"), tutorial.getPolicyId());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":policy/" + tutorial.getPolicyName(), tutorial.getArn());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":policy/gatekey/" + getUser.getPolicyName(), getUser.getArn());
        assertEquals("/", tutorial.getPath());
        assertEquals("v1", tutorial.getDefaultVersionId());
        assertTrue(tutorial.getCreateDate().getSeconds() > 0);
        Policy fetched = root.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(tutorial.getArn()).build()).getPolicy();
        assertEquals(tutorial.getPolicyId(), fetched.getPolicyId());
        assertEquals(1, fetched.getAttachmentCount());
        assertTrue(fetched.getDescription().startsWith("This policy allows users"));
        var version = root.getPolicyVersion(GetPolicyVersionRequest.newBuilder().setPolicyArn(tutorial.getArn())
                .setVersionId("v1").build()).getPolicyVersion();
        assertEquals(ConformanceCorpus.policyFile("aws-tutorial-force-mfa"), version.getDocument(),
                "the document is returned exactly as written");
        assertTrue(version.getIsDefaultVersion());
        var attached = root.listAttachedUserPolicies(ListAttachedUserPoliciesRequest.newBuilder().setUserName(alice)
                .build()).getAttachedPoliciesList();
        assertEquals(2, attached.size());
        assertEquals(tutorial.getArn(), attached.get(0).getPolicyArn(), "ordered by name");
        assertEquals(getUser.getArn(), attached.get(1).getPolicyArn());
    }

    @Test
    void passwordOnlyAliceIsExplicitlyDeniedByTheTutorialStatement() {
        AuthorizeResponse r = BearerToken.attach(stub, TestTokens.userToken(alice)).authorize(getUserOnBob());
        assertEquals(Decision.DECISION_EXPLICIT_DENY, r.getDecision());
        assertEquals(1, r.getMatchedStatementsCount());
        assertEquals("BlockMostAccessUnlessSignedInWithMFA", r.getMatchedStatements(0).getSid());
        assertEquals(4, r.getMatchedStatements(0).getStatementIndex());
        assertEquals(Effect.EFFECT_DENY, r.getMatchedStatements(0).getEffect());
        assertEquals(tutorial.getArn(), r.getMatchedStatements(0).getSourcePolicyId());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":user/" + alice, r.getPrincipalArn());
    }

    @Test
    void aliceWithMfaIsAllowed() {
        AuthorizeResponse r = BearerToken.attach(stub, TestTokens.userTokenWithMfa(alice, 30)).authorize(getUserOnBob());
        assertEquals(Decision.DECISION_ALLOWED, r.getDecision());
        assertEquals(getUser.getArn(), r.getMatchedStatements(0).getSourcePolicyId());
        assertEquals(Effect.EFFECT_ALLOW, r.getMatchedStatements(0).getEffect());
    }

    @Test
    void longTermKeyIsDeniedAndTheMissingKeyReported() {
        AuthorizeResponse r = BearerToken.attach(stub, TestTokens.userTokenLongTerm(alice)).authorize(getUserOnBob());
        assertEquals(Decision.DECISION_EXPLICIT_DENY, r.getDecision());
        assertEquals(java.util.List.of("aws:MultiFactorAuthPresent"), r.getMissingContextValuesList());
    }

    @Test
    void rootIsAllowed() {
        AuthorizeResponse r = root.authorize(getUserOnBob());
        assertEquals(Decision.DECISION_ALLOWED, r.getDecision());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":root", r.getPrincipalArn());
    }

    @Test
    void aUserWithoutPoliciesIsImplicitlyDenied() {
        AuthorizeResponse r = BearerToken.attach(stub, TestTokens.userTokenWithMfa("nobody-" + alice, 5))
                .authorize(getUserOnBob());
        assertEquals(Decision.DECISION_IMPLICIT_DENY, r.getDecision());
        assertEquals(0, r.getMatchedStatementsCount());
    }

    @Test
    void everyRpcNeedsAToken() {
        assertEquals("MissingAuthenticationToken", reason(() -> stub.authorize(getUserOnBob()), Status.Code.UNAUTHENTICATED));
        reason(() -> stub.createPolicy(CreatePolicyRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED);
        reason(() -> stub.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(tutorial.getArn()).build()),
                Status.Code.UNAUTHENTICATED);
        reason(() -> BearerToken.attach(stub, "not.a.jwt").authorize(getUserOnBob()), Status.Code.UNAUTHENTICATED);
    }

    @Test
    void malformedDocument() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> root.createPolicy(
                CreatePolicyRequest.newBuilder().setPolicyName("Broken-" + alice)
                        .setPolicyDocument("{\n \"Version\": \"2012-10-17\",\n \"Statement\": {\"Effect\": \"Allow\"}\n}")
                        .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("MalformedPolicyDocument", GrpcErrors.reason(e));
        assertTrue(e.getStatus().getDescription().contains("line 3"), e.getStatus().getDescription());
    }

    @Test
    void duplicateNameIgnoringCase() {
        String reason = reason(() -> root.createPolicy(CreatePolicyRequest.newBuilder()
                .setPolicyName(tutorial.getPolicyName().toUpperCase()).setPath("/other/")
                .setPolicyDocument(ConformanceCorpus.policyFile("allow-all")).build()), Status.Code.ALREADY_EXISTS);
        assertEquals("EntityAlreadyExists", reason);
    }

    @Test
    void unknownArnIsNoSuchEntity() {
        String arn = "arn:aws:iam::" + ACCOUNT + ":policy/DoesNotExist-" + alice;
        assertEquals("NoSuchEntity", reason(() -> root.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(arn).build()),
                Status.Code.NOT_FOUND));
        assertEquals("NoSuchEntity", reason(() -> root.attachUserPolicy(AttachUserPolicyRequest.newBuilder()
                .setUserName(alice).setPolicyArn(arn).build()), Status.Code.NOT_FOUND));
        assertEquals("NoSuchEntity", reason(() -> root.getPolicyVersion(GetPolicyVersionRequest.newBuilder()
                .setPolicyArn(tutorial.getArn()).setVersionId("v2").build()), Status.Code.NOT_FOUND));
    }

    @Test
    void aliceMayNotCreatePolicies() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> BearerToken
                .attach(stub, TestTokens.userTokenWithMfa(alice, 10))
                .createPolicy(CreatePolicyRequest.newBuilder().setPolicyName("Mine-" + alice)
                        .setPolicyDocument(ConformanceCorpus.policyFile("allow-all")).build()));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        assertEquals("AccessDenied", GrpcErrors.reason(e));
        assertEquals("User: arn:aws:iam::" + ACCOUNT + ":user/" + alice + " is not authorized to perform: "
                + "iam:CreatePolicy on resource: arn:aws:iam::" + ACCOUNT + ":policy/Mine-" + alice
                + " because no identity-based policy allows the iam:CreatePolicy action", e.getStatus().getDescription());
        // Without MFA the tutorial's deny names the explicit deny.
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> BearerToken
                .attach(stub, TestTokens.userToken(alice))
                .getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(tutorial.getArn()).build()));
        assertTrue(denied.getStatus().getDescription().endsWith("with an explicit deny in an identity-based policy"));
        assertEquals("AccessDenied", reason(() -> BearerToken.attach(stub, TestTokens.userTokenWithMfa(alice, 10))
                .attachUserPolicy(AttachUserPolicyRequest.newBuilder().setUserName(alice)
                        .setPolicyArn(tutorial.getArn()).build()), Status.Code.PERMISSION_DENIED));
        assertEquals("AccessDenied", reason(() -> BearerToken.attach(stub, TestTokens.userTokenWithMfa(alice, 10))
                .listAttachedUserPolicies(ListAttachedUserPoliciesRequest.newBuilder().setUserName(alice).build()),
                Status.Code.PERMISSION_DENIED));
    }

    @Test
    void validationErrors() {
        for (String name : new String[] {"", "has space", "x".repeat(129), "slash/"}) {
            assertEquals("policyName", invalidParameter(() -> root.createPolicy(CreatePolicyRequest.newBuilder()
                    .setPolicyName(name).setPolicyDocument(ConformanceCorpus.policyFile("allow-all")).build())), name);
        }
        for (String path : new String[] {"noslash", "/a", "/" + "a".repeat(512) + "/"}) {
            assertEquals("path", invalidParameter(() -> root.createPolicy(CreatePolicyRequest.newBuilder()
                    .setPolicyName("P-" + alice).setPath(path).setPolicyDocument(ConformanceCorpus.policyFile("allow-all"))
                    .build())), path);
        }
        assertEquals("description", invalidParameter(() -> root.createPolicy(CreatePolicyRequest.newBuilder()
                .setPolicyName("P-" + alice).setDescription("d".repeat(1001))
                .setPolicyDocument(ConformanceCorpus.policyFile("allow-all")).build())));
        assertEquals("ValidationError", reason(() -> root.getPolicy(GetPolicyRequest.newBuilder()
                .setPolicyArn("not-an-arn").build()), Status.Code.INVALID_ARGUMENT));
        assertEquals("versionId", invalidParameter(() -> root.getPolicyVersion(GetPolicyVersionRequest.newBuilder()
                .setPolicyArn(tutorial.getArn()).setVersionId("1").build())));
        assertEquals("userName", invalidParameter(() -> root.attachUserPolicy(AttachUserPolicyRequest.newBuilder()
                .setUserName("bad name").setPolicyArn(tutorial.getArn()).build())));
        assertEquals("ValidationError", reason(() -> BearerToken.attach(stub, TestTokens.userToken(alice))
                .authorize(getUserOnBob().toBuilder().addContextEntries(ContextEntry.newBuilder()
                        .setContextKeyName("aws:MultiFactorAuthPresent").addContextKeyValues("true")).build()),
                Status.Code.INVALID_ARGUMENT));
        assertEquals("ValidationError", reason(() -> root.authorize(AuthorizeRequest.newBuilder()
                .setAction("GetUser").setResource(BOB).build()), Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void attachingIsIdempotent() {
        root.attachUserPolicy(AttachUserPolicyRequest.newBuilder().setUserName(alice.toUpperCase())
                .setPolicyArn(getUser.getArn()).build());
        assertEquals(2, root.listAttachedUserPolicies(ListAttachedUserPoliciesRequest.newBuilder().setUserName(alice)
                .build()).getAttachedPoliciesCount(), "user names ignore case; attaching twice is a no-op");
        assertFalse(root.getPolicy(GetPolicyRequest.newBuilder().setPolicyArn(getUser.getArn()).build()).getPolicy()
                .getAttachmentCount() > 1);
    }
}

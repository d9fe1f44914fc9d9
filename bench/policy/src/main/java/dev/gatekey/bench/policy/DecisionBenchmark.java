package dev.gatekey.bench.policy;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.policy.domain.ApplicablePolicy;
import dev.gatekey.policy.domain.AuthorizationResult;
import dev.gatekey.policy.domain.Authorizer;
import dev.gatekey.policy.domain.Decision;
import dev.gatekey.policy.domain.PolicyParser;
import dev.gatekey.policy.domain.PolicySet;
import dev.gatekey.policy.domain.PolicyType;
import dev.gatekey.policy.domain.RequestContext;
import dev.gatekey.policy.domain.RequestContextFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * In-process decisions through policy-service's domain evaluator ({@link Authorizer} over a
 * compiled {@link PolicySet}), one thread. The principal holds AWS's documented
 * self-manage-credentials policy with {@code DenyAllExceptListedIfNoMFA}
 * ({@code conformance/policies/aws-self-manage-mfa-and-creds.json}, parsed by the service's
 * parser), optionally with {@code irrelevantStatements} further statements attached in managed
 * policies of their own: Allow and Deny statements of other services (exact actions and
 * {@code service:Prefix*} wildcards, ARNs, conditions), which the action index must skip.
 *
 * <p>Each benchmark method is one typical request of the self-manage-MFA set; {@code decide}
 * takes a request context built in advance (the evaluator alone), {@code buildAndDecide} builds
 * it from the caller as {@code AuthorizationService} does on every call. Every result is
 * checked once at set-up, so a benchmark never measures a wrong answer.
 */
@State(Scope.Thread)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
public class DecisionBenchmark {
    static final String ACCOUNT = "123456789012";
    static final String USER = "alice";
    static final String USER_ARN = "arn:aws:iam::" + ACCOUNT + ":user/" + USER;

    @Param({"0", "1000"})
    public int irrelevantStatements;

    PolicySet identity;
    Caller withMfa;
    Caller withoutMfa;
    Caller longTerm;
    RequestContext mfaCreateAccessKey;
    RequestContext noMfaCreateAccessKey;
    RequestContext noMfaEnableMfaDevice;
    RequestContext noMfaOtherService;

    @Setup
    public void setUp() {
        List<ApplicablePolicy> policies = new ArrayList<>();
        policies.add(new ApplicablePolicy("arn:aws:iam::" + ACCOUNT + ":policy/SelfManageMfaAndCredentials",
                PolicyType.USER_MANAGED, PolicyParser.parseManagedPolicy(resource("policies/aws-self-manage-mfa-and-creds.json"))));
        policies.addAll(IrrelevantPolicies.of(irrelevantStatements, ACCOUNT));
        identity = PolicySet.of(policies);
        if (identity.statementCount() != 9 + irrelevantStatements) {
            throw new IllegalStateException("expected " + (9 + irrelevantStatements) + " statements, got "
                    + identity.statementCount());
        }
        Instant now = Instant.now();
        withMfa = caller(Optional.of(true), Optional.of(now.minusSeconds(300)), now);
        withoutMfa = caller(Optional.of(false), Optional.empty(), now);
        longTerm = caller(Optional.empty(), Optional.empty(), null);
        mfaCreateAccessKey = context(withMfa, "iam:CreateAccessKey", USER_ARN, now);
        noMfaCreateAccessKey = context(withoutMfa, "iam:CreateAccessKey", USER_ARN, now);
        noMfaEnableMfaDevice = context(withoutMfa, "iam:EnableMFADevice", USER_ARN, now);
        noMfaOtherService = context(withoutMfa, "s3:GetObject", "arn:aws:s3:::reports/2026/q3.csv", now);
        expect(decide(mfaCreateAccessKey), Decision.ALLOWED, "MFA session, CreateAccessKey on itself");
        expect(decide(noMfaCreateAccessKey), Decision.EXPLICIT_DENY, "password-only session, CreateAccessKey");
        expect(decide(noMfaEnableMfaDevice), Decision.ALLOWED, "password-only session, EnableMFADevice");
        expect(decide(noMfaOtherService), Decision.EXPLICIT_DENY, "password-only session, s3:GetObject");
        expect(buildAndDecide(withMfa, "iam:CreateAccessKey", USER_ARN), Decision.ALLOWED, "built context");
        expect(buildAndDecide(longTerm, "iam:CreateAccessKey", USER_ARN), Decision.EXPLICIT_DENY,
                "long-term key: the key is absent, so BoolIfExists denies");
    }

    /** An MFA session creates an access key for itself: allowed by AllowManageOwnAccessKeys. */
    @Benchmark
    public AuthorizationResult mfaSessionAllowed() {
        return decide(mfaCreateAccessKey);
    }

    /** A password-only session creates an access key: DenyAllExceptListedIfNoMFA. */
    @Benchmark
    public AuthorizationResult noMfaSessionDenied() {
        return decide(noMfaCreateAccessKey);
    }

    /** A password-only session enables its MFA device: one of the listed exceptions, allowed. */
    @Benchmark
    public AuthorizationResult noMfaSessionEnablesMfa() {
        return decide(noMfaEnableMfaDevice);
    }

    /** A password-only session reads an S3 object: only the NotAction deny applies. */
    @Benchmark
    public AuthorizationResult noMfaSessionOtherService() {
        return decide(noMfaOtherService);
    }

    /** The context built from the caller on every call (as Authorize does), then the decision. */
    @Benchmark
    public AuthorizationResult mfaSessionAllowedWithContext() {
        return buildAndDecide(withMfa, "iam:CreateAccessKey", USER_ARN);
    }

    AuthorizationResult decide(RequestContext context) {
        return Authorizer.authorize(context, identity, null);
    }

    AuthorizationResult buildAndDecide(Caller caller, String action, String resource) {
        return Authorizer.authorize(RequestContextFactory.fromCaller(caller, action, resource, Map.of(), Instant.now()),
                identity, null);
    }

    private static Caller caller(Optional<Boolean> mfa, Optional<Instant> mfaTime, Instant issuedAt) {
        return new Caller(USER_ARN, PrincipalType.USER, ACCOUNT, "AIDABENCHALICE00000001", USER, mfa, mfaTime,
                issuedAt, null);
    }

    private static RequestContext context(Caller caller, String action, String resource, Instant now) {
        return RequestContextFactory.fromCaller(caller, action, resource, Map.of(), now);
    }

    private static void expect(AuthorizationResult result, Decision expected, String what) {
        if (result.decision() != expected) {
            throw new IllegalStateException(what + ": expected " + expected + ", got " + result.decision());
        }
    }

    static String resource(String name) {
        try (InputStream in = DecisionBenchmark.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

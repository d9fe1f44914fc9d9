package dev.gatekey.platform.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatekey.identity.v1.IamUserCredentials;
import dev.gatekey.identity.v1.IdentityServiceGrpc;
import dev.gatekey.identity.v1.SignInRequest;
import dev.gatekey.identity.v1.SignInResponse;
import dev.gatekey.mfa.v1.ListMFADevicesRequest;
import dev.gatekey.mfa.v1.ListMFADevicesResponse;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.mfa.v1.VerifyTotpRequest;
import dev.gatekey.mfa.v1.VerifyTotpResponse;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.grpc.UnaryCall;
import dev.gatekey.policy.v1.AuthorizeRequest;
import dev.gatekey.policy.v1.AuthorizeResponse;
import dev.gatekey.policy.v1.Decision;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The counters operators alert on, driven through real gRPC calls (in-process transport) to
 * stand-in services that answer the way the real ones do: decisions in the AuthorizeResponse,
 * failures as google.rpc.Status with an ErrorInfo reason.
 */
class GatekeyMetricsInterceptorTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws IOException {
        String name = InProcessServerBuilder.generateName();
        var interceptor = new GatekeyMetricsInterceptor(registry);
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(new DecidingPolicyService(), interceptor))
                .addService(ServerInterceptors.intercept(new VerifyingMfaService(), interceptor))
                .addService(ServerInterceptors.intercept(new SigningInIdentityService(), interceptor))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void countsAuthorizationDecisionsByOutcome() {
        var policy = PolicyServiceGrpc.newBlockingStub(channel);
        policy.authorize(AuthorizeRequest.newBuilder().setAction("iam:GetUser").build());
        policy.authorize(AuthorizeRequest.newBuilder().setAction("iam:GetUser").build());
        policy.authorize(AuthorizeRequest.newBuilder().setAction("iam:DeleteUser").build());
        policy.authorize(AuthorizeRequest.newBuilder().setAction("iam:CreateUser").build());
        assertThrows(StatusRuntimeException.class,
                () -> policy.authorize(AuthorizeRequest.newBuilder().setAction("iam:Broken").build()));

        assertEquals(2.0, count(GatekeyMetricsInterceptor.DECISIONS, "decision", "allowed"));
        assertEquals(1.0, count(GatekeyMetricsInterceptor.DECISIONS, "decision", "explicit_deny"));
        assertEquals(1.0, count(GatekeyMetricsInterceptor.DECISIONS, "decision", "implicit_deny"));
        assertEquals(1.0, count(GatekeyMetricsInterceptor.DECISIONS, "decision", "error"));
    }

    @Test
    void countsMfaVerificationsByOutcomeAndLockouts() {
        var mfa = MfaDeviceServiceGrpc.newBlockingStub(channel);
        mfa.verifyTotp(VerifyTotpRequest.newBuilder().setAuthenticationCode("123456").build());
        assertThrows(StatusRuntimeException.class,
                () -> mfa.verifyTotp(VerifyTotpRequest.newBuilder().setAuthenticationCode("000000").build()));
        assertThrows(StatusRuntimeException.class,
                () -> mfa.verifyTotp(VerifyTotpRequest.newBuilder().setAuthenticationCode("000001").build()));
        StatusRuntimeException locked = assertThrows(StatusRuntimeException.class,
                () -> mfa.verifyTotp(VerifyTotpRequest.newBuilder().setAuthenticationCode("999999").build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, locked.getStatus().getCode());
        mfa.listMFADevices(ListMFADevicesRequest.getDefaultInstance());

        assertEquals(1.0, count(GatekeyMetricsInterceptor.MFA_VERIFICATIONS, "outcome", "success"));
        assertEquals(2.0, count(GatekeyMetricsInterceptor.MFA_VERIFICATIONS, "outcome", "InvalidAuthenticationCode"));
        assertEquals(1.0, count(GatekeyMetricsInterceptor.MFA_VERIFICATIONS, "outcome", "LimitExceeded"));
        assertEquals(1.0, count(GatekeyMetricsInterceptor.MFA_LOCKOUTS, "method", "VerifyTotp"));
        // device management is not a verification
        assertEquals(4.0, registry.find(GatekeyMetricsInterceptor.MFA_VERIFICATIONS).counters().stream()
                .mapToDouble(Counter::count).sum());
    }

    @Test
    void countsSignInsByOutcomeAndWhetherMfaWasUsed() {
        var identity = IdentityServiceGrpc.newBlockingStub(channel);
        identity.signIn(signIn("Correct-Horse-9", ""));
        identity.signIn(signIn("Correct-Horse-9", "arn:aws:iam::123456789012:mfa/alice"));
        assertThrows(StatusRuntimeException.class, () -> identity.signIn(signIn("wrong", "")));

        assertEquals(1.0, registry.get(GatekeyMetricsInterceptor.SIGN_INS)
                .tags("outcome", "success", "mfa", "false").counter().count());
        assertEquals(1.0, registry.get(GatekeyMetricsInterceptor.SIGN_INS)
                .tags("outcome", "success", "mfa", "true").counter().count());
        assertEquals(1.0, registry.get(GatekeyMetricsInterceptor.SIGN_INS)
                .tags("outcome", "SignInFailed", "mfa", "false").counter().count());
    }

    @Test
    void aFailureWithoutErrorInfoIsCountedByItsStatusCode() {
        assertEquals("unavailable", GatekeyMetricsInterceptor.outcome(Status.UNAVAILABLE, new io.grpc.Metadata()));
        assertEquals("success", GatekeyMetricsInterceptor.outcome(Status.OK, new io.grpc.Metadata()));
        assertNull(registry.find(GatekeyMetricsInterceptor.DECISIONS).counter());
    }

    private double count(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).counter().count();
    }

    private static SignInRequest signIn(String password, String serial) {
        return SignInRequest.newBuilder()
                .setIamUser(IamUserCredentials.newBuilder().setAccountId("123456789012").setUserName("alice"))
                .setPassword(password).setMfaSerialNumber(serial).build();
    }

    /** Decides by action, as a policy would: GetUser allowed, DeleteUser denied, Broken fails. */
    static class DecidingPolicyService extends PolicyServiceGrpc.PolicyServiceImplBase {
        @Override
        public void authorize(AuthorizeRequest request, StreamObserver<AuthorizeResponse> observer) {
            UnaryCall.complete(observer, () -> {
                Decision decision = switch (request.getAction()) {
                    case "iam:GetUser" -> Decision.DECISION_ALLOWED;
                    case "iam:DeleteUser" -> Decision.DECISION_EXPLICIT_DENY;
                    case "iam:CreateUser" -> Decision.DECISION_IMPLICIT_DENY;
                    default -> throw new GatekeyException("ServiceFailure", ErrorKind.INTERNAL, "broken");
                };
                return AuthorizeResponse.newBuilder().setDecision(decision).build();
            });
        }
    }

    /** Accepts 123456, locks on 999999, refuses any other code. */
    static class VerifyingMfaService extends MfaDeviceServiceGrpc.MfaDeviceServiceImplBase {
        @Override
        public void verifyTotp(VerifyTotpRequest request, StreamObserver<VerifyTotpResponse> observer) {
            UnaryCall.complete(observer, () -> switch (request.getAuthenticationCode()) {
                case "123456" -> VerifyTotpResponse.getDefaultInstance();
                case "999999" -> throw new GatekeyException("LimitExceeded", ErrorKind.LIMIT_EXCEEDED,
                        "Too many failed attempts.");
                default -> throw new GatekeyException("InvalidAuthenticationCode", ErrorKind.UNAUTHENTICATED,
                        "The MFA code is invalid or has already been used.");
            });
        }

        @Override
        public void listMFADevices(ListMFADevicesRequest request, StreamObserver<ListMFADevicesResponse> observer) {
            UnaryCall.complete(observer, ListMFADevicesResponse::getDefaultInstance);
        }
    }

    /** Signs in with the one right password. */
    static class SigningInIdentityService extends IdentityServiceGrpc.IdentityServiceImplBase {
        @Override
        public void signIn(SignInRequest request, StreamObserver<SignInResponse> observer) {
            UnaryCall.complete(observer, () -> {
                if (!request.getPassword().equals("Correct-Horse-9")) {
                    throw new GatekeyException("SignInFailed", ErrorKind.UNAUTHENTICATED,
                            "Your authentication information is incorrect. Please try again.");
                }
                return SignInResponse.getDefaultInstance();
            });
        }
    }
}

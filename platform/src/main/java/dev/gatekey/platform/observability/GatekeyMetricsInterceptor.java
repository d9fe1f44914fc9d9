package dev.gatekey.platform.observability;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.gatekey.identity.v1.SignInRequest;
import dev.gatekey.policy.v1.AuthorizeResponse;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;

/**
 * Counts what operators watch besides request rates and latencies (those come from Micrometer's
 * gRPC binder, per RPC and status): authorization decisions by outcome, MFA verifications by
 * outcome, MFA lockouts and sign-ins by outcome. It reads only the RPC's name, the response
 * message and the final status with its {@code ErrorInfo} reason, so no service code changes,
 * and it records no identifiers, codes or tokens: tags are closed sets of words.
 *
 * <ul>
 * <li>{@value #DECISIONS} {@code {decision=allowed|explicit_deny|implicit_deny|error}} —
 * policy-service {@code Authorize}.</li>
 * <li>{@value #MFA_VERIFICATIONS} {@code {method, outcome=success|<AWS error code>}} — every
 * mfa-device-service {@code Verify*} RPC (the second factor of a sign-in).</li>
 * <li>{@value #MFA_LOCKOUTS} {@code {method}} — a {@code Verify*} refused with
 * RESOURCE_EXHAUSTED: the device or user is locked after too many failures.</li>
 * <li>{@value #SIGN_INS} {@code {outcome=success|<AWS error code>, mfa=true|false}} —
 * identity-service {@code SignIn}.</li>
 * </ul>
 */
@ApplicationScoped
@GlobalInterceptor
// Any.unpack finds getDefaultInstance() reflectively; in a native image these classes (outside
// the services' index) must be registered. A no-op on the JVM.
@RegisterForReflection(targets = {ErrorInfo.class, com.google.rpc.Status.class})
public class GatekeyMetricsInterceptor implements ServerInterceptor {
    public static final String DECISIONS = "gatekey.policy.decisions";
    public static final String MFA_VERIFICATIONS = "gatekey.mfa.verifications";
    public static final String MFA_LOCKOUTS = "gatekey.mfa.lockouts";
    public static final String SIGN_INS = "gatekey.identity.sign.ins";

    static final String AUTHORIZE = "gatekey.policy.v1.PolicyService/Authorize";
    static final String MFA_SERVICE = "gatekey.mfa.v1.MfaDeviceService";
    static final String SIGN_IN = "gatekey.identity.v1.IdentityService/SignIn";

    private final MeterRegistry registry;

    @Inject
    public GatekeyMetricsInterceptor(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        if (method.equals(AUTHORIZE)) {
            return next.startCall(new Observed<>(call) {
                @Override
                void completed(Object response, Status status, Metadata trailers) {
                    String decision = status.isOk() && response instanceof AuthorizeResponse authorize
                            ? decisionTag(authorize) : "error";
                    registry.counter(DECISIONS, "decision", decision).increment();
                }
            }, headers);
        }
        String service = call.getMethodDescriptor().getServiceName();
        String bareMethod = call.getMethodDescriptor().getBareMethodName();
        if (MFA_SERVICE.equals(service) && bareMethod != null && bareMethod.startsWith("Verify")) {
            return next.startCall(new Observed<>(call) {
                @Override
                void completed(Object response, Status status, Metadata trailers) {
                    registry.counter(MFA_VERIFICATIONS, "method", bareMethod,
                            "outcome", outcome(status, trailers)).increment();
                    if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                        registry.counter(MFA_LOCKOUTS, "method", bareMethod).increment();
                    }
                }
            }, headers);
        }
        if (method.equals(SIGN_IN)) {
            boolean[] withMfa = new boolean[1];
            ServerCall.Listener<Q> listener = next.startCall(new Observed<>(call) {
                @Override
                void completed(Object response, Status status, Metadata trailers) {
                    registry.counter(SIGN_INS, "outcome", outcome(status, trailers),
                            "mfa", Boolean.toString(withMfa[0])).increment();
                }
            }, headers);
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
                @Override
                public void onMessage(Q message) {
                    if (message instanceof SignInRequest signIn) {
                        withMfa[0] = !signIn.getMfaSerialNumber().isEmpty();
                    }
                    super.onMessage(message);
                }
            };
        }
        return next.startCall(call, headers);
    }

    static String decisionTag(AuthorizeResponse response) {
        return switch (response.getDecision()) {
            case DECISION_ALLOWED -> "allowed";
            case DECISION_EXPLICIT_DENY -> "explicit_deny";
            case DECISION_IMPLICIT_DENY -> "implicit_deny";
            default -> "error";
        };
    }

    /** "success", or the AWS error code of the ErrorInfo, or the gRPC status code without one. */
    static String outcome(Status status, Metadata trailers) {
        if (status.isOk()) {
            return "success";
        }
        com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
        if (details != null) {
            for (Any detail : details.getDetailsList()) {
                if (detail.is(ErrorInfo.class)) {
                    try {
                        String reason = detail.unpack(ErrorInfo.class).getReason();
                        if (!reason.isEmpty()) {
                            return reason;
                        }
                    } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
                        break;
                    }
                }
            }
        }
        return status.getCode().name().toLowerCase(Locale.ROOT);
    }

    /** Remembers the (last) response message and reports it with the final status. */
    private abstract static class Observed<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private Object response;

        Observed(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        @Override
        public void sendMessage(R message) {
            response = message;
            super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            try {
                completed(response, status, trailers);
            } finally {
                super.close(status, trailers);
            }
        }

        abstract void completed(Object response, Status status, Metadata trailers);
    }
}

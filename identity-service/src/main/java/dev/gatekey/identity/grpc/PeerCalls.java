package dev.gatekey.identity.grpc;

import dev.gatekey.identity.config.PeerDeadlines;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.grpc.GrpcErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Calls another Gatekey service and maps its errors back to Gatekey exceptions with the same
 * AWS error code; a peer that cannot answer is ServiceUnavailable (fail closed).
 */
public final class PeerCalls {
    private static final Logger LOG = Logger.getLogger(PeerCalls.class);

    private PeerCalls() {
    }

    /** The stub with the peer's deadline ({@link PeerDeadlines}) from now. */
    public static <S extends AbstractStub<S>> S within(S stub, PeerDeadlines.Peer peer) {
        return stub.withDeadlineAfter(peer.deadline().toMillis(), TimeUnit.MILLISECONDS);
    }

    public static <T> T call(String peer, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw translate(peer, e);
        }
    }

    static GatekeyException translate(String peer, StatusRuntimeException e) {
        String reason = GrpcErrors.reason(e);
        Status.Code code = e.getStatus().getCode();
        ErrorKind kind = switch (code) {
            case INVALID_ARGUMENT, OUT_OF_RANGE -> ErrorKind.INVALID_INPUT;
            case UNAUTHENTICATED -> ErrorKind.UNAUTHENTICATED;
            case PERMISSION_DENIED -> ErrorKind.ACCESS_DENIED;
            case NOT_FOUND -> ErrorKind.NOT_FOUND;
            case ALREADY_EXISTS -> ErrorKind.ALREADY_EXISTS;
            case FAILED_PRECONDITION, ABORTED -> ErrorKind.CONFLICT;
            case RESOURCE_EXHAUSTED -> ErrorKind.LIMIT_EXCEEDED;
            default -> null;
        };
        if (code == Status.Code.DEADLINE_EXCEEDED) {
            // the peer may still complete the call: say so rather than invite a blind retry
            LOG.warnf("%s did not answer within its deadline (gatekey.peers.*.deadline)", peer);
            return new GatekeyException("ServiceUnavailable", ErrorKind.UNAVAILABLE, "The request could not be "
                    + "completed because " + peer + " did not answer in time; it may still have taken effect, so "
                    + "check before you try again.");
        }
        if (kind == null || reason == null) {
            LOG.warnf("%s could not answer (%s %s)", peer, code, reason == null ? "" : reason);
            return new GatekeyException("ServiceUnavailable", ErrorKind.UNAVAILABLE,
                    "The request could not be completed because " + peer + " is unavailable; try again later.");
        }
        return new GatekeyException(reason, kind, e.getStatus().getDescription());
    }
}

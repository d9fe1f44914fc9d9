package dev.gatekey.platform.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.jboss.logging.Logger;

/**
 * The one mapping from Gatekey exceptions to gRPC errors: a {@code google.rpc.Status} whose
 * {@code ErrorInfo.reason} is AWS's error code and whose domain is {@value #DOMAIN}.
 */
public final class GrpcErrors {
    /** The ErrorInfo domain of every Gatekey error. */
    public static final String DOMAIN = "gatekey.dev";

    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {
    }

    public static StatusRuntimeException toStatusException(Throwable failure) {
        if (failure instanceof StatusRuntimeException status) {
            return status;
        }
        if (failure instanceof GatekeyException gatekey) {
            return toStatusException(gatekey);
        }
        // Unexpected: log the stack for operators, tell the caller nothing about internals.
        LOG.error("Unexpected failure while serving a call", failure);
        return toStatusException(new GatekeyException("ServiceFailure", ErrorKind.INTERNAL,
                "The request could not be completed because of an internal error."));
    }

    public static StatusRuntimeException toStatusException(GatekeyException e) {
        ErrorInfo info = ErrorInfo.newBuilder()
                .setReason(e.code())
                .setDomain(DOMAIN)
                .putAllMetadata(e.metadata())
                .build();
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(statusCode(e.kind()).value())
                .setMessage(e.getMessage())
                .addDetails(Any.pack(info))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }

    static Status.Code statusCode(ErrorKind kind) {
        return switch (kind) {
            case INVALID_INPUT -> Status.Code.INVALID_ARGUMENT;
            case UNAUTHENTICATED -> Status.Code.UNAUTHENTICATED;
            case ACCESS_DENIED -> Status.Code.PERMISSION_DENIED;
            case NOT_FOUND -> Status.Code.NOT_FOUND;
            case ALREADY_EXISTS -> Status.Code.ALREADY_EXISTS;
            case CONFLICT -> Status.Code.FAILED_PRECONDITION;
            case LIMIT_EXCEEDED -> Status.Code.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.Code.UNAVAILABLE;
            case INTERNAL -> Status.Code.INTERNAL;
        };
    }

    /** The AWS error code in a status returned by a Gatekey service, or null when it has none. */
    public static String reason(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        if (status == null) {
            return null;
        }
        for (Any detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                try {
                    return detail.unpack(ErrorInfo.class).getReason();
                } catch (com.google.protobuf.InvalidProtocolBufferException ignored) {
                    return null;
                }
            }
        }
        return null;
    }
}

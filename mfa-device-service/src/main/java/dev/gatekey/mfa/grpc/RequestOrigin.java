package dev.gatekey.mfa.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;

/**
 * Where a call came from, for the audit trail: the first address of {@code x-forwarded-for}
 * (set by the gateway or by identity-service for its callers), else the gRPC peer's address.
 */
@ApplicationScoped
@GlobalInterceptor
public class RequestOrigin implements ServerInterceptor {
    static final Metadata.Key<String> FORWARDED_FOR = Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> KEY = Context.key("gatekey-source-address");
    private static final int MAX_LENGTH = 256;

    /** The source address of the current call, when known. */
    public static Optional<String> current() {
        return Optional.ofNullable(KEY.get());
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String address = forwardedFor(headers.get(FORWARDED_FOR))
                .orElseGet(() -> peer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR)));
        if (address == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(KEY, address), call, headers, next);
    }

    private static Optional<String> forwardedFor(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String first = header.split(",", 2)[0].strip();
        return first.isEmpty() ? Optional.empty() : Optional.of(printable(first));
    }

    private static String peer(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
        }
        return address == null ? null : printable(address.toString());
    }

    /** Only printable ASCII, bounded: the header is the caller's to choose. */
    public static String printable(String value) {
        String cleaned = value.replaceAll("[^\\u0021-\\u007E]", "?");
        return cleaned.length() > MAX_LENGTH ? cleaned.substring(0, MAX_LENGTH) : cleaned;
    }
}

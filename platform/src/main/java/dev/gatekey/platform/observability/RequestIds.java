package dev.gatekey.platform.observability;

import io.grpc.Context;
import io.grpc.Metadata;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The request id that ties together the log lines of one call across the three services: taken
 * from the caller's {@code x-request-id} header when it is a plausible id, made up otherwise,
 * kept in the gRPC {@link Context} (so that calls to peers carry it on) and in the logging MDC
 * under {@value #MDC_KEY}.
 */
public final class RequestIds {
    /** The gRPC metadata key, the same one HTTP proxies and ingress controllers use. */
    public static final Metadata.Key<String> HEADER = Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
    /** The MDC key under which every log line of the call carries the id. */
    public static final String MDC_KEY = "requestId";
    /** The current call's request id. */
    public static final Context.Key<String> CONTEXT_KEY = Context.key("gatekey-request-id");

    // A caller chooses the id, so it is never trusted to be anything but a short token: no
    // spaces, quotes or control characters can reach a log line through it.
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {
    }

    /** The caller's id when it is acceptable, otherwise a new random one. */
    public static String acceptOrCreate(String fromCaller) {
        if (fromCaller != null && ACCEPTED.matcher(fromCaller).matches()) {
            return fromCaller;
        }
        return UUID.randomUUID().toString();
    }

    /** The request id of the call being served on this thread, or null outside a call. */
    public static String current() {
        return CONTEXT_KEY.get();
    }
}

package dev.gatekey.platform.auth;

import dev.gatekey.platform.error.GatekeyException;
import io.grpc.Context;
import java.util.Optional;

/** The caller of the current gRPC call, set by {@link BearerTokenInterceptor}. */
public final class CallerContext {
    static final Context.Key<Caller> KEY = Context.key("gatekey-caller");

    private CallerContext() {
    }

    public static Optional<Caller> current() {
        return Optional.ofNullable(KEY.get());
    }

    /** The caller, or {@code MissingAuthenticationToken} when the call carried no token. */
    public static Caller require() {
        return current().orElseThrow(GatekeyException::missingAuthenticationToken);
    }
}

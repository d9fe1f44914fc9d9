package dev.gatekey.platform.auth;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.platform.grpc.GrpcErrors;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Verifies the bearer JWT of every incoming call (signature, issuer, expiry) and makes the
 * {@link Caller} available through {@link CallerContext}. A call without a token goes on
 * without a caller (only sign-in accepts that); a call with a bad token is refused here.
 * A session sends the same token on every call, so verified tokens are kept in a
 * {@link VerifiedTokenCache} until their {@code exp}; any other token is verified in full.
 */
@ApplicationScoped
@GlobalInterceptor
public class BearerTokenInterceptor implements ServerInterceptor {
    /** About 1 KB per entry (the caller and its token). */
    static final int VERIFIED_TOKENS = 10_000;

    @Inject
    JWTParser parser;

    Clock clock = Clock.systemUTC();

    final VerifiedTokenCache verifiedTokens = new VerifiedTokenCache(VERIFIED_TOKENS);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String header = headers.get(BearerToken.AUTHORIZATION);
        if (header == null) {
            return next.startCall(call, headers);
        }
        Caller caller;
        try {
            caller = parse(header);
        } catch (GatekeyException e) {
            var status = GrpcErrors.toStatusException(e);
            call.close(status.getStatus(), status.getTrailers() == null ? new Metadata() : status.getTrailers());
            return new ServerCall.Listener<>() {
            };
        }
        Context context = Context.current().withValue(CallerContext.KEY, caller);
        return Contexts.interceptCall(context, call, headers, next);
    }

    Caller parse(String header) {
        if (!header.regionMatches(true, 0, BearerToken.SCHEME, 0, BearerToken.SCHEME.length())) {
            throw invalidToken();
        }
        String token = header.substring(BearerToken.SCHEME.length()).trim();
        return verifiedTokens.caller(token, clock.instant(), this::verify);
    }

    private VerifiedTokenCache.Verified verify(String token) {
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            throw invalidToken();
        }
        try {
            Object mfaTime = jwt.getClaim(Caller.Claims.MFA_TIME);
            Caller caller = new Caller(
                    jwt.getSubject(),
                    PrincipalType.fromAwsValue(jwt.getClaim(Caller.Claims.PRINCIPAL_TYPE)),
                    jwt.getClaim(Caller.Claims.ACCOUNT),
                    jwt.getClaim(Caller.Claims.USER_ID),
                    jwt.getClaim(Caller.Claims.USER_NAME),
                    Optional.ofNullable(booleanClaim(jwt.getClaim(Caller.Claims.MFA_PRESENT))),
                    Optional.ofNullable(mfaTime).map(t -> Instant.ofEpochSecond(epochSeconds(t))),
                    Instant.ofEpochSecond(jwt.getIssuedAtTime()),
                    token);
            return new VerifiedTokenCache.Verified(caller, Instant.ofEpochSecond(jwt.getExpirationTime()));
        } catch (RuntimeException e) {
            throw invalidToken();
        }
    }

    /** Numeric claims come back as JSON-P numbers from SmallRye JWT, as Java numbers elsewhere. */
    private static long epochSeconds(Object value) {
        return value instanceof JsonNumber number ? number.longValueExact() : ((Number) value).longValue();
    }

    private static Boolean booleanClaim(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        // JsonValue.TRUE / FALSE when the claim is read through JSON-P
        return Boolean.parseBoolean(value.toString());
    }

    private static GatekeyException invalidToken() {
        return new GatekeyException("InvalidClientTokenId", ErrorKind.UNAUTHENTICATED,
                "The security token included in the request is invalid or expired.");
    }
}

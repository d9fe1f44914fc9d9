package dev.gatekey.platform.grpc;

import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/**
 * How a caller's JWT travels on a gRPC call: {@code authorization: Bearer <token>} metadata
 * (RFC 6750 §2.1). Clients attach it here; {@code BearerTokenInterceptor} reads it.
 */
public final class BearerToken {
    /** The metadata key (gRPC metadata keys are lower case). */
    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    /** The scheme in front of the token. */
    public static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    /** {@code stub}, sending {@code token} as the bearer token on every call. */
    public static <S extends AbstractStub<S>> S attach(S stub, String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, SCHEME + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
}

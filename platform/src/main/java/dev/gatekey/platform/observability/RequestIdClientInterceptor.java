package dev.gatekey.platform.observability;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Carries the request id of the call being served on to the calls this service makes to its
 * peers (identity-service → mfa-device-service → policy-service), so one id finds every log
 * line of a sign-in in all three services.
 */
@ApplicationScoped
@GlobalInterceptor
public class RequestIdClientInterceptor implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        String requestId = RequestIds.current();
        ClientCall<Q, R> call = next.newCall(method, options);
        if (requestId == null) {
            return call;
        }
        return new ForwardingClientCall.SimpleForwardingClientCall<>(call) {
            @Override
            public void start(Listener<R> responseListener, Metadata headers) {
                headers.discardAll(RequestIds.HEADER);
                headers.put(RequestIds.HEADER, requestId);
                super.start(responseListener, headers);
            }
        };
    }
}

package dev.gatekey.platform.observability;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.MDC;

/**
 * Gives every incoming call a request id (see {@link RequestIds}), returns it to the caller in
 * the {@code x-request-id} response header, and puts it in the logging MDC around every step of
 * the call, on whichever thread the step runs (event loop or worker).
 */
@ApplicationScoped
@GlobalInterceptor
@Priority(RequestIdServerInterceptor.PRIORITY)
public class RequestIdServerInterceptor implements ServerInterceptor {
    /** Runs before the other interceptors, so that what they log carries the id. */
    public static final int PRIORITY = 1_000_000;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String requestId = RequestIds.acceptOrCreate(headers.get(RequestIds.HEADER));
        ServerCall<Q, R> echoing = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            private boolean headersSent;

            @Override
            public void sendHeaders(Metadata responseHeaders) {
                headersSent = true;
                responseHeaders.put(RequestIds.HEADER, requestId);
                super.sendHeaders(responseHeaders);
            }

            @Override
            public void close(Status status, Metadata trailers) {
                // a call that fails before answering gets a trailers-only response
                if (!headersSent) {
                    trailers.put(RequestIds.HEADER, requestId);
                }
                super.close(status, trailers);
            }
        };
        Context context = Context.current().withValue(RequestIds.CONTEXT_KEY, requestId);
        MDC.put(RequestIds.MDC_KEY, requestId);
        ServerCall.Listener<Q> listener = Contexts.interceptCall(context, echoing, headers, next);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                MDC.put(RequestIds.MDC_KEY, requestId);
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                MDC.put(RequestIds.MDC_KEY, requestId);
                super.onHalfClose();
            }

            @Override
            public void onReady() {
                MDC.put(RequestIds.MDC_KEY, requestId);
                super.onReady();
            }

            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    MDC.remove(RequestIds.MDC_KEY);
                }
            }

            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    MDC.remove(RequestIds.MDC_KEY);
                }
            }
        };
    }
}

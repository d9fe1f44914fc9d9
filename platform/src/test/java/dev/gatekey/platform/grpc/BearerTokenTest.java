package dev.gatekey.platform.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gatekey.policy.v1.AuthorizeRequest;
import dev.gatekey.policy.v1.AuthorizeResponse;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

class BearerTokenTest {

    /** A channel that keeps the metadata of the last call started on it and sends nothing. */
    private static final class RecordingChannel extends Channel {
        Metadata sent;

        @Override
        public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
            return new ClientCall<>() {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    sent = headers;
                }

                @Override
                public void request(int numMessages) {
                }

                @Override
                public void cancel(String message, Throwable cause) {
                }

                @Override
                public void halfClose() {
                }

                @Override
                public void sendMessage(Q message) {
                }
            };
        }

        @Override
        public String authority() {
            return "test";
        }
    }

    private static final StreamObserver<AuthorizeResponse> IGNORED = new StreamObserver<>() {
        @Override
        public void onNext(AuthorizeResponse value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    };

    @Test
    void everyCallOfTheAttachedStubSendsAuthorizationBearer() {
        RecordingChannel channel = new RecordingChannel();
        PolicyServiceGrpc.PolicyServiceStub plain = PolicyServiceGrpc.newStub(channel);

        BearerToken.attach(plain, "eyJ.token.sig").authorize(AuthorizeRequest.getDefaultInstance(), IGNORED);
        assertEquals("Bearer eyJ.token.sig",
                channel.sent.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)));

        plain.authorize(AuthorizeRequest.getDefaultInstance(), IGNORED);
        assertNull(channel.sent.get(BearerToken.AUTHORIZATION), "the original stub is unchanged");
    }
}

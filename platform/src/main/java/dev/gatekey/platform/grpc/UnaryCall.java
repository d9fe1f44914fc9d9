package dev.gatekey.platform.grpc;

import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Completes a unary call with the supplier's result, or with the mapped error. */
public final class UnaryCall {
    private UnaryCall() {
    }

    public static <T> void complete(StreamObserver<T> observer, Supplier<T> work) {
        T response;
        try {
            response = work.get();
        } catch (RuntimeException e) {
            observer.onError(GrpcErrors.toStatusException(e));
            return;
        }
        observer.onNext(response);
        observer.onCompleted();
    }
}

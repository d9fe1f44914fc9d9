package dev.gatekey.identity.query;

import com.google.protobuf.Message;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.CallerContext;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.grpc.GrpcErrors;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for policy-service on this service's own test gRPC server (where the {@code policy}
 * client points in tests): every RPC of gatekey.policy.v1.PolicyService is recorded with the
 * caller its bearer token names, and answers what the test scripted (a response or a Gatekey
 * error, sent as policy-service sends errors), else the empty response.
 */
@GrpcService
public class ScriptedPolicyService implements BindableService {

    /** One call received: the RPC's name, the request, and the caller's principal ARN (null without token). */
    public record Call(String rpc, Message request, String callerArn) {
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Object> answers = new ConcurrentHashMap<>();
    private final Map<String, java.time.Duration> delays = new ConcurrentHashMap<>();

    public void answer(String rpc, Message response) {
        answers.put(rpc, response);
    }

    /** Answer {@code rpc} with this error (its code becomes the ErrorInfo reason). */
    public void fail(String rpc, RuntimeException error) {
        answers.put(rpc, error);
    }

    /** Answer {@code rpc} only after this long (a slow policy-service), without blocking the server. */
    public void delay(String rpc, java.time.Duration delay) {
        delays.put(rpc, delay);
    }

    public void reset() {
        calls.clear();
        answers.clear();
        delays.clear();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The request of the last call of {@code rpc}. */
    @SuppressWarnings("unchecked")
    public <T extends Message> T last(String rpc) {
        for (int i = calls.size() - 1; i >= 0; i--) {
            if (calls.get(i).rpc().equals(rpc)) {
                return (T) calls.get(i).request();
            }
        }
        throw new AssertionError("policy-service was not asked " + rpc + "; calls: " + calls);
    }

    @Override
    public ServerServiceDefinition bindService() {
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(
                PolicyServiceGrpc.getServiceDescriptor());
        for (MethodDescriptor<?, ?> method : PolicyServiceGrpc.getServiceDescriptor().getMethods()) {
            service.addMethod(bind(method));
        }
        return service.build();
    }

    @SuppressWarnings("unchecked")
    private <Q, R> io.grpc.ServerMethodDefinition<Q, R> bind(MethodDescriptor<Q, R> method) {
        String rpc = method.getBareMethodName();
        R empty = ((MethodDescriptor.PrototypeMarshaller<R>) method.getResponseMarshaller()).getMessagePrototype();
        ServerCalls.UnaryMethod<Q, R> handler = (Q request, StreamObserver<R> observer) -> {
            String caller = CallerContext.current().map(Caller::principalArn).orElse(null);
            calls.add(new Call(rpc, (Message) request, caller));
            Object answer = answers.get(rpc);
            java.time.Duration delay = delays.get(rpc);
            if (delay != null) {
                java.util.concurrent.CompletableFuture.delayedExecutor(delay.toMillis(),
                        java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> {
                            observer.onNext(answer == null ? empty : (R) answer);
                            observer.onCompleted();
                        });
            } else if (answer instanceof GatekeyException e) {
                observer.onError(GrpcErrors.toStatusException(e));
            } else if (answer instanceof StatusRuntimeException e) {
                observer.onError(e);
            } else {
                observer.onNext(answer == null ? empty : (R) answer);
                observer.onCompleted();
            }
        };
        return io.grpc.ServerMethodDefinition.create(method, ServerCalls.asyncUnaryCall(handler));
    }
}

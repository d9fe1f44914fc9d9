package dev.gatekey.policy.grpc;

import dev.gatekey.platform.auth.CallerContext;
import dev.gatekey.platform.grpc.UnaryCall;
import dev.gatekey.policy.v1.AuthorizeRequest;
import dev.gatekey.policy.v1.AuthorizeResponse;
import dev.gatekey.policy.v1.Decision;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

@GrpcService
@Blocking
public class PolicyGrpcService extends PolicyServiceGrpc.PolicyServiceImplBase {

    @Override
    public void authorize(AuthorizeRequest request, StreamObserver<AuthorizeResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var caller = CallerContext.require();
            return AuthorizeResponse.newBuilder().setDecision(Decision.DECISION_IMPLICIT_DENY)
                    .setPrincipalArn(caller.principalArn()).build();
        });
    }
}

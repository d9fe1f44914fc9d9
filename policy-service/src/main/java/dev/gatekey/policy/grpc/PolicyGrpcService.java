package dev.gatekey.policy.grpc;

import dev.gatekey.platform.auth.CallerContext;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.grpc.UnaryCall;
import dev.gatekey.policy.application.AuthorizationService;
import dev.gatekey.policy.application.PolicyManagement;
import dev.gatekey.policy.v1.AttachUserPolicyRequest;
import dev.gatekey.policy.v1.AttachUserPolicyResponse;
import dev.gatekey.policy.v1.AuthorizeRequest;
import dev.gatekey.policy.v1.AuthorizeResponse;
import dev.gatekey.policy.v1.ContextEntry;
import dev.gatekey.policy.v1.CreatePolicyRequest;
import dev.gatekey.policy.v1.CreatePolicyResponse;
import dev.gatekey.policy.v1.GetPolicyRequest;
import dev.gatekey.policy.v1.GetPolicyResponse;
import dev.gatekey.policy.v1.GetPolicyVersionRequest;
import dev.gatekey.policy.v1.GetPolicyVersionResponse;
import dev.gatekey.policy.v1.ListAttachedUserPoliciesRequest;
import dev.gatekey.policy.v1.ListAttachedUserPoliciesResponse;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The gRPC face of policy-service: validate, map, call the application service, map back. */
@GrpcService
@Blocking
public class PolicyGrpcService extends PolicyServiceGrpc.PolicyServiceImplBase {

    @Inject
    AuthorizationService authorization;

    @Inject
    PolicyManagement management;

    @Override
    public void authorize(AuthorizeRequest request, StreamObserver<AuthorizeResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var caller = CallerContext.require();
            if (!request.getAction().matches("[A-Za-z0-9-]+:[A-Za-z0-9]+")) {
                throw GatekeyException.invalidInput("Action '" + request.getAction()
                        + "' is not valid: it must have the form service:Action, for example iam:GetUser.");
            }
            if (request.getResource().isEmpty()) {
                throw GatekeyException.invalidInput("Resource must be an ARN or \"*\".");
            }
            Map<String, List<String>> entries = new LinkedHashMap<>();
            for (ContextEntry e : request.getContextEntriesList()) {
                if (entries.put(e.getContextKeyName(), e.getContextKeyValuesList()) != null) {
                    throw GatekeyException.invalidInput("Context key " + e.getContextKeyName() + " is given twice.");
                }
            }
            var result = authorization.authorize(caller, request.getAction(), request.getResource(), entries);
            return PolicyMapper.toResponse(result, caller.principalArn());
        });
    }

    @Override
    public void createPolicy(CreatePolicyRequest request, StreamObserver<CreatePolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var policy = management.createPolicy(CallerContext.require(), request.getPolicyName(), request.getPath(),
                    request.getPolicyDocument(), request.getDescription());
            return CreatePolicyResponse.newBuilder().setPolicy(PolicyMapper.toProto(policy)).build();
        });
    }

    @Override
    public void getPolicy(GetPolicyRequest request, StreamObserver<GetPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> GetPolicyResponse.newBuilder()
                .setPolicy(PolicyMapper.toProto(management.getPolicy(CallerContext.require(), request.getPolicyArn())))
                .build());
    }

    @Override
    public void getPolicyVersion(GetPolicyVersionRequest request, StreamObserver<GetPolicyVersionResponse> observer) {
        UnaryCall.complete(observer, () -> GetPolicyVersionResponse.newBuilder()
                .setPolicyVersion(PolicyMapper.toProto(management.getPolicyVersion(CallerContext.require(),
                        request.getPolicyArn(), request.getVersionId())))
                .build());
    }

    @Override
    public void attachUserPolicy(AttachUserPolicyRequest request, StreamObserver<AttachUserPolicyResponse> observer) {
        UnaryCall.complete(observer, () -> {
            management.attachUserPolicy(CallerContext.require(), request.getUserName(), request.getPolicyArn());
            return AttachUserPolicyResponse.getDefaultInstance();
        });
    }

    @Override
    public void listAttachedUserPolicies(ListAttachedUserPoliciesRequest request,
            StreamObserver<ListAttachedUserPoliciesResponse> observer) {
        UnaryCall.complete(observer, () -> PolicyMapper.toResponse(
                management.listAttachedUserPolicies(CallerContext.require(), request.getUserName())));
    }
}

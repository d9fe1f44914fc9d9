package dev.gatekey.policy.grpc;

import com.google.protobuf.Timestamp;
import dev.gatekey.policy.domain.AuthorizationResult;
import dev.gatekey.policy.persistence.AttachedPolicyRecord;
import dev.gatekey.policy.persistence.ManagedPolicyRecord;
import dev.gatekey.policy.persistence.PolicyVersionRecord;
import dev.gatekey.policy.v1.AttachedPolicy;
import dev.gatekey.policy.v1.AuthorizeResponse;
import dev.gatekey.policy.v1.Decision;
import dev.gatekey.policy.v1.Effect;
import dev.gatekey.policy.v1.ListAttachedUserPoliciesResponse;
import dev.gatekey.policy.v1.MatchedStatement;
import dev.gatekey.policy.v1.Policy;
import dev.gatekey.policy.v1.PolicyVersion;
import java.time.Instant;
import java.util.List;

/** Maps between domain/persistence records and the v1 proto messages. */
final class PolicyMapper {
    private PolicyMapper() {
    }

    static AuthorizeResponse toResponse(AuthorizationResult result, String principalArn) {
        AuthorizeResponse.Builder b = AuthorizeResponse.newBuilder()
                .setDecision(switch (result.decision()) {
                    case ALLOWED -> Decision.DECISION_ALLOWED;
                    case EXPLICIT_DENY -> Decision.DECISION_EXPLICIT_DENY;
                    case IMPLICIT_DENY -> Decision.DECISION_IMPLICIT_DENY;
                })
                .setPrincipalArn(principalArn)
                .addAllMissingContextValues(result.missingContextValues());
        for (var m : result.matchedStatements()) {
            b.addMatchedStatements(MatchedStatement.newBuilder()
                    .setSourcePolicyId(m.sourcePolicyId())
                    .setSid(m.sid())
                    .setStatementIndex(m.statementIndex())
                    .setEffect(m.effect() == dev.gatekey.policy.domain.Effect.ALLOW ? Effect.EFFECT_ALLOW
                            : Effect.EFFECT_DENY));
        }
        return b.build();
    }

    static Policy toProto(ManagedPolicyRecord p) {
        return Policy.newBuilder()
                .setPolicyName(p.policyName())
                .setPolicyId(p.policyId())
                .setArn(p.arn())
                .setPath(p.path())
                .setDefaultVersionId(p.defaultVersionId())
                .setAttachmentCount(p.attachmentCount())
                .setDescription(p.description())
                .setCreateDate(timestamp(p.createdAt()))
                .setUpdateDate(timestamp(p.updatedAt()))
                .build();
    }

    static PolicyVersion toProto(PolicyVersionRecord v) {
        return PolicyVersion.newBuilder()
                .setDocument(v.document())
                .setVersionId(v.versionId())
                .setIsDefaultVersion(v.isDefault())
                .setCreateDate(timestamp(v.createdAt()))
                .build();
    }

    static ListAttachedUserPoliciesResponse toResponse(List<AttachedPolicyRecord> attached) {
        ListAttachedUserPoliciesResponse.Builder b = ListAttachedUserPoliciesResponse.newBuilder();
        for (AttachedPolicyRecord a : attached) {
            b.addAttachedPolicies(AttachedPolicy.newBuilder().setPolicyName(a.policyName()).setPolicyArn(a.arn()));
        }
        return b.build();
    }

    private static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
}

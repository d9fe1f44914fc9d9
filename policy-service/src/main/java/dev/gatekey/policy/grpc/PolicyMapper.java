package dev.gatekey.policy.grpc;

import com.google.protobuf.Timestamp;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.policy.application.Page;
import dev.gatekey.policy.application.PolicySimulator.SimulationResult;
import dev.gatekey.policy.domain.AuthorizationResult;
import dev.gatekey.policy.domain.ContextKeyTypes;
import dev.gatekey.policy.domain.PolicyType;
import dev.gatekey.policy.domain.SourcePosition;
import dev.gatekey.policy.persistence.AttachedPolicyRecord;
import dev.gatekey.policy.persistence.ManagedPolicyRecord;
import dev.gatekey.policy.persistence.PolicyVersionRecord;
import dev.gatekey.policy.persistence.TagRecord;
import dev.gatekey.policy.v1.AttachedPolicy;
import dev.gatekey.policy.v1.AuthorizeResponse;
import dev.gatekey.policy.v1.ContextEntry;
import dev.gatekey.policy.v1.ContextKeyType;
import dev.gatekey.policy.v1.Decision;
import dev.gatekey.policy.v1.Effect;
import dev.gatekey.policy.v1.EvaluationResult;
import dev.gatekey.policy.v1.ListAttachedUserPoliciesResponse;
import dev.gatekey.policy.v1.MatchedStatement;
import dev.gatekey.policy.v1.PermissionsBoundaryDecisionDetail;
import dev.gatekey.policy.v1.Policy;
import dev.gatekey.policy.v1.PolicySourceType;
import dev.gatekey.policy.v1.PolicyVersion;
import dev.gatekey.policy.v1.Position;
import dev.gatekey.policy.v1.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Maps between domain/persistence records and the v1 proto messages. */
final class PolicyMapper {
    private PolicyMapper() {
    }

    static Decision decision(dev.gatekey.policy.domain.Decision d) {
        return switch (d) {
            case ALLOWED -> Decision.DECISION_ALLOWED;
            case EXPLICIT_DENY -> Decision.DECISION_EXPLICIT_DENY;
            case IMPLICIT_DENY -> Decision.DECISION_IMPLICIT_DENY;
        };
    }

    static AuthorizeResponse toResponse(AuthorizationResult result, String principalArn) {
        AuthorizeResponse.Builder b = AuthorizeResponse.newBuilder()
                .setDecision(decision(result.decision()))
                .setPrincipalArn(principalArn)
                .addAllMissingContextValues(result.missingContextValues());
        for (var m : result.matchedStatements()) {
            b.addMatchedStatements(toProto(m));
        }
        return b.build();
    }

    static MatchedStatement toProto(dev.gatekey.policy.domain.MatchedStatement m) {
        return MatchedStatement.newBuilder()
                .setSourcePolicyId(m.sourcePolicyId())
                .setSid(m.sid())
                .setStatementIndex(m.statementIndex())
                .setEffect(m.effect() == dev.gatekey.policy.domain.Effect.ALLOW ? Effect.EFFECT_ALLOW
                        : Effect.EFFECT_DENY)
                .setSourcePolicyType(sourceType(m.sourcePolicyType()))
                .setStartPosition(position(m.start()))
                .setEndPosition(position(m.end()))
                .build();
    }

    private static Position position(SourcePosition p) {
        return Position.newBuilder().setLine(p.line()).setColumn(p.column()).build();
    }

    private static PolicySourceType sourceType(PolicyType t) {
        return switch (t) {
            case USER -> PolicySourceType.POLICY_SOURCE_TYPE_USER;
            case GROUP -> PolicySourceType.POLICY_SOURCE_TYPE_GROUP;
            case USER_MANAGED -> PolicySourceType.POLICY_SOURCE_TYPE_USER_MANAGED;
            case NONE -> PolicySourceType.POLICY_SOURCE_TYPE_NONE;
        };
    }

    static EvaluationResult toProto(SimulationResult s) {
        AuthorizationResult r = s.result();
        EvaluationResult.Builder b = EvaluationResult.newBuilder()
                .setEvalActionName(s.action())
                .setEvalResourceName(s.resource())
                .setEvalDecision(decision(r.decision()))
                .addAllMissingContextValues(r.missingContextValues())
                .putEvalDecisionDetails("IAM Policy", decision(r.identityDecision()));
        r.matchedStatements().forEach(m -> b.addMatchedStatements(toProto(m)));
        if (r.boundaryDecision() != null) {
            b.putEvalDecisionDetails("PermissionsBoundaryPolicy", decision(r.boundaryDecision()));
            b.setPermissionsBoundaryDecisionDetail(PermissionsBoundaryDecisionDetail.newBuilder()
                    .setAllowedByPermissionsBoundary(r.boundaryDecision() == dev.gatekey.policy.domain.Decision.ALLOWED));
        }
        return b.build();
    }

    /** Context entries by key; a key given twice is an error; typed entries are checked. */
    static Map<String, List<String>> context(List<ContextEntry> entries, boolean typed) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (ContextEntry e : entries) {
            if (out.put(e.getContextKeyName(), e.getContextKeyValuesList()) != null) {
                throw GatekeyException.invalidInput("Context key " + e.getContextKeyName() + " is given twice.");
            }
            if (typed) {
                if (!e.getContextKeyName().matches("[A-Za-z0-9-]+:[^\\s]+")) {
                    throw GatekeyException.invalidInput("Context key '" + e.getContextKeyName()
                            + "' is not a valid condition key name.");
                }
                if (e.getContextKeyType() == ContextKeyType.UNRECOGNIZED) {
                    throw GatekeyException.invalidInput("Context key type of " + e.getContextKeyName()
                            + " is not valid.");
                }
                ContextKeyTypes.validate(e.getContextKeyName(), awsType(e.getContextKeyType()),
                        e.getContextKeyValuesList());
            }
        }
        return out;
    }

    private static String awsType(ContextKeyType t) {
        return switch (t) {
            case CONTEXT_KEY_TYPE_STRING -> "string";
            case CONTEXT_KEY_TYPE_STRING_LIST -> "stringList";
            case CONTEXT_KEY_TYPE_NUMERIC -> "numeric";
            case CONTEXT_KEY_TYPE_NUMERIC_LIST -> "numericList";
            case CONTEXT_KEY_TYPE_BOOLEAN -> "boolean";
            case CONTEXT_KEY_TYPE_BOOLEAN_LIST -> "booleanList";
            case CONTEXT_KEY_TYPE_DATE -> "date";
            case CONTEXT_KEY_TYPE_DATE_LIST -> "dateList";
            case CONTEXT_KEY_TYPE_IP -> "ip";
            case CONTEXT_KEY_TYPE_IP_LIST -> "ipList";
            case CONTEXT_KEY_TYPE_BINARY -> "binary";
            case CONTEXT_KEY_TYPE_BINARY_LIST -> "binaryList";
            default -> "";
        };
    }

    static Policy toProto(ManagedPolicyRecord p) {
        return toProto(p, List.of());
    }

    static Policy toProto(ManagedPolicyRecord p, List<TagRecord> tags) {
        Policy.Builder b = Policy.newBuilder()
                .setPolicyName(p.policyName())
                .setPolicyId(p.policyId())
                .setArn(p.arn())
                .setPath(p.path())
                .setDefaultVersionId(p.defaultVersionId())
                .setAttachmentCount(p.attachmentCount())
                .setPermissionsBoundaryUsageCount(p.permissionsBoundaryUsageCount())
                .setIsAttachable(true)
                .setDescription(p.description())
                .setCreateDate(timestamp(p.createdAt()))
                .setUpdateDate(timestamp(p.updatedAt()));
        tags.forEach(t -> b.addTags(toProto(t)));
        return b.build();
    }

    static Tag toProto(TagRecord t) {
        return Tag.newBuilder().setKey(t.key()).setValue(t.value()).build();
    }

    static List<TagRecord> tags(List<Tag> tags) {
        List<TagRecord> out = new ArrayList<>();
        tags.forEach(t -> out.add(new TagRecord(t.getKey(), t.getValue())));
        return out;
    }

    static PolicyVersion toProto(PolicyVersionRecord v) {
        return toProto(v, true);
    }

    static PolicyVersion toProto(PolicyVersionRecord v, boolean withDocument) {
        PolicyVersion.Builder b = PolicyVersion.newBuilder()
                .setVersionId(v.versionId())
                .setIsDefaultVersion(v.isDefault())
                .setCreateDate(timestamp(v.createdAt()));
        if (withDocument) {
            b.setDocument(v.document());
        }
        return b.build();
    }

    static AttachedPolicy toProto(AttachedPolicyRecord a) {
        return AttachedPolicy.newBuilder().setPolicyName(a.policyName()).setPolicyArn(a.arn()).build();
    }

    static ListAttachedUserPoliciesResponse toResponse(Page<AttachedPolicyRecord> page) {
        ListAttachedUserPoliciesResponse.Builder b = ListAttachedUserPoliciesResponse.newBuilder()
                .setIsTruncated(page.truncated()).setMarker(page.marker());
        page.items().forEach(a -> b.addAttachedPolicies(toProto(a)));
        return b.build();
    }

    static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
}

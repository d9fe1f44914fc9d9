package dev.gatekey.identity.query;

import static dev.gatekey.identity.query.PolicyActions.PEER;

import dev.gatekey.identity.application.PolicySubjects;
import dev.gatekey.identity.config.PeerDeadlines;
import dev.gatekey.identity.grpc.PeerCalls;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import dev.gatekey.policy.v1.ContextEntry;
import dev.gatekey.policy.v1.ContextKeyType;
import dev.gatekey.policy.v1.Decision;
import dev.gatekey.policy.v1.EvaluationResult;
import dev.gatekey.policy.v1.MatchedStatement;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import dev.gatekey.policy.v1.Position;
import dev.gatekey.policy.v1.SimulateCustomPolicyRequest;
import dev.gatekey.policy.v1.SimulateCustomPolicyResponse;
import dev.gatekey.policy.v1.SimulatePrincipalPolicyRequest;
import dev.gatekey.policy.v1.SimulatePrincipalPolicyResponse;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamException;

/**
 * The IAM policy simulator, evaluated by policy-service: SimulatePrincipalPolicy (the policies
 * of a user or group of the account, plus any given) and SimulateCustomPolicy (the given
 * policies only). Results in AWS's {@code EvaluationResult} shape.
 */
@ApplicationScoped
public class SimulationActions implements QueryActions {
    /** Resource-based policies are not modelled: Gatekey evaluates identity-based policies only. */
    private static final List<String> UNSUPPORTED = List.of("ResourcePolicy", "ResourceOwner",
            "ResourceHandlingOption");

    @GrpcClient("policy")
    PolicyServiceGrpc.PolicyServiceBlockingStub policy;

    @Inject
    PeerDeadlines deadlines;

    @Inject
    PolicySubjects subjects;

    @Override
    public QueryApi api() {
        return QueryApi.IAM;
    }

    @Override
    public Map<String, QueryAction> actions() {
        return Map.of(
                "SimulatePrincipalPolicy", this::simulatePrincipalPolicy,
                "SimulateCustomPolicy", this::simulateCustomPolicy);
    }

    QueryResult simulatePrincipalPolicy(QueryRequest request) {
        String source = request.required("PolicySourceArn");
        SimulatePrincipalPolicyRequest call = SimulatePrincipalPolicyRequest.newBuilder()
                .setPolicySourceArn(source)
                .addAllPolicyInputList(request.list("PolicyInputList"))
                .addAllPermissionsBoundaryPolicyInputList(request.list("PermissionsBoundaryPolicyInputList"))
                .addAllActionNames(actionNames(request))
                .addAllResourceArns(request.list("ResourceArns"))
                .setCallerArn(request.string("CallerArn").orElse(""))
                .addAllContextEntries(contextEntries(request))
                .setMarker(request.string("Marker").orElse(""))
                .setMaxItems(Page.maxItems(request)).build();
        subjects.requirePolicySource(request.caller(), source);
        SimulatePrincipalPolicyResponse response = PeerCalls.call(PEER, () -> PolicyActions.as(policy,
                request.caller(), deadlines).simulatePrincipalPolicy(call));
        return results(response.getEvaluationResultsList(), response.getIsTruncated(), response.getMarker());
    }

    QueryResult simulateCustomPolicy(QueryRequest request) {
        List<String> policies = request.list("PolicyInputList");
        if (policies.isEmpty()) {
            throw IamNames.validationError("policyInputList", null, "Member must not be null");
        }
        SimulateCustomPolicyRequest call = SimulateCustomPolicyRequest.newBuilder()
                .addAllPolicyInputList(policies)
                .addAllPermissionsBoundaryPolicyInputList(request.list("PermissionsBoundaryPolicyInputList"))
                .addAllActionNames(actionNames(request))
                .addAllResourceArns(request.list("ResourceArns"))
                .setCallerArn(request.string("CallerArn").orElse(""))
                .addAllContextEntries(contextEntries(request))
                .setMarker(request.string("Marker").orElse(""))
                .setMaxItems(Page.maxItems(request)).build();
        SimulateCustomPolicyResponse response = PeerCalls.call(PEER, () -> PolicyActions.as(policy,
                request.caller(), deadlines).simulateCustomPolicy(call));
        return results(response.getEvaluationResultsList(), response.getIsTruncated(), response.getMarker());
    }

    /** ActionNames (required), after refusing the resource-policy parameters Gatekey cannot honour. */
    private static List<String> actionNames(QueryRequest request) {
        for (String parameter : UNSUPPORTED) {
            if (request.string(parameter).isPresent()) {
                throw new GatekeyException("InvalidInput", ErrorKind.INVALID_INPUT, parameter + " is not supported: "
                        + "Gatekey simulates identity-based policies and permissions boundaries only.");
            }
        }
        List<String> actions = request.list("ActionNames");
        if (actions.isEmpty()) {
            throw IamNames.validationError("actionNames", null, "Member must not be null");
        }
        return actions;
    }

    /** {@code ContextEntries.member.N.ContextKeyName / ContextKeyValues.member.M / ContextKeyType}. */
    static List<ContextEntry> contextEntries(QueryRequest request) {
        List<ContextEntry> entries = new ArrayList<>();
        for (Map<String, String> fields : request.structures("ContextEntries")) {
            ContextEntry.Builder entry = ContextEntry.newBuilder()
                    .setContextKeyName(fields.getOrDefault("ContextKeyName", ""))
                    .setContextKeyType(contextKeyType(fields.get("ContextKeyType")));
            for (int i = 1; fields.containsKey("ContextKeyValues.member." + i); i++) {
                entry.addContextKeyValues(fields.get("ContextKeyValues.member." + i));
            }
            entries.add(entry.build());
        }
        return entries;
    }

    private static ContextKeyType contextKeyType(String type) {
        if (type == null) {
            return ContextKeyType.CONTEXT_KEY_TYPE_UNSPECIFIED;
        }
        return switch (type) {
            case "string" -> ContextKeyType.CONTEXT_KEY_TYPE_STRING;
            case "stringList" -> ContextKeyType.CONTEXT_KEY_TYPE_STRING_LIST;
            case "numeric" -> ContextKeyType.CONTEXT_KEY_TYPE_NUMERIC;
            case "numericList" -> ContextKeyType.CONTEXT_KEY_TYPE_NUMERIC_LIST;
            case "boolean" -> ContextKeyType.CONTEXT_KEY_TYPE_BOOLEAN;
            case "booleanList" -> ContextKeyType.CONTEXT_KEY_TYPE_BOOLEAN_LIST;
            case "date" -> ContextKeyType.CONTEXT_KEY_TYPE_DATE;
            case "dateList" -> ContextKeyType.CONTEXT_KEY_TYPE_DATE_LIST;
            case "ip" -> ContextKeyType.CONTEXT_KEY_TYPE_IP;
            case "ipList" -> ContextKeyType.CONTEXT_KEY_TYPE_IP_LIST;
            case "binary" -> ContextKeyType.CONTEXT_KEY_TYPE_BINARY;
            case "binaryList" -> ContextKeyType.CONTEXT_KEY_TYPE_BINARY_LIST;
            default -> throw IamNames.validationError("contextEntries.member.contextKeyType", type,
                    "Member must satisfy enum value set: [string, stringList, numeric, numericList, boolean, "
                            + "booleanList, ip, ipList, binary, binaryList, date, dateList]");
        };
    }

    private static QueryResult results(List<EvaluationResult> results, boolean truncated, String marker) {
        return xml -> xml.members("EvaluationResults", results, SimulationActions::result).paging(truncated, marker);
    }

    /** AWS's {@code EvaluationResult}. */
    static void result(XmlOut xml, EvaluationResult r) throws XMLStreamException {
        xml.element("EvalActionName", r.getEvalActionName())
                .element("EvalResourceName", r.getEvalResourceName())
                .element("EvalDecision", decision(r.getEvalDecision()))
                .members("MatchedStatements", r.getMatchedStatementsList(), SimulationActions::statement)
                .members("MissingContextValues", r.getMissingContextValuesList(), (m, key) -> m.text(key));
        if (r.getEvalDecisionDetailsCount() > 0) {
            xml.nested("EvalDecisionDetails", d -> {
                for (Map.Entry<String, Decision> e : r.getEvalDecisionDetailsMap().entrySet()) {
                    d.nested("entry", en -> en.element("key", e.getKey()).element("value", decision(e.getValue())));
                }
            });
        }
        if (r.hasPermissionsBoundaryDecisionDetail()) {
            xml.nested("PermissionsBoundaryDecisionDetail", d -> d.element("AllowedByPermissionsBoundary",
                    r.getPermissionsBoundaryDecisionDetail().getAllowedByPermissionsBoundary()));
        }
    }

    /** AWS's {@code Statement}: where in which policy the statement is. */
    private static void statement(XmlOut xml, MatchedStatement s) throws XMLStreamException {
        xml.element("SourcePolicyId", s.getSourcePolicyId())
                .element("SourcePolicyType", sourcePolicyType(s))
                .nested("StartPosition", p -> position(p, s.getStartPosition()))
                .nested("EndPosition", p -> position(p, s.getEndPosition()));
    }

    private static void position(XmlOut xml, Position p) throws XMLStreamException {
        xml.element("Line", p.getLine()).element("Column", p.getColumn());
    }

    /** AWS's PolicyEvaluationDecisionType. */
    static String decision(Decision d) {
        return switch (d) {
            case DECISION_ALLOWED -> "allowed";
            case DECISION_EXPLICIT_DENY -> "explicitDeny";
            default -> "implicitDeny";
        };
    }

    /** AWS's PolicySourceType. */
    private static String sourcePolicyType(MatchedStatement s) {
        return switch (s.getSourcePolicyType()) {
            case POLICY_SOURCE_TYPE_USER -> "user";
            case POLICY_SOURCE_TYPE_GROUP -> "group";
            case POLICY_SOURCE_TYPE_USER_MANAGED -> "user-managed";
            case POLICY_SOURCE_TYPE_AWS_MANAGED -> "aws-managed";
            case POLICY_SOURCE_TYPE_ROLE -> "role";
            case POLICY_SOURCE_TYPE_RESOURCE -> "resource";
            default -> "none";
        };
    }
}

package dev.gatekey.identity.query;

import com.google.protobuf.Timestamp;
import dev.gatekey.identity.application.PolicySubjects;
import dev.gatekey.identity.config.PeerDeadlines;
import dev.gatekey.identity.grpc.PeerCalls;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.platform.iam.IamNames;
import dev.gatekey.policy.v1.CreatePolicyRequest;
import dev.gatekey.policy.v1.CreatePolicyVersionRequest;
import dev.gatekey.policy.v1.DeletePolicyRequest;
import dev.gatekey.policy.v1.DeletePolicyVersionRequest;
import dev.gatekey.policy.v1.EntityType;
import dev.gatekey.policy.v1.GetPolicyRequest;
import dev.gatekey.policy.v1.GetPolicyVersionRequest;
import dev.gatekey.policy.v1.ListEntitiesForPolicyRequest;
import dev.gatekey.policy.v1.ListEntitiesForPolicyResponse;
import dev.gatekey.policy.v1.ListPoliciesRequest;
import dev.gatekey.policy.v1.ListPoliciesResponse;
import dev.gatekey.policy.v1.ListPolicyTagsRequest;
import dev.gatekey.policy.v1.ListPolicyTagsResponse;
import dev.gatekey.policy.v1.ListPolicyVersionsRequest;
import dev.gatekey.policy.v1.ListPolicyVersionsResponse;
import dev.gatekey.policy.v1.Policy;
import dev.gatekey.policy.v1.PolicyScope;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import dev.gatekey.policy.v1.PolicyUsageType;
import dev.gatekey.policy.v1.PolicyVersion;
import dev.gatekey.policy.v1.SetDefaultPolicyVersionRequest;
import dev.gatekey.policy.v1.Tag;
import dev.gatekey.policy.v1.TagPolicyRequest;
import dev.gatekey.policy.v1.UntagPolicyRequest;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamException;

/**
 * The IAM managed-policy actions, served by policy-service (which owns policies and authorizes
 * each action itself with the caller's token): CreatePolicy, GetPolicy, ListPolicies,
 * DeletePolicy, CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion,
 * SetDefaultPolicyVersion, TagPolicy, UntagPolicy, ListPolicyTags, ListEntitiesForPolicy.
 * policy-service pages its lists itself; its markers pass through unchanged.
 */
@ApplicationScoped
public class PolicyActions implements QueryActions {
    static final String PEER = "policy-service";

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
        return Map.ofEntries(
                Map.entry("CreatePolicy", this::createPolicy),
                Map.entry("GetPolicy", this::getPolicy),
                Map.entry("ListPolicies", this::listPolicies),
                Map.entry("DeletePolicy", this::deletePolicy),
                Map.entry("CreatePolicyVersion", this::createPolicyVersion),
                Map.entry("GetPolicyVersion", this::getPolicyVersion),
                Map.entry("ListPolicyVersions", this::listPolicyVersions),
                Map.entry("DeletePolicyVersion", this::deletePolicyVersion),
                Map.entry("SetDefaultPolicyVersion", this::setDefaultPolicyVersion),
                Map.entry("TagPolicy", this::tagPolicy),
                Map.entry("UntagPolicy", this::untagPolicy),
                Map.entry("ListPolicyTags", this::listPolicyTags),
                Map.entry("ListEntitiesForPolicy", this::listEntitiesForPolicy));
    }

    /** The policy-service stub that acts as the caller (its bearer token) with the peer deadline. */
    static PolicyServiceGrpc.PolicyServiceBlockingStub as(PolicyServiceGrpc.PolicyServiceBlockingStub stub,
            Caller caller, PeerDeadlines deadlines) {
        return PeerCalls.within(BearerToken.attach(stub, caller.token()), deadlines.policy());
    }

    private PolicyServiceGrpc.PolicyServiceBlockingStub as(Caller caller) {
        return as(policy, caller, deadlines);
    }

    QueryResult createPolicy(QueryRequest request) {
        CreatePolicyRequest call = CreatePolicyRequest.newBuilder()
                .setPolicyName(request.required("PolicyName"))
                .setPolicyDocument(request.required("PolicyDocument"))
                .setPath(request.string("Path").orElse(""))
                .setDescription(request.string("Description").orElse(""))
                .addAllTags(tags(request)).build();
        Policy created = PeerCalls.call(PEER, () -> as(request.caller()).createPolicy(call).getPolicy());
        return xml -> xml.nested("Policy", p -> policy(p, created, true));
    }

    QueryResult getPolicy(QueryRequest request) {
        String arn = request.required("PolicyArn");
        Policy found = PeerCalls.call(PEER, () -> as(request.caller()).getPolicy(GetPolicyRequest.newBuilder()
                .setPolicyArn(arn).build()).getPolicy());
        return xml -> xml.nested("Policy", p -> policy(p, found, true));
    }

    QueryResult listPolicies(QueryRequest request) {
        PolicyScope scope = switch (request.string("Scope").orElse("All")) {
            case "All" -> PolicyScope.POLICY_SCOPE_ALL;
            case "AWS" -> PolicyScope.POLICY_SCOPE_AWS;
            case "Local" -> PolicyScope.POLICY_SCOPE_LOCAL;
            default -> throw IamNames.validationError("scope", request.string("Scope").get(),
                    "Member must satisfy enum value set: [All, AWS, Local]");
        };
        ListPoliciesRequest call = ListPoliciesRequest.newBuilder().setScope(scope)
                .setOnlyAttached(request.bool("OnlyAttached").orElse(false))
                .setPathPrefix(request.string("PathPrefix").orElse(""))
                .setPolicyUsageFilter(usageFilter(request))
                .setMarker(request.string("Marker").orElse(""))
                .setMaxItems(Page.maxItems(request)).build();
        ListPoliciesResponse response = PeerCalls.call(PEER, () -> as(request.caller()).listPolicies(call));
        return xml -> xml.members("Policies", response.getPoliciesList(), (m, p) -> policy(m, p, false))
                .paging(response.getIsTruncated(), response.getMarker());
    }

    QueryResult deletePolicy(QueryRequest request) {
        String arn = request.required("PolicyArn");
        PeerCalls.call(PEER, () -> as(request.caller()).deletePolicy(DeletePolicyRequest.newBuilder()
                .setPolicyArn(arn).build()));
        return QueryResult.NONE;
    }

    QueryResult createPolicyVersion(QueryRequest request) {
        CreatePolicyVersionRequest call = CreatePolicyVersionRequest.newBuilder()
                .setPolicyArn(request.required("PolicyArn"))
                .setPolicyDocument(request.required("PolicyDocument"))
                .setSetAsDefault(request.bool("SetAsDefault").orElse(false)).build();
        PolicyVersion version = PeerCalls.call(PEER, () -> as(request.caller()).createPolicyVersion(call)
                .getPolicyVersion());
        return xml -> xml.nested("PolicyVersion", v -> version(v, version));
    }

    QueryResult getPolicyVersion(QueryRequest request) {
        GetPolicyVersionRequest call = GetPolicyVersionRequest.newBuilder()
                .setPolicyArn(request.required("PolicyArn"))
                .setVersionId(request.required("VersionId")).build();
        PolicyVersion version = PeerCalls.call(PEER, () -> as(request.caller()).getPolicyVersion(call)
                .getPolicyVersion());
        return xml -> xml.nested("PolicyVersion", v -> version(v, version));
    }

    QueryResult listPolicyVersions(QueryRequest request) {
        ListPolicyVersionsRequest call = ListPolicyVersionsRequest.newBuilder()
                .setPolicyArn(request.required("PolicyArn"))
                .setMarker(request.string("Marker").orElse(""))
                .setMaxItems(Page.maxItems(request)).build();
        ListPolicyVersionsResponse response = PeerCalls.call(PEER, () -> as(request.caller()).listPolicyVersions(call));
        return xml -> xml.members("Versions", response.getVersionsList(), PolicyActions::version)
                .paging(response.getIsTruncated(), response.getMarker());
    }

    QueryResult deletePolicyVersion(QueryRequest request) {
        DeletePolicyVersionRequest call = DeletePolicyVersionRequest.newBuilder()
                .setPolicyArn(request.required("PolicyArn"))
                .setVersionId(request.required("VersionId")).build();
        PeerCalls.call(PEER, () -> as(request.caller()).deletePolicyVersion(call));
        return QueryResult.NONE;
    }

    QueryResult setDefaultPolicyVersion(QueryRequest request) {
        SetDefaultPolicyVersionRequest call = SetDefaultPolicyVersionRequest.newBuilder()
                .setPolicyArn(request.required("PolicyArn"))
                .setVersionId(request.required("VersionId")).build();
        PeerCalls.call(PEER, () -> as(request.caller()).setDefaultPolicyVersion(call));
        return QueryResult.NONE;
    }

    QueryResult tagPolicy(QueryRequest request) {
        String arn = request.required("PolicyArn");
        List<Tag> tags = tags(request);
        if (tags.isEmpty()) {
            throw IamNames.validationError("tags", null, "Member must not be null");
        }
        PeerCalls.call(PEER, () -> as(request.caller()).tagPolicy(TagPolicyRequest.newBuilder().setPolicyArn(arn)
                .addAllTags(tags).build()));
        return QueryResult.NONE;
    }

    QueryResult untagPolicy(QueryRequest request) {
        String arn = request.required("PolicyArn");
        List<String> keys = request.list("TagKeys");
        if (keys.isEmpty()) {
            throw IamNames.validationError("tagKeys", null, "Member must not be null");
        }
        PeerCalls.call(PEER, () -> as(request.caller()).untagPolicy(UntagPolicyRequest.newBuilder().setPolicyArn(arn)
                .addAllTagKeys(keys).build()));
        return QueryResult.NONE;
    }

    QueryResult listPolicyTags(QueryRequest request) {
        ListPolicyTagsRequest call = ListPolicyTagsRequest.newBuilder()
                .setPolicyArn(request.required("PolicyArn"))
                .setMarker(request.string("Marker").orElse(""))
                .setMaxItems(Page.maxItems(request)).build();
        ListPolicyTagsResponse response = PeerCalls.call(PEER, () -> as(request.caller()).listPolicyTags(call));
        return xml -> xml.members("Tags", response.getTagsList(), (m, t) -> m.element("Key", t.getKey())
                .element("Value", t.getValue())).paging(response.getIsTruncated(), response.getMarker());
    }

    QueryResult listEntitiesForPolicy(QueryRequest request) {
        EntityType filter = switch (request.string("EntityFilter").orElse("")) {
            case "" , "LocalManagedPolicy", "AWSManagedPolicy" -> EntityType.ENTITY_TYPE_UNSPECIFIED;
            case "User" -> EntityType.ENTITY_TYPE_USER;
            case "Group" -> EntityType.ENTITY_TYPE_GROUP;
            case "Role" -> EntityType.ENTITY_TYPE_ROLE;
            default -> throw IamNames.validationError("entityFilter", request.string("EntityFilter").get(),
                    "Member must satisfy enum value set: [User, Role, LocalManagedPolicy, Group, AWSManagedPolicy]");
        };
        ListEntitiesForPolicyRequest call = ListEntitiesForPolicyRequest.newBuilder()
                .setPolicyArn(request.required("PolicyArn"))
                .setEntityFilter(filter)
                .setPathPrefix(request.string("PathPrefix").orElse(""))
                .setPolicyUsageFilter(usageFilter(request))
                .setMarker(request.string("Marker").orElse(""))
                .setMaxItems(Page.maxItems(request)).build();
        ListEntitiesForPolicyResponse response = PeerCalls.call(PEER, () -> as(request.caller())
                .listEntitiesForPolicy(call));
        Caller caller = request.caller();
        // policy-service knows names only; the ids are identity-service's
        return xml -> xml
                .members("PolicyGroups", response.getPolicyGroupsList(), (m, g) -> m
                        .element("GroupName", g.getGroupName())
                        .optional("GroupId", subjects.groupId(caller, g.getGroupName())))
                .members("PolicyUsers", response.getPolicyUsersList(), (m, u) -> m
                        .element("UserName", u.getUserName())
                        .optional("UserId", subjects.userId(caller, u.getUserName())))
                .members("PolicyRoles", List.of(), (m, r) -> { })
                .paging(response.getIsTruncated(), response.getMarker());
    }

    private static PolicyUsageType usageFilter(QueryRequest request) {
        return switch (request.string("PolicyUsageFilter").orElse("")) {
            case "" -> PolicyUsageType.POLICY_USAGE_TYPE_UNSPECIFIED;
            case "PermissionsPolicy" -> PolicyUsageType.POLICY_USAGE_TYPE_PERMISSIONS_POLICY;
            case "PermissionsBoundary" -> PolicyUsageType.POLICY_USAGE_TYPE_PERMISSIONS_BOUNDARY;
            default -> throw IamNames.validationError("policyUsageFilter", request.string("PolicyUsageFilter").get(),
                    "Member must satisfy enum value set: [PermissionsPolicy, PermissionsBoundary]");
        };
    }

    /**
     * AWS's {@code Policy} shape. {@code Description} and {@code Tags} only in CreatePolicy and
     * GetPolicy ("not included in the response to the ListPolicies operation").
     */
    static void policy(XmlOut xml, Policy p, boolean full) throws XMLStreamException {
        xml.element("PolicyName", p.getPolicyName())
                .element("PolicyId", p.getPolicyId())
                .element("Arn", p.getArn())
                .element("Path", p.getPath())
                .element("DefaultVersionId", p.getDefaultVersionId())
                .element("AttachmentCount", p.getAttachmentCount())
                .element("PermissionsBoundaryUsageCount", p.getPermissionsBoundaryUsageCount())
                .element("IsAttachable", p.getIsAttachable());
        if (full && !p.getDescription().isEmpty()) {
            xml.element("Description", p.getDescription());
        }
        xml.element("CreateDate", instant(p.getCreateDate())).element("UpdateDate", instant(p.getUpdateDate()));
        if (full && p.getTagsCount() > 0) {
            xml.members("Tags", p.getTagsList(), (m, t) -> m.element("Key", t.getKey()).element("Value", t.getValue()));
        }
    }

    /** AWS's {@code PolicyVersion}: the document (when the peer sent one) URL-encoded, as AWS returns it. */
    static void version(XmlOut xml, PolicyVersion v) throws XMLStreamException {
        if (!v.getDocument().isEmpty()) {
            xml.element("Document", policyDocument(v.getDocument()));
        }
        xml.element("VersionId", v.getVersionId()).element("IsDefaultVersion", v.getIsDefaultVersion())
                .element("CreateDate", instant(v.getCreateDate()));
    }

    /**
     * A policy document as AWS returns it in GetPolicyVersion, GetUserPolicy and GetGroupPolicy:
     * URL-encoded (RFC 3986), which the AWS CLI and SDKs decode. Spaces are {@code %20}, not
     * {@code +}, because decoders such as Python's {@code unquote} leave {@code +} alone.
     */
    static String policyDocument(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static List<Tag> tags(QueryRequest request) {
        return request.structures("Tags").stream().map(t -> Tag.newBuilder().setKey(t.getOrDefault("Key", ""))
                .setValue(t.getOrDefault("Value", "")).build()).toList();
    }

    static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }
}

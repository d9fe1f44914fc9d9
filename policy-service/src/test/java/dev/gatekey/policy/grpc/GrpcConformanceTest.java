package dev.gatekey.policy.grpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.platform.grpc.GrpcErrors;
import dev.gatekey.policy.conformance.ConformanceCorpus;
import dev.gatekey.policy.conformance.ConformanceCorpus.Case;
import dev.gatekey.policy.conformance.ConformanceCorpus.Matched;
import dev.gatekey.policy.conformance.ConformanceCorpus.PolicySpec;
import dev.gatekey.policy.v1.AttachGroupPolicyRequest;
import dev.gatekey.policy.v1.AttachUserPolicyRequest;
import dev.gatekey.policy.v1.PutGroupPolicyRequest;
import dev.gatekey.policy.v1.PutUserPermissionsBoundaryRequest;
import dev.gatekey.policy.v1.PutUserPolicyRequest;
import dev.gatekey.policy.v1.SetUserGroupsRequest;
import dev.gatekey.policy.v1.AuthorizeRequest;
import dev.gatekey.policy.v1.AuthorizeResponse;
import dev.gatekey.policy.v1.ContextEntry;
import dev.gatekey.policy.v1.CreatePolicyRequest;
import dev.gatekey.policy.v1.Effect;
import dev.gatekey.policy.v1.PolicyServiceGrpc;
import dev.gatekey.policy.v1.PolicyServiceGrpc.PolicyServiceBlockingStub;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole conformance corpus through the gRPC API: root creates each case's policies
 * with CreatePolicy and attaches them to the user, and the user's token (one per row of the MFA
 * context table) calls Authorize. The tables are emptied between cases.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class GrpcConformanceTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void everyConformanceCaseOverGrpc() throws SQLException {
        List<Case> cases = ConformanceCorpus.load();
        List<String> failures = new ArrayList<>();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", 19093).usePlaintext().build();
        try {
            PolicyServiceBlockingStub stub = PolicyServiceGrpc.newBlockingStub(channel);
            PolicyServiceBlockingStub root = BearerToken.attach(stub, TestTokens.rootToken());
            for (Case c : cases) {
                clear();
                String failure = run(c, stub, root);
                if (failure != null) {
                    failures.add(c + " -> " + failure);
                }
            }
        } finally {
            channel.shutdownNow();
            clear();
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " cases failed:\n"
                + String.join("\n", failures));
    }

    private static String run(Case c, PolicyServiceBlockingStub stub, PolicyServiceBlockingStub root) {
        String user = c.request().root() ? "alice" : c.request().principal();
        try {
            if (!c.request().groups().isEmpty()) {
                root.setUserGroups(SetUserGroupsRequest.newBuilder().setUserName(user)
                        .addAllGroupNames(c.request().groups()).setChangedGroupName(c.request().groups().get(0))
                        .build());
            }
            for (PolicySpec p : c.policies()) {
                switch (p.attachment()) {
                    case INLINE_USER -> root.putUserPolicy(PutUserPolicyRequest.newBuilder().setUserName(user)
                            .setPolicyName(p.name()).setPolicyDocument(p.text()).build());
                    case INLINE_GROUP -> root.putGroupPolicy(PutGroupPolicyRequest.newBuilder()
                            .setGroupName(p.group()).setPolicyName(p.name()).setPolicyDocument(p.text()).build());
                    default -> {
                        String arn = root.createPolicy(CreatePolicyRequest.newBuilder().setPolicyName(p.name())
                                .setPolicyDocument(p.text()).build()).getPolicy().getArn();
                        switch (p.attachment()) {
                            case GROUP -> root.attachGroupPolicy(AttachGroupPolicyRequest.newBuilder()
                                    .setGroupName(p.group()).setPolicyArn(arn).build());
                            case BOUNDARY -> root.putUserPermissionsBoundary(PutUserPermissionsBoundaryRequest
                                    .newBuilder().setUserName(user).setPermissionsBoundary(arn).build());
                            default -> root.attachUserPolicy(AttachUserPolicyRequest.newBuilder().setUserName(user)
                                    .setPolicyArn(arn).build());
                        }
                    }
                }
            }
            AuthorizeRequest.Builder request = AuthorizeRequest.newBuilder().setAction(c.request().action())
                    .setResource(c.request().resource());
            c.request().context().forEach((k, v) -> request.addContextEntries(
                    ContextEntry.newBuilder().setContextKeyName(k).addAllContextKeyValues(v)));
            String token = c.request().root() ? TestTokens.rootToken()
                    : TestTokens.userToken(user, c.request().session().mfaPresent(),
                            c.request().mfaTime(Instant.now()));
            AuthorizeResponse r = BearerToken.attach(stub, token).authorize(request.build());
            if (c.expect().error() != null) {
                return "expected " + c.expect().error() + " but got " + r.getDecision();
            }
            String decision = r.getDecision().name().substring("DECISION_".length());
            if (!decision.equals(c.expect().decision())) {
                return "decision " + decision + ", expected " + c.expect().decision();
            }
            List<Matched> matched = r.getMatchedStatementsList().stream()
                    .map(m -> new Matched(m.getSourcePolicyId(), m.getSid(), m.getStatementIndex(),
                            m.getEffect() == Effect.EFFECT_ALLOW ? "Allow" : "Deny"))
                    .toList();
            if (!matched.equals(c.expect().matchedStatements())) {
                return "matched " + matched + ", expected " + c.expect().matchedStatements();
            }
            if (c.expect().missingContextValues() != null
                    && !r.getMissingContextValuesList().equals(c.expect().missingContextValues())) {
                return "missing " + r.getMissingContextValuesList() + ", expected " + c.expect().missingContextValues();
            }
            return null;
        } catch (StatusRuntimeException e) {
            String reason = GrpcErrors.reason(e);
            if (!Objects.equals(reason, c.expect().error())) {
                return "error " + reason + " (" + e.getStatus() + "), expected " + c.expect().error();
            }
            String message = e.getStatus().getDescription();
            if (c.expect().errorMessage() != null && (message == null || !message.contains(c.expect().errorMessage()))) {
                return "message '" + message + "' lacks '" + c.expect().errorMessage() + "'";
            }
            return null;
        }
    }

    private void clear() throws SQLException {
        try (Connection conn = dataSource.getConnection(); Statement s = conn.createStatement()) {
            // Emptied behind the service's back: bump every generation so that no cache keeps a policy set.
            s.execute("UPDATE policy_generation SET generation = generation + 1");
            s.execute("DELETE FROM user_group_membership");
            s.execute("DELETE FROM inline_policy");
            s.execute("DELETE FROM user_permissions_boundary");
            s.execute("DELETE FROM group_policy_attachment");
            s.execute("DELETE FROM user_policy_attachment");
            s.execute("DELETE FROM policy_version");
            s.execute("DELETE FROM managed_policy");
        }
    }
}

package dev.gatekey.identity.query;

import static dev.gatekey.identity.query.QueryApiTest.ACCOUNT;
import static dev.gatekey.identity.query.QueryApiTest.ROOT;
import static dev.gatekey.identity.query.QueryApiTest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.RecordingPolicyEnforcer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Users, tags, groups and memberships, login profiles and the password policy over the Query API. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class IamEntitiesQueryTest {
    static final String PASSWORD = "Alice-Passw0rd!";

    @TestHTTPResource("/")
    URI endpoint;

    @Inject
    RecordingPolicyEnforcer policy;

    @Inject
    RecordingPeers peers;

    QueryClient client;

    @BeforeEach
    void setUp() {
        client = new QueryClient(endpoint);
        policy.reset();
        peers.reset();
    }

    QueryClient.Answer ok(QueryClient.Answer answer) {
        assertEquals(200, answer.status(), answer.toString());
        return answer;
    }

    void fails(int status, String code, QueryClient.Answer answer) {
        assertEquals(status, answer.status(), answer.toString());
        assertEquals(code, answer.code(), answer.toString());
    }

    @Test
    void usersHavePathsTagsAndPages() {
        String a = unique("pa");
        String b = unique("pb");
        QueryClient.Answer created = ok(client.iam(ROOT, "CreateUser", "UserName", a, "Path", "/paged/",
                "Tags.member.1.Key", "team", "Tags.member.1.Value", "blue"));
        assertEquals("/paged/", created.text("Path"));
        assertEquals("team", created.text("Key"));
        ok(client.iam(ROOT, "CreateUser", "UserName", b, "Path", "/paged/"));
        fails(409, "EntityAlreadyExists", client.iam(ROOT, "CreateUser", "UserName", a.toUpperCase()));
        fails(400, "ValidationError", client.iam(ROOT, "CreateUser", "UserName", "bad name!"));
        fails(400, "ValidationError", client.iam(ROOT, "CreateUser"));

        QueryClient.Answer got = ok(client.iam(ROOT, "GetUser", "UserName", a));
        assertEquals("blue", got.text("Value"));
        fails(404, "NoSuchEntity", client.iam(ROOT, "GetUser", "UserName", unique("nobody")));

        QueryClient.Answer first = ok(client.iam(ROOT, "ListUsers", "PathPrefix", "/paged/", "MaxItems", "1"));
        assertEquals("true", first.text("IsTruncated"));
        assertEquals(1, first.count("UserName"));
        QueryClient.Answer second = ok(client.iam(ROOT, "ListUsers", "PathPrefix", "/paged/", "MaxItems", "100",
                "Marker", first.text("Marker")));
        assertEquals("false", second.text("IsTruncated"));
        assertNull(second.text("Marker"));
        assertFalse(first.texts("UserName").stream().anyMatch(second.texts("UserName")::contains));

        ok(client.iam(ROOT, "TagUser", "UserName", a, "Tags.member.1.Key", "TEAM", "Tags.member.1.Value", "red",
                "Tags.member.2.Key", "cost", "Tags.member.2.Value", "42"));
        QueryClient.Answer tags = ok(client.iam(ROOT, "ListUserTags", "UserName", a));
        assertEquals(List.of("TEAM", "cost"), tags.texts("Key").stream().sorted().toList());
        assertTrue(tags.texts("Value").contains("red"));
        ok(client.iam(ROOT, "UntagUser", "UserName", a, "TagKeys.member.1", "team"));
        assertEquals(List.of("cost"), ok(client.iam(ROOT, "ListUserTags", "UserName", a)).texts("Key"));
    }

    @Test
    void updateUserRenamesInPolicyAndMfaServicesAndRollsBackWhenTheyFail() {
        String old = unique("old");
        String renamed = unique("new");
        ok(client.iam(ROOT, "CreateUser", "UserName", old));
        ok(client.iam(ROOT, "UpdateUser", "UserName", old, "NewUserName", renamed, "NewPath", "/moved/"));
        assertTrue(peers.calls().contains("policy RenameUser " + old + " " + renamed + " /moved/"), peers.calls().toString());
        assertTrue(peers.calls().contains("mfa RenameUser " + old + " " + renamed), peers.calls().toString());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":user/moved/" + renamed,
                ok(client.iam(ROOT, "GetUser", "UserName", renamed)).text("Arn"));

        peers.unavailable(true);
        fails(503, "ServiceUnavailable", client.iam(ROOT, "UpdateUser", "UserName", renamed, "NewUserName", old));
        peers.unavailable(false);
        ok(client.iam(ROOT, "GetUser", "UserName", renamed));
        fails(404, "NoSuchEntity", client.iam(ROOT, "GetUser", "UserName", old));
    }

    @Test
    void deleteUserIsADeleteConflictWhileTheUserHasCredentialsGroupsDevicesOrPolicies() {
        String name = unique("del");
        String group = unique("g");
        ok(client.iam(ROOT, "CreateUser", "UserName", name));
        ok(client.iam(ROOT, "CreateLoginProfile", "UserName", name, "Password", PASSWORD));
        String key = ok(client.iam(ROOT, "CreateAccessKey", "UserName", name)).text("AccessKeyId");
        ok(client.iam(ROOT, "CreateGroup", "GroupName", group));
        ok(client.iam(ROOT, "AddUserToGroup", "GroupName", group, "UserName", name));
        peers.deviceCount(name, 1);
        peers.policyCount("user/" + name, 1);

        fails(409, "DeleteConflict", client.iam(ROOT, "DeleteUser", "UserName", name));
        ok(client.iam(ROOT, "DeleteLoginProfile", "UserName", name));
        QueryClient.Answer keys = client.iam(ROOT, "DeleteUser", "UserName", name);
        fails(409, "DeleteConflict", keys);
        assertEquals("Cannot delete entity, must delete access keys first.", keys.text("Message"));
        ok(client.iam(ROOT, "DeleteAccessKey", "UserName", name, "AccessKeyId", key));
        fails(409, "DeleteConflict", client.iam(ROOT, "DeleteUser", "UserName", name));
        ok(client.iam(ROOT, "RemoveUserFromGroup", "GroupName", group, "UserName", name));
        assertEquals("Cannot delete entity, must delete MFA device first.",
                client.iam(ROOT, "DeleteUser", "UserName", name).text("Message"));
        peers.deviceCount(name, 0);
        assertEquals("Cannot delete entity, must detach all policies first.",
                client.iam(ROOT, "DeleteUser", "UserName", name).text("Message"));
        peers.policyUse("user/" + name, 0, 2);
        assertEquals("Cannot delete entity, must delete policies first.",
                client.iam(ROOT, "DeleteUser", "UserName", name).text("Message"));
        peers.clearCounts();
        peers.unavailable(true);
        fails(503, "ServiceUnavailable", client.iam(ROOT, "DeleteUser", "UserName", name));
        peers.unavailable(false);
        ok(client.iam(ROOT, "GetUser", "UserName", name));
        String boundary = "arn:aws:iam::" + ACCOUNT + ":policy/Boundary";
        peers.permissionsBoundary(name, boundary);
        QueryClient.Answer withBoundary = ok(client.iam(ROOT, "GetUser", "UserName", name));
        assertEquals("PermissionsBoundaryPolicy", withBoundary.text("PermissionsBoundaryType"));
        assertEquals(boundary, withBoundary.text("PermissionsBoundaryArn"));
        assertTrue(peers.calls().contains("userPolicies " + name + " iam:GetUser"), peers.calls().toString());
        policy.reset();
        ok(client.iam(ROOT, "DeleteUser", "UserName", name));
        assertEquals("DeleteBoundaryOfDeletedUser " + ACCOUNT + " " + name, peers.calls().get(peers.calls().size() - 1),
                "the boundary goes with the user, after everything else succeeded");
        // AWS asks for iam:DeleteUser only, not also iam:DeleteUserPermissionsBoundary
        assertEquals(List.of("iam:DeleteUser"), policy.questions().stream().map(q -> q.action()).distinct().toList());
        fails(404, "NoSuchEntity", client.iam(ROOT, "GetUser", "UserName", name));
    }

    @Test
    void deleteUserWithoutPoliciesAsksPolicyServiceAsDeleteUser() {
        String name = unique("plain");
        ok(client.iam(ROOT, "CreateUser", "UserName", name));
        assertNull(ok(client.iam(ROOT, "GetUser", "UserName", name)).text("PermissionsBoundary"));
        peers.clearCounts();
        ok(client.iam(ROOT, "DeleteUser", "UserName", name));
        assertTrue(peers.calls().contains("userPolicies " + name + " iam:DeleteUser"), peers.calls().toString());
        assertTrue(peers.calls().contains("SetUserGroups " + name + " [] iam:DeleteUser null"), peers.calls().toString());
        assertFalse(peers.calls().stream().anyMatch(c -> c.startsWith("DeleteBoundaryOfDeletedUser")),
                peers.calls().toString());
        fails(404, "NoSuchEntity", client.iam(ROOT, "GetUser", "UserName", name));
    }

    @Test
    void membershipsAreMirroredToPolicyServiceAndRolledBackWhenItFails() {
        String user = unique("member");
        String g1 = unique("devs");
        String g2 = unique("ops");
        ok(client.iam(ROOT, "CreateUser", "UserName", user));
        QueryClient.Answer created = ok(client.iam(ROOT, "CreateGroup", "GroupName", g1, "Path", "/eng/"));
        assertTrue(created.text("GroupId").startsWith("AGPA"));
        assertEquals("arn:aws:iam::" + ACCOUNT + ":group/eng/" + g1, created.text("Arn"));
        ok(client.iam(ROOT, "CreateGroup", "GroupName", g2));
        fails(409, "EntityAlreadyExists", client.iam(ROOT, "CreateGroup", "GroupName", g2));

        policy.reset();
        ok(client.iam(ROOT, "AddUserToGroup", "GroupName", g1, "UserName", user));
        assertEquals("SetUserGroups " + user + " [" + g1 + "] iam:AddUserToGroup " + g1, peers.calls().get(0));
        assertEquals("iam:AddUserToGroup", policy.questions().get(0).action());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":group/eng/" + g1, policy.questions().get(0).resource());

        peers.unavailable(true);
        fails(503, "ServiceUnavailable", client.iam(ROOT, "AddUserToGroup", "GroupName", g2, "UserName", user));
        peers.unavailable(false);
        assertEquals(List.of(g1), ok(client.iam(ROOT, "ListGroupsForUser", "UserName", user)).texts("GroupName"));

        ok(client.iam(ROOT, "AddUserToGroup", "GroupName", g2, "UserName", user));
        QueryClient.Answer group = ok(client.iam(ROOT, "GetGroup", "GroupName", g2));
        assertEquals(g2, group.text("GroupName"));
        assertEquals(List.of(user), group.texts("UserName"));
        assertTrue(ok(client.iam(ROOT, "ListGroups", "PathPrefix", "/eng/")).texts("GroupName").contains(g1));

        fails(409, "DeleteConflict", client.iam(ROOT, "DeleteGroup", "GroupName", g2));
        ok(client.iam(ROOT, "RemoveUserFromGroup", "GroupName", g2, "UserName", user));
        assertTrue(peers.calls().get(peers.calls().size() - 1).startsWith("SetUserGroups " + user + " [" + g1
                + "] iam:RemoveUserFromGroup"), peers.calls().toString());
        fails(404, "NoSuchEntity", client.iam(ROOT, "RemoveUserFromGroup", "GroupName", g2, "UserName", user));
        ok(client.iam(ROOT, "UpdateGroup", "GroupName", g2, "NewGroupName", g2 + "x"));
        assertTrue(peers.calls().contains("RenameGroup " + g2 + " " + g2 + "x"));
        peers.policyUse("group/" + g2 + "x", 1, 0);
        QueryClient.Answer attached = client.iam(ROOT, "DeleteGroup", "GroupName", g2 + "x");
        fails(409, "DeleteConflict", attached);
        assertEquals("Cannot delete entity, must detach all policies first.", attached.text("Message"));
        peers.policyUse("group/" + g2 + "x", 0, 1);
        assertEquals("Cannot delete entity, must delete policies first.",
                client.iam(ROOT, "DeleteGroup", "GroupName", g2 + "x").text("Message"));
        peers.clearCounts();
        peers.unavailable(true);
        fails(503, "ServiceUnavailable", client.iam(ROOT, "DeleteGroup", "GroupName", g2 + "x"));
        peers.unavailable(false);
        ok(client.iam(ROOT, "GetGroup", "GroupName", g2 + "x"));
        ok(client.iam(ROOT, "DeleteGroup", "GroupName", g2 + "x"));
        fails(404, "NoSuchEntity", client.iam(ROOT, "GetGroup", "GroupName", g2 + "x"));
    }

    @Test
    void theAccountPasswordPolicyIsEnforcedOnEveryPasswordSet() {
        String name = unique("pw");
        ok(client.iam(ROOT, "CreateUser", "UserName", name));
        ok(client.iam(ROOT, "UpdateAccountPasswordPolicy", "MinimumPasswordLength", "20", "RequireSymbols", "true",
                "AllowUsersToChangePassword", "true"));
        try {
            QueryClient.Answer policyAnswer = ok(client.iam(ROOT, "GetAccountPasswordPolicy"));
            assertEquals("20", policyAnswer.text("MinimumPasswordLength"));
            assertEquals("true", policyAnswer.text("RequireSymbols"));
            fails(400, "PasswordPolicyViolation", client.iam(ROOT, "CreateLoginProfile", "UserName", name,
                    "Password", PASSWORD));
            String strong = "Correct-Horse-Battery-9";
            QueryClient.Answer profile = ok(client.iam(ROOT, "CreateLoginProfile", "UserName", name, "Password",
                    strong, "PasswordResetRequired", "true"));
            assertEquals("true", profile.text("PasswordResetRequired"));
            fails(409, "EntityAlreadyExists", client.iam(ROOT, "CreateLoginProfile", "UserName", name, "Password",
                    strong));
            fails(400, "PasswordPolicyViolation", client.iam(ROOT, "UpdateLoginProfile", "UserName", name,
                    "Password", "short-1A"));

            // AllowUsersToChangePassword: the user needs no iam:ChangePassword permission
            QueryClient.Answer key = ok(client.iam(ROOT, "CreateAccessKey", "UserName", name));
            QueryClient.Credentials user = QueryClient.Credentials.longTerm(key.text("AccessKeyId"),
                    key.text("SecretAccessKey"));
            policy.reset();
            ok(client.iam(user, "ChangePassword", "OldPassword", strong, "NewPassword", "Another-Horse-Battery-9"));
            assertTrue(policy.questions().stream().noneMatch(q -> q.action().equals("iam:ChangePassword")));
        } finally {
            ok(client.iam(ROOT, "DeleteAccountPasswordPolicy"));
        }
        fails(404, "NoSuchEntity", client.iam(ROOT, "GetAccountPasswordPolicy"));
    }

    @Test
    void changePasswordChecksTheOldPassword() {
        String name = unique("chg");
        ok(client.iam(ROOT, "CreateUser", "UserName", name));
        ok(client.iam(ROOT, "CreateLoginProfile", "UserName", name, "Password", PASSWORD));
        QueryClient.Answer key = ok(client.iam(ROOT, "CreateAccessKey", "UserName", name));
        QueryClient.Credentials user = QueryClient.Credentials.longTerm(key.text("AccessKeyId"),
                key.text("SecretAccessKey"));
        fails(403, "AccessDenied", client.iam(user, "ChangePassword", "OldPassword", "Wrong-Passw0rd!",
                "NewPassword", "Brand-New-Passw0rd!"));
        fails(400, "PasswordPolicyViolation", client.iam(user, "ChangePassword", "OldPassword", PASSWORD,
                "NewPassword", "weak"));
        ok(client.iam(user, "ChangePassword", "OldPassword", PASSWORD, "NewPassword", "Brand-New-Passw0rd!"));
        assertEquals("iam:ChangePassword", policy.questions().get(policy.questions().size() - 1).action());
        ok(client.iam(user, "ChangePassword", "OldPassword", "Brand-New-Passw0rd!", "NewPassword", PASSWORD));
        QueryClient.Answer profile = ok(client.iam(ROOT, "GetLoginProfile", "UserName", name));
        assertEquals("false", profile.text("PasswordResetRequired"));
        assertNotNull(profile.text("CreateDate"));
        fails(400, "InvalidUserType", client.iam(ROOT, "ChangePassword", "OldPassword", "x", "NewPassword", "y"));
    }
}

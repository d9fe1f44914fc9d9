package dev.gatekey.identity.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.RecordingPolicyEnforcer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** GetAccountSummary over the Query API on PostgreSQL: AWS's SummaryMap, counts, quotas, authorization. */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class AccountSummaryTest {
    static final QueryClient.Credentials ROOT = QueryApiTest.ROOT;

    @TestHTTPResource("/")
    URI endpoint;

    @Inject
    RecordingPolicyEnforcer policy;

    @Inject
    AccountRecordingSources sources;

    QueryClient client;

    @BeforeEach
    void setUp() {
        client = new QueryClient(endpoint);
        policy.reset();
        sources.reset();
    }

    /** The SummaryMap's entries, from {@code <entry><key/><value/></entry>}. */
    static Map<String, Integer> summaryMap(QueryClient.Answer answer) {
        Map<String, Integer> map = new HashMap<>();
        NodeList entries = answer.first("SummaryMap").getElementsByTagNameNS("*", "entry");
        for (int i = 0; i < entries.getLength(); i++) {
            Element entry = (Element) entries.item(i);
            map.put(entry.getElementsByTagNameNS("*", "key").item(0).getTextContent(),
                    Integer.valueOf(entry.getElementsByTagNameNS("*", "value").item(0).getTextContent()));
        }
        return map;
    }

    Map<String, Integer> summary() {
        QueryClient.Answer answer = client.iam(ROOT, "GetAccountSummary");
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("GetAccountSummaryResponse", answer.root());
        assertEquals(QueryApiTest.IAM_NS, answer.namespace());
        return summaryMap(answer);
    }

    @Test
    void countsUsersAndGroupsAndTakesMfaAndPolicyCountsFromTheirServices() {
        sources.answer(new dev.gatekey.identity.application.AccountMfaSummary(3, 2, true, List.of("alice")),
                Map.of("Policies", 4, "PolicyVersionsInUse", 5, "PoliciesQuota", 1500));
        Map<String, Integer> before = summary();
        String user = "sum" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(200, client.iam(ROOT, "CreateUser", "UserName", user).status());
        assertEquals(200, client.iam(ROOT, "CreateGroup", "GroupName", user + "-g").status());
        Map<String, Integer> after = summary();
        assertEquals(before.get("Users") + 1, after.get("Users"));
        assertEquals(before.get("Groups") + 1, after.get("Groups"));
        assertEquals(3, after.get("MFADevices"));
        assertEquals(2, after.get("MFADevicesInUse"));
        assertEquals(1, after.get("AccountMFAEnabled"));
        assertEquals(4, after.get("Policies"));
        assertEquals(5, after.get("PolicyVersionsInUse"));
        assertEquals(1500, after.get("PoliciesQuota"));
        assertTrue(sources.calls().contains("GetAccountMfaSummary " + QueryApiTest.ACCOUNT), sources.calls().toString());
    }

    @Test
    void hasAwsQuotasAndTheRootKeyConfiguredForTheTests() {
        Map<String, Integer> map = summary();
        assertEquals(2, map.get("AccessKeysPerUserQuota"));
        assertEquals(5000, map.get("UsersQuota"));
        assertEquals(300, map.get("GroupsQuota"));
        assertEquals(10, map.get("GroupsPerUserQuota"));
        assertEquals(0, map.get("AccountSigningCertificatesPresent"));
        assertEquals(0, map.get("AccountMFAEnabled"));
        // the root user's key comes from configuration (%test.gatekey.bootstrap.root-access-key-id)
        assertEquals(1, map.get("AccountAccessKeysPresent"));
        for (String key : List.of("Users", "Groups", "MFADevices", "MFADevicesInUse", "Roles", "Providers",
                "ServerCertificates", "InstanceProfiles", "SigningCertificatesPerUserQuota")) {
            assertTrue(map.containsKey(key), key);
        }
    }

    @Test
    void isAuthorizedAsGetAccountSummaryOnAnyResourceAndDeniedWithoutAskingPeers() {
        summary();
        assertEquals(List.of(new RecordingPolicyEnforcer.Question(policy.questions().get(0).caller(),
                "iam:GetAccountSummary", "*")), policy.questions());
        policy.reset();
        sources.forgetCalls();
        policy.allow(false);
        QueryClient.Answer denied = client.iam(ROOT, "GetAccountSummary");
        assertEquals(403, denied.status());
        assertEquals("AccessDenied", denied.code());
        assertTrue(sources.calls().isEmpty(), sources.calls().toString());
    }

    @Test
    void anUnreachablePeerIsServiceUnavailable() {
        sources.unavailable(true);
        QueryClient.Answer answer = client.iam(ROOT, "GetAccountSummary");
        assertEquals(503, answer.status(), answer.toString());
        assertEquals("ServiceUnavailable", answer.code());
        assertEquals("Receiver", answer.text("Type"));
    }
}

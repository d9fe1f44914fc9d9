package dev.gatekey.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.error.GatekeyException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The request context per row of AWS's MFA context table, and the keys a request may not set. */
class RequestContextFactoryTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static Caller user(Optional<Boolean> mfa, Optional<Instant> mfaTime) {
        return new Caller("arn:aws:iam::123456789012:user/alice", PrincipalType.USER, "123456789012", "AIDAALICE",
                "alice", mfa, mfaTime, NOW.minusSeconds(30), "token");
    }

    private static RequestContext ctx(Caller caller) {
        return RequestContextFactory.fromCaller(caller, "iam:GetUser", "*", Map.of(), NOW);
    }

    @Test
    void sessionWithMfa() {
        RequestContext c = ctx(user(Optional.of(true), Optional.of(NOW.minusSeconds(120))));
        assertEquals(List.of("true"), c.values("aws:MultiFactorAuthPresent").orElseThrow());
        assertEquals(List.of("120"), c.values("aws:multifactorauthage").orElseThrow());
        assertEquals(List.of("alice"), c.values("aws:username").orElseThrow());
        assertEquals(List.of("AIDAALICE"), c.values("aws:userid").orElseThrow());
        assertEquals(List.of("arn:aws:iam::123456789012:user/alice"), c.values("aws:PrincipalArn").orElseThrow());
        assertEquals(List.of("123456789012"), c.values("aws:PrincipalAccount").orElseThrow());
        assertEquals(List.of("User"), c.values("aws:PrincipalType").orElseThrow());
        assertEquals(List.of("2026-01-01T12:00:00Z"), c.values("aws:CurrentTime").orElseThrow());
        assertEquals(List.of(Long.toString(NOW.getEpochSecond())), c.values("aws:EpochTime").orElseThrow());
        assertEquals(List.of("2026-01-01T11:59:30Z"), c.values("aws:TokenIssueTime").orElseThrow());
    }

    @Test
    void passwordOnlySession() {
        RequestContext c = ctx(user(Optional.of(false), Optional.empty()));
        assertEquals(List.of("false"), c.values("aws:MultiFactorAuthPresent").orElseThrow());
        assertTrue(c.values("aws:MultiFactorAuthAge").isEmpty());
    }

    @Test
    void longTermKeyHasNoMfaKeysAndNoTokenIssueTime() {
        RequestContext c = ctx(user(Optional.empty(), Optional.empty()));
        assertTrue(c.values("aws:MultiFactorAuthPresent").isEmpty());
        assertTrue(c.values("aws:MultiFactorAuthAge").isEmpty());
        assertTrue(c.values("aws:TokenIssueTime").isEmpty());
    }

    @Test
    void rootUser() {
        Caller root = new Caller("arn:aws:iam::123456789012:root", PrincipalType.ROOT, "123456789012", "123456789012",
                "root", Optional.of(false), Optional.empty(), NOW, "t");
        RequestContext c = ctx(root);
        assertEquals(List.of("Account"), c.values("aws:PrincipalType").orElseThrow());
        assertEquals(List.of("123456789012"), c.values("aws:userid").orElseThrow());
        assertTrue(c.values("aws:username").isEmpty());
        assertEquals(Decision.ALLOWED, Authorizer.authorize(
                RequestContextFactory.fromCaller(root, "iam:DeleteUser", "arn:aws:iam::123456789012:user/x", Map.of(), NOW),
                List.of()).decision());
        assertEquals(Decision.IMPLICIT_DENY, Authorizer.authorize(
                RequestContextFactory.fromCaller(root, "iam:DeleteUser", "arn:aws:iam::999999999999:user/x", Map.of(), NOW),
                List.of()).decision());
    }

    @Test
    void requestEntriesAreAddedButMayNotDescribeTheCaller() {
        RequestContext c = RequestContextFactory.fromCaller(user(Optional.of(false), Optional.empty()), "s3:GetObject",
                "*", Map.of("aws:SourceIp", List.of("10.0.0.1")), NOW);
        assertEquals(List.of("10.0.0.1"), c.values("AWS:SOURCEIP").orElseThrow());
        for (String key : List.of("aws:MultiFactorAuthPresent", "AWS:MULTIFACTORAUTHAGE", "aws:username", "aws:userid",
                "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType", "aws:PrincipalTag/x",
                "aws:TokenIssueTime", "aws:CurrentTime", "aws:EpochTime", "not-a-key")) {
            GatekeyException e = assertThrows(GatekeyException.class, () -> RequestContextFactory.fromCaller(
                    user(Optional.of(false), Optional.empty()), "s3:GetObject", "*", Map.of(key, List.of("true")), NOW),
                    key);
            assertEquals("ValidationError", e.code());
        }
    }
}

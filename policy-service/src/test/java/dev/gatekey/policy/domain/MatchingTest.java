package dev.gatekey.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MatchingTest {

    @Test
    void actionsMatchCaseInsensitivelyWithWildcards() {
        assertTrue(Authorizer.actionMatches(new ValueList(List.of("iam:GetUser"), false), "IAM:getuser"));
        assertTrue(Authorizer.actionMatches(new ValueList(List.of("iam:*"), false), "iam:GetUser"));
        assertTrue(Authorizer.actionMatches(new ValueList(List.of("*"), false), "s3:GetObject"));
        assertTrue(Authorizer.actionMatches(new ValueList(List.of("iam:*MFA*"), false), "iam:EnableMFADevice"));
        assertTrue(Authorizer.actionMatches(new ValueList(List.of("iam:Get?ser"), false), "iam:GetUser"));
        assertFalse(Authorizer.actionMatches(new ValueList(List.of("iam:Get?"), false), "iam:GetUser"));
        assertFalse(Authorizer.actionMatches(new ValueList(List.of("iam:GetUser"), false), "iam:GetUsers"));
        assertFalse(Authorizer.actionMatches(new ValueList(List.of("iam:*"), true), "iam:GetUser"));
        assertTrue(Authorizer.actionMatches(new ValueList(List.of("iam:*"), true), "sts:GetSessionToken"));
    }

    @Test
    void wildcardsBacktrack() {
        assertTrue(Wildcard.of("a*b*c").matches("aXbYbZc", false));
        assertFalse(Wildcard.of("a*b*c").matches("aXbYbZ", false));
        assertTrue(Wildcard.of("*").matches("", false));
        assertTrue(Wildcard.of("**?").matches("x", false));
        assertFalse(Wildcard.of("?").matches("", false));
        assertTrue(Wildcard.of("ABC").matches("abc", true));
        assertFalse(Wildcard.of("ABC").matches("abc", false));
    }

    @Test
    void arnsMatchPerComponent() {
        assertTrue(ArnMatcher.matches(Wildcard.of("arn:aws:iam::*:user/*"), "arn:aws:iam::123456789012:user/a/b"));
        assertTrue(ArnMatcher.matches(Wildcard.of("arn:aws:iam::12345678901?:user/bob"), "arn:aws:iam::123456789012:user/bob"));
        assertFalse(ArnMatcher.matches(Wildcard.of("arn:aws:iam::*:user/bob"), "arn:aws:iam::1:x:user/bob"));
        assertTrue(ArnMatcher.matches(Wildcard.of("arn:aws:s3:::b/*"), "arn:aws:s3:::b/k:e:y"));
        assertFalse(ArnMatcher.matches(Wildcard.of("arn:aws:s3:::b/*"), "arn:aws:s3:eu-west-1::b/k"));
        assertTrue(ArnMatcher.matches(Wildcard.of("*"), "arn:aws:iam::123456789012:user/bob"));
        assertTrue(ArnMatcher.matches(Wildcard.of("*"), "*"));
        assertFalse(ArnMatcher.matches(Wildcard.of("arn:aws:*:user/bob"), "arn:aws:iam::123456789012:user/bob"));
        assertFalse(ArnMatcher.matches(Wildcard.of("arn:aws:iam::*:user/Bob"), "arn:aws:iam::123456789012:user/bob"));
        assertEquals("123456789012", ArnMatcher.accountOf("arn:aws:iam::123456789012:user/bob"));
        assertEquals("", ArnMatcher.accountOf("*"));
    }

    /** IAM User Guide, Resource: "If the * wildcard is the last character of a resource ARN segment, it can expand". */
    @Test
    void aResourceSegmentEndingInStarMayCrossColons() {
        assertTrue(ArnMatcher.matchesResource(Wildcard.of("arn:aws:iam::*:user/bob"), "arn:aws:iam::1:x:user/bob"));
        assertTrue(ArnMatcher.matchesResource(Wildcard.of("arn:aws:sns:eu-*:1:t"), "arn:aws:sns:eu-west-1:x:1:t"));
        assertFalse(ArnMatcher.matchesResource(Wildcard.of("arn:aws:iam::*2:user/bob"), "arn:aws:iam::1:2:user/bob"),
                "a '*' inside a segment does not cross");
        assertFalse(ArnMatcher.matchesResource(Wildcard.of("arn:aws:iam::?:user/bob"), "arn:aws:iam::1:x:user/bob"));
        assertFalse(ArnMatcher.matchesResource(Wildcard.of("arn:aws:iam::*:user/bob"), "arn:aws:iam::1:x:user/bo"));
        assertTrue(ArnMatcher.matchesResource(Wildcard.of("arn:aws:s3:::b/*"), "arn:aws:s3:::b/k:e:y"));
        // Many colons and wildcards: bounded by pattern length × value length, no backtracking blow-up.
        String value = "arn:aws:s3:::" + ":a".repeat(20_000);
        long start = System.nanoTime();
        assertFalse(ArnMatcher.matchesResource(Wildcard.of("arn:*:*:*:*:*b"), value));
        assertTrue((System.nanoTime() - start) / 1_000_000 < 2_000, "took too long");
    }

    @Test
    void cidrBlocks() {
        assertTrue(CidrBlock.parse("10.0.0.0/8").orElseThrow().contains("10.255.1.2"));
        assertFalse(CidrBlock.parse("10.0.0.0/8").orElseThrow().contains("11.0.0.1"));
        assertTrue(CidrBlock.parse("192.0.2.5").orElseThrow().contains("192.0.2.5"));
        assertTrue(CidrBlock.parse("192.0.2.0/25").orElseThrow().contains("192.0.2.127"));
        assertFalse(CidrBlock.parse("192.0.2.0/25").orElseThrow().contains("192.0.2.128"));
        assertTrue(CidrBlock.parse("2001:DB8::/32").orElseThrow().contains("2001:db8:ffff::1"));
        assertFalse(CidrBlock.parse("2001:DB8::/32").orElseThrow().contains("2001:db9::1"));
        assertFalse(CidrBlock.parse("0.0.0.0/0").orElseThrow().contains("::1"));
        assertTrue(CidrBlock.parse("0.0.0.0/0").orElseThrow().contains("8.8.8.8"));
        assertTrue(CidrBlock.parse("256.0.0.0/8").isEmpty());
        assertTrue(CidrBlock.parse("example.com").isEmpty());
        assertFalse(CidrBlock.parse("10.0.0.0/8").orElseThrow().contains("not-an-ip"));
    }
}

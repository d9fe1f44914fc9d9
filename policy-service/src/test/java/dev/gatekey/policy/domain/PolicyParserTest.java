package dev.gatekey.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

    @Test
    void parsesAStatementArrayKeepingTheTextExactly() {
        String text = "{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"p1\",\n  \"Statement\": [\n"
                + "    {\"Sid\": \"One\", \"Effect\": \"Allow\", \"Action\": [\"iam:GetUser\", \"iam:ListUsers\"],"
                + " \"Resource\": \"*\"},\n"
                + "    {\"Effect\": \"Deny\", \"NotAction\": \"iam:*\", \"NotResource\": \"arn:aws:s3:::b/*\","
                + " \"Condition\": {\"ForAnyValue:StringLikeIfExists\": {\"aws:TagKeys\": [\"a*\", 7, true]}}}\n  ]\n}";
        PolicyDocument doc = PolicyParser.parse(text);
        assertEquals(text, doc.text());
        assertEquals(PolicyLanguageVersion.V2012_10_17, doc.version());
        assertEquals("p1", doc.id());
        assertEquals(2, doc.statements().size());
        Statement first = doc.statements().get(0);
        assertEquals("One", first.sid());
        assertEquals(Effect.ALLOW, first.effect());
        assertEquals(List.of("iam:GetUser", "iam:ListUsers"), first.actions().values());
        assertFalse(first.actions().negated());
        Statement second = doc.statements().get(1);
        assertEquals(1, second.index());
        assertEquals("", second.sid());
        assertTrue(second.actions().negated());
        assertTrue(second.resources().negated());
        Condition c = second.conditions().get(0);
        assertEquals(ConditionOperator.Base.StringLike, c.operator().base());
        assertEquals(ConditionOperator.SetQualifier.FOR_ANY_VALUE, c.operator().qualifier());
        assertTrue(c.operator().ifExists());
        assertEquals(List.of("a*", "7", "true"), c.values());
    }

    @Test
    void statementMayBeASingleObjectAndVersionDefaultsTo2008() {
        PolicyDocument doc = PolicyParser.parse("{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}}");
        assertEquals(PolicyLanguageVersion.V2008_10_17, doc.version());
        assertEquals(1, doc.statements().size());
    }

    @Test
    void resourcePoliciesKeepThePrincipal() {
        PolicyDocument doc = PolicyParser.parse("{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\","
                + " \"Principal\": {\"AWS\": [\"arn:aws:iam::123456789012:root\"]}, \"Action\": \"sts:AssumeRole\"}}",
                PolicyParser.PolicyKind.RESOURCE);
        Statement s = doc.statements().get(0);
        assertEquals(List.of("arn:aws:iam::123456789012:root"), s.principal().principals().get("AWS"));
        assertNull(s.resources());
        PolicyDocument star = PolicyParser.parse("{\"Statement\": {\"Effect\": \"Deny\", \"NotPrincipal\": \"*\","
                + " \"Action\": \"*\", \"Resource\": \"*\"}}", PolicyParser.PolicyKind.RESOURCE);
        assertTrue(star.statements().get(0).principal().negated());
    }

    @Test
    void syntaxErrorsNameLineAndColumn() {
        MalformedPolicyDocument e = assertThrows(MalformedPolicyDocument.class,
                () -> PolicyParser.parse("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ }\n}"));
        assertEquals("MalformedPolicyDocument", e.code());
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertEquals("3", e.metadata().get("line"));
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void grammarErrorsPointAtTheElement() {
        MalformedPolicyDocument e = assertThrows(MalformedPolicyDocument.class, () -> PolicyParser.parse(
                "{\"Version\": \"2012-10-17\",\n\"Statement\": {\"Effect\": \"Allow\",\n  \"Action\": \"*\",\n"
                        + "  \"Resource\": \"*\",\n  \"Condition\": {\"StringEqual\": {\"aws:username\": \"a\"}}}}"));
        assertTrue(e.getMessage().contains("Invalid Condition type : StringEqual"), e.getMessage());
        assertEquals("5", e.metadata().get("line"));
        assertEquals("17", e.metadata().get("column"), "the operator's name");
    }

    @Test
    void rejectsWhatIamRejects() {
        String[] bad = {
            "[]",
            "{}",
            "{\"Version\": \"2012-10-17\", \"Statement\": []}",
            "{\"Version\": 2012, \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}}",
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": [], \"Resource\": \"*\"}}",
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": [\"\"], \"Resource\": \"*\"}}",
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", \"Resource\": \"*\"}}",
            "{\"Statement\": {\"Sid\": \"has space\", \"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}}",
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", \"NotResource\": \"*\"}}",
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"arn:aws:s3\"}}",
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", \"Condition\": []}}",
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\","
                    + " \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"yes\"}}}}",
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\","
                    + " \"Condition\": {\"IpAddress\": {\"aws:SourceIp\": \"10.0.0.0/33\"}}}}",
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\","
                    + " \"Condition\": {\"DateLessThan\": {\"aws:CurrentTime\": \"yesterday\"}}}}",
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\","
                    + " \"Condition\": {\"NullIfExists\": {\"aws:username\": \"true\"}}}}",
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\","
                    + " \"Condition\": {\"StringEquals\": {\"username\": \"a\"}}}}",
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\","
                    + " \"Condition\": {\"StringEquals\": {\"aws:username\": null}}}}",
            "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}} trailing",
        };
        for (String doc : bad) {
            assertThrows(MalformedPolicyDocument.class, () -> PolicyParser.parse(doc), doc);
        }
    }

    @Test
    void policyVariablesInConditionValuesSkipTypeValidation() {
        PolicyParser.parse("{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\","
                + " \"Resource\": \"*\", \"Condition\": {\"NumericEquals\": {\"gatekey:n\": \"${gatekey:m}\"}}}}");
    }

    @Test
    void managedPolicySizeExcludesWhitespace() {
        String head = "{\"Statement\":{\"Sid\":\"";
        String tail = "\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}";
        int fill = PolicyParser.MANAGED_POLICY_MAX_CHARS - head.length() - tail.length();
        String atLimit = head + "A".repeat(fill) + tail;
        assertEquals(PolicyParser.MANAGED_POLICY_MAX_CHARS, PolicyParser.nonWhitespaceLength(atLimit));
        PolicyParser.parseManagedPolicy(atLimit + "\n   \t");
        GatekeyException e = assertThrows(GatekeyException.class,
                () -> PolicyParser.parseManagedPolicy(head + "A".repeat(fill + 1) + tail));
        assertEquals("LimitExceeded", e.code());
    }
}

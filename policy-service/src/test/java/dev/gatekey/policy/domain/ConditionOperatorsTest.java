package dev.gatekey.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.platform.auth.PrincipalType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every condition operator, the IfExists suffix, the set qualifiers and the missing-key rules. */
class ConditionOperatorsTest {

    /** Evaluates {@code operator} on key {@code k} with the policy values against the request values (null = absent). */
    static boolean eval(String operator, List<String> policyValues, List<String> requestValues) {
        return eval(operator, policyValues, requestValues, new ArrayList<>());
    }

    static boolean eval(String operator, List<String> policyValues, List<String> requestValues, List<String> missing) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put("aws:username", List.of("alice"));
        if (requestValues != null) {
            keys.put("test:Key", requestValues);
        }
        RequestContext ctx = new RequestContext("arn:aws:iam::123456789012:user/alice", PrincipalType.USER,
                "123456789012", "s3:GetObject", "*", keys);
        Condition c = new Condition(ConditionOperator.parse(operator).orElseThrow(), "test:key", policyValues);
        return ConditionEvaluator.evaluate(c, PolicyLanguageVersion.V2012_10_17, ctx, missing::add);
    }

    static List<String> v(String... values) {
        return Arrays.asList(values);
    }

    @Test
    void stringOperators() {
        assertTrue(eval("StringEquals", v("a", "b"), v("b")));
        assertFalse(eval("StringEquals", v("a"), v("A")));
        assertTrue(eval("StringNotEquals", v("a", "b"), v("c")));
        assertFalse(eval("StringNotEquals", v("a", "b"), v("b")));
        assertTrue(eval("StringEqualsIgnoreCase", v("ABC"), v("abc")));
        assertFalse(eval("StringNotEqualsIgnoreCase", v("ABC"), v("abc")));
        assertTrue(eval("StringNotEqualsIgnoreCase", v("ABC"), v("abd")));
        assertTrue(eval("StringLike", v("home/*/docs", "x"), v("home/alice/docs")));
        assertTrue(eval("StringLike", v("ab?"), v("abc")));
        assertFalse(eval("StringLike", v("ab?"), v("ABC")));
        assertTrue(eval("StringNotLike", v("a*", "b*"), v("c1")));
        assertFalse(eval("StringNotLike", v("a*", "b*"), v("b1")));
        assertTrue(eval("StringEquals", v("a*"), v("a*")), "wildcards are literal for StringEquals");
        assertFalse(eval("StringEquals", v("a*"), v("ab")));
    }

    @Test
    void numericOperators() {
        assertTrue(eval("NumericEquals", v("10"), v("10.0")));
        assertFalse(eval("NumericEquals", v("10"), v("11")));
        assertTrue(eval("NumericNotEquals", v("10", "20"), v("15")));
        assertFalse(eval("NumericNotEquals", v("10", "20"), v("20")));
        assertTrue(eval("NumericLessThan", v("10"), v("9")));
        assertFalse(eval("NumericLessThan", v("10"), v("10")));
        assertTrue(eval("NumericLessThanEquals", v("10"), v("10")));
        assertTrue(eval("NumericGreaterThan", v("10"), v("11")));
        assertFalse(eval("NumericGreaterThan", v("10"), v("10")));
        assertTrue(eval("NumericGreaterThanEquals", v("10"), v("10")));
        assertFalse(eval("NumericGreaterThanEquals", v("10"), v("-3")));
        assertFalse(eval("NumericEquals", v("10"), v("ten")), "a non-number does not match");
    }

    @Test
    void dateOperatorsAcceptIso8601AndEpochSeconds() {
        assertTrue(eval("DateEquals", v("2020-01-01T00:00:00Z"), v("1577836800")));
        assertTrue(eval("DateEquals", v("2020-01-01"), v("2020-01-01T01:00:00+01:00")));
        assertTrue(eval("DateNotEquals", v("2020-01-01T00:00:00Z"), v("2020-01-02T00:00:00Z")));
        assertFalse(eval("DateNotEquals", v("2020-01-01T00:00:00Z"), v("2020-01-01T00:00:00Z")));
        assertTrue(eval("DateLessThan", v("2020-01-01T00:00:00Z"), v("2019-12-31T23:59:59Z")));
        assertFalse(eval("DateLessThan", v("2020-01-01T00:00:00Z"), v("2020-01-01T00:00:00Z")));
        assertTrue(eval("DateLessThanEquals", v("2020-01-01T00:00:00Z"), v("2020-01-01T00:00:00Z")));
        assertTrue(eval("DateGreaterThan", v("2020-01-01T00:00:00Z"), v("2020-01-01T00:00:01Z")));
        assertTrue(eval("DateGreaterThanEquals", v("1577836800"), v("2020-01-01T00:00:00Z")));
        assertFalse(eval("DateGreaterThan", v("2020-01-01T00:00:00Z"), v("not a date")));
    }

    @Test
    void boolBinaryIpArnNull() {
        assertTrue(eval("Bool", v("true"), v("TRUE")));
        assertFalse(eval("Bool", v("true"), v("false")));
        assertFalse(eval("Bool", v("false"), v("maybe")));
        assertTrue(eval("BinaryEquals", v("AAEC"), v("AAEC")));
        assertFalse(eval("BinaryEquals", v("AAEC"), v("AAED")));
        assertTrue(eval("IpAddress", v("10.0.0.0/8", "2001:db8::/32"), v("2001:db8::7")));
        assertFalse(eval("IpAddress", v("10.0.0.0/8"), v("192.168.0.1")));
        assertTrue(eval("NotIpAddress", v("10.0.0.0/8", "172.16.0.0/12"), v("192.168.0.1")));
        assertFalse(eval("NotIpAddress", v("10.0.0.0/8", "172.16.0.0/12"), v("172.16.5.4")));
        assertTrue(eval("ArnEquals", v("arn:aws:sns:*:123456789012:topic"), v("arn:aws:sns:eu-west-1:123456789012:topic")));
        assertTrue(eval("ArnLike", v("arn:aws:s3:::bucket/*"), v("arn:aws:s3:::bucket/a:b")));
        assertFalse(eval("ArnLike", v("arn:aws:sns:*:123456789012:*"), v("arn:aws:sqs:eu-west-1:123456789012:q")));
        assertTrue(eval("ArnNotEquals", v("arn:aws:sns:*:1:*"), v("arn:aws:sns:r:2:t")));
        assertFalse(eval("ArnNotLike", v("arn:aws:sns:*:1:*"), v("arn:aws:sns:r:1:t")));
        assertTrue(eval("Null", v("true"), null));
        assertFalse(eval("Null", v("true"), v("x")));
        assertTrue(eval("Null", v("false"), v("x")));
        assertFalse(eval("Null", v("false"), null));
        assertTrue(eval("Null", v("true"), v()), "an empty value set counts as absent");
    }

    @Test
    void missingKeyRules() {
        List<String> missing = new ArrayList<>();
        assertFalse(eval("StringEquals", v("a"), null, missing), "a missing key does not match");
        assertEquals(List.of("test:key"), missing);
        // AWS: a condition that requires the key not to match (StringNotLike, ArnNotLike, ...) is true
        // when the key is not present.
        assertTrue(eval("StringNotEquals", v("a"), null), "a negated operator matches a missing key");
        assertTrue(eval("NotIpAddress", v("192.0.2.0/24"), null));
        assertTrue(eval("ArnNotLike", v("arn:aws:sns:*:*:*"), null));
        assertFalse(eval("ForAnyValue:StringNotEquals", v("a"), null), "but not with ForAnyValue");
        assertFalse(eval("Bool", v("false"), null), "Bool ignores long-term credentials");
        assertTrue(eval("BoolIfExists", v("false"), null), "BoolIfExists matches when the key is missing");
        assertTrue(eval("StringEqualsIfExists", v("a"), null));
        assertFalse(eval("StringEqualsIfExists", v("a"), v("b")), "IfExists compares a present key");
        assertTrue(eval("NumericLessThanIfExists", v("3600"), v("60")));
        assertTrue(eval("ForAllValues:StringEquals", v("a"), null), "ForAllValues matches a missing key");
        assertTrue(eval("ForAllValues:StringEquals", v("a"), v()), "and an empty one");
        assertFalse(eval("ForAnyValue:StringEquals", v("a"), null), "ForAnyValue does not match a missing key");
        assertTrue(eval("ForAnyValue:StringEqualsIfExists", v("a"), null));
    }

    @Test
    void setQualifiers() {
        assertTrue(eval("ForAllValues:StringEquals", v("a", "b"), v("a", "b")));
        assertFalse(eval("ForAllValues:StringEquals", v("a", "b"), v("a", "c")));
        assertTrue(eval("ForAnyValue:StringEquals", v("a", "b"), v("c", "b")));
        assertFalse(eval("ForAnyValue:StringEquals", v("a", "b"), v("c", "d")));
        assertTrue(eval("ForAnyValue:StringNotEquals", v("a"), v("a", "z")), "some value is not a");
        assertFalse(eval("ForAllValues:StringNotEquals", v("a"), v("a", "z")), "not every value avoids a");
        assertTrue(eval("ForAllValues:StringLike", v("proj-*"), v("proj-a", "proj-b")));
        assertTrue(eval("StringEquals", v("b"), v("a", "b")), "an unqualified operator on several values: any");
        assertFalse(eval("StringNotEquals", v("b"), v("a", "b")), "negated unqualified: none may match");
    }

    @Test
    void operatorNames() {
        assertTrue(ConditionOperator.parse("ForAllValues:ArnLikeIfExists").isPresent());
        assertTrue(ConditionOperator.parse("StringEqual").isEmpty());
        assertTrue(ConditionOperator.parse("stringequals").isEmpty(), "operator names are case-sensitive");
        assertTrue(ConditionOperator.parse("NullIfExists").isEmpty());
        assertTrue(ConditionOperator.parse("ForAnyValue:Null").isEmpty());
        assertTrue(ConditionOperator.parse("IfExists").isEmpty());
    }

    @Test
    void conditionKeysAreCaseInsensitiveAndVariablesResolveInValues() {
        assertTrue(eval("StringEquals", v("${aws:username}"), v("alice")));
        assertTrue(eval("StringEquals", v("${AWS:UserName}"), v("alice")));
        assertTrue(eval("StringLike", v("${aws:username}-*"), v("alice-1")));
        List<String> missing = new ArrayList<>();
        assertFalse(eval("StringEquals", v("${aws:SourceVpc}"), v("vpc-1"), missing));
        assertEquals(List.of("aws:SourceVpc"), missing);
        assertTrue(eval("StringEquals", v("${aws:SourceVpc, 'none'}"), v("none")));
    }
}

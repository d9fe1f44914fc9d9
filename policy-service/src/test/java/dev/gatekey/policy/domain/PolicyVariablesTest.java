package dev.gatekey.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.platform.auth.PrincipalType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyVariablesTest {
    private final RequestContext ctx = new RequestContext("arn:aws:iam::123456789012:user/a*b",
            PrincipalType.USER, "123456789012", "s3:GetObject", "*",
            Map.of("aws:username", List.of("a*b"), "aws:userid", List.of("AIDAX"),
                    "aws:PrincipalAccount", List.of("123456789012")));

    private Optional<Wildcard> resolve(String template, PolicyLanguageVersion version, List<String> missing) {
        return PolicyVariables.resolve(template, version, ctx, missing::add);
    }

    @Test
    void substitutesUnder2012() {
        Wildcard w = resolve("arn:aws:iam::${aws:PrincipalAccount}:user/${aws:userid}", PolicyLanguageVersion.V2012_10_17,
                new ArrayList<>()).orElseThrow();
        assertEquals("arn:aws:iam::123456789012:user/AIDAX", w.text());
    }

    @Test
    void isLiteralUnder2008() {
        Wildcard w = resolve("user/${aws:username}", PolicyLanguageVersion.V2008_10_17, new ArrayList<>()).orElseThrow();
        assertEquals("user/${aws:username}", w.text());
        assertFalse(w.matches("user/a*b", false));
    }

    @Test
    void substitutedValuesAreLiteralNotWildcards() {
        Wildcard w = resolve("user/${aws:username}", PolicyLanguageVersion.V2012_10_17, new ArrayList<>()).orElseThrow();
        assertTrue(w.matches("user/a*b", false));
        assertFalse(w.matches("user/aXYZb", false));
    }

    @Test
    void escapes() {
        Wildcard w = resolve("${*}${?}${$}*", PolicyLanguageVersion.V2012_10_17, new ArrayList<>()).orElseThrow();
        assertEquals("*?$*", w.text());
        assertTrue(w.matches("*?$anything", false));
        assertFalse(w.matches("x?$anything", false));
        assertFalse(w.matches("*x$anything", false));
    }

    @Test
    void defaultsAndMissingKeys() {
        List<String> missing = new ArrayList<>();
        assertEquals("team/none", resolve("team/${aws:PrincipalTag/team, 'none'}", PolicyLanguageVersion.V2012_10_17,
                missing).orElseThrow().text());
        assertTrue(missing.isEmpty());
        assertTrue(resolve("team/${aws:PrincipalTag/team}", PolicyLanguageVersion.V2012_10_17, missing).isEmpty());
        assertEquals(List.of("aws:PrincipalTag/team"), missing);
    }
}

package dev.gatekey.identity.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatekey.platform.error.GatekeyException;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IamNamesTest {

    private static void invalid(Runnable check) {
        GatekeyException e = assertThrows(GatekeyException.class, check::run);
        assertEquals("ValidationError", e.code());
    }

    @Test
    void accountIdsAreTwelveDigits() {
        assertEquals("123456789012", IamNames.requireAccountId("123456789012"));
        invalid(() -> IamNames.requireAccountId("12345678901"));
        invalid(() -> IamNames.requireAccountId("1234567890123"));
        invalid(() -> IamNames.requireAccountId("12345678901a"));
        invalid(() -> IamNames.requireAccountId(null));
    }

    @Test
    void userNamesUseAwsCharactersUpTo64() {
        for (String ok : new String[] {"alice", "a", "Bob_Smith", "x+y=z,w.v@u-t", "a".repeat(64)}) {
            assertEquals(ok, IamNames.requireUserName(ok));
        }
        for (String bad : new String[] {"", "a".repeat(65), "alice smith", "alice/bob", "al:ice", "élise", "a*"}) {
            invalid(() -> IamNames.requireUserName(bad));
        }
        invalid(() -> IamNames.requireUserName(null));
    }

    @Test
    void pathsAreASlashOrPrintableAsciiBetweenSlashes() {
        assertEquals("/", IamNames.requirePath(""));
        assertEquals("/", IamNames.requirePath(null));
        assertEquals("/", IamNames.requirePath("/"));
        assertEquals("/division_abc/subdivision_xyz/", IamNames.requirePath("/division_abc/subdivision_xyz/"));
        assertEquals("/" + "a".repeat(510) + "/", IamNames.requirePath("/" + "a".repeat(510) + "/"));
        for (String bad : new String[] {"engineering", "/engineering", "engineering/", "/a b/", "//x/y\u007F/",
                "/" + "a".repeat(511) + "/"}) {
            invalid(() -> IamNames.requirePath(bad));
        }
    }

    @Test
    void arnsAsAwsWritesThem() {
        assertEquals("arn:aws:iam::123456789012:user/alice", IamNames.userArn("123456789012", "/", "alice"));
        assertEquals("arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob",
                IamNames.userArn("123456789012", "/division_abc/subdivision_xyz/", "Bob"));
        assertEquals("arn:aws:iam::123456789012:root", IamNames.rootArn("123456789012"));
    }

    @Test
    void userIdsAreAidaAnd17RandomUpperCaseAlphanumerics() {
        UniqueIds ids = new UniqueIds(new SecureRandom());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = ids.newUserId();
            assertTrue(id.matches("AIDA[A-Z0-9]{17}"), id);
            seen.add(id);
        }
        assertEquals(1000, seen.size());
        assertNotEquals(new UniqueIds(new SecureRandom()).newUserId(), new UniqueIds(new SecureRandom()).newUserId());
    }
}

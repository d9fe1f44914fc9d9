package dev.gatekey.identity.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UniqueIdsTest {

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

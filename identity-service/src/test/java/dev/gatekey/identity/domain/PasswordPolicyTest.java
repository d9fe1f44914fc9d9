package dev.gatekey.identity.domain;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatekey.platform.error.ErrorKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
    private static final PasswordPolicy POLICY = PasswordPolicy.AWS_DEFAULT;
    private static final List<String> IDENTITIES = List.of("alice", "Example-Corp-1", "root@example.com");

    private static PasswordPolicyViolationException violation(String password) {
        return assertThrows(PasswordPolicyViolationException.class, () -> POLICY.check(password, IDENTITIES));
    }

    @Test
    void acceptsThreeOfTheFourCharacterTypes() {
        assertDoesNotThrow(() -> POLICY.check("Abcdefg1", IDENTITIES));        // upper, lower, digit
        assertDoesNotThrow(() -> POLICY.check("abcdefg1!", IDENTITIES));       // lower, digit, symbol
        assertDoesNotThrow(() -> POLICY.check("ABCDEFG1'", IDENTITIES));       // upper, digit, symbol
        assertDoesNotThrow(() -> POLICY.check("Abcdefg|", IDENTITIES));        // upper, lower, symbol
    }

    @Test
    void rejectsTwoCharacterTypes() {
        violation("abcdefgh1");
        violation("ABCDEFGHij");
        violation("abcdefgh!!");
        violation("12345678!!");
        // Symbols outside AWS's list do not count as a character type.
        violation("abcdefg1~~~");
        violation("abcdefg1 ");
    }

    @Test
    void everyListedSymbolCounts() {
        for (char symbol : "!@#$%^&*()_+-=[]{}|'".toCharArray()) {
            assertDoesNotThrow(() -> POLICY.check("abcdefg1" + symbol, IDENTITIES), String.valueOf(symbol));
            assertEquals(3, PasswordPolicy.characterTypes("abcdefg1" + symbol));
        }
    }

    @Test
    void lengthIsBetween8And128() {
        violation("Abcde1!");
        assertDoesNotThrow(() -> POLICY.check("Abcde12!", IDENTITIES));
        assertDoesNotThrow(() -> POLICY.check("Aa1!" + "x".repeat(124), IDENTITIES));
        violation("Aa1!" + "x".repeat(125));
        violation(null);
    }

    @Test
    void mustDifferFromUserNameAccountNameAndEmail() {
        violation("Example-Corp-1");
        violation("example-corp-1");
        violation("Root@Example.com");
        List<String> withUser = List.of("Alice-2024!");
        assertThrows(PasswordPolicyViolationException.class, () -> POLICY.check("Alice-2024!", withUser));
    }

    @Test
    void isAValidationKindErrorWithAwsCodeAndNoPasswordInTheMessage() {
        PasswordPolicyViolationException e = violation("secret12");
        assertEquals("PasswordPolicyViolation", e.code());
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertFalse(e.getMessage().contains("secret12"));
    }
}

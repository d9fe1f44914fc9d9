package dev.gatekey.platform.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** IAM API reference constraints (CreateUser, CreatePolicy, CreateVirtualMFADevice) and IAM identifiers. */
class IamNamesTest {
    private static final String NAME_RULE = "satisfy regular expression pattern: [\\w+=,.@-]+";

    /** The refusal, which must be AWS's ValidationError; returns its message. */
    private static String invalid(Executable check) {
        GatekeyException e = assertThrows(GatekeyException.class, check);
        assertEquals("ValidationError", e.code());
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        return e.getMessage();
    }

    @Test
    void accountIdsAreTwelveDigits() {
        assertEquals("123456789012", IamNames.requireAccountId("123456789012"));
        for (String bad : new String[] {"12345678901", "1234567890123", "12345678901a", "", " 123456789012"}) {
            invalid(() -> IamNames.requireAccountId(bad));
        }
        assertEquals("1 validation error detected: Value '12345' at 'accountId' failed to satisfy constraint:"
                + " Member must have length 12 and satisfy regular expression pattern: [0-9]+",
                invalid(() -> IamNames.requireAccountId("12345")));
        assertEquals("1 validation error detected: Value null at 'accountId' failed to satisfy constraint:"
                + " Member must have length 12 and satisfy regular expression pattern: [0-9]+",
                invalid(() -> IamNames.requireAccountId(null)));
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
        assertEquals("1 validation error detected: Value 'alice smith' at 'userName' failed to satisfy constraint:"
                + " Member must have length between 1 and 64 and " + NAME_RULE,
                invalid(() -> IamNames.requireUserName("alice smith")));
    }

    @Test
    void eachKindOfNameHasItsOwnMaximumLengthAndParameter() {
        assertEquals("p".repeat(128), IamNames.requirePolicyName("p".repeat(128)));
        assertEquals("1 validation error detected: Value '" + "p".repeat(129) + "' at 'policyName' failed to"
                + " satisfy constraint: Member must have length between 1 and 128 and " + NAME_RULE,
                invalid(() -> IamNames.requirePolicyName("p".repeat(129))));

        assertEquals("d".repeat(226), IamNames.requireVirtualMfaDeviceName("d".repeat(226)));
        assertEquals("1 validation error detected: Value '" + "d".repeat(227) + "' at 'virtualMFADeviceName'"
                + " failed to satisfy constraint: Member must have length between 1 and 226 and " + NAME_RULE,
                invalid(() -> IamNames.requireVirtualMfaDeviceName("d".repeat(227))));
        invalid(() -> IamNames.requireVirtualMfaDeviceName("my phone"));

        assertEquals("n".repeat(10), IamNames.requireName("roleName", "n".repeat(10), 10));
        assertEquals("1 validation error detected: Value '' at 'roleName' failed to satisfy constraint:"
                + " Member must have length between 1 and 10 and " + NAME_RULE,
                invalid(() -> IamNames.requireName("roleName", "", 10)));
    }

    @Test
    void pathsAreASlashOrPrintableAsciiBetweenSlashes() {
        assertEquals("/", IamNames.requirePath(""));
        assertEquals("/", IamNames.requirePath(null));
        assertEquals("/", IamNames.requirePath("/"));
        assertEquals("/division_abc/subdivision_xyz/", IamNames.requirePath("/division_abc/subdivision_xyz/"));
        assertEquals("/" + "a".repeat(510) + "/", IamNames.requirePath("/" + "a".repeat(510) + "/"));
        assertEquals("/!~/", IamNames.requirePath("/!~/"));
        for (String bad : new String[] {"engineering", "/engineering", "engineering/", "/a b/", "//x/y\u007F/",
                "/é/", "/" + "a".repeat(511) + "/"}) {
            invalid(() -> IamNames.requirePath(bad));
        }
        assertEquals("1 validation error detected: Value 'engineering' at 'path' failed to satisfy constraint:"
                + " Member must have length between 1 and 512 and satisfy regular expression pattern:"
                + " (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)",
                invalid(() -> IamNames.requirePath("engineering")));
    }

    @Test
    void validationErrorsUseAwsWording() {
        GatekeyException e = IamNames.validationError("versionId", "x1", "Member must satisfy something");
        assertEquals("ValidationError", e.code());
        assertEquals("1 validation error detected: Value 'x1' at 'versionId' failed to satisfy constraint:"
                + " Member must satisfy something", e.getMessage());
    }

    @Test
    void arnsAsAwsWritesThem() {
        assertEquals("arn:aws:iam::123456789012:user/alice", IamNames.userArn("123456789012", "/", "alice"));
        assertEquals("arn:aws:iam::123456789012:user/alice", IamNames.userArn("123456789012", "alice"));
        assertEquals("arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/Bob",
                IamNames.userArn("123456789012", "/division_abc/subdivision_xyz/", "Bob"));
        assertEquals("arn:aws:iam::123456789012:root", IamNames.rootArn("123456789012"));
        assertEquals("arn:aws:iam::123456789012:mfa/alice-phone",
                IamNames.virtualMfaDeviceSerialNumber("123456789012", "/", "alice-phone"));
        assertEquals("arn:aws:iam::123456789012:mfa/team/alice-phone",
                IamNames.virtualMfaDeviceSerialNumber("123456789012", "/team/", "alice-phone"));
        assertEquals("arn:aws:iam::123456789012:policy/RequireMFA",
                IamNames.policyArn("123456789012", "/", "RequireMFA"));
        assertEquals("arn:aws:iam::123456789012:policy/security/RequireMFA",
                IamNames.policyArn("123456789012", "/security/", "RequireMFA"));
    }
}

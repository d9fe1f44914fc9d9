package dev.gatekey.identity.domain;

import dev.gatekey.platform.iam.IamNames;
import java.util.Collection;
import java.util.Optional;

/**
 * An account's custom password policy (IAM API, UpdateAccountPasswordPolicy; AWS's
 * {@code PasswordPolicy} shape). Every password set for an IAM user of the account must satisfy
 * it; without one, {@link PasswordPolicy#AWS_DEFAULT} applies.
 */
public record AccountPasswordPolicy(int minimumPasswordLength, boolean requireSymbols, boolean requireNumbers,
        boolean requireUppercaseCharacters, boolean requireLowercaseCharacters, boolean allowUsersToChangePassword,
        Optional<Integer> maxPasswordAge, Optional<Integer> passwordReusePrevention, boolean hardExpiry) {

    /** AWS's limits: length 6-128, age 1-1095 days, reuse prevention 1-24. */
    public AccountPasswordPolicy {
        if (minimumPasswordLength < 6 || minimumPasswordLength > 128) {
            throw IamNames.validationError("minimumPasswordLength",
                    Integer.toString(minimumPasswordLength), "Member must have value less than or equal to 128"
                            + " and greater than or equal to 6");
        }
        maxPasswordAge.filter(a -> a < 1 || a > 1095).ifPresent(a -> {
            throw IamNames.validationError("maxPasswordAge", a.toString(),
                    "Member must have value less than or equal to 1095 and greater than or equal to 1");
        });
        passwordReusePrevention.filter(a -> a < 1 || a > 24).ifPresent(a -> {
            throw IamNames.validationError("passwordReusePrevention", a.toString(),
                    "Member must have value less than or equal to 24 and greater than or equal to 1");
        });
    }

    /**
     * Returns when {@code password} satisfies the policy; messages never repeat the password.
     *
     * @throws PasswordPolicyViolationException otherwise
     */
    public void check(String password, Collection<String> identities) {
        int length = password == null ? 0 : password.codePointCount(0, password.length());
        if (length < minimumPasswordLength) {
            throw new PasswordPolicyViolationException(
                    "Password should have a minimum length of " + minimumPasswordLength);
        }
        if (length > 128) {
            throw new PasswordPolicyViolationException("Password should have a maximum length of 128");
        }
        if (requireUppercaseCharacters && password.chars().noneMatch(c -> c >= 'A' && c <= 'Z')) {
            throw new PasswordPolicyViolationException("Password should have at least one uppercase letter");
        }
        if (requireLowercaseCharacters && password.chars().noneMatch(c -> c >= 'a' && c <= 'z')) {
            throw new PasswordPolicyViolationException("Password should have at least one lowercase letter");
        }
        if (requireNumbers && password.chars().noneMatch(c -> c >= '0' && c <= '9')) {
            throw new PasswordPolicyViolationException("Password should have at least one number");
        }
        if (requireSymbols && password.chars().noneMatch(c -> PasswordPolicy.SYMBOLS.indexOf(c) >= 0)) {
            throw new PasswordPolicyViolationException("Password should have at least one symbol");
        }
        for (String identity : identities) {
            if (identity != null && password.equalsIgnoreCase(identity)) {
                throw new PasswordPolicyViolationException(
                        "Password should not be identical to the account name, user name or email address.");
            }
        }
    }
}

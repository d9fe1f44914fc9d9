package dev.gatekey.identity.domain;

import java.util.Collection;

/**
 * AWS's default IAM password policy (IAM User Guide, "Set an account password policy for IAM
 * users", default password policy): 8 to 128 characters; at least three of upper-case letters,
 * lower-case letters, numbers and the symbols {@code ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '};
 * not identical to the account name, user name or e-mail address.
 */
public final class PasswordPolicy {
    /** The policy AWS applies when an account has set none. */
    public static final PasswordPolicy AWS_DEFAULT = new PasswordPolicy(8, 128, 3);
    /** The symbols AWS counts as non-alphanumeric characters. */
    public static final String SYMBOLS = "!@#$%^&*()_+-=[]{}|'";

    private final int minimumLength;
    private final int maximumLength;
    private final int requiredCharacterTypes;

    PasswordPolicy(int minimumLength, int maximumLength, int requiredCharacterTypes) {
        this.minimumLength = minimumLength;
        this.maximumLength = maximumLength;
        this.requiredCharacterTypes = requiredCharacterTypes;
    }

    /**
     * Returns when {@code password} satisfies the policy; the message of the violation never
     * repeats the password.
     *
     * @param identities the account name, user name and e-mail the password must differ from
     *                   (compared ignoring case; nulls are skipped)
     * @throws PasswordPolicyViolationException otherwise
     */
    public void check(String password, Collection<String> identities) {
        if (password == null || password.codePointCount(0, password.length()) < minimumLength) {
            throw new PasswordPolicyViolationException(
                    "Password should have a minimum length of " + minimumLength + ".");
        }
        if (password.codePointCount(0, password.length()) > maximumLength) {
            throw new PasswordPolicyViolationException(
                    "Password should have a maximum length of " + maximumLength + ".");
        }
        if (characterTypes(password) < requiredCharacterTypes) {
            throw new PasswordPolicyViolationException("Password should contain at least three of: upper-case"
                    + " letters, lower-case letters, numbers and the symbols ! @ # $ % ^ & * ( ) _ + - = [ ] { } | '.");
        }
        for (String identity : identities) {
            if (identity != null && password.equalsIgnoreCase(identity)) {
                throw new PasswordPolicyViolationException(
                        "Password should not be identical to the account name, user name or email address.");
            }
        }
    }

    static int characterTypes(String password) {
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        boolean symbol = false;
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            // AWS counts the Latin alphabet and the Arabic numerals only.
            upper |= c >= 'A' && c <= 'Z';
            lower |= c >= 'a' && c <= 'z';
            digit |= c >= '0' && c <= '9';
            symbol |= SYMBOLS.indexOf(c) >= 0;
        }
        return (upper ? 1 : 0) + (lower ? 1 : 0) + (digit ? 1 : 0) + (symbol ? 1 : 0);
    }
}

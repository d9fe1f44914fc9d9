package dev.gatekey.policy.domain;

import dev.gatekey.platform.error.GatekeyException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validation of IAM names, paths and ARNs (IAM API Reference, CreatePolicy / AttachUserPolicy
 * parameter constraints), with AWS's ValidationError wording.
 */
public final class PolicyNames {
    private static final Pattern POLICY_NAME = Pattern.compile("[\\w+=,.@-]{1,128}");
    private static final Pattern USER_NAME = Pattern.compile("[\\w+=,.@-]{1,64}");
    private static final Pattern PATH = Pattern.compile("/|/[\\u0021-\\u007E]+/");
    private static final Pattern VERSION_ID = Pattern.compile("v[1-9][0-9]*");
    private static final Pattern POLICY_ARN = Pattern.compile("arn:aws:iam::(\\d{12}):policy(/|/[\\u0021-\\u007E]*/)([\\w+=,.@-]{1,128})");
    public static final int MAX_PATH = 512;
    public static final int MAX_DESCRIPTION = 1000;

    private PolicyNames() {
    }

    /** A customer managed policy's ARN, split. */
    public record PolicyArn(String accountId, String path, String name) {
        public String arn() {
            return policyArn(accountId, path, name);
        }
    }

    public static String policyArn(String accountId, String path, String name) {
        return "arn:aws:iam::" + accountId + ":policy" + path + name;
    }

    public static String userArn(String accountId, String userName) {
        return "arn:aws:iam::" + accountId + ":user/" + userName;
    }

    public static void requirePolicyName(String name) {
        require(name, POLICY_NAME, "policyName", "[\\w+=,.@-]+", 128);
    }

    public static void requireUserName(String name) {
        require(name, USER_NAME, "userName", "[\\w+=,.@-]+", 64);
    }

    public static void requirePath(String path) {
        if (path.length() > MAX_PATH || !PATH.matcher(path).matches()) {
            throw invalid("path", path, "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F) and have length less than or equal to " + MAX_PATH);
        }
    }

    public static void requireDescription(String description) {
        if (description.length() > MAX_DESCRIPTION) {
            throw GatekeyException.invalidInput("1 validation error detected: Value at 'description' failed to satisfy "
                    + "constraint: Member must have length less than or equal to " + MAX_DESCRIPTION);
        }
    }

    public static void requireVersionId(String versionId) {
        if (!VERSION_ID.matcher(versionId).matches()) {
            throw invalid("versionId", versionId, "Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?");
        }
    }

    public static PolicyArn parsePolicyArn(String arn) {
        Matcher m = POLICY_ARN.matcher(arn == null ? "" : arn);
        if (arn == null || arn.length() > 2048 || !m.matches()) {
            throw GatekeyException.invalidInput("ARN " + arn + " is not valid.");
        }
        return new PolicyArn(m.group(1), m.group(2), m.group(3));
    }

    private static void require(String value, Pattern pattern, String field, String shown, int max) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw invalid(field, value, "Member must satisfy regular expression pattern: " + shown
                    + " and have length between 1 and " + max);
        }
    }

    private static GatekeyException invalid(String field, String value, String constraint) {
        return GatekeyException.invalidInput("1 validation error detected: Value '" + value + "' at '" + field
                + "' failed to satisfy constraint: " + constraint);
    }
}

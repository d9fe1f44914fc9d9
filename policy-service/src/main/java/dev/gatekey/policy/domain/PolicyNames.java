package dev.gatekey.policy.domain;

import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What only managed policies have (IAM API Reference, CreatePolicy / GetPolicyVersion
 * parameter constraints): version ids, descriptions and policy ARNs. Names and paths follow
 * the platform's {@link IamNames}.
 */
public final class PolicyNames {
    private static final Pattern VERSION_ID = Pattern.compile("v[1-9][0-9]*");
    private static final Pattern POLICY_ARN = Pattern.compile("arn:aws:iam::(\\d{12}):policy(/|/[\\u0021-\\u007E]*/)([\\w+=,.@-]{1,128})");
    public static final int MAX_DESCRIPTION = 1000;
    public static final int GROUP_NAME_MAX = 128;
    public static final int MAX_TAGS = 50;
    private static final Pattern PATH_PREFIX = Pattern.compile("/[\\u0021-\\u007F]*");
    private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    private static final Pattern USER_OR_GROUP_ARN = Pattern.compile(
            "arn:aws:iam::(\\d{12}):(user|group)(/|/[\\u0021-\\u007E]*/)([\\w+=,.@-]{1,128})");

    private PolicyNames() {
    }

    /** A customer managed policy's ARN, split. */
    public record PolicyArn(String accountId, String path, String name) {
        public String arn() {
            return IamNames.policyArn(accountId, path, name);
        }
    }

    /** A user or group ARN, split: account, {@code user} or {@code group}, path, name. */
    public record PrincipalArn(String accountId, String type, String path, String name) {
    }

    /** {@code arn:aws:iam::<account>:group<path><name>}. */
    public static String groupArn(String accountId, String path, String groupName) {
        return "arn:aws:iam::" + accountId + ":group" + path + groupName;
    }

    public static String requireGroupName(String groupName) {
        return IamNames.requireName("groupName", groupName, GROUP_NAME_MAX);
    }

    /** A PathPrefix: {@code /} when empty. */
    public static String requirePathPrefix(String prefix) {
        String p = prefix == null || prefix.isEmpty() ? "/" : prefix;
        if (p.length() > 512 || !PATH_PREFIX.matcher(p).matches()) {
            throw IamNames.validationError("pathPrefix", p, "Member must have length between 1 and 512 and satisfy "
                    + "regular expression pattern: \\u002F[\\u0021-\\u007F]*");
        }
        return p;
    }

    public static void requireTag(String key, String value) {
        if (key == null || key.isEmpty() || key.length() > 128 || !TAG_TEXT.matcher(key).matches()) {
            throw IamNames.validationError("tags.member.key", key, "Member must have length between 1 and 128 and "
                    + "satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
        }
        if (key.regionMatches(true, 0, "aws:", 0, 4)) {
            throw GatekeyException.invalidInput("Tag keys starting with 'aws:' are reserved for AWS use.");
        }
        if (value == null || value.length() > 256 || !TAG_TEXT.matcher(value).matches()) {
            throw IamNames.validationError("tags.member.value", value, "Member must have length less than or equal "
                    + "to 256 and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
        }
    }

    public static PrincipalArn parsePrincipalArn(String arn) {
        Matcher m = USER_OR_GROUP_ARN.matcher(arn == null ? "" : arn);
        if (arn == null || arn.length() > 2048 || !m.matches()) {
            throw GatekeyException.invalidInput("Invalid ARN " + arn + ": the policy source must be a user or a "
                    + "group of the account (arn:aws:iam::<account>:user/<name> or :group/<name>).");
        }
        return new PrincipalArn(m.group(1), m.group(2), m.group(3), m.group(4));
    }

    public static void requireDescription(String description) {
        if (description.length() > MAX_DESCRIPTION) {
            throw IamNames.validationError("description", description,
                    "Member must have length less than or equal to " + MAX_DESCRIPTION);
        }
    }

    public static void requireVersionId(String versionId) {
        if (!VERSION_ID.matcher(versionId).matches()) {
            throw IamNames.validationError("versionId", versionId,
                    "Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?");
        }
    }

    public static PolicyArn parsePolicyArn(String arn) {
        Matcher m = POLICY_ARN.matcher(arn == null ? "" : arn);
        if (arn == null || arn.length() > 2048 || !m.matches()) {
            throw GatekeyException.invalidInput("ARN " + arn + " is not valid.");
        }
        return new PolicyArn(m.group(1), m.group(2), m.group(3));
    }
}

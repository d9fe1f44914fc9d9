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

    private PolicyNames() {
    }

    /** A customer managed policy's ARN, split. */
    public record PolicyArn(String accountId, String path, String name) {
        public String arn() {
            return IamNames.policyArn(accountId, path, name);
        }
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

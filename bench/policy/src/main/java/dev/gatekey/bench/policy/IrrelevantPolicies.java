package dev.gatekey.bench.policy;

import dev.gatekey.policy.domain.ApplicablePolicy;
import dev.gatekey.policy.domain.PolicyParser;
import dev.gatekey.policy.domain.PolicyType;
import java.util.ArrayList;
import java.util.List;

/**
 * Managed policies (10 statements each, as JSON text through the service's parser) whose
 * statements concern none of the benchmarked requests: Allow and Deny on EC2, DynamoDB, SQS,
 * SNS, Lambda, KMS, CloudWatch Logs, RDS, ECS and role management in IAM, with exact actions
 * and {@code service:Prefix*} wildcards, ARNs with wildcards, and a condition on every other
 * statement. The benchmarked requests are IAM user actions and {@code s3:GetObject}.
 */
final class IrrelevantPolicies {
    private static final String[][] SERVICES = {
        {"ec2", "RunInstances", "TerminateInstances", "Describe*", "arn:aws:ec2:*:%s:instance/*"},
        {"dynamodb", "GetItem", "PutItem", "Query", "arn:aws:dynamodb:eu-west-1:%s:table/orders-*"},
        {"sqs", "SendMessage", "ReceiveMessage", "Get*", "arn:aws:sqs:*:%s:queue-*"},
        {"sns", "Publish", "Subscribe", "List*", "arn:aws:sns:*:%s:alerts-*"},
        {"lambda", "InvokeFunction", "UpdateFunctionCode", "Get*", "arn:aws:lambda:*:%s:function:svc-*"},
        {"kms", "Decrypt", "Encrypt", "Describe*", "arn:aws:kms:*:%s:key/*"},
        {"logs", "PutLogEvents", "CreateLogStream", "Describe*", "arn:aws:logs:*:%s:log-group:/app/*"},
        {"rds", "CreateDBSnapshot", "RebootDBInstance", "Describe*", "arn:aws:rds:*:%s:db:prod-*"},
        {"ecs", "RunTask", "StopTask", "List*", "arn:aws:ecs:*:%s:task/*"},
        {"iam", "CreateRole", "PassRole", "TagRole", "arn:aws:iam::%s:role/app-*"},
    };

    private IrrelevantPolicies() {
    }

    static List<ApplicablePolicy> of(int statements, String account) {
        List<ApplicablePolicy> out = new ArrayList<>();
        int perPolicy = 10;
        for (int first = 0; first < statements; first += perPolicy) {
            StringBuilder json = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
            int last = Math.min(statements, first + perPolicy);
            for (int n = first; n < last; n++) {
                String[] s = SERVICES[n % SERVICES.length];
                // iam's third entry is an exact action; everywhere else it is a wildcard
                String action = s[0] + ":" + s[1 + (n / SERVICES.length) % 3];
                if (n > first) {
                    json.append(',');
                }
                json.append("{\"Sid\":\"S").append(n).append("\",\"Effect\":\"").append(n % 7 == 0 ? "Deny" : "Allow")
                        .append("\",\"Action\":[\"").append(action).append("\",\"").append(s[0]).append(':')
                        .append(s[2]).append("\"],\"Resource\":\"").append(String.format(s[4], account)).append('"');
                if (n % 2 == 0) {
                    json.append(",\"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":\"eu-west-")
                            .append(1 + n % 3).append("\"}}");
                }
                json.append('}');
            }
            json.append("]}");
            out.add(new ApplicablePolicy("arn:aws:iam::" + account + ":policy/irrelevant-" + first / perPolicy,
                    PolicyType.USER_MANAGED, PolicyParser.parseManagedPolicy(json.toString())));
        }
        return out;
    }
}

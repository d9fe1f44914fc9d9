package dev.gatekey.policy.domain;

/** Where an applicable policy comes from, in AWS's SourcePolicyType words. */
public enum PolicyType {
    /** An inline policy of the user: {@code user}. */
    USER("user"),
    /** An inline policy of one of the user's groups: {@code group}. */
    GROUP("group"),
    /** A customer managed policy attached to the user or a group: {@code user-managed}. */
    USER_MANAGED("user-managed"),
    /** A policy given to the simulator: {@code none}. */
    NONE("none");

    private final String awsName;

    PolicyType(String awsName) {
        this.awsName = awsName;
    }

    public String awsName() {
        return awsName;
    }
}

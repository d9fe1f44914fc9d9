package dev.gatekey.policy.persistence;

/**
 * An inline policy of a user or group. {@code inlineId} is new on every PutUserPolicy /
 * PutGroupPolicy, so a parsed document can be cached by it.
 */
public record InlinePolicyRecord(long inlineId, String principalName, String policyName, String document) {
}

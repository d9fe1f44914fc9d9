package dev.gatekey.policy.persistence;

import java.util.List;

/**
 * Everything that applies to one user (or one group) in evaluation, as stored: its inline
 * policies, attached managed policies, its groups' inline and attached policies (in group name
 * order), and its permissions boundary (null when none).
 */
public record PrincipalPolicies(List<InlinePolicyRecord> inline, List<AttachedPolicyRecord> attached,
        List<InlinePolicyRecord> groupInline, List<AttachedPolicyRecord> groupAttached,
        AttachedPolicyRecord boundary) {
}

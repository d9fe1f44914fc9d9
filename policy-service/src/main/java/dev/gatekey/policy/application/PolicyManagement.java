package dev.gatekey.policy.application;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import dev.gatekey.policy.domain.PolicyDocument;
import dev.gatekey.policy.domain.PolicyNames;
import dev.gatekey.policy.domain.PolicyParser;
import dev.gatekey.policy.persistence.AttachedPolicyRecord;
import dev.gatekey.policy.persistence.ManagedPolicyRecord;
import dev.gatekey.policy.persistence.PolicyRepository;
import dev.gatekey.policy.persistence.PolicyVersionRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Customer managed policies and their attachment to users (AWS CreatePolicy, GetPolicy,
 * GetPolicyVersion, AttachUserPolicy, ListAttachedUserPolicies). Each operation validates its
 * input, asks the {@link PolicyEnforcer} whether the caller may perform the IAM action on the
 * resource, then works on the caller's own account only.
 */
@ApplicationScoped
public class PolicyManagement {
    /** AWS's default quota of managed policies attached to one user. */
    static final int MAX_POLICIES_PER_USER = 10;
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    PolicyRepository repository;

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    ParsedPolicyCache cache;

    @Transactional
    public ManagedPolicyRecord createPolicy(Caller caller, String name, String path, String document,
            String description) {
        IamNames.requirePolicyName(name);
        String p = IamNames.requirePath(path);
        PolicyNames.requireDescription(description == null ? "" : description);
        String arn = IamNames.policyArn(caller.accountId(), p, name);
        enforcer.authorize(caller, "iam:CreatePolicy", arn);
        PolicyDocument parsed = PolicyParser.parseManagedPolicy(document);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ManagedPolicyRecord policy = new ManagedPolicyRecord(newPolicyId(), caller.accountId(), name, p, arn,
                description == null ? "" : description, "v1", 0, now, now);
        if (!repository.insertPolicy(policy, new PolicyVersionRecord(policy.policyId(), "v1", document, true, now))) {
            throw GatekeyException.entityAlreadyExists(
                    "A policy called " + name + " already exists. Duplicate names are not allowed.");
        }
        cache.put(policy.policyId(), "v1", parsed);
        return policy;
    }

    @Transactional
    public ManagedPolicyRecord getPolicy(Caller caller, String policyArn) {
        PolicyNames.parsePolicyArn(policyArn);
        enforcer.authorize(caller, "iam:GetPolicy", policyArn);
        return findPolicy(caller, policyArn);
    }

    @Transactional
    public PolicyVersionRecord getPolicyVersion(Caller caller, String policyArn, String versionId) {
        PolicyNames.parsePolicyArn(policyArn);
        PolicyNames.requireVersionId(versionId);
        enforcer.authorize(caller, "iam:GetPolicyVersion", policyArn);
        ManagedPolicyRecord policy = findPolicy(caller, policyArn);
        return repository.findVersion(policy.policyId(), versionId)
                .orElseThrow(() -> GatekeyException.noSuchEntity("Policy " + policyArn + " version " + versionId
                        + " does not exist or is not attachable."));
    }

    @Transactional
    public void attachUserPolicy(Caller caller, String userName, String policyArn) {
        IamNames.requireUserName(userName);
        PolicyNames.parsePolicyArn(policyArn);
        enforcer.authorize(caller, "iam:AttachUserPolicy", IamNames.userArn(caller.accountId(), userName));
        ManagedPolicyRecord policy = findPolicy(caller, policyArn);
        List<AttachedPolicyRecord> attached = repository.attachedUserPolicies(caller.accountId(), userName);
        boolean already = attached.stream().anyMatch(a -> a.policyId().equals(policy.policyId()));
        if (!already && attached.size() >= MAX_POLICIES_PER_USER) {
            throw GatekeyException.limitExceeded("Cannot exceed quota for PoliciesPerUser: " + MAX_POLICIES_PER_USER);
        }
        repository.attachUserPolicy(caller.accountId(), userName, policy.policyId(), Instant.now());
    }

    @Transactional
    public List<AttachedPolicyRecord> listAttachedUserPolicies(Caller caller, String userName) {
        IamNames.requireUserName(userName);
        enforcer.authorize(caller, "iam:ListAttachedUserPolicies", IamNames.userArn(caller.accountId(), userName));
        return repository.attachedUserPolicies(caller.accountId(), userName);
    }

    /** Only the caller's account is searched: another account's policy "does not exist". */
    private ManagedPolicyRecord findPolicy(Caller caller, String policyArn) {
        return repository.findPolicyByArn(caller.accountId(), policyArn)
                .orElseThrow(() -> GatekeyException.noSuchEntity(
                        "Policy " + policyArn + " does not exist or is not attachable."));
    }

    /** {@code ANPA} followed by 17 random uppercase letters and digits, like AWS's PolicyId. */
    static String newPolicyId() {
        StringBuilder id = new StringBuilder("ANPA");
        for (int i = 0; i < 17; i++) {
            id.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }
}

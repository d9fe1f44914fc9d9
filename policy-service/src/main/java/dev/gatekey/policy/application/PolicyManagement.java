package dev.gatekey.policy.application;

import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import dev.gatekey.policy.domain.PolicyDocument;
import dev.gatekey.policy.domain.PolicyNames;
import dev.gatekey.policy.domain.PolicyParser;
import dev.gatekey.policy.persistence.ManagedPolicyRecord;
import dev.gatekey.policy.persistence.PolicyEntityRecord;
import dev.gatekey.policy.persistence.PolicyRepository;
import dev.gatekey.policy.persistence.PolicyVersionRecord;
import dev.gatekey.policy.persistence.PrincipalType;
import dev.gatekey.policy.persistence.TagRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Customer managed policies: their versions, tags and the listing of the entities they are
 * attached to (AWS CreatePolicy, GetPolicy, ListPolicies, DeletePolicy, CreatePolicyVersion,
 * GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion, SetDefaultPolicyVersion,
 * TagPolicy, UntagPolicy, ListPolicyTags, ListEntitiesForPolicy, GetAccountSummary's policy
 * entries). Each operation validates its input, asks the {@link PolicyEnforcer} whether the
 * caller may perform the IAM action on the resource, then works on the caller's own account
 * only. Changes that can alter a decision bump the account's generation in the same transaction.
 */
@ApplicationScoped
public class PolicyManagement {
    /** AWS's default quota of managed policies attached to one user or group. */
    static final int MAX_POLICIES_PER_PRINCIPAL = 10;
    /** At most 5 versions per managed policy. */
    static final int MAX_VERSIONS = 5;
    static final int POLICIES_QUOTA = 1500;
    static final int POLICY_VERSIONS_IN_USE_QUOTA = 10000;
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    PolicyRepository repository;

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    ParsedPolicyCache cache;

    /** The policy with its tags. */
    public record PolicyWithTags(ManagedPolicyRecord policy, List<TagRecord> tags) {
    }

    /** The counts and quotas of GetAccountSummary that belong to policies. */
    public record AccountPolicySummary(int policies, int policyVersionsInUse) {
    }

    @Transactional
    public ManagedPolicyRecord createPolicy(Caller caller, String name, String path, String document,
            String description) {
        return createPolicy(caller, name, path, document, description, List.of()).policy();
    }

    @Transactional
    public PolicyWithTags createPolicy(Caller caller, String name, String path, String document,
            String description, List<TagRecord> tags) {
        IamNames.requirePolicyName(name);
        String p = IamNames.requirePath(path);
        PolicyNames.requireDescription(description == null ? "" : description);
        List<TagRecord> distinct = validateTags(tags);
        String arn = IamNames.policyArn(caller.accountId(), p, name);
        enforcer.authorize(caller, "iam:CreatePolicy", arn);
        PolicyDocument parsed = PolicyParser.parseManagedPolicy(document);
        if (repository.countPolicies(caller.accountId()) >= POLICIES_QUOTA) {
            throw GatekeyException.limitExceeded("Cannot exceed quota for PoliciesPerAccount: " + POLICIES_QUOTA);
        }
        Instant now = now();
        ManagedPolicyRecord policy = new ManagedPolicyRecord(newPolicyId(), caller.accountId(), name, p, arn,
                description == null ? "" : description, "v1", 0, 0, now, now);
        if (!repository.insertPolicy(policy, new PolicyVersionRecord(policy.policyId(), "v1", document, true, now))) {
            throw GatekeyException.entityAlreadyExists(
                    "A policy called " + name + " already exists. Duplicate names are not allowed.");
        }
        repository.putTags(policy.policyId(), distinct);
        cache.put(policy.policyId(), "v1", parsed);
        return new PolicyWithTags(policy, repository.tags(policy.policyId()));
    }

    @Transactional
    public ManagedPolicyRecord getPolicy(Caller caller, String policyArn) {
        return getPolicyWithTags(caller, policyArn).policy();
    }

    @Transactional
    public PolicyWithTags getPolicyWithTags(Caller caller, String policyArn) {
        PolicyNames.parsePolicyArn(policyArn);
        enforcer.authorize(caller, "iam:GetPolicy", policyArn);
        ManagedPolicyRecord policy = findPolicy(caller, policyArn);
        return new PolicyWithTags(policy, repository.tags(policy.policyId()));
    }

    /**
     * AWS ListPolicies: Scope AWS lists nothing (Gatekey has no AWS managed policies);
     * OnlyAttached keeps policies attached to a user or group (with the PermissionsBoundary
     * usage filter: used as a boundary); PolicyUsageFilter alone keeps policies in that use.
     *
     * @param scope {@code All}, {@code AWS} or {@code Local}
     * @param usage null, {@code PermissionsPolicy} or {@code PermissionsBoundary}
     */
    @Transactional
    public Page<ManagedPolicyRecord> listPolicies(Caller caller, String scope, boolean onlyAttached,
            String pathPrefix, String usage, String marker, int maxItems) {
        String prefix = PolicyNames.requirePathPrefix(pathPrefix);
        enforcer.authorize(caller, "iam:ListPolicies", "*");
        List<ManagedPolicyRecord> out = new ArrayList<>();
        if (!"AWS".equals(scope)) {
            for (ManagedPolicyRecord p : repository.listPolicies(caller.accountId())) {
                if (!p.path().startsWith(prefix)) {
                    continue;
                }
                boolean asPolicy = p.attachmentCount() > 0;
                boolean asBoundary = p.permissionsBoundaryUsageCount() > 0;
                boolean used = usage == null ? asPolicy || asBoundary
                        : usage.equals("PermissionsBoundary") ? asBoundary : asPolicy;
                if ((onlyAttached || usage != null) && !used) {
                    continue;
                }
                out.add(p);
            }
        }
        return Page.of(out, marker, maxItems);
    }

    /**
     * AWS DeletePolicy: DeleteConflict while attached to a user or group, used as a permissions
     * boundary, or with versions other than the default.
     */
    @Transactional
    public void deletePolicy(Caller caller, String policyArn) {
        PolicyNames.parsePolicyArn(policyArn);
        enforcer.authorize(caller, "iam:DeletePolicy", policyArn);
        ManagedPolicyRecord policy = lockPolicy(caller, policyArn);
        if (policy.attachmentCount() > 0 || policy.permissionsBoundaryUsageCount() > 0) {
            throw deleteConflict("Cannot delete a policy attached to entities.");
        }
        if (repository.listVersions(policy.policyId()).size() > 1) {
            throw deleteConflict("This policy has more than one version. Before you delete a policy, you must "
                    + "delete the policy's versions. The default version is deleted with the policy.");
        }
        repository.deletePolicy(policy.policyId());
        repository.bumpGeneration(caller.accountId());
    }

    @Transactional
    public PolicyVersionRecord createPolicyVersion(Caller caller, String policyArn, String document,
            boolean setAsDefault) {
        PolicyNames.parsePolicyArn(policyArn);
        enforcer.authorize(caller, "iam:CreatePolicyVersion", policyArn);
        PolicyDocument parsed = PolicyParser.parseManagedPolicy(document);
        ManagedPolicyRecord policy = lockPolicy(caller, policyArn);
        if (repository.listVersions(policy.policyId()).size() >= MAX_VERSIONS) {
            throw GatekeyException.limitExceeded("A managed policy can have up to " + MAX_VERSIONS + " versions. "
                    + "Before you create a new version, you must delete an existing version.");
        }
        String versionId = "v" + repository.takeNextVersionNumber(policy.policyId());
        Instant now = now();
        repository.insertVersion(new PolicyVersionRecord(policy.policyId(), versionId, document, false, now));
        cache.put(policy.policyId(), versionId, parsed);
        if (setAsDefault) {
            repository.setDefaultVersion(policy.policyId(), versionId, now);
            repository.bumpGeneration(caller.accountId());
        } else {
            repository.touchPolicy(policy.policyId(), now);
        }
        return new PolicyVersionRecord(policy.policyId(), versionId, document, setAsDefault, now);
    }

    @Transactional
    public PolicyVersionRecord getPolicyVersion(Caller caller, String policyArn, String versionId) {
        PolicyNames.parsePolicyArn(policyArn);
        PolicyNames.requireVersionId(versionId);
        enforcer.authorize(caller, "iam:GetPolicyVersion", policyArn);
        ManagedPolicyRecord policy = findPolicy(caller, policyArn);
        return findVersion(policy, policyArn, versionId);
    }

    @Transactional
    public Page<PolicyVersionRecord> listPolicyVersions(Caller caller, String policyArn, String marker,
            int maxItems) {
        PolicyNames.parsePolicyArn(policyArn);
        enforcer.authorize(caller, "iam:ListPolicyVersions", policyArn);
        ManagedPolicyRecord policy = findPolicy(caller, policyArn);
        return Page.of(repository.listVersions(policy.policyId()), marker, maxItems);
    }

    @Transactional
    public void deletePolicyVersion(Caller caller, String policyArn, String versionId) {
        PolicyNames.parsePolicyArn(policyArn);
        PolicyNames.requireVersionId(versionId);
        enforcer.authorize(caller, "iam:DeletePolicyVersion", policyArn);
        ManagedPolicyRecord policy = lockPolicy(caller, policyArn);
        PolicyVersionRecord version = findVersion(policy, policyArn, versionId);
        if (version.isDefault()) {
            throw deleteConflict("Cannot delete the default version of a policy.");
        }
        repository.deleteVersion(policy.policyId(), versionId);
    }

    @Transactional
    public void setDefaultPolicyVersion(Caller caller, String policyArn, String versionId) {
        PolicyNames.parsePolicyArn(policyArn);
        PolicyNames.requireVersionId(versionId);
        enforcer.authorize(caller, "iam:SetDefaultPolicyVersion", policyArn);
        ManagedPolicyRecord policy = lockPolicy(caller, policyArn);
        findVersion(policy, policyArn, versionId);
        repository.setDefaultVersion(policy.policyId(), versionId, now());
        repository.bumpGeneration(caller.accountId());
    }

    @Transactional
    public void tagPolicy(Caller caller, String policyArn, List<TagRecord> tags) {
        PolicyNames.parsePolicyArn(policyArn);
        List<TagRecord> distinct = validateTags(tags);
        if (distinct.isEmpty()) {
            throw IamNames.validationError("tags", "[]", "Member must have length greater than or equal to 1");
        }
        enforcer.authorize(caller, "iam:TagPolicy", policyArn);
        ManagedPolicyRecord policy = lockPolicy(caller, policyArn);
        Set<String> keys = new HashSet<>();
        repository.tags(policy.policyId()).forEach(t -> keys.add(t.key().toLowerCase(Locale.ROOT)));
        distinct.forEach(t -> keys.add(t.key().toLowerCase(Locale.ROOT)));
        if (keys.size() > PolicyNames.MAX_TAGS) {
            throw GatekeyException.limitExceeded("The number of tags has reached the maximum limit.");
        }
        repository.putTags(policy.policyId(), distinct);
    }

    @Transactional
    public void untagPolicy(Caller caller, String policyArn, List<String> tagKeys) {
        PolicyNames.parsePolicyArn(policyArn);
        if (tagKeys.isEmpty() || tagKeys.size() > PolicyNames.MAX_TAGS) {
            throw IamNames.validationError("tagKeys", Integer.toString(tagKeys.size()),
                    "Member must have length between 1 and " + PolicyNames.MAX_TAGS);
        }
        for (String k : tagKeys) {
            PolicyNames.requireTag(k, "");
        }
        enforcer.authorize(caller, "iam:UntagPolicy", policyArn);
        ManagedPolicyRecord policy = lockPolicy(caller, policyArn);
        repository.deleteTags(policy.policyId(), tagKeys);
    }

    @Transactional
    public Page<TagRecord> listPolicyTags(Caller caller, String policyArn, String marker, int maxItems) {
        PolicyNames.parsePolicyArn(policyArn);
        enforcer.authorize(caller, "iam:ListPolicyTags", policyArn);
        ManagedPolicyRecord policy = findPolicy(caller, policyArn);
        return Page.of(repository.tags(policy.policyId()), marker, maxItems);
    }

    /**
     * AWS ListEntitiesForPolicy over users and groups (Gatekey has no roles).
     *
     * @param entityFilter null, {@code User}, {@code Group} or {@code Role}
     * @param usage null, {@code PermissionsPolicy} or {@code PermissionsBoundary}
     */
    @Transactional
    public Page<PolicyEntityRecord> listEntitiesForPolicy(Caller caller, String policyArn, String entityFilter,
            String pathPrefix, String usage, String marker, int maxItems) {
        PolicyNames.parsePolicyArn(policyArn);
        String prefix = PolicyNames.requirePathPrefix(pathPrefix);
        enforcer.authorize(caller, "iam:ListEntitiesForPolicy", policyArn);
        ManagedPolicyRecord policy = findPolicy(caller, policyArn);
        List<PolicyEntityRecord> out = new ArrayList<>();
        for (PolicyEntityRecord e : repository.entitiesForPolicy(policy.policyId())) {
            if ("Role".equals(entityFilter)
                    || ("User".equals(entityFilter) && e.type() != PrincipalType.USER)
                    || ("Group".equals(entityFilter) && e.type() != PrincipalType.GROUP)
                    || !e.path().startsWith(prefix)) {
                continue;
            }
            boolean wanted = usage == null ? !e.boundary()
                    : usage.equals("PermissionsBoundary") == e.boundary();
            if (wanted) {
                out.add(e);
            }
        }
        return Page.of(out, marker, maxItems);
    }

    @Transactional
    public AccountPolicySummary accountSummary(Caller caller) {
        enforcer.authorize(caller, "iam:GetAccountSummary", "*");
        return new AccountPolicySummary(repository.countPolicies(caller.accountId()),
                repository.countPolicyUses(caller.accountId()));
    }

    /** Only the caller's account is searched: another account's policy "does not exist". */
    ManagedPolicyRecord findPolicy(Caller caller, String policyArn) {
        return repository.findPolicyByArn(caller.accountId(), policyArn)
                .orElseThrow(() -> noSuchPolicy(policyArn));
    }

    private ManagedPolicyRecord lockPolicy(Caller caller, String policyArn) {
        return repository.lockPolicyByArn(caller.accountId(), policyArn).orElseThrow(() -> noSuchPolicy(policyArn));
    }

    private PolicyVersionRecord findVersion(ManagedPolicyRecord policy, String policyArn, String versionId) {
        return repository.findVersion(policy.policyId(), versionId)
                .orElseThrow(() -> GatekeyException.noSuchEntity("Policy " + policyArn + " version " + versionId
                        + " does not exist or is not attachable."));
    }

    static GatekeyException noSuchPolicy(String policyArn) {
        return GatekeyException.noSuchEntity("Policy " + policyArn + " does not exist or is not attachable.");
    }

    static GatekeyException deleteConflict(String message) {
        return new GatekeyException("DeleteConflict", ErrorKind.CONFLICT, message);
    }

    /** Validated tags, a later tag with the same key (ignoring case) replacing an earlier one. */
    private static List<TagRecord> validateTags(List<TagRecord> tags) {
        Map<String, TagRecord> byKey = new LinkedHashMap<>();
        for (TagRecord t : tags) {
            PolicyNames.requireTag(t.key(), t.value());
            byKey.put(t.key().toLowerCase(Locale.ROOT), t);
        }
        if (byKey.size() > PolicyNames.MAX_TAGS) {
            throw GatekeyException.limitExceeded("The number of tags has reached the maximum limit.");
        }
        return new ArrayList<>(byKey.values());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
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

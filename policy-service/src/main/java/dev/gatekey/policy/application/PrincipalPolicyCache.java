package dev.gatekey.policy.application;

import dev.gatekey.policy.domain.ApplicablePolicy;
import dev.gatekey.policy.domain.PolicySet;
import dev.gatekey.policy.domain.PolicyType;
import dev.gatekey.policy.persistence.AttachedPolicyRecord;
import dev.gatekey.policy.persistence.InlinePolicyRecord;
import dev.gatekey.policy.persistence.PolicyRepository;
import dev.gatekey.policy.persistence.PrincipalPolicies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each user's compiled policy set (identity policies and permissions boundary), tagged with the
 * account's generation number it was built at. Every change to an account's policies bumps the
 * generation in the same database transaction; every lookup reads the current generation (one
 * primary-key read) and rebuilds when it differs. So a change is visible to every replica on its
 * next request after the commit, and no replica ever decides on a stale policy set. The
 * generation is read before the policies are, so an entry is never labelled newer than its data.
 */
@ApplicationScoped
public class PrincipalPolicyCache {
    static final int MAX_ENTRIES = 100_000;

    /** A user's compiled policies at a generation; {@code boundary} is null when none applies. */
    public record Compiled(long generation, PolicySet identity, PolicySet boundary) {
    }

    private final Map<String, Compiled> entries = new ConcurrentHashMap<>();

    @Inject
    PolicyRepository repository;

    @Inject
    ParsedPolicyCache documents;

    public PrincipalPolicyCache() {
    }

    /** A cache of its own over the same store (what another replica holds). */
    PrincipalPolicyCache(PolicyRepository repository, ParsedPolicyCache documents) {
        this.repository = repository;
        this.documents = documents;
    }

    public Compiled forUser(String accountId, String userName) {
        long generation = repository.generation(accountId);
        String key = accountId + '/' + userName.toLowerCase(Locale.ROOT);
        Compiled c = entries.get(key);
        if (c != null && c.generation() == generation) {
            return c;
        }
        PrincipalPolicies stored = repository.userPolicies(accountId, userName);
        c = new Compiled(generation, PolicySet.of(identityPolicies(stored)), boundary(stored));
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key, c);
        return c;
    }

    /**
     * The identity policies in evaluation order: the user's inline policies (named by policy
     * name), its attached managed policies (by ARN), its groups' inline policies (by
     * {@code GroupName/PolicyName}) and its groups' attached policies.
     */
    List<ApplicablePolicy> identityPolicies(PrincipalPolicies stored) {
        List<ApplicablePolicy> out = new ArrayList<>();
        for (InlinePolicyRecord i : stored.inline()) {
            out.add(new ApplicablePolicy(i.policyName(), PolicyType.USER, documents.inline(i)));
        }
        for (AttachedPolicyRecord a : stored.attached()) {
            out.add(new ApplicablePolicy(a.arn(), PolicyType.USER_MANAGED,
                    documents.get(a.policyId(), a.defaultVersionId())));
        }
        for (InlinePolicyRecord i : stored.groupInline()) {
            out.add(new ApplicablePolicy(i.principalName() + "/" + i.policyName(), PolicyType.GROUP,
                    documents.inline(i)));
        }
        for (AttachedPolicyRecord a : stored.groupAttached()) {
            if (out.stream().noneMatch(p -> p.sourcePolicyId().equals(a.arn()))) {
                out.add(new ApplicablePolicy(a.arn(), PolicyType.USER_MANAGED,
                        documents.get(a.policyId(), a.defaultVersionId())));
            }
        }
        return out;
    }

    PolicySet boundary(PrincipalPolicies stored) {
        AttachedPolicyRecord b = stored.boundary();
        return b == null ? null : PolicySet.of(List.of(new ApplicablePolicy(b.arn(), PolicyType.USER_MANAGED,
                documents.get(b.policyId(), b.defaultVersionId()))));
    }

    int size() {
        return entries.size();
    }
}

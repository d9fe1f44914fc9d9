package dev.gatekey.policy.application;

import dev.gatekey.policy.domain.PolicyDocument;
import dev.gatekey.policy.domain.PolicyParser;
import dev.gatekey.policy.persistence.PolicyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed policy documents by policy id and version id. A version's document never changes, so
 * entries need no invalidation; the map is cleared when it grows past a bound.
 */
@ApplicationScoped
public class ParsedPolicyCache {
    static final int MAX_ENTRIES = 10_000;

    private final Map<String, PolicyDocument> documents = new ConcurrentHashMap<>();

    @Inject
    PolicyRepository repository;

    public PolicyDocument get(String policyId, String versionId) {
        String key = policyId + '/' + versionId;
        PolicyDocument doc = documents.get(key);
        if (doc != null) {
            return doc;
        }
        String text = repository.findVersion(policyId, versionId)
                .orElseThrow(() -> new IllegalStateException("Missing version " + versionId + " of " + policyId))
                .document();
        doc = PolicyParser.parse(text);
        if (documents.size() >= MAX_ENTRIES) {
            documents.clear();
        }
        documents.put(key, doc);
        return doc;
    }

    /** Seeds the cache with a document just parsed on creation. */
    void put(String policyId, String versionId, PolicyDocument doc) {
        if (documents.size() < MAX_ENTRIES) {
            documents.put(policyId + '/' + versionId, doc);
        }
    }

    int size() {
        return documents.size();
    }
}

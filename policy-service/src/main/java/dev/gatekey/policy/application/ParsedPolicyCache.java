package dev.gatekey.policy.application;

import dev.gatekey.policy.domain.PolicyDocument;
import dev.gatekey.policy.domain.PolicyParser;
import dev.gatekey.policy.persistence.InlinePolicyRecord;
import dev.gatekey.policy.persistence.PolicyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed policy documents by managed policy id + version id, or by inline policy id. Neither
 * ever changes its text (a new inline document is a new row), so entries need no
 * invalidation; the map is cleared when it grows past a bound.
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
        remember(key, doc);
        return doc;
    }

    public PolicyDocument inline(InlinePolicyRecord record) {
        String key = "inline/" + record.inlineId();
        PolicyDocument doc = documents.get(key);
        if (doc == null) {
            doc = PolicyParser.parse(record.document());
            remember(key, doc);
        }
        return doc;
    }

    /** Seeds the cache with a document just parsed on creation. */
    void put(String policyId, String versionId, PolicyDocument doc) {
        remember(policyId + '/' + versionId, doc);
    }

    private void remember(String key, PolicyDocument doc) {
        if (documents.size() >= MAX_ENTRIES) {
            documents.clear();
        }
        documents.put(key, doc);
    }

    int size() {
        return documents.size();
    }
}

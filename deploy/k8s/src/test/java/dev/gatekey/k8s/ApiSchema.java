package dev.gatekey.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Offline validation against the Kubernetes API: every object is read into the fabric8
 * Kubernetes model (generated from the API's OpenAPI schema), which fails on wrong types; the
 * model keeps fields it does not know in {@code additionalProperties}, so any such field,
 * anywhere in the object, is a misspelt or misplaced field and reported with its path.
 * cert-manager's kinds are not in that model and are checked against their documented fields.
 */
final class ApiSchema {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private static final Set<String> CERTIFICATE_SPEC = Set.of("secretName", "secretTemplate", "commonName",
            "dnsNames", "ipAddresses", "uris", "emailAddresses", "subject", "duration", "renewBefore",
            "renewBeforePercentage", "usages", "isCA", "privateKey", "issuerRef", "keystores",
            "revisionHistoryLimit", "additionalOutputFormats", "literalSubject", "nameConstraints",
            "otherNames", "encodeUsagesInRequest", "signatureAlgorithm");
    private static final Set<String> PRIVATE_KEY = Set.of("algorithm", "size", "encoding", "rotationPolicy");
    private static final Set<String> USAGES = Set.of("signing", "digital signature", "content commitment",
            "key encipherment", "key agreement", "data encipherment", "cert sign", "crl sign",
            "encipher only", "decipher only", "any", "server auth", "client auth", "code signing",
            "email protection", "s/mime", "ipsec end system", "ipsec tunnel", "ipsec user",
            "timestamping", "ocsp signing", "microsoft sgc", "netscape sgc");
    private static final Set<String> ISSUER_SPEC = Set.of("selfSigned", "ca", "acme", "vault", "venafi");

    private ApiSchema() {
    }

    /** The problems of one rendered object; empty when it is valid. */
    static List<String> problems(JsonNode object) {
        String where = object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
        List<String> problems = new ArrayList<>();
        if (object.path("apiVersion").asText().startsWith("cert-manager.io/")) {
            certManager(object, where, problems);
            return problems;
        }
        KubernetesResource resource;
        try {
            resource = MAPPER.treeToValue(object, KubernetesResource.class);
        } catch (Exception e) {
            problems.add(where + ": " + e.getMessage().lines().findFirst().orElse(""));
            return problems;
        }
        if (resource instanceof GenericKubernetesResource) {
            problems.add(where + ": " + object.path("apiVersion").asText() + " is not a Kubernetes API kind");
            return problems;
        }
        unknownFields(resource, where, problems, new IdentityHashMap<>());
        return problems;
    }

    private static void unknownFields(Object value, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                Object fieldValue;
                try {
                    field.setAccessible(true);
                    fieldValue = field.get(value);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue;
                }
                if (field.getName().equals("additionalProperties") && fieldValue instanceof Map<?, ?> extra) {
                    if (!extra.isEmpty()) {
                        problems.add(path + ": unknown field(s) " + extra.keySet());
                    }
                } else {
                    unknownFields(fieldValue, path + "." + field.getName(), problems, seen);
                }
            }
        }
    }

    private static void certManager(JsonNode object, String where, List<String> problems) {
        JsonNode spec = object.path("spec");
        switch (object.path("kind").asText()) {
            case "Certificate" -> {
                spec.fieldNames().forEachRemaining(f -> {
                    if (!CERTIFICATE_SPEC.contains(f)) {
                        problems.add(where + ": unknown field spec." + f);
                    }
                });
                spec.path("privateKey").fieldNames().forEachRemaining(f -> {
                    if (!PRIVATE_KEY.contains(f)) {
                        problems.add(where + ": unknown field spec.privateKey." + f);
                    }
                });
                spec.path("usages").forEach(u -> {
                    if (!USAGES.contains(u.asText())) {
                        problems.add(where + ": unknown usage " + u);
                    }
                });
                if (spec.path("secretName").asText().isEmpty() || spec.path("issuerRef").path("name").asText().isEmpty()) {
                    problems.add(where + ": secretName and issuerRef.name are required");
                }
                if (!spec.has("dnsNames") && !spec.has("commonName")) {
                    problems.add(where + ": needs dnsNames or commonName");
                }
            }
            case "Issuer", "ClusterIssuer" -> {
                if (spec.size() != 1 || !ISSUER_SPEC.contains(spec.fieldNames().next())) {
                    problems.add(where + ": spec must be exactly one of " + ISSUER_SPEC);
                }
            }
            default -> problems.add(where + ": unexpected cert-manager kind");
        }
    }
}

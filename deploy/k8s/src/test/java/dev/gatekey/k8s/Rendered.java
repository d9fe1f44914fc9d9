package dev.gatekey.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The objects one kustomization renders to, with the look-ups the tests need. */
final class Rendered {
    /** The three services: module directory = Deployment = Service = image name. */
    static final List<String> SERVICES = List.of("identity-service", "mfa-device-service", "policy-service");

    /**
     * The Secrets the prod overlay expects the operator to have created, with their keys: the
     * contract between deploy/README.md (which must name each), the dev overlay (which generates
     * exactly these) and the services (which must be given every variable they require).
     */
    static final Map<String, Set<String>> EXTERNAL_SECRETS = Map.of(
            "gatekey-identity-db", Set.of("GATEKEY_IDENTITY_DB_URL", "GATEKEY_IDENTITY_DB_USER", "GATEKEY_IDENTITY_DB_PASSWORD"),
            "gatekey-mfa-db", Set.of("GATEKEY_MFA_DB_URL", "GATEKEY_MFA_DB_USER", "GATEKEY_MFA_DB_PASSWORD"),
            "gatekey-policy-db", Set.of("GATEKEY_POLICY_DB_URL", "GATEKEY_POLICY_DB_USER", "GATEKEY_POLICY_DB_PASSWORD"),
            "gatekey-mfa-seed-keys", Set.of("GATEKEY_MFA_SEED_KEYS", "GATEKEY_MFA_SEED_ACTIVE_KEY_ID"),
            "gatekey-identity-secret-keys", Set.of("GATEKEY_IDENTITY_SECRET_KEYS", "GATEKEY_IDENTITY_SECRET_ACTIVE_KEY_ID"),
            "gatekey-bootstrap", Set.of("GATEKEY_ACCOUNT_ID", "GATEKEY_ACCOUNT_NAME", "GATEKEY_ROOT_EMAIL", "GATEKEY_ROOT_PASSWORD"),
            "gatekey-jwt-public", Set.of("jwt-public.pem"),
            "gatekey-jwt-signing", Set.of("jwt-private.pem"));

    final String name;
    final List<JsonNode> objects;

    Rendered(String name, List<JsonNode> objects) {
        this.name = name;
        this.objects = objects;
    }

    static Rendered of(Path kustomization) {
        return new Rendered(Kustomize.K8S.relativize(kustomization).toString(), Kustomize.render(kustomization));
    }

    List<JsonNode> kind(String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return kind(kind).stream().filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(this.name + ": no " + kind + " " + name));
    }

    /** Deployments and StatefulSets. */
    List<JsonNode> workloads() {
        List<JsonNode> result = new ArrayList<>(kind("Deployment"));
        result.addAll(kind("StatefulSet"));
        return result;
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    static List<JsonNode> containers(JsonNode workload) {
        List<JsonNode> result = new ArrayList<>();
        podSpec(workload).path("initContainers").forEach(result::add);
        podSpec(workload).path("containers").forEach(result::add);
        return result;
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    /** A Secret's or ConfigMap's name in the base, before kustomize appended its content hash. */
    String baseName(String generatedName) {
        return generatedName.replaceFirst("-[a-z0-9]{10}$", "");
    }

    /**
     * The environment a container starts with: its env values, and the keys of the ConfigMaps
     * and Secrets it takes in full. A Secret not rendered here (prod: made by the operator) adds
     * its documented keys with the value "(external)".
     */
    Map<String, String> environment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            if (from.has("configMapRef")) {
                get("ConfigMap", from.path("configMapRef").path("name").asText()).path("data")
                        .fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            }
            if (from.has("secretRef")) {
                String secret = from.path("secretRef").path("name").asText();
                env.putAll(secretData(secret));
            }
        }
        for (JsonNode variable : container.path("env")) {
            env.put(variable.path("name").asText(), variable.has("value") ? variable.path("value").asText() : "(reference)");
        }
        return env;
    }

    /** A Secret's decoded data, or its documented keys when the operator provides it. */
    Map<String, String> secretData(String secretName) {
        Map<String, String> data = new LinkedHashMap<>();
        Optional<JsonNode> secret = find("Secret", secretName);
        if (secret.isPresent()) {
            secret.get().path("data").fields().forEachRemaining(e -> data.put(e.getKey(),
                    new String(Base64.getMimeDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)));
            secret.get().path("stringData").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
            return data;
        }
        Set<String> keys = EXTERNAL_SECRETS.get(secretName);
        if (keys == null) {
            throw new AssertionError(name + ": Secret " + secretName + " is neither rendered nor one the operator provides");
        }
        keys.forEach(k -> data.put(k, "(external)"));
        return data;
    }

    /** The keys a mounted Secret volume will contain. */
    Set<String> secretKeys(String secretName) {
        if (find("Secret", secretName).isPresent() || EXTERNAL_SECRETS.containsKey(secretName)) {
            return new TreeSet<>(secretData(secretName).keySet());
        }
        boolean issued = kind("Certificate").stream()
                .anyMatch(c -> c.path("spec").path("secretName").asText().equals(secretName));
        if (issued) {
            return Set.of("tls.crt", "tls.key", "ca.crt"); // what cert-manager writes
        }
        throw new AssertionError(name + ": nothing provides Secret " + secretName);
    }

    /** The Service's container of a Gatekey workload (named after the service). */
    static JsonNode serviceContainer(JsonNode deployment) {
        for (JsonNode c : podSpec(deployment).path("containers")) {
            if (c.path("name").asText().equals(name(deployment))) {
                return c;
            }
        }
        throw new AssertionError("no container named " + name(deployment));
    }

    static int containerPort(JsonNode container, String portName) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(portName)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("container " + container.path("name").asText() + " has no port " + portName);
    }

    /** A probe's or Service's port (number or name) as a number. */
    static int portNumber(JsonNode container, JsonNode port) {
        return port.isInt() ? port.asInt() : containerPort(container, port.asText());
    }
}

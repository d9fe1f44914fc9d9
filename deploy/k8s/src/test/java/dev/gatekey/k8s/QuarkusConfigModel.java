package dev.gatekey.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configuration properties that Quarkus extensions document about themselves (their
 * {@code META-INF/quarkus-config-doc/quarkus-config-model.json}): name, environment variable and
 * default. Read from the extension jars of the same Quarkus version the services use, so a
 * probe path or a QUARKUS_* variable in the manifests is checked against the real thing.
 */
final class QuarkusConfigModel {
    private static final String RESOURCE = "META-INF/quarkus-config-doc/quarkus-config-model.json";
    private static final Pattern MAP_KEY = Pattern.compile("\"[^\"]+\"");

    /** property (map keys as {@code "name"}) → default value, or "" when it has none. */
    private final Map<String, String> defaults = new HashMap<>();

    private QuarkusConfigModel() {
    }

    static QuarkusConfigModel load() {
        QuarkusConfigModel model = new QuarkusConfigModel();
        ObjectMapper json = new ObjectMapper();
        try {
            for (URL url : Collections.list(QuarkusConfigModel.class.getClassLoader().getResources(RESOURCE))) {
                try (InputStream in = url.openStream()) {
                    model.collect(json.readTree(in));
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        if (model.defaults.isEmpty()) {
            throw new AssertionError("no Quarkus configuration model on the test class path");
        }
        return model;
    }

    private void collect(JsonNode node) {
        if (node.isObject()) {
            JsonNode property = node.path("path").path("property");
            if (property.isTextual()) {
                defaults.put(property.asText(), node.path("defaultValue").asText(""));
            }
        }
        node.forEach(this::collect);
    }

    /** The documented default of a property, empty when it has none or is unknown. */
    Optional<String> defaultOf(String property) {
        String value = defaults.get(property);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    boolean knows(String property) {
        return defaults.containsKey(property);
    }

    /**
     * Whether an environment variable names a documented property, map keys (such as a gRPC
     * client's name) standing for any of the given names.
     */
    boolean knowsVariable(String variable, Iterable<String> mapKeys) {
        for (String property : defaults.keySet()) {
            if (!MAP_KEY.matcher(property).find()) {
                if (toVariable(property).equals(variable)) {
                    return true;
                }
                continue;
            }
            for (String key : mapKeys) {
                if (toVariable(MAP_KEY.matcher(property).replaceAll(key)).equals(variable)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** MicroProfile Config's mapping of a property name to an environment variable. */
    static String toVariable(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }
}

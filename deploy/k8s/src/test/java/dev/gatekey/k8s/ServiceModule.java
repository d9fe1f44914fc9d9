package dev.gatekey.k8s;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What a service module really does, read from its own files: the settings of its
 * {@code application.properties} (prod profile: {@code %test.} lines are ignored) with
 * {@code ${VAR:default}} resolved against a container's environment, and the extensions in its
 * {@code pom.xml}.
 */
final class ServiceModule {
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)(?::([^}]*))?}");
    private static final Pattern GATEKEY_VARIABLE = Pattern.compile("GATEKEY_[A-Z0-9_]+");

    final String name;
    final Map<String, String> properties = new LinkedHashMap<>();
    final Set<String> extensions = new TreeSet<>();

    private ServiceModule(String name) {
        this.name = name;
    }

    static ServiceModule read(String name) {
        ServiceModule module = new ServiceModule(name);
        Path dir = Kustomize.REPO.resolve(name);
        var raw = new java.util.Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("src/main/resources/application.properties"))) {
            raw.load(in);
            for (String key : raw.stringPropertyNames()) {
                if (!key.startsWith("%")) {
                    module.properties.put(key, raw.getProperty(key));
                }
            }
            var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("pom.xml").toFile());
            NodeList dependencies = pom.getElementsByTagName("dependency");
            for (int i = 0; i < dependencies.getLength(); i++) {
                Element dependency = (Element) dependencies.item(i);
                String scope = text(dependency, "scope");
                if (scope.isEmpty() || scope.equals("compile") || scope.equals("runtime")) {
                    module.extensions.add(text(dependency, "groupId") + ":" + text(dependency, "artifactId"));
                }
            }
        } catch (IOException | javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new AssertionError("cannot read " + name, e);
        }
        return module;
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    boolean has(String groupAndArtifact) {
        return extensions.contains(groupAndArtifact);
    }

    /** A property's value as the service sees it with the given environment, or null. */
    String resolve(String property, Map<String, String> environment) {
        String envValue = environment.get(QuarkusConfigModel.toVariable(property));
        if (envValue != null && !envValue.isEmpty()) {
            return envValue;
        }
        String value = properties.get(property);
        return value == null ? null : expand(value, environment, 0);
    }

    private String expand(String value, Map<String, String> environment, int depth) {
        if (depth > 10) {
            throw new AssertionError("expression loop in " + name + ": " + value);
        }
        Matcher m = EXPRESSION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String replacement = environment.get(key);
            if (replacement == null || replacement.isEmpty()) {
                replacement = properties.containsKey(key) ? resolve(key, environment) : null;
            }
            if (replacement == null || replacement.isEmpty()) {
                replacement = m.group(2) == null ? "" : expand(m.group(2), environment, depth + 1);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    int grpcPort(Map<String, String> environment) {
        return Integer.parseInt(resolve("quarkus.grpc.server.port", environment));
    }

    int httpPort(Map<String, String> environment) {
        return Integer.parseInt(resolve("quarkus.http.port", environment));
    }

    /** Every GATEKEY_* variable the service reads. */
    Set<String> variablesRead() {
        Set<String> names = new TreeSet<>();
        properties.values().forEach(v -> GATEKEY_VARIABLE.matcher(v).results().forEach(r -> names.add(r.group())));
        return names;
    }

    /** The GATEKEY_* variables the service cannot start without (no default in the expression). */
    Set<String> variablesRequired() {
        Set<String> names = new TreeSet<>();
        for (String value : properties.values()) {
            Matcher m = EXPRESSION.matcher(value);
            while (m.find()) {
                if (m.group(1).startsWith("GATEKEY_") && m.group(2) == null) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    /** The names of the gRPC clients configured ({@code quarkus.grpc.clients.<name>.host}). */
    Set<String> grpcClients() {
        Set<String> names = new TreeSet<>();
        for (String key : properties.keySet()) {
            Matcher m = Pattern.compile("quarkus\\.grpc\\.clients\\.([^.]+)\\.host").matcher(key);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}

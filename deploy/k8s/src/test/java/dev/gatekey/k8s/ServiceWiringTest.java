package dev.gatekey.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifests against the services themselves: ports and probes against what each service
 * listens on and serves (its application.properties and pom.xml, the health paths as the
 * SmallRye Health extension defines them), configuration against the variables each service
 * reads and requires, and mounted files against the settings that point at them.
 */
class ServiceWiringTest {
    static final QuarkusConfigModel QUARKUS = QuarkusConfigModel.load();

    /** Variables the manifests already provide for work merged in parallel (issue 5). */
    static final Set<String> PENDING = Set.of("GATEKEY_IDENTITY_SECRET_KEYS", "GATEKEY_IDENTITY_SECRET_ACTIVE_KEY_ID");

    static List<Rendered> renders() {
        return Renders.all();
    }

    /** The HTTP paths SmallRye Health serves for a module, from its settings or the extension's defaults. */
    static Map<String, String> healthPaths(ServiceModule module) {
        assertTrue(module.has("io.quarkus:quarkus-smallrye-health"), module.name + " has no quarkus-smallrye-health");
        String root = setting(module, "quarkus.http.root-path");
        String nonApplication = join(root, setting(module, "quarkus.http.non-application-root-path"));
        String health = join(nonApplication, setting(module, "quarkus.smallrye-health.root-path"));
        return Map.of(
                "live", join(health, setting(module, "quarkus.smallrye-health.liveness-path")),
                "ready", join(health, setting(module, "quarkus.smallrye-health.readiness-path")),
                "started", join(health, setting(module, "quarkus.smallrye-health.startup-path")));
    }

    private static String setting(ServiceModule module, String property) {
        String value = module.resolve(property, Map.of());
        if (value != null) {
            return value;
        }
        return QUARKUS.defaultOf(property).orElseThrow(() -> new AssertionError("no default for " + property));
    }

    /** Quarkus's rule: a path starting with / is absolute, else relative to its parent. */
    private static String join(String parent, String path) {
        if (path.startsWith("/")) {
            return path.replaceAll("/+$", "");
        }
        return (parent.endsWith("/") ? parent : parent + "/") + path;
    }

    @Test
    void theHealthPathsAreTheOnesTheExtensionServes() {
        // a sanity check of the derivation itself, with Quarkus's documented defaults
        assertEquals("/q/health/live", healthPaths(ServiceModule.read("policy-service")).get("live"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void portsAndProbesPointAtWhatEachServiceServes(Rendered rendered) {
        List<String> problems = new ArrayList<>();
        for (String service : Rendered.SERVICES) {
            ServiceModule module = ServiceModule.read(service);
            JsonNode deployment = rendered.get("Deployment", service);
            JsonNode c = Rendered.serviceContainer(deployment);
            Map<String, String> env = rendered.environment(c);
            int grpc = module.grpcPort(env);
            int http = module.httpPort(env);
            String where = rendered.name + " " + service;
            check(problems, where + ": container port grpc = " + grpc, Rendered.containerPort(c, "grpc") == grpc);
            check(problems, where + ": container port http = " + http, Rendered.containerPort(c, "http") == http);
            check(problems, where + ": listens on all interfaces",
                    "0.0.0.0".equals(module.resolve("quarkus.grpc.server.host", env))
                            && "0.0.0.0".equals(module.resolve("quarkus.http.host", env)));

            JsonNode svc = rendered.get("Service", service);
            Set<String> portNames = new TreeSet<>();
            for (JsonNode port : svc.path("spec").path("ports")) {
                portNames.add(port.path("name").asText());
                int target = Rendered.portNumber(c, port.path("targetPort"));
                check(problems, where + ": Service port " + port.path("name").asText() + " reaches the container",
                        target == (port.path("name").asText().equals("grpc") ? grpc : http));
            }
            check(problems, where + ": Service ports named grpc and http", portNames.equals(Set.of("grpc", "http")));
            svc.path("spec").path("selector").fields().forEachRemaining(e -> check(problems,
                    where + ": Service selects the pods", e.getValue().asText().equals(
                            deployment.path("spec").path("template").path("metadata").path("labels").path(e.getKey()).asText())));

            Map<String, String> health = healthPaths(module);
            boolean plainText = !"false".equals(env.get("QUARKUS_GRPC_SERVER_PLAIN_TEXT"));
            boolean grpcHealth = !"false".equals(module.resolve("quarkus.grpc.server.grpc-health.enabled", env))
                    && QUARKUS.defaultOf("quarkus.grpc.server.grpc-health.enabled").orElse("false").equals("true");
            for (String probeName : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                JsonNode probe = c.path(probeName);
                String p = where + " " + probeName;
                if (probe.isMissingNode()) {
                    problems.add(p + " is missing");
                    continue;
                }
                if (probe.has("httpGet")) {
                    String expected = health.get(switch (probeName) {
                        case "livenessProbe" -> "live";
                        case "readinessProbe" -> "ready";
                        default -> "started";
                    });
                    check(problems, p + " path " + expected, probe.path("httpGet").path("path").asText().equals(expected));
                    check(problems, p + " on the HTTP port", Rendered.portNumber(c, probe.path("httpGet").path("port")) == http);
                    check(problems, p + " plain HTTP", !probe.path("httpGet").path("scheme").asText("HTTP").equals("HTTPS"));
                } else if (probe.has("grpc")) {
                    check(problems, p + ": liveness must not depend on gRPC", !probeName.equals("livenessProbe"));
                    check(problems, p + " on the gRPC port", probe.path("grpc").path("port").asInt() == grpc);
                    check(problems, p + ": the service serves grpc.health.v1", grpcHealth && module.has("io.quarkus:quarkus-grpc"));
                    check(problems, p + ": kubelet's gRPC probe cannot speak TLS", plainText);
                } else {
                    problems.add(p + " is neither httpGet nor grpc");
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void everyServiceGetsTheConfigurationItNeedsAndNothingMisspelt(Rendered rendered) {
        if (rendered.name.equals("base")) {
            return; // the Secrets come from the overlays
        }
        Set<String> readBySomeService = new TreeSet<>(PENDING);
        Rendered.SERVICES.forEach(s -> readBySomeService.addAll(ServiceModule.read(s).variablesRead()));
        List<String> problems = new ArrayList<>();
        for (String service : Rendered.SERVICES) {
            ServiceModule module = ServiceModule.read(service);
            JsonNode c = Rendered.serviceContainer(rendered.get("Deployment", service));
            Map<String, String> env = rendered.environment(c);
            String where = rendered.name + " " + service;
            for (String required : module.variablesRequired()) {
                check(problems, where + " needs " + required, env.containsKey(required));
            }
            for (String variable : env.keySet()) {
                if (variable.startsWith("GATEKEY_")) {
                    check(problems, where + ": no service reads " + variable, readBySomeService.contains(variable));
                } else if (variable.startsWith("QUARKUS_")) {
                    check(problems, where + ": " + variable + " is no setting of this Quarkus version (clients: "
                            + module.grpcClients() + ")", QUARKUS.knowsVariable(variable, module.grpcClients()));
                }
            }
            // the JWT keys, TLS certificates and CA are files on mounted Secrets
            for (var e : env.entrySet()) {
                String value = e.getValue().replaceFirst("^file:", "");
                if (value.startsWith("/etc/")) {
                    check(problems, where + ": " + e.getKey() + "=" + value + " is a mounted Secret's key",
                            mountedSecretKey(rendered, rendered.get("Deployment", service), c, value));
                }
            }
            // JSON logs by default in Kubernetes
            check(problems, where + ": JSON logs", "true".equals(module.resolve("quarkus.log.console.json.enabled", env)));
        }
        assertEquals(List.of(), problems);
    }

    private static boolean mountedSecretKey(Rendered rendered, JsonNode deployment, JsonNode c, String file) {
        for (JsonNode mount : c.path("volumeMounts")) {
            String dir = mount.path("mountPath").asText();
            if (!file.startsWith(dir + "/")) {
                continue;
            }
            for (JsonNode volume : Rendered.podSpec(deployment).path("volumes")) {
                if (volume.path("name").asText().equals(mount.path("name").asText()) && volume.has("secret")) {
                    return rendered.secretKeys(volume.path("secret").path("secretName").asText())
                            .contains(file.substring(dir.length() + 1));
                }
            }
        }
        return false;
    }

    @Test
    void withTlsEveryPeerIsDialledByANameItsCertificateHoldsAndTrusted() {
        Rendered prod = Renders.overlay("prod");
        List<String> problems = new ArrayList<>();
        for (String service : Rendered.SERVICES) {
            JsonNode deployment = prod.get("Deployment", service);
            JsonNode c = Rendered.serviceContainer(deployment);
            Map<String, String> env = prod.environment(c);
            check(problems, service + " serves TLS", "false".equals(env.get("QUARKUS_GRPC_SERVER_PLAIN_TEXT"))
                    && env.containsKey("QUARKUS_GRPC_SERVER_SSL_CERTIFICATE") && env.containsKey("QUARKUS_GRPC_SERVER_SSL_KEY"));
            ServiceModule module = ServiceModule.read(service);
            for (String client : module.grpcClients()) {
                String peerHost = module.resolve("quarkus.grpc.clients." + client + ".host", env);
                if (peerHost.equals("localhost")) {
                    continue; // policy-service's own client, replaced by in-process evaluation
                }
                String prefix = "QUARKUS_GRPC_CLIENTS_" + client.toUpperCase() + "_";
                check(problems, service + " → " + peerHost + " over TLS", "false".equals(env.get(prefix + "PLAIN_TEXT"))
                        && env.containsKey(prefix + "SSL_TRUST_STORE"));
                JsonNode peer = prod.get("Deployment", peerHost);
                String peerSecret = null;
                for (JsonNode volume : Rendered.podSpec(peer).path("volumes")) {
                    if (volume.path("name").asText().equals("tls")) {
                        peerSecret = volume.path("secret").path("secretName").asText();
                    }
                }
                String secret = peerSecret;
                boolean named = prod.kind("Certificate").stream()
                        .filter(cert -> cert.path("spec").path("secretName").asText().equals(secret))
                        .anyMatch(cert -> {
                            for (JsonNode dns : cert.path("spec").path("dnsNames")) {
                                if (dns.asText().equals(peerHost)) {
                                    return true;
                                }
                            }
                            return false;
                        });
                check(problems, peerHost + "'s certificate names " + peerHost, named);
            }
        }
        assertEquals(List.of(), problems);
    }

    private static void check(List<String> problems, String what, boolean ok) {
        if (!ok) {
            problems.add(what);
        }
    }
}

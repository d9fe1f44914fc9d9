package dev.gatekey.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rendering is valid against the Kubernetes API model, and every container meets the
 * "restricted" Pod Security Standard plus what the issue asks: non-root, read-only root file
 * system with /tmp on an emptyDir, no capabilities, requests and limits.
 */
class SchemaAndSecurityTest {
    static List<Rendered> renders() {
        return Renders.all();
    }

    @Test
    void everyOverlayRendersEveryService() {
        List<Rendered> overlays = Renders.overlays();
        assertEquals(Set.of("dev", "prod"), overlays.stream().map(r -> r.name.replace("overlays/", ""))
                .collect(java.util.stream.Collectors.toSet()));
        for (Rendered r : overlays) {
            for (String service : Rendered.SERVICES) {
                r.get("Deployment", service);
                r.get("Service", service);
                r.get("ServiceAccount", service);
                r.get("PodDisruptionBudget", service);
            }
        }
        Renders.overlay("prod").get("HorizontalPodAutoscaler", "policy-service");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void everyObjectIsValidAgainstTheKubernetesApi(Rendered rendered) {
        List<String> problems = new ArrayList<>();
        rendered.objects.forEach(o -> problems.addAll(ApiSchema.problems(o)));
        assertEquals(List.of(), problems, rendered.name);
    }

    @Test
    void theValidationCatchesMisspeltAndMistypedFields() throws Exception {
        JsonNode deployment = Renders.base().get("Deployment", "policy-service").deepCopy();
        var container = (com.fasterxml.jackson.databind.node.ObjectNode) Rendered.serviceContainer(deployment);
        container.with("securityContext").put("readOnlyRootFileSystem", true);
        assertEquals(1, ApiSchema.problems(deployment).size(), ApiSchema.problems(deployment).toString());
        assertTrue(ApiSchema.problems(deployment).get(0).contains("readOnlyRootFileSystem"));

        JsonNode mistyped = Renders.base().get("Deployment", "policy-service").deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) mistyped.path("spec")).put("replicas", "two");
        assertFalse(ApiSchema.problems(mistyped).isEmpty());

        JsonNode certificate = Kustomize.YAML.readTree("""
                apiVersion: cert-manager.io/v1
                kind: Certificate
                metadata: {name: x}
                spec: {secretName: x, dnsName: [x], issuerRef: {name: ca}}
                """);
        assertFalse(ApiSchema.problems(certificate).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void everyContainerRunsLockedDown(Rendered rendered) {
        List<String> problems = new ArrayList<>();
        for (JsonNode workload : rendered.workloads()) {
            String w = rendered.name + " " + Rendered.name(workload);
            JsonNode pod = Rendered.podSpec(workload);
            JsonNode podSecurity = pod.path("securityContext");
            check(problems, w + ": pod seccompProfile RuntimeDefault",
                    podSecurity.path("seccompProfile").path("type").asText().equals("RuntimeDefault"));
            check(problems, w + ": no service account token", pod.path("automountServiceAccountToken").isBoolean()
                    && !pod.path("automountServiceAccountToken").asBoolean());
            check(problems, w + ": no host namespaces", !pod.path("hostNetwork").asBoolean()
                    && !pod.path("hostPID").asBoolean() && !pod.path("hostIPC").asBoolean());
            Set<String> emptyDirs = new TreeSet<>();
            for (JsonNode volume : pod.path("volumes")) {
                check(problems, w + ": no hostPath volume", !volume.has("hostPath"));
                if (volume.has("emptyDir")) {
                    emptyDirs.add(volume.path("name").asText());
                }
            }
            for (JsonNode c : Rendered.containers(workload)) {
                String where = w + "/" + c.path("name").asText();
                JsonNode security = c.path("securityContext");
                boolean nonRoot = security.path("runAsNonRoot").asBoolean(podSecurity.path("runAsNonRoot").asBoolean());
                long user = security.path("runAsUser").asLong(podSecurity.path("runAsUser").asLong(-1));
                check(problems, where + ": runAsNonRoot", nonRoot && user != 0);
                check(problems, where + ": allowPrivilegeEscalation false",
                        security.path("allowPrivilegeEscalation").isBoolean() && !security.path("allowPrivilegeEscalation").asBoolean());
                check(problems, where + ": readOnlyRootFilesystem", security.path("readOnlyRootFilesystem").asBoolean());
                check(problems, where + ": not privileged", !security.path("privileged").asBoolean());
                List<String> dropped = new ArrayList<>();
                security.path("capabilities").path("drop").forEach(d -> dropped.add(d.asText()));
                check(problems, where + ": drops ALL capabilities", dropped.contains("ALL"));
                check(problems, where + ": adds no capability", security.path("capabilities").path("add").isEmpty());
                for (String kind : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        check(problems, where + ": resources." + kind + "." + resource,
                                c.path("resources").path(kind).hasNonNull(resource));
                    }
                }
                boolean tmp = false;
                for (JsonNode mount : c.path("volumeMounts")) {
                    if (mount.path("mountPath").asText().equals("/tmp") && emptyDirs.contains(mount.path("name").asText())) {
                        tmp = true;
                    }
                }
                check(problems, where + ": /tmp on an emptyDir", tmp);
                String image = c.path("image").asText();
                check(problems, where + ": image has a fixed tag", image.contains(":") && !image.endsWith(":latest"));
            }
        }
        assertEquals(List.of(), problems);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void serviceAccountsCarryNoToken(Rendered rendered) {
        for (JsonNode account : rendered.kind("ServiceAccount")) {
            assertFalse(account.path("automountServiceAccountToken").asBoolean(true), Rendered.name(account));
        }
    }

    private static void check(List<String> problems, String what, boolean ok) {
        if (!ok) {
            problems.add(what);
        }
    }
}

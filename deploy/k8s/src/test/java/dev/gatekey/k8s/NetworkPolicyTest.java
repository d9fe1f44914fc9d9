package dev.gatekey.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Evaluates prod's NetworkPolicies the way Kubernetes does (a connection needs an egress rule
 * of the source and an ingress rule of the destination, once any policy selects the pod for
 * that direction) over the pods of the rendering plus the outside parties, and compares the
 * result with the calls Gatekey makes — nothing more is reachable.
 */
class NetworkPolicyTest {
    /** A pod: its namespace's labels, its own labels, its container ports (name → number). */
    record Pod(String name, String namespace, Map<String, String> namespaceLabels, Map<String, String> labels,
            Map<String, Integer> ports) {
    }

    private final Rendered prod = Renders.overlay("prod");
    private final String namespace = prod.kind("Namespace").get(0).path("metadata").path("name").asText();

    @Test
    void onlyTheCallsGatekeyMakesAreAllowed() {
        List<Pod> pods = new ArrayList<>();
        for (String service : Rendered.SERVICES) {
            pods.add(gatekeyPod(service));
        }
        Pod ingress = new Pod("ingress-controller", "ingress-nginx",
                Map.of("kubernetes.io/metadata.name", "ingress-nginx"), Map.of("app", "ingress-nginx"), Map.of());
        Pod prometheus = new Pod("prometheus", "monitoring",
                Map.of("kubernetes.io/metadata.name", "monitoring"), Map.of("app", "prometheus"), Map.of());
        Pod stranger = new Pod("stranger", namespace, Map.of("kubernetes.io/metadata.name", namespace),
                Map.of("app", "stranger"), Map.of());

        Set<String> allowed = new TreeSet<>();
        List<Pod> sources = new ArrayList<>(pods);
        sources.addAll(List.of(ingress, prometheus, stranger));
        for (Pod from : sources) {
            for (Pod to : pods) {
                for (var port : to.ports().entrySet()) {
                    if (from != to && allows(from, to, port.getValue())) {
                        allowed.add(from.name() + " -> " + to.name() + ":" + port.getKey());
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(Set.of(
                "identity-service -> mfa-device-service:grpc",
                "identity-service -> policy-service:grpc",
                "mfa-device-service -> policy-service:grpc",
                "ingress-controller -> identity-service:grpc",
                "ingress-controller -> identity-service:http",
                "prometheus -> identity-service:http",
                "prometheus -> mfa-device-service:http",
                "prometheus -> policy-service:http")), allowed);
    }

    @Test
    void everyServiceReachesDnsAndPostgresOnly() {
        Pod database = new Pod("external-postgres", "db", Map.of(), Map.of(), Map.of("postgres", 5432));
        Pod dns = new Pod("kube-dns", "kube-system", Map.of("kubernetes.io/metadata.name", "kube-system"),
                Map.of("k8s-app", "kube-dns"), Map.of("dns", 53));
        Pod web = new Pod("somewhere", "internet", Map.of(), Map.of(), Map.of("https", 443));
        for (String service : Rendered.SERVICES) {
            Pod pod = gatekeyPod(service);
            assertTrue(egressAllows(pod, database, 5432, false), service + " → PostgreSQL");
            assertTrue(egressAllows(pod, dns, 53, false), service + " → DNS");
            assertTrue(!egressAllows(pod, web, 443, false), service + " → the internet");
        }
    }

    private Pod gatekeyPod(String service) {
        JsonNode deployment = prod.get("Deployment", service);
        Map<String, String> labels = new LinkedHashMap<>();
        deployment.path("spec").path("template").path("metadata").path("labels").fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        Map<String, Integer> ports = new LinkedHashMap<>();
        Rendered.serviceContainer(deployment).path("ports").forEach(p ->
                ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        return new Pod(service, namespace, Map.of("kubernetes.io/metadata.name", namespace), labels, ports);
    }

    private boolean allows(Pod from, Pod to, int port) {
        return egressAllows(from, to, port, true) && ingressAllows(from, to, port);
    }

    private boolean ingressAllows(Pod from, Pod to, int port) {
        return directionAllows(to, from, to, port, "Ingress", "ingress", "from");
    }

    private boolean egressAllows(Pod from, Pod to, int port, boolean toIsPod) {
        if (!from.namespace().equals(namespace)) {
            return true; // outside parties are not governed by these policies
        }
        return directionAllows(from, to, to, port, "Egress", "egress", "to");
    }

    /** Whether the policies selecting {@code subject} for a direction let {@code peer} through. */
    private boolean directionAllows(Pod subject, Pod peer, Pod destination, int port, String type, String rulesField,
            String peersField) {
        if (!subject.namespace().equals(namespace)) {
            return true;
        }
        boolean selected = false;
        for (JsonNode policy : prod.kind("NetworkPolicy")) {
            JsonNode spec = policy.path("spec");
            if (!matches(spec.path("podSelector"), subject.labels()) || !hasType(spec, type)) {
                continue;
            }
            selected = true;
            for (JsonNode rule : spec.path(rulesField)) {
                if (peerMatches(rule.path(peersField), peer) && portMatches(rule.path("ports"), destination, port)) {
                    return true;
                }
            }
        }
        return !selected;
    }

    private static boolean hasType(JsonNode spec, String type) {
        for (JsonNode t : spec.path("policyTypes")) {
            if (t.asText().equals(type)) {
                return true;
            }
        }
        return false;
    }

    private boolean peerMatches(JsonNode peers, Pod peer) {
        if (peers.isMissingNode() || peers.isEmpty()) {
            return true; // no from/to: every peer
        }
        for (JsonNode p : peers) {
            assertTrue(!p.has("ipBlock"), "ipBlock peers are not evaluated here");
            boolean namespaceOk = p.has("namespaceSelector")
                    ? matches(p.path("namespaceSelector"), peer.namespaceLabels())
                    : peer.namespace().equals(namespace);
            boolean podOk = !p.has("podSelector") || matches(p.path("podSelector"), peer.labels());
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean portMatches(JsonNode ports, Pod destination, int port) {
        if (ports.isMissingNode() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode p : ports) {
            JsonNode value = p.path("port");
            int number = value.isInt() ? value.asInt() : destination.ports().getOrDefault(value.asText(), -1);
            if (number == port) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(JsonNode selector, Map<String, String> labels) {
        assertTrue(!selector.has("matchExpressions"), "matchExpressions are not evaluated here");
        var it = selector.path("matchLabels").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}

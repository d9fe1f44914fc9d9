package dev.gatekey.k8s;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What distinguishes dev from prod, and the dev secrets being usable as generated. */
class OverlaysTest {
    @Test
    void devRunsOneOfEachOnAnInClusterPostgres() {
        Rendered dev = Renders.overlay("dev");
        for (String service : Rendered.SERVICES) {
            assertEquals(1, dev.get("Deployment", service).path("spec").path("replicas").asInt(), service);
        }
        assertTrue(dev.find("HorizontalPodAutoscaler", "policy-service").isEmpty(), "no autoscaling in dev");
        JsonNode postgres = dev.get("StatefulSet", "postgres");
        JsonNode claim = postgres.path("spec").path("volumeClaimTemplates").path(0);
        assertEquals("data", claim.path("metadata").path("name").asText());
        assertTrue(claim.path("spec").path("resources").path("requests").has("storage"));
        dev.get("Service", "postgres");
        assertTrue(dev.kind("Namespace").stream().allMatch(n -> "restricted".equals(
                n.path("metadata").path("labels").path("pod-security.kubernetes.io/enforce").asText())));
    }

    @Test
    void devCreatesTheDatabaseAndRoleEachServiceConnectsWith() throws Exception {
        Rendered dev = Renders.overlay("dev");
        String script = dev.kind("ConfigMap").stream()
                .filter(c -> dev.baseName(Rendered.name(c)).equals("postgres-init")).findFirst().orElseThrow()
                .path("data").path("init-databases.sh").asText();
        Matcher loop = Pattern.compile("for svc in ([a-z ]+); do").matcher(script);
        assertTrue(loop.find(), script);
        Set<String> created = new TreeSet<>();
        for (String svc : loop.group(1).trim().split(" +")) {
            created.add("gatekey_" + svc);
        }
        assertTrue(script.contains("CREATE ROLE :\"role\" LOGIN PASSWORD :'password'"));
        assertTrue(script.contains("CREATE DATABASE :\"role\" OWNER :\"role\""));
        JsonNode postgres = Rendered.containers(dev.get("StatefulSet", "postgres")).get(0);
        Map<String, String> postgresEnv = dev.environment(postgres);
        for (String prefix : List.of("IDENTITY", "MFA", "POLICY")) {
            Map<String, String> db = dev.secretData(secretNamed(dev, "gatekey-" + prefix.toLowerCase() + "-db"));
            String url = db.get("GATEKEY_" + prefix + "_DB_URL");
            String user = db.get("GATEKEY_" + prefix + "_DB_USER");
            assertEquals("jdbc:postgresql://postgres:5432/" + user, url, "each service's database is named after its role");
            assertTrue(created.contains(user), user + " is created by the init script");
            assertEquals(db.get("GATEKEY_" + prefix + "_DB_PASSWORD"), postgresEnv.get("GATEKEY_" + prefix + "_DB_PASSWORD"),
                    "the init script sees the password the service uses");
        }
    }

    @Test
    void devSecretsAreTheDocumentedOnesAndUsable() throws Exception {
        Rendered dev = Renders.overlay("dev");
        for (var secret : Rendered.EXTERNAL_SECRETS.entrySet()) {
            assertEquals(secret.getValue(), dev.secretData(secretNamed(dev, secret.getKey())).keySet(), secret.getKey());
        }
        for (String ring : List.of("gatekey-mfa-seed-keys:GATEKEY_MFA_SEED", "gatekey-identity-secret-keys:GATEKEY_IDENTITY_SECRET")) {
            String[] parts = ring.split(":");
            Map<String, String> data = dev.secretData(secretNamed(dev, parts[0]));
            Set<String> ids = new TreeSet<>();
            for (String entry : data.get(parts[1] + "_KEYS").split(",")) {
                String[] idAndKey = entry.split(":", 2);
                assertEquals(32, Base64.getDecoder().decode(idAndKey[1]).length, "AES-256 key in " + parts[0]);
                ids.add(idAndKey[0]);
            }
            assertTrue(ids.contains(data.get(parts[1] + "_ACTIVE_KEY_ID")), "the active key id is in the ring");
        }
        var keys = KeyFactory.getInstance("RSA");
        var privateKey = (RSAPrivateCrtKey) keys.generatePrivate(new PKCS8EncodedKeySpec(
                pem(dev.secretData(secretNamed(dev, "gatekey-jwt-signing")).get("jwt-private.pem"))));
        var publicKey = (RSAPublicKey) keys.generatePublic(new X509EncodedKeySpec(
                pem(dev.secretData(secretNamed(dev, "gatekey-jwt-public")).get("jwt-public.pem"))));
        assertArrayEquals(privateKey.getModulus().toByteArray(), publicKey.getModulus().toByteArray(),
                "the verification key is the signing key's");
    }

    @Test
    void prodRunsThreeSpreadReplicasWithTlsAndNetworkPolicies() {
        Rendered prod = Renders.overlay("prod");
        for (String service : Rendered.SERVICES) {
            JsonNode deployment = prod.get("Deployment", service);
            assertEquals(3, deployment.path("spec").path("replicas").asInt(), service);
            JsonNode antiAffinity = Rendered.podSpec(deployment).path("affinity").path("podAntiAffinity")
                    .path("requiredDuringSchedulingIgnoredDuringExecution").path(0);
            assertEquals("kubernetes.io/hostname", antiAffinity.path("topologyKey").asText(), service);
            JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
            antiAffinity.path("labelSelector").path("matchLabels").fields().forEachRemaining(e ->
                    assertEquals(e.getValue().asText(), podLabels.path(e.getKey()).asText(), service + " repels its own pods"));
            assertFalse(antiAffinity.path("labelSelector").path("matchLabels").isEmpty());
        }
        JsonNode hpa = prod.get("HorizontalPodAutoscaler", "policy-service");
        assertTrue(hpa.path("spec").path("minReplicas").asInt() >= 3);
        assertEquals("policy-service", hpa.path("spec").path("scaleTargetRef").path("name").asText());
        assertFalse(prod.kind("NetworkPolicy").isEmpty());
        assertEquals(Set.of("gatekey-ca", "identity-service", "mfa-device-service", "policy-service"),
                new TreeSet<>(prod.kind("Certificate").stream().map(Rendered::name).toList()));
    }

    @Test
    void prodShipsNoSecretAndNoDevValue() throws Exception {
        Rendered prod = Renders.overlay("prod");
        assertEquals(List.of(), prod.kind("Secret"), "prod Secrets are made by the operator");
        String all = Kustomize.YAML.writeValueAsString(prod.objects);
        for (String devValue : List.of("dev-", "postgres:5432", "dev1:")) {
            assertFalse(all.contains(devValue), "prod renders dev value " + devValue);
        }
        assertTrue(prod.find("StatefulSet", "postgres").isEmpty(), "prod uses an external PostgreSQL");
    }

    @Test
    void everyWorkloadHasADisruptionBudgetSelectingItsPods() {
        for (Rendered rendered : Renders.overlays()) {
            for (String service : Rendered.SERVICES) {
                JsonNode pdb = rendered.get("PodDisruptionBudget", service);
                JsonNode podLabels = rendered.get("Deployment", service).path("spec").path("template").path("metadata").path("labels");
                pdb.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(e ->
                        assertEquals(e.getValue().asText(), podLabels.path(e.getKey()).asText(), rendered.name + " " + service));
                assertTrue(pdb.path("spec").has("maxUnavailable") || pdb.path("spec").has("minAvailable"));
            }
        }
    }

    @Test
    void theRunbookNamesEverySecretAndKeyTheOperatorProvides() throws Exception {
        String readme = Files.readString(Kustomize.REPO.resolve("deploy/README.md"), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (var secret : Rendered.EXTERNAL_SECRETS.entrySet()) {
            if (!readme.contains(secret.getKey())) {
                missing.add(secret.getKey());
            }
            secret.getValue().stream().filter(k -> !readme.contains(k)).forEach(missing::add);
        }
        assertEquals(List.of(), missing);
    }

    private static String secretNamed(Rendered rendered, String baseName) {
        return rendered.kind("Secret").stream().map(Rendered::name)
                .filter(n -> rendered.baseName(n).equals(baseName)).findFirst()
                .orElseThrow(() -> new AssertionError(rendered.name + " generates no Secret " + baseName));
    }

    private static byte[] pem(String text) {
        return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", "").trim());
    }
}

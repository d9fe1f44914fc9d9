package dev.gatekey.identity.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gatekey.identity.domain.SecretCipher;
import dev.gatekey.identity.v1.IdentityServiceGrpc;
import dev.gatekey.identity.v1.IdentityServiceGrpc.IdentityServiceBlockingStub;
import dev.gatekey.identity.v1.RotateSecretKeysRequest;
import dev.gatekey.identity.v1.RotateSecretKeysResponse;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.testsupport.PostgresTestResource;
import dev.gatekey.testsupport.RecordingPolicyEnforcer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RotateSecretKeys re-encrypts access-key and session secrets sealed under an older key id of
 * the ring (the test ring holds {@code old} and the active {@code t1}) so that they still open
 * to the same secret, and changes nothing when the caller is not allowed.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
class SecretRotationTest {
    static final String ACCESS_KEY_ID = "AKIAROTATIONTEST0001";
    static final String SESSION_KEY_ID = "ASIAROTATIONTEST0001";
    static final String ACCESS_SECRET = "RotationTestSecretAccessKey0123456789abc";
    static final String SESSION_SECRET = "RotationTestSessionSecret0123456789abcde";

    @Inject
    EntityManager em;
    @Inject
    SecretCipher cipher;
    @Inject
    RecordingPolicyEnforcer policy;
    @ConfigProperty(name = "gatekey.identity.secret-keys")
    String keyRing;

    static ManagedChannel channel;

    @BeforeAll
    static void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", 19091).usePlaintext().build();
    }

    @AfterAll
    static void disconnect() {
        channel.shutdownNow();
    }

    static IdentityServiceBlockingStub asRoot() {
        IdentityServiceBlockingStub identity = IdentityServiceGrpc.newBlockingStub(channel);
        return BearerToken.attach(identity, identity.signIn(IdentityGrpcServiceTest
                .rootSignIn(IdentityGrpcServiceTest.ROOT_PASSWORD).build()).getAccessToken());
    }

    @BeforeEach
    void storeSecretsUnderTheOldKey() {
        policy.reset();
        SecretCipher old = SecretCipher.fromConfiguration(keyRing, "old", new SecureRandom());
        SecretCipher.Sealed access = old.seal(ACCESS_SECRET.getBytes(StandardCharsets.US_ASCII), ACCESS_KEY_ID);
        SecretCipher.Sealed session = old.seal(SESSION_SECRET.getBytes(StandardCharsets.US_ASCII), SESSION_KEY_ID);
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("INSERT INTO access_keys (access_key_id, account_id, user_id, status, secret_key_id, "
                    + "secret_ciphertext, created_at) VALUES (?1, ?2, NULL, 'Inactive', ?3, ?4, ?5)")
                    .setParameter(1, ACCESS_KEY_ID).setParameter(2, IdentityGrpcServiceTest.ACCOUNT)
                    .setParameter(3, access.keyId()).setParameter(4, access.ciphertext()).setParameter(5, now)
                    .executeUpdate();
            em.createNativeQuery("INSERT INTO session_credentials (access_key_id, account_id, user_id, "
                    + "source_access_key_id, secret_key_id, secret_ciphertext, session_token_sha256, "
                    + "multi_factor_auth, created_at, expires_at) VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, false, ?7, ?8)")
                    .setParameter(1, SESSION_KEY_ID).setParameter(2, IdentityGrpcServiceTest.ACCOUNT)
                    .setParameter(3, ACCESS_KEY_ID).setParameter(4, session.keyId())
                    .setParameter(5, session.ciphertext()).setParameter(6, new byte[32]).setParameter(7, now)
                    .setParameter(8, now.plusSeconds(900)).executeUpdate();
        });
    }

    @AfterEach
    void removeThem() {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("DELETE FROM session_credentials WHERE access_key_id = ?1")
                    .setParameter(1, SESSION_KEY_ID).executeUpdate();
            em.createNativeQuery("DELETE FROM access_keys WHERE access_key_id = ?1")
                    .setParameter(1, ACCESS_KEY_ID).executeUpdate();
        });
        policy.reset();
    }

    @Test
    void everySecretMovesToTheActiveKeyAndStillOpens() {
        RotateSecretKeysResponse response = asRoot()
                .rotateSecretKeys(RotateSecretKeysRequest.newBuilder().setBatchSize(1).build());

        assertEquals("t1", response.getActiveKeyId());
        assertEquals(0, response.getRemaining());
        assertEquals(2, response.getSecretsReencrypted(), "the two rows sealed under 'old', one per batch");
        assertEquals(ACCESS_SECRET, opened("access_keys", ACCESS_KEY_ID, "t1"));
        assertEquals(SESSION_SECRET, opened("session_credentials", SESSION_KEY_ID, "t1"));
        assertEquals("gatekey:RotateSecretKeys", policy.questions().get(policy.questions().size() - 1).action());

        RotateSecretKeysResponse again = asRoot()
                .rotateSecretKeys(RotateSecretKeysRequest.getDefaultInstance());
        assertEquals(0, again.getSecretsReencrypted(), "nothing left to rotate");
    }

    @Test
    void aCallerWithoutPermissionChangesNothing() {
        var root = asRoot();
        policy.allow(false);
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class,
                () -> root.rotateSecretKeys(RotateSecretKeysRequest.getDefaultInstance()));

        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertEquals(ACCESS_SECRET, opened("access_keys", ACCESS_KEY_ID, "old"));
        assertEquals(SESSION_SECRET, opened("session_credentials", SESSION_KEY_ID, "old"));
    }

    private String opened(String table, String accessKeyId, String expectedKeyId) {
        Object[] row = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT secret_key_id, secret_ciphertext FROM " + table
                    + " WHERE access_key_id = ?1").setParameter(1, accessKeyId).getResultList();
            return rows.get(0);
        });
        assertEquals(expectedKeyId, row[0]);
        byte[] secret = cipher.open(new SecretCipher.Sealed((String) row[0], (byte[]) row[1]), accessKeyId);
        return new String(secret, StandardCharsets.US_ASCII);
    }
}

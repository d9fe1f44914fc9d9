package dev.gatekey.identity.application;

import dev.gatekey.identity.domain.SecretCipher;
import dev.gatekey.platform.auth.Caller;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Re-encrypts every stored credential secret (long-term access keys and STS session
 * credentials) under the active key id, without downtime: small batches, each its own
 * transaction, rows taken with {@code FOR UPDATE SKIP LOCKED} so request signing is never
 * blocked for long. Old key ids stay in the key ring (readable) until the operator removes
 * them after a rotation reported zero remaining.
 */
@ApplicationScoped
public class SecretRotation {
    private static final Logger LOG = Logger.getLogger(SecretRotation.class);
    private static final List<String> TABLES = List.of("access_keys", "session_credentials");
    private static final int MAX_PASSES_WITHOUT_PROGRESS = 5;

    @Inject
    EntityManager em;
    @Inject
    SecretCipher cipher;
    @Inject
    Principals principals;

    /** The outcome: how many secrets this call re-encrypted, and how many are still under other ids. */
    public record Result(String activeKeyId, int reencrypted, long remaining) {
    }

    /** The RotateSecretKeys RPC: an operator's action, {@code gatekey:RotateSecretKeys} on {@code *}. */
    public Result rotate(Caller caller, int batchSize) {
        principals.authorize(caller, "gatekey:RotateSecretKeys", "*");
        int size = batchSize <= 0 ? 100 : Math.min(batchSize, 1000);
        int total = 0;
        for (String table : TABLES) {
            int idle = 0;
            while (idle < MAX_PASSES_WITHOUT_PROGRESS) {
                int done = QuarkusTransaction.requiringNew().call(() -> batch(table, size));
                total += done;
                if (done > 0) {
                    idle = 0;
                } else if (remaining(table) == 0) {
                    break;
                } else {
                    idle++; // only rows locked by running transactions remain: try again shortly
                    sleep();
                }
            }
        }
        long remaining = TABLES.stream().mapToLong(this::remaining).sum();
        LOG.infof("Secret rotation: %d credential secrets re-encrypted under key id %s, %d remaining under other ids",
                total, cipher.activeKeyId(), remaining);
        return new Result(cipher.activeKeyId(), total, remaining);
    }

    private int batch(String table, int batchSize) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT access_key_id, secret_key_id, secret_ciphertext FROM "
                + table + " WHERE secret_key_id <> ?1 ORDER BY access_key_id LIMIT ?2 FOR UPDATE SKIP LOCKED")
                .setParameter(1, cipher.activeKeyId()).setParameter(2, batchSize).getResultList();
        for (Object[] row : rows) {
            String accessKeyId = (String) row[0];
            byte[] secret = cipher.open(new SecretCipher.Sealed((String) row[1], (byte[]) row[2]), accessKeyId);
            SecretCipher.Sealed sealed;
            try {
                sealed = cipher.seal(secret, accessKeyId);
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
            em.createNativeQuery("UPDATE " + table + " SET secret_key_id = ?1, secret_ciphertext = ?2 "
                    + "WHERE access_key_id = ?3")
                    .setParameter(1, sealed.keyId()).setParameter(2, sealed.ciphertext())
                    .setParameter(3, accessKeyId).executeUpdate();
        }
        return rows.size();
    }

    private long remaining(String table) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM " + table + " WHERE secret_key_id <> ?1")
                .setParameter(1, cipher.activeKeyId()).getSingleResult()).longValue());
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

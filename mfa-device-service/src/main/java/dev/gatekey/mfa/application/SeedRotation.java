package dev.gatekey.mfa.application;

import dev.gatekey.mfa.audit.AuditTrail;
import dev.gatekey.mfa.domain.EncryptedSeed;
import dev.gatekey.mfa.domain.SeedCipher;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.PolicyEnforcer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Re-encrypts every seed under the active key id, without downtime: small batches, each its own
 * transaction, rows taken with {@code FOR UPDATE SKIP LOCKED} so sign-ins and enablements are
 * never blocked for long and two rotations can run at once. Old key ids stay in the key ring
 * (readable) until the operator removes them after a rotation reported zero remaining.
 */
@ApplicationScoped
public class SeedRotation {
    private static final Logger LOG = Logger.getLogger(SeedRotation.class);
    private static final int MAX_PASSES_WITHOUT_PROGRESS = 5;

    @Inject
    EntityManager em;
    @Inject
    SeedCipher seedCipher;
    @Inject
    PolicyEnforcer policy;
    @Inject
    AuditTrail audit;
    @Inject
    Clock clock;

    /** The outcome: how many seeds this call re-encrypted, and how many are still under other ids. */
    public record Result(String activeKeyId, int reencrypted, long remaining) {
    }

    /** The RotateSeedKeys RPC: an operator's action, {@code gatekey:RotateSeedKeys} on {@code *}. */
    public Result rotate(Caller caller, Actor actor, int batchSize) {
        Target.requireAccountPrincipal(caller);
        policy.authorize(caller, "gatekey:RotateSeedKeys", "*");
        return rotateAll(actor, batchSize <= 0 ? 100 : Math.min(batchSize, 1000));
    }

    public Result rotateAll(Actor actor, int batchSize) {
        int total = 0;
        int idle = 0;
        while (idle < MAX_PASSES_WITHOUT_PROGRESS) {
            int done = QuarkusTransaction.requiringNew().call(() -> batch(actor, batchSize));
            total += done;
            if (done == 0) {
                if (remaining() == 0) {
                    break;
                }
                idle++; // only rows locked by running transactions remain: try again shortly
                sleep();
            } else {
                idle = 0;
            }
        }
        long remaining = remaining();
        LOG.infof("Seed rotation: %d seeds re-encrypted under key id %s, %d remaining under other ids", total,
                seedCipher.activeKeyId(), remaining);
        return new Result(seedCipher.activeKeyId(), total, remaining);
    }

    private int batch(Actor actor, int batchSize) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT id, serial_number, account_id, seed_key_id, seed_nonce, "
                + "seed_ciphertext FROM mfa_devices WHERE seed_key_id IS NOT NULL AND seed_key_id <> ?1 "
                + "ORDER BY id LIMIT ?2 FOR UPDATE SKIP LOCKED")
                .setParameter(1, seedCipher.activeKeyId()).setParameter(2, batchSize).getResultList();
        for (Object[] row : rows) {
            String serial = (String) row[1];
            String previousKeyId = (String) row[3];
            byte[] seed = seedCipher.decrypt(new EncryptedSeed(previousKeyId, (byte[]) row[4], (byte[]) row[5]), serial);
            EncryptedSeed sealed;
            try {
                sealed = seedCipher.encrypt(seed, serial);
            } finally {
                Arrays.fill(seed, (byte) 0);
            }
            em.createNativeQuery("UPDATE mfa_devices SET seed_key_id = ?1, seed_nonce = ?2, seed_ciphertext = ?3 "
                    + "WHERE id = ?4")
                    .setParameter(1, sealed.keyId()).setParameter(2, sealed.nonce())
                    .setParameter(3, sealed.ciphertext()).setParameter(4, ((Number) row[0]).longValue())
                    .executeUpdate();
            audit.record(actor.event(clock.instant(), (String) row[2], "RotateSeedKey", serial, null,
                    AuditTrail.SUCCESS + " (" + previousKeyId + " -> " + sealed.keyId() + ")"));
        }
        return rows.size();
    }

    private long remaining() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM mfa_devices WHERE seed_key_id IS NOT NULL AND seed_key_id <> ?1")
                .setParameter(1, seedCipher.activeKeyId()).getSingleResult()).longValue());
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.gatekey.mfa.securitykey.persistence;

import dev.gatekey.mfa.persistence.MfaDeviceEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Queries on security-key credentials and challenges; callers hold the transaction. */
@ApplicationScoped
public class SecurityKeyRepository implements PanacheRepositoryBase<SecurityKeyCredentialEntity, Long> {

    /** A security key: its device row and its credential. */
    public record SecurityKeyRecord(MfaDeviceEntity device, SecurityKeyCredentialEntity credential) {
    }

    private static final String USERS_KEYS = "select d, c from MfaDeviceEntity d, SecurityKeyCredentialEntity c"
            + " where c.deviceId = d.id and d.accountId = ?1 and lower(d.userName) = lower(?2)"
            + " order by d.enableDate, d.id";

    /** The user's security keys, oldest first. */
    public List<SecurityKeyRecord> keysOf(String accountId, String userName) {
        return records(getEntityManager().createQuery(USERS_KEYS, Object[].class)
                .setParameter(1, accountId).setParameter(2, userName).getResultList());
    }

    public boolean credentialExists(String accountId, byte[] credentialId) {
        return count("accountId = ?1 and credentialId = ?2", accountId, credentialId) > 0;
    }

    /** Marks a key as possibly cloned (first time only); it is refused from now on. */
    public void flagPossiblyCloned(long deviceId, Instant at) {
        update("possiblyClonedAt = ?1 where deviceId = ?2 and possiblyClonedAt is null", at, deviceId);
    }

    public void saveChallenge(SecurityKeyChallengeEntity challenge) {
        getEntityManager().persist(challenge);
    }

    /**
     * Takes a challenge out of the store: of two concurrent requests with the same id, the
     * second waits for the first's row lock and then finds nothing, so a challenge is answered
     * at most once.
     */
    public Optional<SecurityKeyChallengeEntity> consumeChallenge(String challengeId) {
        SecurityKeyChallengeEntity challenge = getEntityManager().find(SecurityKeyChallengeEntity.class, challengeId,
                LockModeType.PESSIMISTIC_WRITE);
        if (challenge == null) {
            return Optional.empty();
        }
        getEntityManager().remove(challenge);
        getEntityManager().flush();
        return Optional.of(challenge);
    }

    /** Deletes challenges that expired before {@code before} (expired ones are refused anyway). */
    public void purgeChallengesExpiredBefore(Instant before) {
        getEntityManager().createQuery("delete from SecurityKeyChallengeEntity where expiresAt < ?1")
                .setParameter(1, before).executeUpdate();
    }

    private static List<SecurityKeyRecord> records(List<Object[]> rows) {
        return rows.stream()
                .map(r -> new SecurityKeyRecord((MfaDeviceEntity) r[0], (SecurityKeyCredentialEntity) r[1]))
                .toList();
    }
}

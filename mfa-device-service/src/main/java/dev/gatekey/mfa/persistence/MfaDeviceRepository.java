package dev.gatekey.mfa.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Queries on {@code mfa_devices} and {@code mfa_user_failures}; callers hold the transaction. */
@ApplicationScoped
public class MfaDeviceRepository implements PanacheRepository<MfaDeviceEntity> {

    /** A user's failure counter as read (the compare-and-set updates below compare against it). */
    public record UserFailures(int failedAttempts, Instant lastFailedAt) {
        public static final UserFailures NONE = new UserFailures(0, null);
    }

    public boolean nameExists(String accountId, String deviceName) {
        return count("accountId = ?1 and lower(deviceName) = lower(?2)", accountId, deviceName) > 0;
    }

    public boolean serialExists(String serialNumber) {
        return count("serialNumber", serialNumber) > 0;
    }

    /** The device, row-locked until the transaction ends (serializes changes to one device). */
    public Optional<MfaDeviceEntity> findForUpdate(String accountId, String serialNumber) {
        return find("accountId = ?1 and serialNumber = ?2", accountId, serialNumber)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public Optional<MfaDeviceEntity> findInAccount(String accountId, String serialNumber) {
        return find("accountId = ?1 and serialNumber = ?2", accountId, serialNumber).firstResultOptional();
    }

    public Optional<MfaDeviceEntity> findAssigned(String accountId, String userName, String serialNumber) {
        return find("accountId = ?1 and lower(userName) = lower(?2) and serialNumber = ?3",
                accountId, userName, serialNumber).firstResultOptional();
    }

    /** Every device assigned to the user, of every type (security keys included), oldest first. */
    public List<MfaDeviceEntity> listAssigned(String accountId, String userName) {
        return list("accountId = ?1 and lower(userName) = lower(?2) order by enableDate, id", accountId, userName);
    }

    public long countAssigned(String accountId, String userName) {
        return count("accountId = ?1 and lower(userName) = lower(?2)", accountId, userName);
    }

    /** Virtual devices of an account after {@code afterSerial}, by serial number. */
    public List<MfaDeviceEntity> listVirtual(String accountId, Boolean assigned, String afterSerial, int limit) {
        String assignment = assigned == null ? "" : assigned ? " and userName is not null" : " and userName is null";
        return find("accountId = ?1 and type = dev.gatekey.mfa.domain.MfaDeviceType.VIRTUAL and serialNumber > ?2"
                + assignment + " order by serialNumber", accountId, afterSerial).page(0, limit).list();
    }

    /**
     * Serializes changes to one user's set of devices for the rest of the transaction (a
     * PostgreSQL transaction-level advisory lock), so two concurrent enablements cannot both
     * pass the per-user limit.
     */
    public void lockUser(String accountId, String userName) {
        getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .setParameter("key", "mfa-user:" + accountId + ":" + userName.toLowerCase(Locale.ROOT))
                .getSingleResult();
    }

    /**
     * Records an accepted code: succeeds only if {@code step} is still later than the last used
     * step and the failure counter is still the one the decision was made on (and the device
     * not locked), evaluated by PostgreSQL under the row lock. Of two concurrent requests with
     * the same code exactly one updates the row; a code cannot pass while a concurrent failure
     * moved the device into back-off or lock. Returns whether this call won.
     */
    public boolean acceptStep(long deviceId, long step, int driftSteps, int seenFailures) {
        return update("lastUsedStep = ?1, driftSteps = ?2, failedAttempts = 0, lastFailedAt = null "
                + "where id = ?3 and (lastUsedStep is null or lastUsedStep < ?1) and failedAttempts = ?4 "
                + "and lockedAt is null", step, driftSteps, deviceId, seenFailures) == 1;
    }

    /**
     * Counts a failed code: compare-and-set from {@code seenFailures}, so of concurrent
     * attempts decided on the same counter only one is counted (the others are refused as
     * throttled, never evaluated twice). Locks the device when {@code lock}.
     */
    public boolean recordFailure(long deviceId, int seenFailures, Instant at, boolean lock) {
        return update("failedAttempts = ?1, lastFailedAt = ?2, lockedAt = ?3 "
                + "where id = ?4 and failedAttempts = ?5 and lockedAt is null",
                seenFailures + 1, at, lock ? at : null, deviceId, seenFailures) == 1;
    }

    /** Clears a device's failures and lock (UnlockMFADevice). */
    public void unlock(long deviceId) {
        update("failedAttempts = 0, lastFailedAt = null, lockedAt = null where id = ?1", deviceId);
    }

    public UserFailures userFailures(String accountId, String userKey) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery("SELECT failed_attempts, last_failed_at "
                + "FROM mfa_user_failures WHERE account_id = ?1 AND user_key = ?2")
                .setParameter(1, accountId).setParameter(2, userKey).getResultList();
        if (rows.isEmpty()) {
            return UserFailures.NONE;
        }
        return new UserFailures(((Number) rows.get(0)[0]).intValue(), toInstant(rows.get(0)[1]));
    }

    /** Counts a user's failed code, compare-and-set from {@code seen}. */
    public boolean recordUserFailure(String accountId, String userKey, int seen, Instant at) {
        return getEntityManager().createNativeQuery("INSERT INTO mfa_user_failures AS f "
                + "(account_id, user_key, failed_attempts, last_failed_at) VALUES (?1, ?2, 1, ?3) "
                + "ON CONFLICT (account_id, user_key) DO UPDATE SET failed_attempts = f.failed_attempts + 1, "
                + "last_failed_at = EXCLUDED.last_failed_at WHERE f.failed_attempts = ?4")
                .setParameter(1, accountId).setParameter(2, userKey).setParameter(3, at).setParameter(4, seen)
                .executeUpdate() == 1;
    }

    /** Resets a user's counter after a success, compare-and-set from {@code seen}. */
    public boolean resetUserFailures(String accountId, String userKey, int seen) {
        return getEntityManager().createNativeQuery("UPDATE mfa_user_failures SET failed_attempts = 0, "
                + "last_failed_at = NULL WHERE account_id = ?1 AND user_key = ?2 AND failed_attempts = ?3")
                .setParameter(1, accountId).setParameter(2, userKey).setParameter(3, seen).executeUpdate() == 1;
    }

    public void clearUserFailures(String accountId, String userKey) {
        getEntityManager().createNativeQuery("DELETE FROM mfa_user_failures WHERE account_id = ?1 AND user_key = ?2")
                .setParameter(1, accountId).setParameter(2, userKey).executeUpdate();
    }

    private static Instant toInstant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
    }
}

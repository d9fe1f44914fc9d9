package dev.gatekey.mfa.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Queries on {@code mfa_devices}; callers hold the transaction. */
@ApplicationScoped
public class MfaDeviceRepository implements PanacheRepository<MfaDeviceEntity> {

    public boolean nameExists(String accountId, String deviceName) {
        return count("accountId = ?1 and lower(deviceName) = lower(?2)", accountId, deviceName) > 0;
    }

    /** The device, row-locked until the transaction ends (serializes enablement of one device). */
    public Optional<MfaDeviceEntity> findForUpdate(String accountId, String serialNumber) {
        return find("accountId = ?1 and serialNumber = ?2", accountId, serialNumber)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public Optional<MfaDeviceEntity> findAssigned(String accountId, String userName, String serialNumber) {
        return find("accountId = ?1 and lower(userName) = lower(?2) and serialNumber = ?3",
                accountId, userName, serialNumber).firstResultOptional();
    }

    public List<MfaDeviceEntity> listAssigned(String accountId, String userName) {
        return list("accountId = ?1 and lower(userName) = lower(?2) order by enableDate, id", accountId, userName);
    }

    public long countAssigned(String accountId, String userName) {
        return count("accountId = ?1 and lower(userName) = lower(?2)", accountId, userName);
    }

    /**
     * Serializes changes to one user's set of devices for the rest of the transaction (a
     * PostgreSQL transaction-level advisory lock), so two concurrent enablements cannot both
     * pass the per-user limit.
     */
    public void lockUser(String accountId, String userName) {
        getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .setParameter("key", "mfa-user:" + accountId + ":" + userName.toLowerCase(java.util.Locale.ROOT))
                .getSingleResult();
    }

    /**
     * Records an accepted code: succeeds only if {@code step} is still later than the last
     * used step, evaluated by PostgreSQL under the row lock, so of two concurrent requests with
     * the same code exactly one updates the row. Returns whether this call won.
     */
    public boolean acceptStep(long deviceId, long step, int driftSteps) {
        return update("lastUsedStep = ?1, driftSteps = ?2, failedAttempts = 0, lastFailedAt = null "
                + "where id = ?3 and (lastUsedStep is null or lastUsedStep < ?1)", step, driftSteps, deviceId) == 1;
    }

    /** Counts a failed verification atomically (the counter lockout will read). */
    public void recordFailure(long deviceId, Instant at) {
        update("failedAttempts = failedAttempts + 1, lastFailedAt = ?1 where id = ?2", at, deviceId);
    }
}

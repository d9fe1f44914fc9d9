package dev.gatekey.mfa.persistence;

import dev.gatekey.mfa.domain.EncryptedSeed;
import dev.gatekey.mfa.domain.HmacAlgorithm;
import dev.gatekey.mfa.domain.MfaDeviceType;
import dev.gatekey.mfa.domain.TotpParameters;
import dev.gatekey.mfa.persistence.MfaDeviceRepository.UserFailures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * VerifyTotp's hot path in two statements, each its own autocommit round trip (no BEGIN, no
 * COMMIT, no ORM session): one SELECT reads the device with its user's failure counter, one
 * conditional UPDATE accepts the step; for a device read before, the UPDATE alone
 * ({@link #acceptRemembered}). The UPDATE alone is the replay and counter check
 * (PostgreSQL evaluates its WHERE under the row lock), so it needs no surrounding transaction.
 * Failures and the rarer success after failures go through {@link MfaDeviceRepository} in a
 * transaction.
 */
@ApplicationScoped
public class SignInDevices {
    private static final String FIND = "SELECT d.id, d.serial_number, d.user_name, d.device_type, d.seed_key_id, "
            + "d.seed_nonce, d.seed_ciphertext, d.totp_algorithm, d.totp_digits, d.totp_period_seconds, "
            + "d.drift_steps, d.last_used_step, d.failed_attempts, d.last_failed_at, d.locked_at, "
            + "f.failed_attempts, f.last_failed_at "
            + "FROM mfa_devices d LEFT JOIN mfa_user_failures f ON f.account_id = d.account_id AND f.user_key = ? "
            + "WHERE d.account_id = ? AND lower(d.user_name) = lower(?) AND d.serial_number = ?";
    private static final String ACCEPT = "UPDATE mfa_devices SET last_used_step = ?, drift_steps = ?, "
            + "failed_attempts = 0, last_failed_at = NULL WHERE id = ? AND (last_used_step IS NULL OR last_used_step < ?) "
            + "AND failed_attempts = ? AND locked_at IS NULL";

    private static final String ACCEPT_REMEMBERED = "UPDATE mfa_devices SET last_used_step = ?, drift_steps = ?, "
            + "failed_attempts = 0, last_failed_at = NULL WHERE id = ? AND account_id = ? "
            + "AND lower(user_name) = lower(?) AND serial_number = ? AND drift_steps = ? "
            + "AND (last_used_step IS NULL OR last_used_step < ?) AND failed_attempts = 0 AND locked_at IS NULL "
            + "AND NOT EXISTS (SELECT 1 FROM mfa_user_failures f WHERE f.account_id = ? AND f.user_key = ? "
            + "AND f.failed_attempts > 0)";

    @Inject
    DataSource dataSource;

    /** A TOTP device as sign-in reads it, with its user's failure counter. */
    public record SignInDevice(long id, String serialNumber, String userName, EncryptedSeed seed,
            TotpParameters parameters, int driftSteps, Long lastUsedStep, int failedAttempts, Instant lastFailedAt,
            Instant lockedAt, UserFailures userFailures) {
        @Override
        public String toString() {
            return "SignInDevice[" + serialNumber + "]";
        }
    }

    /** The user's TOTP device {@code serialNumber} (security keys are not verified by codes). */
    public Optional<SignInDevice> find(String accountId, String userName, String userKey, String serialNumber) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(FIND)) {
            q.setString(1, userKey);
            q.setString(2, accountId);
            q.setString(3, userName);
            q.setString(4, serialNumber);
            try (ResultSet r = q.executeQuery()) {
                if (!r.next() || MfaDeviceType.valueOf(r.getString(4)) == MfaDeviceType.SECURITY_KEY) {
                    return Optional.empty();
                }
                long lastUsedStep = r.getLong(12);
                Long lastUsed = r.wasNull() ? null : lastUsedStep;
                int userFailed = r.getInt(16);
                return Optional.of(new SignInDevice(r.getLong(1), r.getString(2), r.getString(3),
                        new EncryptedSeed(r.getString(5), r.getBytes(6), r.getBytes(7)),
                        new TotpParameters(HmacAlgorithm.valueOf(r.getString(8)), r.getShort(9), r.getShort(10)),
                        r.getInt(11), lastUsed, r.getInt(13), instant(r, 14), instant(r, 15),
                        new UserFailures(userFailed, instant(r, 17))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the device for sign-in failed", e);
        }
    }

    /**
     * Accepts a step decided on a remembered copy of the device (one round trip instead of two):
     * the UPDATE itself re-checks, under the row lock, everything the decision assumed that can
     * change: the device id is still this user's device with this serial, the drift is the one
     * the code was checked with, the step is later than the last used one, the device has no
     * failures and no lock, and the user has no failures on any device. Any mismatch updates
     * nothing and the caller decides again on a fresh read.
     */
    public boolean acceptRemembered(long deviceId, String accountId, String userName, String serialNumber,
            String userKey, int seenDriftSteps, long step, int driftSteps) {
        try (Connection c = dataSource.getConnection(); PreparedStatement u = c.prepareStatement(ACCEPT_REMEMBERED)) {
            u.setLong(1, step);
            u.setInt(2, driftSteps);
            u.setLong(3, deviceId);
            u.setString(4, accountId);
            u.setString(5, userName);
            u.setString(6, serialNumber);
            u.setInt(7, seenDriftSteps);
            u.setLong(8, step);
            u.setString(9, accountId);
            u.setString(10, userKey);
            return u.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Accepting the step failed", e);
        }
    }

    /** {@link MfaDeviceRepository#acceptStep} as one autocommit statement; returns whether this call won. */
    public boolean acceptStep(long deviceId, long step, int driftSteps, int seenFailures) {
        try (Connection c = dataSource.getConnection(); PreparedStatement u = c.prepareStatement(ACCEPT)) {
            u.setLong(1, step);
            u.setInt(2, driftSteps);
            u.setLong(3, deviceId);
            u.setLong(4, step);
            u.setInt(5, seenFailures);
            return u.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Accepting the step failed", e);
        }
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        OffsetDateTime value = r.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}

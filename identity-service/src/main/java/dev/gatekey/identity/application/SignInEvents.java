package dev.gatekey.identity.application;

import dev.gatekey.platform.auth.PrincipalType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.time.Instant;

/**
 * The record of console-style sign-ins, in AWS CloudTrail's terms: one {@code ConsoleLogin}
 * event per attempt with {@code MFAUsed} and the outcome, and on success the principal's
 * password last used time (the credential report's {@code password_last_used}). Each record is
 * its own transaction, so a failed sign-in is recorded although the sign-in then fails.
 */
@ApplicationScoped
public class SignInEvents {
    public static final String CONSOLE_LOGIN = "ConsoleLogin";

    /** A root user's attempts are recorded under this user name, as CloudTrail's {@code Root}. */
    public static final String ROOT = "root";

    @Inject
    EntityManager em;

    /** A successful sign-in of {@code principal}. */
    @Transactional(TxType.REQUIRES_NEW)
    public void succeeded(Principal principal, boolean mfaUsed, Instant at) {
        boolean root = principal.type() == PrincipalType.ROOT;
        insert(principal.accountId(), root ? ROOT : principal.userName(), principal.arn(),
                mfaUsed, at, "Success", null);
        if (root) {
            em.createNativeQuery("UPDATE accounts SET root_password_last_used = ?1 WHERE account_id = ?2")
                    .setParameter(1, at).setParameter(2, principal.accountId()).executeUpdate();
        } else {
            em.createNativeQuery("UPDATE login_profiles SET password_last_used = ?1 WHERE user_id = ?2")
                    .setParameter(1, at).setParameter(2, principal.userId()).executeUpdate();
        }
    }

    /**
     * A failed attempt: {@code arn} is null when no such principal exists (the record must not
     * become an oracle of existing names either, so it keeps only what was presented).
     */
    @Transactional(TxType.REQUIRES_NEW)
    public void failed(String accountId, String userName, String arn, boolean mfaUsed, String errorCode, Instant at) {
        insert(accountId, userName, arn, mfaUsed, at, "Failure", errorCode);
    }

    private void insert(String accountId, String userName, String arn, boolean mfaUsed, Instant at, String outcome,
            String errorCode) {
        em.createNativeQuery("INSERT INTO sign_in_events (account_id, user_name, principal_arn, event_name, "
                + "event_time, mfa_used, outcome, error_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, accountId).setParameter(2, userName).setParameter(3, arn)
                .setParameter(4, CONSOLE_LOGIN).setParameter(5, at).setParameter(6, mfaUsed)
                .setParameter(7, outcome).setParameter(8, errorCode).executeUpdate();
    }
}

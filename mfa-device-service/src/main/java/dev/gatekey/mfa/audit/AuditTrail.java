package dev.gatekey.mfa.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * Writes and reads {@code mfa_device_events}. Callers pass names, serials and outcomes only:
 * never a seed, a code or a token.
 */
@ApplicationScoped
public class AuditTrail {
    public static final String SUCCESS = "Success";

    @Inject
    EntityManager em;

    /** One audit record; who and from where come from {@code actor}. */
    public record Event(Instant eventTime, String accountId, String eventName, String principalArn,
            String sourceAddress, String serialNumber, String userName, String outcome) {
    }

    /** Records an event in the caller's transaction (it commits or rolls back with the action). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(Event event) {
        insert(event);
    }

    /** Records an event in its own transaction: for refused requests, whose own transaction rolls back. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordRefusal(Event event) {
        insert(event);
    }

    private void insert(Event e) {
        em.createNativeQuery("INSERT INTO mfa_device_events (event_time, account_id, event_name, principal_arn, "
                + "source_address, serial_number, user_name, outcome) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, e.eventTime())
                .setParameter(2, e.accountId())
                .setParameter(3, bounded(e.eventName(), 64))
                .setParameter(4, bounded(e.principalArn(), 2048))
                .setParameter(5, bounded(e.sourceAddress(), 256))
                .setParameter(6, bounded(e.serialNumber(), 1024))
                .setParameter(7, bounded(e.userName(), 64))
                .setParameter(8, bounded(e.outcome(), 64))
                .executeUpdate();
    }

    /** Events of an account, newest first, starting below {@code beforeId}. */
    @Transactional
    public List<Object[]> list(String accountId, String serialNumber, String userName, long beforeId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, event_time, event_name, principal_arn, source_address, "
                + "serial_number, user_name, outcome FROM mfa_device_events WHERE account_id = :account AND id < :before");
        if (serialNumber != null) {
            sql.append(" AND serial_number = :serial");
        }
        if (userName != null) {
            sql.append(" AND lower(user_name) = lower(:user)");
        }
        sql.append(" ORDER BY id DESC LIMIT ").append(limit);
        var query = em.createNativeQuery(sql.toString()).setParameter("account", accountId)
                .setParameter("before", beforeId);
        if (serialNumber != null) {
            query.setParameter("serial", serialNumber);
        }
        if (userName != null) {
            query.setParameter("user", userName);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows;
    }

    private static String bounded(String value, int max) {
        if (value == null) {
            return null;
        }
        return value.length() > max ? value.substring(0, max) : value;
    }
}

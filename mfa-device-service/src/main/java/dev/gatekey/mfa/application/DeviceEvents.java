package dev.gatekey.mfa.application;

import dev.gatekey.mfa.audit.AuditTrail;
import dev.gatekey.mfa.domain.Paging;
import dev.gatekey.mfa.domain.SerialNumbers;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.authz.PolicyEnforcer;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** ListMFADeviceEvents: the audit trail of the caller's account, for admins. */
@ApplicationScoped
public class DeviceEvents {
    @Inject
    AuditTrail audit;
    @Inject
    PolicyEnforcer policy;

    /** One page of events, newest first; the marker is the id to continue below. */
    public MfaDevices.Page<AuditTrail.Event> list(Caller caller, String serialNumber, String userName,
            String marker, int maxItems) {
        Target.requireAccountPrincipal(caller);
        String serial = serialNumber == null || serialNumber.isEmpty() ? null : SerialNumbers.require(serialNumber);
        String user = userName == null || userName.isEmpty() ? null : IamNames.requireUserName(userName);
        int limit = Paging.maxItems(maxItems);
        long before;
        try {
            before = Paging.key(marker).map(Long::parseLong).orElse(Long.MAX_VALUE);
        } catch (NumberFormatException e) {
            throw GatekeyException.invalidInput("Invalid Marker.");
        }
        policy.authorize(caller, "gatekey:ListMFADeviceEvents", "*");
        List<Object[]> rows = audit.list(caller.accountId(), serial, user, before, limit + 1);
        List<AuditTrail.Event> events = new ArrayList<>();
        long lastId = 0;
        for (Object[] r : rows.subList(0, Math.min(limit, rows.size()))) {
            lastId = ((Number) r[0]).longValue();
            events.add(new AuditTrail.Event(instant(r[1]), caller.accountId(), (String) r[2], (String) r[3],
                    (String) r[4], (String) r[5], (String) r[6], (String) r[7]));
        }
        Optional<String> next = rows.size() > limit ? Optional.of(Paging.marker(Long.toString(lastId)))
                : Optional.empty();
        return new MfaDevices.Page<>(events, next);
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return ((java.sql.Timestamp) value).toInstant();
    }
}

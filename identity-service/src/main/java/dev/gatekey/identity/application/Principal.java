package dev.gatekey.identity.application;

import dev.gatekey.platform.auth.PrincipalType;
import java.util.Optional;

/**
 * Who a sign-in names, with the stored password hash (empty for an IAM user without a login
 * profile). Never leaves the service.
 */
public record Principal(String arn, PrincipalType type, String accountId, String userId, String userName,
        Optional<String> passwordHash) {
}

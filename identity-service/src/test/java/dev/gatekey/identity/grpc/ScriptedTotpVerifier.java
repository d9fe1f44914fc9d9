package dev.gatekey.identity.grpc;

import dev.gatekey.identity.application.TotpVerifier;
import dev.gatekey.identity.domain.InvalidAuthenticationCodeException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.time.Instant;

/**
 * Uses the real mfa-device-service client (which finds no server in these tests) unless a
 * test scripts the one code it accepts, to check the MFA claims of a successful sign-in.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class ScriptedTotpVerifier implements TotpVerifier {
    @Inject
    MfaDeviceClient real;

    private volatile String acceptedCode;
    private volatile Instant authenticatedAt;
    private volatile String lastUserName;

    @Override
    public Instant verifyTotp(String accountId, String userName, String serialNumber, String code) {
        lastUserName = userName;
        if (acceptedCode == null) {
            return real.verifyTotp(accountId, userName, serialNumber, code);
        }
        if (!acceptedCode.equals(code)) {
            throw new InvalidAuthenticationCodeException();
        }
        return authenticatedAt;
    }

    public void accept(String code, Instant at) {
        acceptedCode = code;
        authenticatedAt = at;
    }

    /** The user name of the last verification asked for (empty for the root user). */
    public String lastUserName() {
        return lastUserName;
    }

    public void useRealClient() {
        acceptedCode = null;
    }
}

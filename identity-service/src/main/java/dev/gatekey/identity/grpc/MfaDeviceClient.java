package dev.gatekey.identity.grpc;

import dev.gatekey.identity.application.SessionTokens;
import dev.gatekey.identity.application.TotpVerifier;
import dev.gatekey.identity.config.PeerDeadlines;
import dev.gatekey.identity.domain.InvalidAuthenticationCodeException;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.mfa.v1.VerifyTotpRequest;
import dev.gatekey.mfa.v1.VerifyTotpResponse;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.grpc.BearerToken;
import dev.gatekey.platform.grpc.GrpcErrors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Asks mfa-device-service's VerifyTotp, as identity-service itself (a 60-second service token).
 * Fails closed: when mfa-device-service cannot answer, the sign-in is refused.
 */
@ApplicationScoped
public class MfaDeviceClient implements TotpVerifier {
    private static final Logger LOG = Logger.getLogger(MfaDeviceClient.class);
    static final String MFA_DEVICE_LOCKED = "MFADeviceLocked";
    static final String THROTTLING = "Throttling";

    @GrpcClient("mfa")
    MfaDeviceServiceGrpc.MfaDeviceServiceBlockingStub mfa;

    @Inject
    SessionTokens tokens;

    @Inject
    PeerDeadlines deadlines;

    @Override
    public Instant verifyTotp(String accountId, String userName, String serialNumber, String code) {
        VerifyTotpResponse response;
        try {
            response = PeerCalls.within(BearerToken.attach(mfa, tokens.serviceToken()), deadlines.mfa())
                    .verifyTotp(VerifyTotpRequest.newBuilder().setAccountId(accountId).setUserName(userName)
                            .setSerialNumber(serialNumber).setAuthenticationCode(code).build());
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
        return Instant.ofEpochSecond(response.getAuthenticatedAt().getSeconds(),
                response.getAuthenticatedAt().getNanos());
    }

    /**
     * mfa-device-service's errors as the caller sees them. Its brute-force defence (proto
     * gatekey.mfa.v1) answers {@code MFADeviceLocked} (FAILED_PRECONDITION) once a device saw too
     * many failed codes, and {@code Throttling} (RESOURCE_EXHAUSTED) during back-off: both are the
     * caller's problem, not an outage, so they keep their codes (403 and AWS's 400 Throttling).
     */
    static GatekeyException translate(StatusRuntimeException e) {
        String reason = GrpcErrors.reason(e);
        Status.Code code = e.getStatus().getCode();
        if ("InvalidAuthenticationCode".equals(reason)) {
            return new InvalidAuthenticationCodeException();
        }
        if (MFA_DEVICE_LOCKED.equals(reason) && code == Status.Code.FAILED_PRECONDITION) {
            return new GatekeyException(MFA_DEVICE_LOCKED, ErrorKind.ACCESS_DENIED, e.getStatus().getDescription());
        }
        if (THROTTLING.equals(reason) && code == Status.Code.RESOURCE_EXHAUSTED) {
            return new GatekeyException(THROTTLING, ErrorKind.LIMIT_EXCEEDED, e.getStatus().getDescription());
        }
        if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT && reason != null) {
            return new GatekeyException(reason, ErrorKind.INVALID_INPUT, e.getStatus().getDescription());
        }
        if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED && reason != null) {
            return new GatekeyException(reason, ErrorKind.LIMIT_EXCEEDED, e.getStatus().getDescription());
        }
        LOG.warnf("mfa-device-service could not verify an MFA code (%s %s); refusing the sign-in",
                e.getStatus().getCode(), reason == null ? "" : reason);
        return new GatekeyException("ServiceUnavailable", ErrorKind.UNAVAILABLE,
                "The MFA code could not be verified because the MFA service is unavailable; try again later.");
    }
}

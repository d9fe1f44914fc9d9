package dev.gatekey.identity.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.gatekey.identity.domain.InvalidAuthenticationCodeException;
import dev.gatekey.identity.query.QueryErrors;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.grpc.GrpcErrors;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/**
 * mfa-device-service's answers to VerifyTotp as sign-in and GetSessionToken callers see them:
 * its brute-force defence is the caller's problem with its own code, never an outage.
 */
class MfaDeviceClientErrorsTest {

    static GatekeyException answered(GatekeyException sent) {
        return MfaDeviceClient.translate(GrpcErrors.toStatusException(sent));
    }

    @Test
    void aLockedDeviceIsAnAccessDeniedWithItsOwnCode() {
        GatekeyException e = answered(new GatekeyException("MFADeviceLocked", ErrorKind.CONFLICT,
                "The MFA device is locked after too many failed authentication codes; an administrator must unlock it."));
        assertEquals("MFADeviceLocked", e.code());
        assertEquals(ErrorKind.ACCESS_DENIED, e.kind());
        assertEquals("The MFA device is locked after too many failed authentication codes; an administrator must "
                + "unlock it.", e.getMessage());
        assertEquals(403, QueryErrors.status(e));
        assertEquals("Sender", QueryErrors.type(QueryErrors.status(e)));
    }

    @Test
    void backOffIsAwsThrottling() {
        GatekeyException e = answered(new GatekeyException("Throttling", ErrorKind.LIMIT_EXCEEDED,
                "Rate exceeded: too many failed authentication codes; retry after 8 seconds."));
        assertEquals("Throttling", e.code());
        assertEquals(400, QueryErrors.status(e));
        assertEquals("Rate exceeded: too many failed authentication codes; retry after 8 seconds.", e.getMessage());
    }

    @Test
    void aWrongCodeStaysInvalidAuthenticationCodeAndAnOutageFailsClosed() {
        assertInstanceOf(InvalidAuthenticationCodeException.class, answered(new GatekeyException(
                "InvalidAuthenticationCode", ErrorKind.UNAUTHENTICATED, "bad code")));
        GatekeyException down = MfaDeviceClient.translate(Status.UNAVAILABLE.asRuntimeException());
        assertEquals("ServiceUnavailable", down.code());
        assertEquals(503, QueryErrors.status(down));
        // the same codes with another status are not trusted as the brute-force defence
        assertEquals("ServiceUnavailable", MfaDeviceClient.translate(GrpcErrors.toStatusException(
                new GatekeyException("MFADeviceLocked", ErrorKind.INTERNAL, "?"))).code());
    }
}

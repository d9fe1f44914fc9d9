package dev.gatekey.mfa.securitykey.grpc;

import com.google.protobuf.Timestamp;
import dev.gatekey.mfa.application.Actor;
import dev.gatekey.mfa.domain.MfaDeviceLockedException;
import dev.gatekey.mfa.domain.ThrottlingException;
import dev.gatekey.mfa.grpc.AuditedCalls;
import dev.gatekey.mfa.grpc.RequestOrigin;
import dev.gatekey.mfa.securitykey.SecurityKeys;
import dev.gatekey.mfa.securitykey.domain.SecurityKeyRejectedException;
import dev.gatekey.mfa.securitykey.domain.AttestationConveyance;
import dev.gatekey.mfa.v1.FinishSecurityKeyRegistrationRequest;
import dev.gatekey.mfa.v1.FinishSecurityKeyRegistrationResponse;
import dev.gatekey.mfa.v1.SecurityKey;
import dev.gatekey.mfa.v1.SecurityKeyAttestationConveyance;
import dev.gatekey.mfa.v1.SecurityKeyServiceGrpc;
import dev.gatekey.mfa.v1.StartSecurityKeyAssertionRequest;
import dev.gatekey.mfa.v1.StartSecurityKeyAssertionResponse;
import dev.gatekey.mfa.v1.StartSecurityKeyRegistrationRequest;
import dev.gatekey.mfa.v1.StartSecurityKeyRegistrationResponse;
import dev.gatekey.mfa.v1.VerifySecurityKeyAssertionRequest;
import dev.gatekey.mfa.v1.VerifySecurityKeyAssertionResponse;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.CallerContext;
import dev.gatekey.platform.error.GatekeyException;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;

/**
 * The gRPC face of {@link SecurityKeys}: map the request, call, map the response. Refusals are
 * audit records (those of VerifySecurityKeyAssertion are written by SecurityKeys with the
 * counters).
 */
@GrpcService
@Blocking
public class SecurityKeyGrpcService extends SecurityKeyServiceGrpc.SecurityKeyServiceImplBase {

    @Inject
    SecurityKeys securityKeys;
    @Inject
    AuditedCalls calls;

    @Override
    public void startSecurityKeyRegistration(StartSecurityKeyRegistrationRequest request,
            StreamObserver<StartSecurityKeyRegistrationResponse> observer) {
        calls.complete(observer, "EnableMFADevice", null, request.getUserName(), () -> {
            var started = securityKeys.startRegistration(CallerContext.require(), request.getUserName(),
                    request.getDeviceName(), conveyance(request.getAttestation()));
            return StartSecurityKeyRegistrationResponse.newBuilder()
                    .setChallengeId(started.challengeId())
                    .setPublicKeyCredentialCreationOptionsJson(started.optionsJson())
                    .setExpiresAt(timestamp(started.expiresAt()))
                    .build();
        });
    }

    @Override
    public void finishSecurityKeyRegistration(FinishSecurityKeyRegistrationRequest request,
            StreamObserver<FinishSecurityKeyRegistrationResponse> observer) {
        calls.complete(observer, "EnableMFADevice", null, request.getUserName(), () -> {
            Caller caller = CallerContext.require();
            var key = securityKeys.finishRegistration(caller, AuditedCalls.actor(caller), request.getChallengeId(),
                    request.getUserName(), request.getRegistrationResponseJson());
            return FinishSecurityKeyRegistrationResponse.newBuilder()
                    .setSecurityKey(SecurityKey.newBuilder()
                            .setUserName(key.userName())
                            .setSerialNumber(key.serialNumber())
                            .setDeviceName(key.deviceName())
                            .setEnableDate(timestamp(key.enableDate()))
                            .setAaguid(key.aaguid().toString())
                            .setAttestationFormat(key.attestationFormat())
                            .addAllTransports(key.transports().stream().sorted().toList())
                            .setBackupEligible(key.backupEligible())
                            .setBackupState(key.backupState())
                            .setUserVerified(key.userVerified()))
                    .build();
        });
    }

    @Override
    public void startSecurityKeyAssertion(StartSecurityKeyAssertionRequest request,
            StreamObserver<StartSecurityKeyAssertionResponse> observer) {
        calls.complete(observer, request.getAccountId(), "StartSecurityKeyAssertion", null, request.getUserName(),
                e -> false, () -> {
            var started = securityKeys.startAssertion(CallerContext.require(), request.getAccountId(),
                    request.getUserName());
            return StartSecurityKeyAssertionResponse.newBuilder()
                    .setChallengeId(started.challengeId())
                    .setPublicKeyCredentialRequestOptionsJson(started.optionsJson())
                    .setExpiresAt(timestamp(started.expiresAt()))
                    .build();
        });
    }

    @Override
    public void verifySecurityKeyAssertion(VerifySecurityKeyAssertionRequest request,
            StreamObserver<VerifySecurityKeyAssertionResponse> observer) {
        calls.complete(observer, "VerifySecurityKeyAssertion", null, null, SecurityKeyGrpcService::auditedByService,
                () -> {
            Caller caller = CallerContext.require();
            String source = request.getSourceIp().isBlank() ? RequestOrigin.current().orElse(null)
                    : RequestOrigin.printable(request.getSourceIp().strip());
            var verified = securityKeys.verifyAssertion(caller, Actor.of(caller, source), request.getChallengeId(),
                    request.getAuthenticationResponseJson());
            return VerifySecurityKeyAssertionResponse.newBuilder()
                    .setAccountId(verified.accountId())
                    .setUserName(verified.userName())
                    .setSerialNumber(verified.serialNumber())
                    .setAuthenticatedAt(timestamp(verified.authenticatedAt()))
                    .setUserVerified(verified.userVerified())
                    .build();
        });
    }

    /** Refused assertions are recorded by SecurityKeys with the account, user and key concerned. */
    private static boolean auditedByService(GatekeyException e) {
        return e instanceof SecurityKeyRejectedException || e instanceof ThrottlingException
                || e instanceof MfaDeviceLockedException;
    }

    private static Optional<AttestationConveyance> conveyance(SecurityKeyAttestationConveyance value) {
        return switch (value) {
            case SECURITY_KEY_ATTESTATION_CONVEYANCE_UNSPECIFIED -> Optional.empty();
            case SECURITY_KEY_ATTESTATION_CONVEYANCE_NONE -> Optional.of(AttestationConveyance.NONE);
            case SECURITY_KEY_ATTESTATION_CONVEYANCE_DIRECT -> Optional.of(AttestationConveyance.DIRECT);
            default -> throw GatekeyException.invalidInput("1 validation error detected: Value at 'attestation'"
                    + " failed to satisfy constraint: Member must be NONE or DIRECT");
        };
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}

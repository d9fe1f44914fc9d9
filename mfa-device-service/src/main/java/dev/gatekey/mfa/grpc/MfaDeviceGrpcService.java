package dev.gatekey.mfa.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.gatekey.mfa.application.AccountMfa;
import dev.gatekey.mfa.application.Actor;
import dev.gatekey.mfa.application.DeviceEvents;
import dev.gatekey.mfa.application.HardwareTokens;
import dev.gatekey.mfa.application.MfaDevices;
import dev.gatekey.mfa.application.SeedRotation;
import dev.gatekey.mfa.application.TotpSignIn;
import dev.gatekey.mfa.domain.HmacAlgorithm;
import dev.gatekey.mfa.domain.InvalidAuthenticationCodeException;
import dev.gatekey.mfa.domain.MfaDeviceType;
import dev.gatekey.mfa.domain.NewVirtualMfaDevice;
import dev.gatekey.mfa.domain.Tags;
import dev.gatekey.mfa.domain.TotpParameters;
import dev.gatekey.mfa.v1.CreateVirtualMFADeviceRequest;
import dev.gatekey.mfa.v1.CreateVirtualMFADeviceResponse;
import dev.gatekey.mfa.v1.DeactivateMFADeviceRequest;
import dev.gatekey.mfa.v1.DeactivateMFADeviceResponse;
import dev.gatekey.mfa.v1.DeleteVirtualMFADeviceRequest;
import dev.gatekey.mfa.v1.DeleteVirtualMFADeviceResponse;
import dev.gatekey.mfa.v1.EnableMFADeviceRequest;
import dev.gatekey.mfa.v1.EnableMFADeviceResponse;
import dev.gatekey.mfa.v1.GetAccountMfaSummaryRequest;
import dev.gatekey.mfa.v1.GetAccountMfaSummaryResponse;
import dev.gatekey.mfa.v1.GetMFADeviceRequest;
import dev.gatekey.mfa.v1.GetMFADeviceResponse;
import dev.gatekey.mfa.v1.ImportHardwareMFADevicesRequest;
import dev.gatekey.mfa.v1.ImportHardwareMFADevicesResponse;
import dev.gatekey.mfa.v1.ListMFADeviceEventsRequest;
import dev.gatekey.mfa.v1.ListMFADeviceEventsResponse;
import dev.gatekey.mfa.v1.ListMFADeviceTagsRequest;
import dev.gatekey.mfa.v1.ListMFADeviceTagsResponse;
import dev.gatekey.mfa.v1.ListMFADevicesRequest;
import dev.gatekey.mfa.v1.ListMFADevicesResponse;
import dev.gatekey.mfa.v1.ListVirtualMFADevicesRequest;
import dev.gatekey.mfa.v1.ListVirtualMFADevicesResponse;
import dev.gatekey.mfa.v1.MFADevice;
import dev.gatekey.mfa.v1.MFADeviceEvent;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.mfa.v1.RegisterHardwareMFADeviceRequest;
import dev.gatekey.mfa.v1.RegisterHardwareMFADeviceResponse;
import dev.gatekey.mfa.v1.RenameUserRequest;
import dev.gatekey.mfa.v1.RenameUserResponse;
import dev.gatekey.mfa.v1.ResyncMFADeviceRequest;
import dev.gatekey.mfa.v1.ResyncMFADeviceResponse;
import dev.gatekey.mfa.v1.RotateSeedKeysRequest;
import dev.gatekey.mfa.v1.RotateSeedKeysResponse;
import dev.gatekey.mfa.v1.Tag;
import dev.gatekey.mfa.v1.TagMFADeviceRequest;
import dev.gatekey.mfa.v1.TagMFADeviceResponse;
import dev.gatekey.mfa.v1.UnlockMFADeviceRequest;
import dev.gatekey.mfa.v1.UnlockMFADeviceResponse;
import dev.gatekey.mfa.v1.UntagMFADeviceRequest;
import dev.gatekey.mfa.v1.UntagMFADeviceResponse;
import dev.gatekey.mfa.v1.User;
import dev.gatekey.mfa.v1.VerifyTotpRequest;
import dev.gatekey.mfa.v1.VerifyTotpResponse;
import dev.gatekey.mfa.v1.VirtualMFADevice;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.CallerContext;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.grpc.UnaryCall;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The gRPC face of the application services: map the request, call, map the response. Refused
 * management calls are written to the audit trail here, in their own transaction.
 */
@GrpcService
@Blocking
public class MfaDeviceGrpcService extends MfaDeviceServiceGrpc.MfaDeviceServiceImplBase {
    @Inject
    MfaDevices devices;
    @Inject
    TotpSignIn signIn;
    @Inject
    HardwareTokens hardwareTokens;
    @Inject
    AccountMfa accountMfa;
    @Inject
    SeedRotation seedRotation;
    @Inject
    DeviceEvents deviceEvents;
    @Inject
    AuditedCalls calls;

    @Override
    public void createVirtualMFADevice(CreateVirtualMFADeviceRequest request,
            StreamObserver<CreateVirtualMFADeviceResponse> observer) {
        audited(observer, "CreateVirtualMFADevice", null, null, () -> {
            var caller = CallerContext.require();
            NewVirtualMfaDevice created = devices.createVirtualMfaDevice(caller, actor(caller),
                    request.getVirtualMfaDeviceName(), request.getPath(), tags(request.getTagsList()));
            return CreateVirtualMFADeviceResponse.newBuilder()
                    .setVirtualMfaDevice(VirtualMFADevice.newBuilder()
                            .setSerialNumber(created.serialNumber())
                            .setBase32StringSeed(ByteString.copyFrom(created.base32Seed(), StandardCharsets.US_ASCII))
                            .setQrCodePng(ByteString.copyFrom(created.qrCodePng()))
                            .setOtpauthUri(created.otpAuthUri())
                            .addAllTags(request.getTagsList()))
                    .build();
        });
    }

    @Override
    public void enableMFADevice(EnableMFADeviceRequest request, StreamObserver<EnableMFADeviceResponse> observer) {
        audited(observer, "EnableMFADevice", request.getSerialNumber(), request.getUserName(), () -> {
            var caller = CallerContext.require();
            devices.enableMfaDevice(caller, actor(caller), request.getUserName(), request.getSerialNumber(),
                    request.getAuthenticationCode1(), request.getAuthenticationCode2());
            return EnableMFADeviceResponse.getDefaultInstance();
        });
    }

    @Override
    public void resyncMFADevice(ResyncMFADeviceRequest request, StreamObserver<ResyncMFADeviceResponse> observer) {
        audited(observer, "ResyncMFADevice", request.getSerialNumber(), request.getUserName(), () -> {
            var caller = CallerContext.require();
            devices.resyncMfaDevice(caller, actor(caller), request.getUserName(), request.getSerialNumber(),
                    request.getAuthenticationCode1(), request.getAuthenticationCode2());
            return ResyncMFADeviceResponse.getDefaultInstance();
        });
    }

    @Override
    public void deactivateMFADevice(DeactivateMFADeviceRequest request,
            StreamObserver<DeactivateMFADeviceResponse> observer) {
        audited(observer, "DeactivateMFADevice", request.getSerialNumber(), request.getUserName(), () -> {
            var caller = CallerContext.require();
            devices.deactivateMfaDevice(caller, actor(caller), request.getUserName(), request.getSerialNumber());
            return DeactivateMFADeviceResponse.getDefaultInstance();
        });
    }

    @Override
    public void deleteVirtualMFADevice(DeleteVirtualMFADeviceRequest request,
            StreamObserver<DeleteVirtualMFADeviceResponse> observer) {
        audited(observer, "DeleteVirtualMFADevice", request.getSerialNumber(), null, () -> {
            var caller = CallerContext.require();
            devices.deleteVirtualMfaDevice(caller, actor(caller), request.getSerialNumber());
            return DeleteVirtualMFADeviceResponse.getDefaultInstance();
        });
    }

    @Override
    public void listMFADevices(ListMFADevicesRequest request, StreamObserver<ListMFADevicesResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var page = devices.listMfaDevices(CallerContext.require(), request.getUserName(), request.getMarker(),
                    request.getMaxItems());
            var response = ListMFADevicesResponse.newBuilder();
            for (var device : page.items()) {
                response.addMfaDevices(MFADevice.newBuilder()
                        .setUserName(device.userName())
                        .setSerialNumber(device.serialNumber())
                        .setEnableDate(timestamp(device.enableDate()))
                        .setDeviceType(type(device.type())));
            }
            page.nextMarker().ifPresent(m -> response.setIsTruncated(true).setMarker(m));
            return response.build();
        });
    }

    @Override
    public void listVirtualMFADevices(ListVirtualMFADevicesRequest request,
            StreamObserver<ListVirtualMFADevicesResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Boolean assigned = switch (request.getAssignmentStatus()) {
                case ASSIGNMENT_STATUS_ASSIGNED -> Boolean.TRUE;
                case ASSIGNMENT_STATUS_UNASSIGNED -> Boolean.FALSE;
                case ASSIGNMENT_STATUS_ANY, ASSIGNMENT_STATUS_UNSPECIFIED -> null;
                default -> throw GatekeyException.invalidInput("1 validation error detected: Value at "
                        + "'assignmentStatus' failed to satisfy constraint: Member must satisfy enum value set: "
                        + "[Unassigned, Any, Assigned]");
            };
            var page = devices.listVirtualMfaDevices(CallerContext.require(), assigned, request.getMarker(),
                    request.getMaxItems());
            var response = ListVirtualMFADevicesResponse.newBuilder();
            for (var device : page.items()) {
                var listed = VirtualMFADevice.newBuilder().setSerialNumber(device.serialNumber());
                device.tags().forEach((k, v) -> listed.addTags(Tag.newBuilder().setKey(k).setValue(v)));
                device.userName().ifPresent(u -> listed.setUser(User.newBuilder().setUserName(u)
                        .setArn(device.userArn().orElse(""))));
                device.enableDate().ifPresent(d -> listed.setEnableDate(timestamp(d)));
                response.addVirtualMfaDevices(listed);
            }
            page.nextMarker().ifPresent(m -> response.setIsTruncated(true).setMarker(m));
            return response.build();
        });
    }

    @Override
    public void getMFADevice(GetMFADeviceRequest request, StreamObserver<GetMFADeviceResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var device = devices.getMfaDevice(CallerContext.require(), request.getUserName(),
                    request.getSerialNumber());
            return GetMFADeviceResponse.newBuilder()
                    .setUserName(device.userName())
                    .setSerialNumber(device.serialNumber())
                    .setEnableDate(timestamp(device.enableDate()))
                    .setDeviceType(type(device.type()))
                    .build();
        });
    }

    @Override
    public void tagMFADevice(TagMFADeviceRequest request, StreamObserver<TagMFADeviceResponse> observer) {
        audited(observer, "TagMFADevice", request.getSerialNumber(), null, () -> {
            var caller = CallerContext.require();
            devices.tagMfaDevice(caller, actor(caller), request.getSerialNumber(), tags(request.getTagsList()));
            return TagMFADeviceResponse.getDefaultInstance();
        });
    }

    @Override
    public void untagMFADevice(UntagMFADeviceRequest request, StreamObserver<UntagMFADeviceResponse> observer) {
        audited(observer, "UntagMFADevice", request.getSerialNumber(), null, () -> {
            var caller = CallerContext.require();
            devices.untagMfaDevice(caller, actor(caller), request.getSerialNumber(), request.getTagKeysList());
            return UntagMFADeviceResponse.getDefaultInstance();
        });
    }

    @Override
    public void listMFADeviceTags(ListMFADeviceTagsRequest request,
            StreamObserver<ListMFADeviceTagsResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var page = devices.listMfaDeviceTags(CallerContext.require(), request.getSerialNumber(),
                    request.getMarker(), request.getMaxItems());
            var response = ListMFADeviceTagsResponse.newBuilder();
            page.items().forEach(t -> response.addTags(Tag.newBuilder().setKey(t.getKey()).setValue(t.getValue())));
            page.nextMarker().ifPresent(m -> response.setIsTruncated(true).setMarker(m));
            return response.build();
        });
    }

    @Override
    public void verifyTotp(VerifyTotpRequest request, StreamObserver<VerifyTotpResponse> observer) {
        calls.complete(observer, request.getAccountId(), "VerifyTotp", request.getSerialNumber(), request.getUserName(),
                // wrong codes are recorded by TotpSignIn with the counters
                e -> e instanceof InvalidAuthenticationCodeException, () -> {
            Caller caller = CallerContext.require();
            String source = request.getSourceIp().isBlank() ? RequestOrigin.current().orElse(null)
                    : RequestOrigin.printable(request.getSourceIp().strip());
            var verified = signIn.verifyTotp(caller, Actor.of(caller, source), request.getAccountId(),
                    request.getUserName(), request.getSerialNumber(), request.getAuthenticationCode());
            return VerifyTotpResponse.newBuilder()
                    .setSerialNumber(verified.serialNumber())
                    .setAuthenticatedAt(timestamp(verified.authenticatedAt()))
                    .build();
        });
    }

    @Override
    public void registerHardwareMFADevice(RegisterHardwareMFADeviceRequest request,
            StreamObserver<RegisterHardwareMFADeviceResponse> observer) {
        audited(observer, "RegisterHardwareMFADevice", request.getSerialNumber(), null, () -> {
            var caller = CallerContext.require();
            TotpParameters parameters;
            try {
                parameters = new TotpParameters(algorithm(request.getAlgorithm()),
                        request.getDigits() == 0 ? 6 : request.getDigits(),
                        request.getPeriodSeconds() == 0 ? 30 : request.getPeriodSeconds());
            } catch (IllegalArgumentException e) {
                throw GatekeyException.invalidInput(e.getMessage() + ".");
            }
            String serial = hardwareTokens.register(caller, actor(caller), new HardwareTokens.Token(
                    request.getSerialNumber(), request.getSeed().toByteArray(), parameters),
                    tags(request.getTagsList()));
            return RegisterHardwareMFADeviceResponse.newBuilder().setSerialNumber(serial).build();
        });
    }

    @Override
    public void importHardwareMFADevices(ImportHardwareMFADevicesRequest request,
            StreamObserver<ImportHardwareMFADevicesResponse> observer) {
        audited(observer, "ImportHardwareMFADevices", null, null, () -> {
            var caller = CallerContext.require();
            Optional<byte[]> psk = request.getPreSharedKey().isEmpty() ? Optional.empty()
                    : Optional.of(request.getPreSharedKey().toByteArray());
            List<String> serials = hardwareTokens.importPskc(caller, actor(caller),
                    request.getPskcDocument().toByteArray(), psk);
            return ImportHardwareMFADevicesResponse.newBuilder().addAllSerialNumbers(serials).build();
        });
    }

    @Override
    public void unlockMFADevice(UnlockMFADeviceRequest request, StreamObserver<UnlockMFADeviceResponse> observer) {
        audited(observer, "UnlockMFADevice", request.getSerialNumber(), request.getUserName(), () -> {
            var caller = CallerContext.require();
            devices.unlockMfaDevice(caller, actor(caller), request.getUserName(), request.getSerialNumber());
            return UnlockMFADeviceResponse.getDefaultInstance();
        });
    }

    @Override
    public void getAccountMfaSummary(GetAccountMfaSummaryRequest request,
            StreamObserver<GetAccountMfaSummaryResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var summary = accountMfa.summary(CallerContext.require(), request.getAccountId());
            return GetAccountMfaSummaryResponse.newBuilder()
                    .setMfaDevices(summary.mfaDevices())
                    .setMfaDevicesInUse(summary.mfaDevicesInUse())
                    .addAllUserNamesWithMfa(summary.userNamesWithMfa())
                    .setAccountMfaEnabled(summary.accountMfaEnabled())
                    .build();
        });
    }

    @Override
    public void renameUser(RenameUserRequest request, StreamObserver<RenameUserResponse> observer) {
        audited(observer, "RenameUser", null, request.getOldUserName(), () -> {
            var caller = CallerContext.require();
            int moved = accountMfa.renameUser(caller, actor(caller), request.getAccountId(),
                    request.getOldUserName(), request.getNewUserName());
            return RenameUserResponse.newBuilder().setDevicesMoved(moved).build();
        });
    }

    @Override
    public void listMFADeviceEvents(ListMFADeviceEventsRequest request,
            StreamObserver<ListMFADeviceEventsResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var page = deviceEvents.list(CallerContext.require(), request.getSerialNumber(), request.getUserName(),
                    request.getMarker(), request.getMaxItems());
            var response = ListMFADeviceEventsResponse.newBuilder();
            for (var e : page.items()) {
                response.addEvents(MFADeviceEvent.newBuilder()
                        .setEventTime(timestamp(e.eventTime()))
                        .setEventName(e.eventName())
                        .setPrincipalArn(e.principalArn())
                        .setSourceAddress(nullToEmpty(e.sourceAddress()))
                        .setSerialNumber(nullToEmpty(e.serialNumber()))
                        .setUserName(nullToEmpty(e.userName()))
                        .setOutcome(e.outcome()));
            }
            page.nextMarker().ifPresent(m -> response.setIsTruncated(true).setMarker(m));
            return response.build();
        });
    }

    @Override
    public void rotateSeedKeys(RotateSeedKeysRequest request, StreamObserver<RotateSeedKeysResponse> observer) {
        audited(observer, "RotateSeedKeys", null, null, () -> {
            var caller = CallerContext.require();
            var result = seedRotation.rotate(caller, actor(caller), request.getBatchSize());
            return RotateSeedKeysResponse.newBuilder().setActiveKeyId(result.activeKeyId())
                    .setSeedsReencrypted(result.reencrypted()).build();
        });
    }

    /** Runs a management call; a refusal is written to the audit trail. */
    private <T> void audited(StreamObserver<T> observer, String eventName, String serialNumber, String userName,
            Supplier<T> work) {
        calls.complete(observer, eventName, serialNumber, userName, work);
    }

    private static Actor actor(Caller caller) {
        return AuditedCalls.actor(caller);
    }

    private static Map<String, String> tags(List<Tag> tags) {
        return Tags.require(tags.stream().map(t -> Map.entry(t.getKey(), t.getValue())).toList());
    }

    private static HmacAlgorithm algorithm(dev.gatekey.mfa.v1.HmacAlgorithm algorithm) {
        return switch (algorithm) {
            case HMAC_ALGORITHM_UNSPECIFIED, HMAC_ALGORITHM_SHA1 -> HmacAlgorithm.SHA1;
            case HMAC_ALGORITHM_SHA256 -> HmacAlgorithm.SHA256;
            case HMAC_ALGORITHM_SHA512 -> HmacAlgorithm.SHA512;
            default -> throw GatekeyException.invalidInput("Unknown HMAC algorithm.");
        };
    }

    private static dev.gatekey.mfa.v1.MfaDeviceType type(MfaDeviceType type) {
        return switch (type) {
            case VIRTUAL -> dev.gatekey.mfa.v1.MfaDeviceType.MFA_DEVICE_TYPE_VIRTUAL;
            case HARDWARE_TOTP -> dev.gatekey.mfa.v1.MfaDeviceType.MFA_DEVICE_TYPE_HARDWARE_TOTP;
            case SECURITY_KEY -> dev.gatekey.mfa.v1.MfaDeviceType.MFA_DEVICE_TYPE_SECURITY_KEY;
        };
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}

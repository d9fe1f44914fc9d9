package dev.gatekey.mfa.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.gatekey.mfa.application.MfaDevices;
import dev.gatekey.mfa.domain.NewVirtualMfaDevice;
import dev.gatekey.mfa.domain.Tags;
import dev.gatekey.mfa.v1.CreateVirtualMFADeviceRequest;
import dev.gatekey.mfa.v1.CreateVirtualMFADeviceResponse;
import dev.gatekey.mfa.v1.EnableMFADeviceRequest;
import dev.gatekey.mfa.v1.EnableMFADeviceResponse;
import dev.gatekey.mfa.v1.ListMFADevicesRequest;
import dev.gatekey.mfa.v1.ListMFADevicesResponse;
import dev.gatekey.mfa.v1.MFADevice;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.mfa.v1.VerifyTotpRequest;
import dev.gatekey.mfa.v1.VerifyTotpResponse;
import dev.gatekey.mfa.v1.VirtualMFADevice;
import dev.gatekey.platform.auth.CallerContext;
import dev.gatekey.platform.grpc.UnaryCall;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/** The gRPC face of {@link MfaDevices}: map the request, call, map the response. */
@GrpcService
@Blocking
public class MfaDeviceGrpcService extends MfaDeviceServiceGrpc.MfaDeviceServiceImplBase {

    @Inject
    MfaDevices devices;

    @Override
    public void createVirtualMFADevice(CreateVirtualMFADeviceRequest request,
            StreamObserver<CreateVirtualMFADeviceResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var caller = CallerContext.require();
            var tags = Tags.require(request.getTagsList().stream()
                    .map(t -> Map.entry(t.getKey(), t.getValue())).toList());
            NewVirtualMfaDevice created = devices.createVirtualMfaDevice(caller,
                    request.getVirtualMfaDeviceName(), request.getPath(), tags);
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
        UnaryCall.complete(observer, () -> {
            devices.enableMfaDevice(CallerContext.require(), request.getUserName(), request.getSerialNumber(),
                    request.getAuthenticationCode1(), request.getAuthenticationCode2());
            return EnableMFADeviceResponse.getDefaultInstance();
        });
    }

    @Override
    public void listMFADevices(ListMFADevicesRequest request, StreamObserver<ListMFADevicesResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var response = ListMFADevicesResponse.newBuilder();
            for (var device : devices.listMfaDevices(CallerContext.require(), request.getUserName())) {
                response.addMfaDevices(MFADevice.newBuilder()
                        .setUserName(device.userName())
                        .setSerialNumber(device.serialNumber())
                        .setEnableDate(timestamp(device.enableDate())));
            }
            return response.build();
        });
    }

    @Override
    public void verifyTotp(VerifyTotpRequest request, StreamObserver<VerifyTotpResponse> observer) {
        UnaryCall.complete(observer, () -> {
            var verified = devices.verifyTotp(CallerContext.require(), request.getAccountId(), request.getUserName(),
                    request.getSerialNumber(), request.getAuthenticationCode());
            return VerifyTotpResponse.newBuilder()
                    .setSerialNumber(verified.serialNumber())
                    .setAuthenticatedAt(timestamp(verified.authenticatedAt()))
                    .build();
        });
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}

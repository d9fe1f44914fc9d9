package dev.gatekey.identity.grpc;

import dev.gatekey.identity.application.MfaDirectory;
import dev.gatekey.mfa.v1.ListMFADevicesRequest;
import dev.gatekey.mfa.v1.MfaDeviceServiceGrpc;
import dev.gatekey.mfa.v1.RenameUserRequest;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.grpc.BearerToken;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import dev.gatekey.identity.config.PeerDeadlines;
import jakarta.inject.Inject;

/** {@link MfaDirectory} over mfa-device-service's gRPC API, with the caller's token. */
@ApplicationScoped
public class MfaServiceDirectory implements MfaDirectory {
    private static final String PEER = "mfa-device-service";

    @GrpcClient("mfa")
    MfaDeviceServiceGrpc.MfaDeviceServiceBlockingStub mfa;

    @Inject
    PeerDeadlines deadlines;

    private MfaDeviceServiceGrpc.MfaDeviceServiceBlockingStub as(Caller caller) {
        return PeerCalls.within(BearerToken.attach(mfa, caller.token()), deadlines.mfa());
    }

    @Override
    public int deviceCount(Caller caller, String userName) {
        return PeerCalls.call(PEER, () -> as(caller).listMFADevices(ListMFADevicesRequest.newBuilder()
                .setUserName(userName).setMaxItems(1).build()).getMfaDevicesCount());
    }

    @Override
    public void renameUser(Caller caller, String accountId, String oldUserName, String newUserName) {
        PeerCalls.call(PEER, () -> as(caller).renameUser(RenameUserRequest.newBuilder().setAccountId(accountId)
                .setOldUserName(oldUserName).setNewUserName(newUserName).build()));
    }
}

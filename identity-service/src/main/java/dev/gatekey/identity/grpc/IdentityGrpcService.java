package dev.gatekey.identity.grpc;

import com.google.protobuf.Timestamp;
import dev.gatekey.identity.application.IamUsers;
import dev.gatekey.identity.application.LoginProfiles;
import dev.gatekey.identity.application.SecretRotation;
import dev.gatekey.identity.application.SignIn;
import dev.gatekey.identity.domain.IamUser;
import dev.gatekey.identity.domain.LoginProfile;
import dev.gatekey.identity.v1.CreateLoginProfileRequest;
import dev.gatekey.identity.v1.CreateLoginProfileResponse;
import dev.gatekey.identity.v1.CreateUserRequest;
import dev.gatekey.identity.v1.CreateUserResponse;
import dev.gatekey.identity.v1.GetCallerIdentityRequest;
import dev.gatekey.identity.v1.GetCallerIdentityResponse;
import dev.gatekey.identity.v1.GetUserRequest;
import dev.gatekey.identity.v1.GetUserResponse;
import dev.gatekey.identity.v1.IdentityServiceGrpc;
import dev.gatekey.identity.v1.RotateSecretKeysRequest;
import dev.gatekey.identity.v1.RotateSecretKeysResponse;
import dev.gatekey.identity.v1.SignInRequest;
import dev.gatekey.identity.v1.SignInResponse;
import dev.gatekey.identity.v1.User;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.auth.CallerContext;
import dev.gatekey.platform.grpc.UnaryCall;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.time.Instant;

/** The gRPC adapter of IdentityService: map the request, call the application, map back. */
@GrpcService
@Blocking
public class IdentityGrpcService extends IdentityServiceGrpc.IdentityServiceImplBase {

    @Inject
    SignIn signIn;

    @Inject
    IamUsers users;

    @Inject
    LoginProfiles loginProfiles;

    @Inject
    SecretRotation secretRotation;

    @Override
    public void signIn(SignInRequest request, StreamObserver<SignInResponse> observer) {
        UnaryCall.complete(observer, () -> {
            SignIn.Session session = signIn.signIn(new SignIn.Attempt(
                    request.hasRootUser() ? request.getRootUser().getEmail() : null,
                    request.hasIamUser() ? request.getIamUser().getAccountId() : null,
                    request.hasIamUser() ? request.getIamUser().getUserName() : null,
                    request.getPassword(), request.getMfaSerialNumber(), request.getMfaAuthenticationCode()));
            return SignInResponse.newBuilder()
                    .setAccessToken(session.token().token())
                    .setExpiration(timestamp(session.token().expiration()))
                    .setMultiFactorAuthPresent(session.caller().multiFactorAuthPresent().orElse(false))
                    .setPrincipalArn(session.caller().principalArn())
                    .build();
        });
    }

    @Override
    public void getCallerIdentity(GetCallerIdentityRequest request,
            StreamObserver<GetCallerIdentityResponse> observer) {
        UnaryCall.complete(observer, () -> {
            Caller caller = CallerContext.require();
            return GetCallerIdentityResponse.newBuilder()
                    .setAccount(nullToEmpty(caller.accountId()))
                    .setArn(caller.principalArn())
                    .setUserId(nullToEmpty(caller.userId()))
                    .setMultiFactorAuthPresent(caller.multiFactorAuthPresent().orElse(false))
                    .build();
        });
    }

    @Override
    public void createUser(CreateUserRequest request, StreamObserver<CreateUserResponse> observer) {
        UnaryCall.complete(observer, () -> CreateUserResponse.newBuilder()
                .setUser(user(users.createUser(CallerContext.require(), request.getUserName(), request.getPath())))
                .build());
    }

    @Override
    public void getUser(GetUserRequest request, StreamObserver<GetUserResponse> observer) {
        UnaryCall.complete(observer, () -> GetUserResponse.newBuilder()
                .setUser(user(users.getUser(CallerContext.require(), request.getUserName())))
                .build());
    }

    @Override
    public void createLoginProfile(CreateLoginProfileRequest request,
            StreamObserver<CreateLoginProfileResponse> observer) {
        UnaryCall.complete(observer, () -> {
            LoginProfile profile = loginProfiles.create(CallerContext.require(), request.getUserName(),
                    request.getPassword(), request.getPasswordResetRequired());
            return CreateLoginProfileResponse.newBuilder()
                    .setLoginProfile(dev.gatekey.identity.v1.LoginProfile.newBuilder()
                            .setUserName(profile.userName())
                            .setCreateDate(timestamp(profile.createDate()))
                            .setPasswordResetRequired(profile.passwordResetRequired()))
                    .build();
        });
    }

    private static User user(IamUser user) {
        return User.newBuilder()
                .setUserName(user.userName())
                .setUserId(user.userId())
                .setArn(user.arn())
                .setPath(user.path())
                .setCreateDate(timestamp(user.createDate()))
                .build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public void rotateSecretKeys(RotateSecretKeysRequest request, StreamObserver<RotateSecretKeysResponse> observer) {
        UnaryCall.complete(observer, () -> {
            SecretRotation.Result result = secretRotation.rotate(CallerContext.require(), request.getBatchSize());
            return RotateSecretKeysResponse.newBuilder().setActiveKeyId(result.activeKeyId())
                    .setSecretsReencrypted(result.reencrypted()).setRemaining(result.remaining()).build();
        });
    }
}

package dev.gatekey.identity.application;

import dev.gatekey.identity.domain.AccessKey;
import dev.gatekey.identity.domain.SecretCipher;
import dev.gatekey.identity.persistence.AccessKeyEntity;
import dev.gatekey.identity.persistence.AccessKeyRepository;
import dev.gatekey.identity.persistence.SessionCredentialEntity;
import dev.gatekey.identity.persistence.SessionCredentialRepository;
import dev.gatekey.identity.persistence.UserEntity;
import dev.gatekey.identity.persistence.UserRepository;
import dev.gatekey.platform.auth.PrincipalType;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;

/** Reads the credential a signature names, in short transactions of their own. */
@ApplicationScoped
public class CredentialStore {

    /**
     * A credential as the verifier needs it: whose it is, the sealed secret, and for session
     * credentials the token hash, expiry and MFA context.
     */
    public record StoredCredential(String accessKeyId, String accountId, PrincipalType type, String userId,
            String userName, String arn, boolean active, SecretCipher.Sealed secret, boolean session,
            byte[] sessionTokenSha256, Instant expiresAt, boolean multiFactorAuth,
            Optional<Instant> mfaAuthenticatedAt) {
        @Override
        public String toString() {
            return "StoredCredential[accessKeyId=" + accessKeyId + ", arn=" + arn + "]";
        }
    }

    @Inject
    AccessKeyRepository accessKeys;

    @Inject
    SessionCredentialRepository sessions;

    @Inject
    UserRepository users;

    @Transactional
    public Optional<StoredCredential> find(String accessKeyId) {
        if (accessKeyId.startsWith("ASIA")) {
            return sessions.findByIdOptional(accessKeyId).flatMap(s -> owner(s.accountId, s.userId).map(o ->
                    new StoredCredential(s.accessKeyId, s.accountId, o.type, s.userId == null ? s.accountId : s.userId,
                            o.userName, o.arn, true, new SecretCipher.Sealed(s.secretKeyId, s.secretCiphertext), true,
                            s.sessionTokenSha256, s.expiresAt, s.multiFactorAuth,
                            Optional.ofNullable(s.mfaAuthenticatedAt))));
        }
        return accessKeys.findByIdOptional(accessKeyId).flatMap((AccessKeyEntity k) -> owner(k.accountId, k.userId)
                .map(o -> new StoredCredential(k.accessKeyId, k.accountId, o.type,
                        k.userId == null ? k.accountId : k.userId, o.userName, o.arn,
                        AccessKey.ACTIVE.equals(k.status), new SecretCipher.Sealed(k.secretKeyId, k.secretCiphertext),
                        false, null, null, false, Optional.empty())));
    }

    /** AWS's AccessKeyLastUsed: date, service and region of the latest signed request. */
    @Transactional
    public void recordUse(String accessKeyId, Instant at, String service, String region) {
        accessKeys.recordUse(accessKeyId, at, service, region);
    }

    private record Owner(PrincipalType type, String userName, String arn) {
    }

    private Optional<Owner> owner(String accountId, String userId) {
        if (userId == null) {
            return Optional.of(new Owner(PrincipalType.ROOT, SignInCredentials.ROOT_USER_NAME,
                    IamNames.rootArn(accountId)));
        }
        return users.findByIdOptional(userId).map((UserEntity u) -> new Owner(PrincipalType.USER, u.userName, u.arn));
    }
}

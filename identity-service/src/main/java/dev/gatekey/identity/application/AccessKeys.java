package dev.gatekey.identity.application;

import dev.gatekey.identity.domain.AccessKey;
import dev.gatekey.identity.domain.CredentialIds;
import dev.gatekey.identity.domain.SecretCipher;
import dev.gatekey.identity.persistence.AccessKeyEntity;
import dev.gatekey.identity.persistence.AccessKeyRepository;
import dev.gatekey.identity.persistence.AccountEntity;
import dev.gatekey.identity.persistence.UserEntity;
import dev.gatekey.platform.auth.Caller;
import dev.gatekey.platform.error.ErrorKind;
import dev.gatekey.platform.error.GatekeyException;
import dev.gatekey.platform.iam.IamNames;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Long-term access keys (IAM API: CreateAccessKey, ListAccessKeys, UpdateAccessKey,
 * DeleteAccessKey, GetAccessKeyLastUsed) of IAM users and of the root user. A key's secret is
 * returned once, at creation, and kept only encrypted. At most two keys per user.
 */
@ApplicationScoped
public class AccessKeys {
    /** AWS's quota AccessKeysPerUser. */
    public static final int MAX_PER_USER = 2;
    private static final Pattern ACCESS_KEY_ID = Pattern.compile("[\\w]{16,128}");
    private static final Pattern IMPORTED_ID = Pattern.compile("AKIA[A-Z2-7]{16}");
    private static final Pattern IMPORTED_SECRET = Pattern.compile("[A-Za-z0-9/+]{40}");

    /** A new key with its secret, shown this once. */
    public record Created(AccessKey key, String secretAccessKey) {
        @Override
        public String toString() {
            return "Created[" + key + "]";
        }
    }

    @Inject
    Principals principals;

    @Inject
    AccessKeyRepository keys;

    @Inject
    CredentialIds ids;

    @Inject
    SecretCipher cipher;

    /** CreateAccessKey for {@code userName}, or for the caller when it is empty. */
    @Transactional
    public Created create(Caller caller, String userName) {
        Principals.Owner owner = principals.authorizedOwner(caller, userName, "iam:CreateAccessKey");
        lock(owner);
        if (keys.findByOwner(owner.accountId(), owner.userId()).size() >= MAX_PER_USER) {
            throw new GatekeyException("LimitExceeded", ErrorKind.LIMIT_EXCEEDED,
                    "Cannot exceed quota for AccessKeysPerUser: " + MAX_PER_USER);
        }
        String secret = ids.newSecretAccessKey();
        AccessKeyEntity key = store(owner.accountId(), owner.userId(), ids.newAccessKeyId(), secret);
        return new Created(key.toDomain(owner.userName()), secret);
    }

    /** ListAccessKeys of {@code userName}, or of the caller when it is empty. */
    @Transactional
    public List<AccessKey> list(Caller caller, String userName) {
        Principals.Owner owner = principals.authorizedOwner(caller, userName, "iam:ListAccessKeys");
        return keys.findByOwner(owner.accountId(), owner.userId()).stream()
                .map(k -> k.toDomain(owner.userName())).toList();
    }

    /** UpdateAccessKey: {@code Active} or {@code Inactive}. */
    @Transactional
    public void update(Caller caller, String userName, String accessKeyId, String status) {
        if (!AccessKey.ACTIVE.equals(status) && !AccessKey.INACTIVE.equals(status)) {
            throw IamNames.validationError("status", status, "Member must satisfy enum value set: [Active, Inactive]");
        }
        Principals.Owner owner = principals.authorizedOwner(caller, userName, "iam:UpdateAccessKey");
        ownedKey(owner, accessKeyId).status = status;
    }

    /** DeleteAccessKey. */
    @Transactional
    public void delete(Caller caller, String userName, String accessKeyId) {
        Principals.Owner owner = principals.authorizedOwner(caller, userName, "iam:DeleteAccessKey");
        keys.delete(ownedKey(owner, accessKeyId));
    }

    /** GetAccessKeyLastUsed: the key's owner name and last use, authorized on the owner. */
    @Transactional
    public AccessKey lastUsed(Caller caller, String accessKeyId) {
        requireAccessKeyId(accessKeyId);
        String accountId = Principals.accountOf(caller);
        AccessKeyEntity key = keys.findByIdOptional(accessKeyId).filter(k -> k.accountId.equals(accountId))
                .orElse(null);
        if (key == null) {
            // authorized on the account's users before saying anything about the key
            principals.authorize(caller, "iam:GetAccessKeyLastUsed", IamNames.userArn(accountId, "/", "*"));
            throw noSuchKey(accessKeyId);
        }
        Principals.Owner owner = principals.ownerOfKey(key);
        principals.authorize(caller, "iam:GetAccessKeyLastUsed", owner.arn());
        return key.toDomain(owner.userName());
    }

    /**
     * Imports the root user's access key from configuration (local runs): once, when no key has
     * that id and the root user has fewer than two.
     *
     * @return whether the key was imported
     */
    @Transactional
    public boolean importRootKey(String accountId, String accessKeyId, String secretAccessKey) {
        if (!IMPORTED_ID.matcher(accessKeyId).matches() || secretAccessKey == null
                || !IMPORTED_SECRET.matcher(secretAccessKey).matches()) {
            throw new IllegalStateException("GATEKEY_ROOT_ACCESS_KEY_ID must be AKIA and 16 of A-Z2-7, and"
                    + " GATEKEY_ROOT_SECRET_ACCESS_KEY 40 of A-Za-z0-9/+");
        }
        if (keys.findByIdOptional(accessKeyId).isPresent()
                || keys.findByOwner(accountId, null).size() >= MAX_PER_USER) {
            return false;
        }
        store(accountId, null, accessKeyId, secretAccessKey);
        return true;
    }

    private AccessKeyEntity store(String accountId, String userId, String accessKeyId, String secret) {
        byte[] plain = secret.getBytes(StandardCharsets.US_ASCII);
        SecretCipher.Sealed sealed;
        try {
            sealed = cipher.seal(plain, accessKeyId);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
        AccessKeyEntity key = new AccessKeyEntity();
        key.accessKeyId = accessKeyId;
        key.accountId = accountId;
        key.userId = userId;
        key.status = AccessKey.ACTIVE;
        key.secretKeyId = sealed.keyId();
        key.secretCiphertext = sealed.ciphertext();
        key.createdAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        keys.persist(key);
        return key;
    }

    /** Serializes key creation per owner, so two concurrent requests cannot pass the quota. */
    private void lock(Principals.Owner owner) {
        if (owner.userId() == null) {
            keys.getEntityManager().find(AccountEntity.class, owner.accountId(), LockModeType.PESSIMISTIC_WRITE);
        } else {
            keys.getEntityManager().find(UserEntity.class, owner.userId(), LockModeType.PESSIMISTIC_WRITE);
        }
    }

    private AccessKeyEntity ownedKey(Principals.Owner owner, String accessKeyId) {
        requireAccessKeyId(accessKeyId);
        return keys.findByIdOptional(accessKeyId)
                .filter(k -> k.accountId.equals(owner.accountId()) && java.util.Objects.equals(k.userId, owner.userId()))
                .orElseThrow(() -> noSuchKey(accessKeyId));
    }

    private static void requireAccessKeyId(String accessKeyId) {
        if (accessKeyId == null || !ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
            throw IamNames.validationError("accessKeyId", accessKeyId,
                    "Member must have length between 16 and 128 and satisfy regular expression pattern: [\\w]+");
        }
    }

    private static GatekeyException noSuchKey(String accessKeyId) {
        return GatekeyException.noSuchEntity("The Access Key with id " + accessKeyId + " cannot be found.");
    }
}

package dev.gatekey.local;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;

/**
 * The secrets and identifiers of a local installation, made once and kept in the work
 * directory (owner-only permissions): the account id and root credentials (password and access
 * key), the database role passwords, the JWT signing key pair and the AES key rings for TOTP
 * seeds and for credential secrets.
 */
public final class LocalState {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String PASSWORD_ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final Path workDir;
    private final Properties values;

    private LocalState(Path workDir, Properties values) {
        this.workDir = workDir;
        this.values = values;
    }

    static LocalState load(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path file = workDir.resolve("state.properties");
        Properties values = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                values.load(in);
            }
        }
        LocalState state = new LocalState(workDir, values);
        boolean changed = state.ensure("account.id", () -> randomDigits(12))
                | state.ensure("account.name", () -> "gatekey-local")
                | state.ensure("root.email", () -> "root@gatekey.local")
                // letters, digits and a symbol: satisfies the password policy
                | state.ensure("root.password", () -> randomPassword(20) + "-" + randomPassword(4))
                | state.ensure("seed.key.id", () -> "k1")
                | state.ensure("seed.key", () -> Base64.getEncoder().encodeToString(randomBytes(32)))
                | state.ensure("identity.secret.key.id", () -> "k1")
                | state.ensure("identity.secret.key", () -> Base64.getEncoder().encodeToString(randomBytes(32)))
                // the root user's access key, imported by identity-service at its first start
                | state.ensure("root.access.key.id", () -> "AKIA" + randomOf(BASE32, 16))
                | state.ensure("root.secret.access.key", () -> Base64.getEncoder().encodeToString(randomBytes(30)));
        for (LocalSystem.Service service : LocalSystem.Service.values()) {
            changed |= state.ensure("db." + service.database() + ".password", () -> randomPassword(24));
        }
        if (changed) {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                values.store(out, "Gatekey local installation: secrets, keep private");
            }
        }
        state.ensureJwtKeys();
        return state;
    }

    public Path workDir() {
        return workDir;
    }

    public String accountId() {
        return values.getProperty("account.id");
    }

    public String accountName() {
        return values.getProperty("account.name");
    }

    public String rootEmail() {
        return values.getProperty("root.email");
    }

    public String rootPassword() {
        return values.getProperty("root.password");
    }

    /** The root user's access key id (AWS_ACCESS_KEY_ID of local.env). */
    public String rootAccessKeyId() {
        return values.getProperty("root.access.key.id");
    }

    /** Its secret (AWS_SECRET_ACCESS_KEY of local.env). */
    public String rootSecretAccessKey() {
        return values.getProperty("root.secret.access.key");
    }

    String identitySecretActiveKeyId() {
        return values.getProperty("identity.secret.key.id");
    }

    String identitySecretKeyRing() {
        return identitySecretActiveKeyId() + ":" + values.getProperty("identity.secret.key");
    }

    String databasePassword(String database) {
        return values.getProperty("db." + database + ".password");
    }

    String seedActiveKeyId() {
        return values.getProperty("seed.key.id");
    }

    String seedKeyRing() {
        return seedActiveKeyId() + ":" + values.getProperty("seed.key");
    }

    Path jwtPrivateKey() {
        return workDir.resolve("keys/jwt-private.pem");
    }

    Path jwtPublicKey() {
        return workDir.resolve("keys/jwt-public.pem");
    }

    private boolean ensure(String key, java.util.function.Supplier<String> value) {
        if (values.getProperty(key) != null) {
            return false;
        }
        values.setProperty(key, value.get());
        return true;
    }

    private void ensureJwtKeys() throws IOException {
        if (Files.exists(jwtPrivateKey()) && Files.exists(jwtPublicKey())) {
            return;
        }
        Files.createDirectories(jwtPrivateKey().getParent());
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            pair = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Files.deleteIfExists(jwtPrivateKey());
        Files.createFile(jwtPrivateKey(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(jwtPrivateKey(), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        Files.writeString(jwtPublicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String randomDigits(int n) {
        StringBuilder digits = new StringBuilder().append(1 + RANDOM.nextInt(9));
        while (digits.length() < n) {
            digits.append(RANDOM.nextInt(10));
        }
        return digits.toString();
    }

    private static String randomOf(String alphabet, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static String randomPassword(int n) {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < n; i++) {
            password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }
}

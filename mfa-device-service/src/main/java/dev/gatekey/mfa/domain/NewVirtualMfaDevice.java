package dev.gatekey.mfa.domain;

import dev.gatekey.platform.iam.IamNames;
import java.security.SecureRandom;

/**
 * A freshly created virtual device with its secret in every form the caller receives once:
 * the raw seed (to encrypt for storage), Base32, the otpauth URI and its QR code.
 */
public record NewVirtualMfaDevice(String serialNumber, byte[] seed, String base32Seed, String otpAuthUri,
        byte[] qrCodePng) {
    /** 160 bits, the HMAC-SHA1 output length RFC 4226 §4 (R6) recommends as the shared secret length. */
    public static final int SEED_BYTES = 20;

    /** Generates the seed and its presentations; the account id is the otpauth account name for now. */
    public static NewVirtualMfaDevice generate(String accountId, String path, String name, String issuer,
            SecureRandom random) {
        byte[] seed = new byte[SEED_BYTES];
        random.nextBytes(seed);
        String base32 = Base32.encode(seed);
        String uri = OtpAuthUri.totp(name, accountId, base32, issuer);
        return new NewVirtualMfaDevice(IamNames.virtualMfaDeviceSerialNumber(accountId, path, name), seed, base32, uri,
                QrCodePng.render(uri));
    }

    @Override
    public String toString() {
        return "NewVirtualMfaDevice[serialNumber=" + serialNumber + "]";
    }
}

package dev.gatekey.mfa.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * One {@code <Key>} of a PSKC document (RFC 6030 §4), its secret already decrypted and
 * MAC-checked.
 *
 * @param keyId the Key's {@code Id} attribute
 * @param serialNumber {@code DeviceInfo/SerialNo} of its KeyPackage, empty when absent
 * @param algorithm the Key's {@code Algorithm} URI
 * @param digits {@code ResponseFormat/@Length}, empty when absent
 * @param timeIntervalSeconds {@code Data/TimeInterval}, empty when absent
 * @param counter {@code Data/Counter}, empty when absent
 * @param suite {@code AlgorithmParameters/Suite}, empty when absent (TOTP profile: the HMAC)
 */
public record PskcKey(String keyId, Optional<String> serialNumber, String algorithm, byte[] secret,
        Optional<Integer> digits, Optional<Integer> timeIntervalSeconds, Optional<Long> counter,
        Optional<String> suite) {
    public static final String HOTP = "urn:ietf:params:xml:ns:keyprov:pskc:hotp";
    public static final String TOTP = "urn:ietf:params:xml:ns:keyprov:pskc:totp";
    /** The spelling some vendors use for the TOTP profile. */
    public static final String TOTP_HASH = "urn:ietf:params:xml:ns:keyprov:pskc#totp";
    public static final String PIN = "urn:ietf:params:xml:ns:keyprov:pskc:pin";

    public PskcKey {
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    public boolean isTotp() {
        return TOTP.equals(algorithm) || TOTP_HASH.equals(algorithm);
    }

    /** Wipes the secret from memory. */
    public void destroy() {
        Arrays.fill(secret, (byte) 0);
    }

    @Override
    public String toString() {
        return "PskcKey[" + keyId + ", " + serialNumber.orElse("-") + ", " + algorithm + "]";
    }
}

package dev.gatekey.mfa.securitykey;

import com.webauthn4j.test.TestConstants;
import com.webauthn4j.test.authenticator.u2f.AuthenticationRequest;
import com.webauthn4j.test.authenticator.u2f.AuthenticationResponse;
import com.webauthn4j.test.authenticator.u2f.FIDOU2FAuthenticator;
import com.webauthn4j.test.authenticator.u2f.RegistrationRequest;
import com.webauthn4j.test.authenticator.u2f.RegistrationResponse;
import com.webauthn4j.test.client.AuthenticationEmulationOption;
import com.webauthn4j.test.client.RegistrationEmulationOption;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * webauthn4j-test's FIDO U2F authenticator with its key handling replaced: the released
 * emulator (0.31.2, the newest on Maven Central) derives keys with a webauthn4j-core method that
 * 0.32 removed. This one keeps a fresh P-256 key pair per key handle and otherwise answers the
 * U2F raw messages (FIDO U2F Raw Message Formats 4.3 and 5.4) exactly as the emulator does,
 * signing registrations with the emulator's attestation key; webauthn4j-test's
 * {@code FIDOU2FAuthenticatorAdaptor} turns them into WebAuthn {@code fido-u2f} responses.
 */
public class SecurityKeyU2fToken extends FIDOU2FAuthenticator {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, KeyPair> keys = new ConcurrentHashMap<>();
    private long counter;

    @Override
    public RegistrationResponse register(RegistrationRequest request, RegistrationEmulationOption option) {
        KeyPair keyPair = newKeyPair();
        byte[] keyHandle = new byte[64];
        RANDOM.nextBytes(keyHandle);
        keys.put(HexFormat.of().formatHex(keyHandle), keyPair);
        byte[] userPublicKey = uncompressed((ECPublicKey) keyPair.getPublic());
        byte[] signedData = ByteBuffer.allocate(1 + 32 + 32 + keyHandle.length + 65)
                .put((byte) 0x00).put(request.getApplicationParameter()).put(request.getChallengeParameter())
                .put(keyHandle).put(userPublicKey).array();
        byte[] signature = sign(TestConstants.GENERIC_2TIER_ATTESTATION_PRIVATE_KEY, signedData);
        return new RegistrationResponse(userPublicKey, keyHandle, TestConstants.GENERIC_2TIER_ATTESTATION_CERTIFICATE,
                signature);
    }

    @Override
    public AuthenticationResponse authenticate(AuthenticationRequest request, AuthenticationEmulationOption option) {
        KeyPair keyPair = keys.get(HexFormat.of().formatHex(request.getKeyHandle()));
        if (keyPair == null) {
            throw new IllegalStateException("U2F_SW_WRONG_DATA: unknown key handle");
        }
        if (isCountUpEnabled()) {
            counter++;
        }
        byte[] counterBytes = ByteBuffer.allocate(4).putInt((int) counter).array();
        byte[] signedData = ByteBuffer.allocate(32 + 1 + 4 + 32).put(request.getApplicationParameter())
                .put(getFlags()).put(counterBytes).put(request.getChallenge()).array();
        return new AuthenticationResponse(getFlags(), counterBytes, sign(keyPair.getPrivate(), signedData));
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] uncompressed(ECPublicKey key) {
        byte[] x = unsigned32(key.getW().getAffineX().toByteArray());
        byte[] y = unsigned32(key.getW().getAffineY().toByteArray());
        return ByteBuffer.allocate(65).put((byte) 0x04).put(x).put(y).array();
    }

    private static byte[] unsigned32(byte[] value) {
        byte[] out = new byte[32];
        int length = Math.min(32, value.length);
        System.arraycopy(value, value.length - length, out, 32 - length, length);
        return out;
    }

    private static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

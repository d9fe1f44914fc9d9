package dev.gatekey.mfa.domain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** RFC 6030's own example documents (Figures 2, 3, 5, 6), the encrypted variant, and hostile XML. */
public class PskcDocumentTest {
    private static final byte[] RFC_PRE_SHARED_KEY = HexFormat.of().parseHex("12345678901234567890123456789012");
    private static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void figure2BasicContainer() throws IOException {
        List<PskcKey> keys = PskcDocument.parse(resource("rfc6030-figure2.xml"), Optional.empty());
        assertEquals(1, keys.size());
        PskcKey key = keys.get(0);
        assertEquals("12345678", key.keyId());
        assertEquals(PskcKey.HOTP, key.algorithm());
        assertArrayEquals("1234".getBytes(StandardCharsets.US_ASCII), key.secret());
        assertEquals(Optional.empty(), key.serialNumber());
        assertEquals(Optional.empty(), key.digits());
    }

    @Test
    void figure3SupplementaryData() throws IOException {
        PskcKey key = PskcDocument.parse(resource("rfc6030-figure3.xml"), Optional.empty()).get(0);
        assertEquals(Optional.of("987654321"), key.serialNumber());
        assertArrayEquals(RFC_SECRET, key.secret());
        assertEquals(Optional.of(8), key.digits());
        assertEquals(Optional.of(0L), key.counter());
        assertFalse(key.isTotp());
    }

    @Test
    void figure5KeyAndItsPin() throws IOException {
        List<PskcKey> keys = PskcDocument.parse(resource("rfc6030-figure5.xml"), Optional.empty());
        assertEquals(2, keys.size());
        assertArrayEquals(RFC_SECRET, keys.get(0).secret());
        assertEquals(PskcKey.PIN, keys.get(1).algorithm());
        assertEquals("123456781", keys.get(1).keyId());
        assertArrayEquals("1234".getBytes(StandardCharsets.US_ASCII), keys.get(1).secret());
    }

    @Test
    void figure6EncryptedWithThePreSharedKeyAndMacChecked() throws IOException {
        PskcKey key = PskcDocument.parse(resource("rfc6030-figure6.xml"), Optional.of(RFC_PRE_SHARED_KEY)).get(0);
        assertArrayEquals(RFC_SECRET, key.secret());
        assertEquals(Optional.of("987654321"), key.serialNumber());
        assertEquals(Optional.of(8), key.digits());
    }

    @Test
    void figure6WithoutOrWithAWrongKeyIsRefused() throws IOException {
        byte[] document = resource("rfc6030-figure6.xml");
        assertThrows(PskcException.class, () -> PskcDocument.parse(document, Optional.empty()));
        byte[] wrong = RFC_PRE_SHARED_KEY.clone();
        wrong[0] ^= 1;
        PskcException e = assertThrows(PskcException.class, () -> PskcDocument.parse(document, Optional.of(wrong)));
        assertEquals("InvalidInput", e.code());
        assertThrows(PskcException.class, () -> PskcDocument.parse(document, Optional.of(new byte[32])));
    }

    @Test
    void figure6WithAnAlteredCiphertextFailsTheMac() throws IOException {
        String document = new String(resource("rfc6030-figure6.xml"), StandardCharsets.UTF_8)
                .replace("AAECAwQFBgcICQoLDA0OD+cI", "AAECAwQFBgcICQoLDA0OD+cJ");
        PskcException e = assertThrows(PskcException.class, () -> PskcDocument.parse(
                document.getBytes(StandardCharsets.UTF_8), Optional.of(RFC_PRE_SHARED_KEY)));
        assertTrue(e.getMessage().contains("ValueMAC"), e.getMessage());
    }

    @Test
    void figure6WithoutItsMacIsRefused() throws IOException {
        String document = new String(resource("rfc6030-figure6.xml"), StandardCharsets.UTF_8)
                .replaceAll("(?s)<ValueMAC>.*?</ValueMAC>", "");
        assertThrows(PskcException.class, () -> PskcDocument.parse(document.getBytes(StandardCharsets.UTF_8),
                Optional.of(RFC_PRE_SHARED_KEY)));
    }

    @Test
    void hmacSha256MacAndTotpParameters() throws Exception {
        byte[] psk = new byte[16];
        byte[] macKey = new byte[32];
        byte[] seed = new byte[32];
        SecureRandom random = new SecureRandom();
        random.nextBytes(psk);
        random.nextBytes(macKey);
        random.nextBytes(seed);
        String document = encryptedTotpDocument("GALT12345678", seed, psk, macKey,
                "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", "HMAC-SHA256", 60);
        PskcKey key = PskcDocument.parse(document.getBytes(StandardCharsets.UTF_8), Optional.of(psk)).get(0);
        assertTrue(key.isTotp());
        assertArrayEquals(seed, key.secret());
        assertEquals(Optional.of(60), key.timeIntervalSeconds());
        assertEquals(Optional.of("HMAC-SHA256"), key.suite());
        assertEquals(Optional.of(6), key.digits());
    }

    @Test
    void externalEntitiesAndDtdsAreRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<KeyContainer Version=\"1.0\" xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\"><KeyPackage>"
                + "<Key Id=\"1\" Algorithm=\"urn:ietf:params:xml:ns:keyprov:pskc:totp\"><Issuer>&e;</Issuer>"
                + "<Data><Secret><PlainValue>MTIzNA==</PlainValue></Secret></Data></Key></KeyPackage></KeyContainer>";
        PskcException e = assertThrows(PskcException.class,
                () -> PskcDocument.parse(xxe.getBytes(StandardCharsets.UTF_8), Optional.empty()));
        assertFalse(e.getMessage().contains("root:"), "nothing of the file leaks");
        String billionLaughs = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><KeyContainer Version=\"1.0\" "
                + "xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\">&b;</KeyContainer>";
        assertThrows(PskcException.class,
                () -> PskcDocument.parse(billionLaughs.getBytes(StandardCharsets.UTF_8), Optional.empty()));
    }

    @Test
    void notPskcOrBrokenIsRefused() {
        assertThrows(PskcException.class, () -> PskcDocument.parse(new byte[0], Optional.empty()));
        assertThrows(PskcException.class, () -> PskcDocument.parse("<x/>".getBytes(StandardCharsets.UTF_8),
                Optional.empty()));
        assertThrows(PskcException.class, () -> PskcDocument.parse("not xml".getBytes(StandardCharsets.UTF_8),
                Optional.empty()));
        assertThrows(PskcException.class, () -> PskcDocument.parse(
                "<KeyContainer Version=\"2.0\" xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\"/>"
                        .getBytes(StandardCharsets.UTF_8), Optional.empty()));
    }

    /** A PSKC document as a vendor would write it for a TOTP token (RFC 6030 §6.1 encryption). */
    public static String encryptedTotpDocument(String serial, byte[] seed, byte[] psk, byte[] macKey,
            String macAlgorithm, String suite, int timeInterval) throws Exception {
        String macJca = macAlgorithm.endsWith("sha256") ? "HmacSHA256" : "HmacSHA1";
        byte[] encryptedMacKey = aesCbc(psk, macKey);
        byte[] encryptedSeed = aesCbc(psk, seed);
        Mac mac = Mac.getInstance(macJca);
        mac.init(new SecretKeySpec(macKey, macJca));
        byte[] valueMac = mac.doFinal(encryptedSeed);
        String aes = "http://www.w3.org/2001/04/xmlenc#aes" + psk.length * 8 + "-cbc";
        Base64.Encoder b64 = Base64.getEncoder();
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<KeyContainer Version=\"1.0\" xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\""
                + " xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\">\n"
                + "<EncryptionKey><ds:KeyName>Pre-shared-key</ds:KeyName></EncryptionKey>\n"
                + "<MACMethod Algorithm=\"" + macAlgorithm + "\"><MACKey><xenc:EncryptionMethod Algorithm=\"" + aes
                + "\"/><xenc:CipherData><xenc:CipherValue>" + b64.encodeToString(encryptedMacKey)
                + "</xenc:CipherValue></xenc:CipherData></MACKey></MACMethod>\n"
                + "<KeyPackage><DeviceInfo><Manufacturer>Acme</Manufacturer><SerialNo>" + serial
                + "</SerialNo></DeviceInfo>\n"
                + "<Key Id=\"" + serial + "-1\" Algorithm=\"urn:ietf:params:xml:ns:keyprov:pskc:totp\">"
                + "<AlgorithmParameters><Suite>" + suite + "</Suite><ResponseFormat Length=\"6\" Encoding=\"DECIMAL\"/>"
                + "</AlgorithmParameters><Data><Secret><EncryptedValue><xenc:EncryptionMethod Algorithm=\"" + aes
                + "\"/><xenc:CipherData><xenc:CipherValue>" + b64.encodeToString(encryptedSeed)
                + "</xenc:CipherValue></xenc:CipherData></EncryptedValue><ValueMAC>" + b64.encodeToString(valueMac)
                + "</ValueMAC></Secret><TimeInterval><PlainValue>" + timeInterval
                + "</PlainValue></TimeInterval></Data></Key></KeyPackage>\n</KeyContainer>\n";
    }

    private static byte[] aesCbc(byte[] key, byte[] plaintext) throws Exception {
        byte[] iv = new byte[16];
        new SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        byte[] ciphertext = cipher.doFinal(plaintext);
        byte[] out = new byte[16 + ciphertext.length];
        System.arraycopy(iv, 0, out, 0, 16);
        System.arraycopy(ciphertext, 0, out, 16, ciphertext.length);
        return out;
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = PskcDocumentTest.class.getResourceAsStream("/pskc/" + name)) {
            return in.readAllBytes();
        }
    }
}

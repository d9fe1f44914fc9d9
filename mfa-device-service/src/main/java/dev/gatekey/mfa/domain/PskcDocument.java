package dev.gatekey.mfa.domain;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Reads a Portable Symmetric Key Container (RFC 6030) with the JDK's DOM parser, hardened
 * against XXE and entity expansion: DTDs are refused outright, no external entity, schema or
 * stylesheet is ever fetched.
 *
 * <p>Secrets are either {@code PlainValue} (base64) or {@code EncryptedValue} under a
 * pre-shared key (§6.1): AES-CBC with the IV prepended to the ciphertext (XML Encryption),
 * PKCS#5 padding, and a {@code ValueMAC} over IV‖ciphertext keyed with the MAC key of
 * {@code MACMethod} (itself AES-CBC-encrypted under the pre-shared key). HMAC-SHA1 (the RFC's
 * example) and HMAC-SHA256 MACs are accepted; an encrypted secret without a valid MAC is
 * refused. Password-based (PBKDF2) and asymmetric key transport are not supported.
 */
public final class PskcDocument {
    public static final String NS = "urn:ietf:params:xml:ns:keyprov:pskc";
    static final String XENC = "http://www.w3.org/2001/04/xmlenc#";
    static final String DS = "http://www.w3.org/2000/09/xmldsig#";
    static final String XENC11 = "http://www.w3.org/2009/xmlenc11#";
    static final String HMAC_SHA1 = "http://www.w3.org/2000/09/xmldsig#hmac-sha1";
    static final String HMAC_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256";
    /** Vendor seed files for thousands of tokens stay far below this. */
    public static final int MAX_DOCUMENT_BYTES = 8 * 1024 * 1024;

    private PskcDocument() {
    }

    /**
     * Parses {@code document}; {@code preSharedKey} is needed when secrets are encrypted.
     * Every key's secret is decrypted and MAC-checked before anything is returned.
     */
    public static List<PskcKey> parse(byte[] document, Optional<byte[]> preSharedKey) {
        if (document == null || document.length == 0) {
            throw new PskcException("the document is empty");
        }
        if (document.length > MAX_DOCUMENT_BYTES) {
            throw new PskcException("the document is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        Element container = read(document).getDocumentElement();
        if (!NS.equals(container.getNamespaceURI()) || !"KeyContainer".equals(container.getLocalName())) {
            throw new PskcException("the root element is not a PSKC KeyContainer");
        }
        if (!"1.0".equals(container.getAttribute("Version"))) {
            throw new PskcException("only PSKC Version 1.0 is supported");
        }
        Optional<Element> encryptionKey = child(container, NS, "EncryptionKey");
        if (encryptionKey.isPresent() && child(encryptionKey.get(), DS, "KeyName").isEmpty()) {
            throw new PskcException("only pre-shared key encryption (ds:KeyName) is supported, "
                    + "not password-based or asymmetric key transport");
        }
        Optional<byte[]> macKey = macKey(container, preSharedKey);
        String macAlgorithm = child(container, NS, "MACMethod").map(m -> m.getAttribute("Algorithm")).orElse(null);

        List<PskcKey> keys = new ArrayList<>();
        for (Element keyPackage : children(container, NS, "KeyPackage")) {
            Optional<String> serial = child(keyPackage, NS, "DeviceInfo")
                    .flatMap(d -> child(d, NS, "SerialNo")).map(PskcDocument::text);
            for (Element key : children(keyPackage, NS, "Key")) {
                keys.add(key(key, serial, preSharedKey, macKey, macAlgorithm));
            }
        }
        if (keys.isEmpty()) {
            throw new PskcException("the document holds no Key");
        }
        return keys;
    }

    private static PskcKey key(Element key, Optional<String> serial, Optional<byte[]> preSharedKey,
            Optional<byte[]> macKey, String macAlgorithm) {
        String id = key.getAttribute("Id");
        if (id.isEmpty()) {
            throw new PskcException("a Key has no Id");
        }
        String algorithm = key.getAttribute("Algorithm");
        Optional<Element> parameters = child(key, NS, "AlgorithmParameters");
        Optional<Integer> digits = Optional.empty();
        Optional<String> suite = parameters.flatMap(p -> child(p, NS, "Suite")).map(PskcDocument::text);
        Optional<Element> format = parameters.flatMap(p -> child(p, NS, "ResponseFormat"));
        if (format.isPresent()) {
            String encoding = format.get().getAttribute("Encoding");
            if (!encoding.isEmpty() && !"DECIMAL".equals(encoding)) {
                throw new PskcException("Key " + id + ": response encoding " + encoding + " is not DECIMAL");
            }
            digits = Optional.of(integer(format.get().getAttribute("Length"), "Key " + id + " ResponseFormat Length"));
        }
        Element data = child(key, NS, "Data").orElseThrow(() -> new PskcException("Key " + id + " has no Data"));
        Element secret = child(data, NS, "Secret")
                .orElseThrow(() -> new PskcException("Key " + id + " has no Secret"));
        byte[] value = secretValue(secret, id, preSharedKey, macKey, macAlgorithm);
        Optional<Long> counter = plainValue(data, "Counter").map(v -> counter(v, "Key " + id + " Counter"));
        Optional<Integer> timeInterval = plainValue(data, "TimeInterval").map(v -> integer(v, "Key " + id + " TimeInterval"));
        return new PskcKey(id, serial, algorithm, value, digits, timeInterval, counter, suite);
    }

    private static byte[] secretValue(Element secret, String id, Optional<byte[]> preSharedKey,
            Optional<byte[]> macKey, String macAlgorithm) {
        Optional<Element> plain = child(secret, NS, "PlainValue");
        if (plain.isPresent()) {
            return base64(text(plain.get()), "Key " + id + " PlainValue");
        }
        Element encrypted = child(secret, NS, "EncryptedValue")
                .orElseThrow(() -> new PskcException("Key " + id + " has neither PlainValue nor EncryptedValue"));
        byte[] psk = preSharedKey.orElseThrow(() -> new PskcException(
                "Key " + id + " is encrypted; the pre-shared key is required"));
        byte[] cipherValue = cipherValue(encrypted, "Key " + id);
        Element mac = child(secret, NS, "ValueMAC").orElseThrow(() -> new PskcException(
                "Key " + id + " is encrypted without a ValueMAC (RFC 6030 section 6.1.1 requires one)"));
        byte[] expectedMac = base64(text(mac), "Key " + id + " ValueMAC");
        byte[] actualMac = hmac(macAlgorithm, macKey.orElseThrow(() -> new PskcException(
                "Key " + id + " has a ValueMAC but the document has no MACMethod/MACKey")), cipherValue);
        if (!MessageDigest.isEqual(expectedMac, actualMac)) {
            throw new PskcException("Key " + id + ": ValueMAC does not match (wrong pre-shared key or altered data)");
        }
        return decrypt(encryptionAlgorithm(encrypted, "Key " + id), psk, cipherValue, "Key " + id);
    }

    private static Optional<byte[]> macKey(Element container, Optional<byte[]> preSharedKey) {
        Optional<Element> method = child(container, NS, "MACMethod");
        if (method.isEmpty()) {
            return Optional.empty();
        }
        String algorithm = method.get().getAttribute("Algorithm");
        if (!HMAC_SHA1.equals(algorithm) && !HMAC_SHA256.equals(algorithm)) {
            throw new PskcException("MAC algorithm " + algorithm + " is not supported (HMAC-SHA1, HMAC-SHA256)");
        }
        Element macKey = child(method.get(), NS, "MACKey")
                .orElseThrow(() -> new PskcException("MACMethod has no MACKey"));
        byte[] psk = preSharedKey.orElseThrow(() -> new PskcException(
                "the document is encrypted; the pre-shared key is required"));
        return Optional.of(decrypt(encryptionAlgorithm(macKey, "MACKey"), psk, cipherValue(macKey, "MACKey"), "MACKey"));
    }

    private static String encryptionAlgorithm(Element encrypted, String where) {
        return child(encrypted, XENC, "EncryptionMethod").map(e -> e.getAttribute("Algorithm"))
                .orElseThrow(() -> new PskcException(where + " has no EncryptionMethod"));
    }

    private static byte[] cipherValue(Element encrypted, String where) {
        return child(encrypted, XENC, "CipherData").flatMap(d -> child(d, XENC, "CipherValue"))
                .map(v -> base64(text(v), where + " CipherValue"))
                .orElseThrow(() -> new PskcException(where + " has no CipherData/CipherValue"));
    }

    /** XML Encryption block cipher: the first 16 bytes are the IV; PKCS#5 padding. */
    private static byte[] decrypt(String algorithm, byte[] key, byte[] ivAndCiphertext, String where) {
        int keyBytes = switch (algorithm) {
            case XENC + "aes128-cbc" -> 16;
            case XENC + "aes192-cbc" -> 24;
            case XENC + "aes256-cbc" -> 32;
            default -> throw new PskcException(where + ": encryption algorithm " + algorithm + " is not supported");
        };
        if (key.length != keyBytes) {
            throw new PskcException(where + ": the pre-shared key must be " + keyBytes + " bytes for " + algorithm);
        }
        if (ivAndCiphertext.length < 32 || ivAndCiphertext.length % 16 != 0) {
            throw new PskcException(where + ": CipherValue is not an IV followed by whole AES blocks");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                    new IvParameterSpec(ivAndCiphertext, 0, 16));
            return cipher.doFinal(ivAndCiphertext, 16, ivAndCiphertext.length - 16);
        } catch (GeneralSecurityException e) {
            throw new PskcException(where + " could not be decrypted (wrong pre-shared key?)");
        }
    }

    private static byte[] hmac(String algorithm, byte[] key, byte[] data) {
        String jca = HMAC_SHA256.equals(algorithm) ? "HmacSHA256" : "HmacSHA1";
        try {
            Mac mac = Mac.getInstance(jca);
            mac.init(new SecretKeySpec(key, jca));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new PskcException("the MAC could not be computed");
        }
    }

    private static Document read(byte[] document) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // OWASP XXE prevention: no DOCTYPE at all, hence no entities, internal or external.
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not allowed");
            });
            return builder.parse(new ByteArrayInputStream(document));
        } catch (SAXException e) {
            throw new PskcException("not well-formed XML, or it declares a DTD");
        } catch (ParserConfigurationException | IOException e) {
            throw new PskcException("the XML parser could not read it");
        }
    }

    private static Optional<String> plainValue(Element data, String name) {
        return child(data, NS, name).flatMap(e -> child(e, NS, "PlainValue")).map(PskcDocument::text);
    }

    private static Optional<Element> child(Element parent, String namespace, String localName) {
        List<Element> found = children(parent, namespace, localName);
        if (found.size() > 1) {
            throw new PskcException(parent.getLocalName() + " has more than one " + localName);
        }
        return found.stream().findFirst();
    }

    private static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> result = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && namespace.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                result.add(e);
            }
        }
        return result;
    }

    private static String text(Element e) {
        return e.getTextContent().strip();
    }

    private static byte[] base64(String value, String where) {
        try {
            return Base64.getMimeDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new PskcException(where + " is not valid base64");
        }
    }

    private static int integer(String value, String where) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new PskcException(where + " is not an integer");
        }
    }

    private static long counter(String value, String where) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new PskcException(where + " is not an integer");
        }
    }

    /** Wipes the secrets of {@code keys}. */
    public static void destroy(List<PskcKey> keys) {
        keys.forEach(PskcKey::destroy);
    }
}

package dev.gatekey.identity.domain.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The computations of AWS Signature Version 4 (AWS General Reference, "Create a signed AWS API
 * request"): the canonical request (task 1), the string to sign (task 2), the signing key and
 * the signature (tasks 3 and 4). Pure functions over the request as sent.
 */
public final class SignatureV4 {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final String TERMINATOR = "aws4_request";
    private static final HexFormat HEX = HexFormat.of();

    private SignatureV4() {
    }

    /**
     * Task 1: method, canonical URI, canonical query, canonical headers, signed headers, hashed
     * payload, one per line. In the presigned form {@code X-Amz-Signature} is left out of the
     * query (it cannot sign itself).
     */
    public static String canonicalRequest(SignedRequest request, List<String> signedHeaders, boolean presigned) {
        return request.method() + '\n'
                + canonicalUri(request.path()) + '\n'
                + canonicalQuery(request.rawQuery(), presigned) + '\n'
                + canonicalHeaders(request, signedHeaders) + '\n'
                + String.join(";", signedHeaders) + '\n'
                + hex(sha256(request.body()));
    }

    /** Task 2: the algorithm, the request date, the credential scope and the hashed canonical request. */
    public static String stringToSign(String amzDate, String credentialScope, String canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + credentialScope + '\n'
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Task 3: HMAC chain from {@code "AWS4" + secret} over date, region, service and
     * {@code aws4_request}. The intermediate key material is wiped.
     */
    public static byte[] signingKey(byte[] secretAccessKey, String date, String region, String service) {
        byte[] seed = new byte[4 + secretAccessKey.length];
        System.arraycopy("AWS4".getBytes(StandardCharsets.US_ASCII), 0, seed, 0, 4);
        System.arraycopy(secretAccessKey, 0, seed, 4, secretAccessKey.length);
        try {
            byte[] kDate = hmac(seed, date);
            byte[] kRegion = hmac(kDate, region);
            byte[] kService = hmac(kRegion, service);
            byte[] kSigning = hmac(kService, TERMINATOR);
            Arrays.fill(kDate, (byte) 0);
            Arrays.fill(kRegion, (byte) 0);
            Arrays.fill(kService, (byte) 0);
            return kSigning;
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** Task 4: hex HMAC-SHA256 of the string to sign under the signing key. */
    public static String signature(byte[] signingKey, String stringToSign) {
        return hex(hmac(signingKey, stringToSign));
    }

    /**
     * The path normalized per RFC 3986 section 5.2.4 (empty and {@code .} segments dropped,
     * {@code ..} removes its parent; AWS normalizes every service but S3) and each segment
     * URI-encoded. The path is encoded as it was sent, so an already percent-encoded path is
     * encoded a second time, as AWS requires for every service but S3.
     */
    static String canonicalUri(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(segment);
            }
        }
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder uri = new StringBuilder();
        for (String segment : segments) {
            uri.append('/').append(uriEncode(segment));
        }
        if (path.endsWith("/") || path.endsWith("/.") || path.endsWith("/..")) {
            uri.append('/');
        }
        return uri.toString();
    }

    /**
     * Parameters decoded, then each name and value URI-encoded and sorted by name, then value;
     * a parameter without {@code =} has an empty value.
     */
    static String canonicalQuery(String rawQuery, boolean presigned) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> parameters = new ArrayList<>();
        for (Map.Entry<String, String> p : QueryParameters.parse(rawQuery)) {
            if (presigned && p.getKey().equals("X-Amz-Signature")) {
                continue;
            }
            parameters.add(new String[] {uriEncode(p.getKey()), uriEncode(p.getValue())});
        }
        parameters.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder query = new StringBuilder();
        for (String[] p : parameters) {
            if (query.length() > 0) {
                query.append('&');
            }
            query.append(p[0]).append('=').append(p[1]);
        }
        return query.toString();
    }

    /**
     * One {@code name:value} line per signed header; repeated headers joined by commas in
     * arrival order, values trimmed and inner runs of white space collapsed to one space.
     */
    static String canonicalHeaders(SignedRequest request, List<String> signedHeaders) {
        StringBuilder headers = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = new ArrayList<>();
            for (String value : request.headerValues(name)) {
                values.add(value.strip().replaceAll("\\s+", " "));
            }
            headers.append(name).append(':').append(String.join(",", values)).append('\n');
        }
        return headers.toString();
    }

    /** RFC 3986 unreserved characters kept, every other UTF-8 byte as {@code %XX} (upper case). */
    static String uriEncode(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                encoded.append(c);
            } else {
                encoded.append('%').append(HEX.withUpperCase().toHexDigits(b));
            }
        }
        return encoded.toString();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.gatekey.identity.domain.sigv4;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AWS's published Signature Version 4 test suite (src/test/resources/aws-sigv4-testsuite, from
 * /work/shared/vectors): for every case, the signed request ({@code .sreq}) gives the canonical
 * request ({@code .creq}), the string to sign ({@code .sts}) and the signature of the
 * {@code .authz}, and the verifier accepts it with the suite's secret at the suite's time and
 * rejects it with another secret or a changed request.
 */
class SigV4TestSuiteTest {
    static final byte[] SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".getBytes(StandardCharsets.US_ASCII);
    static final Clock SUITE_TIME = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);

    static Stream<String> cases() throws IOException {
        return read("cases.txt").lines().filter(l -> !l.isBlank()).map(l -> l.replaceAll("\\.sreq$", ""));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void canonicalRequestStringToSignAndSignatureMatchTheSuite(String name) throws IOException {
        SignedRequest request = parseHttp(read(name + ".sreq"));
        SigV4Verifier verifier = new SigV4Verifier(SUITE_TIME);
        SigV4Authorization authorization = verifier.parse(request);
        assertEquals("AKIDEXAMPLE", authorization.accessKeyId());

        String canonical = SignatureV4.canonicalRequest(request, authorization.signedHeaders(), false);
        assertEquals(read(name + ".creq"), canonical);
        String stringToSign = SignatureV4.stringToSign(authorization.amzDate(), authorization.credentialScope(),
                canonical);
        assertEquals(read(name + ".sts"), stringToSign);
        String signature = SignatureV4.signature(
                SignatureV4.signingKey(SECRET, "20150830", "us-east-1", "service"), stringToSign);
        assertEquals(read(name + ".authz"), SignatureV4.ALGORITHM + " Credential=AKIDEXAMPLE/20150830/us-east-1/"
                + "service/aws4_request, SignedHeaders=" + String.join(";", authorization.signedHeaders())
                + ", Signature=" + signature);

        // The verifier checks the .authz signature: the suite's get-vanilla-with-session-token.sreq
        // carries a garbled Signature (a known erratum), while its .authz is the correct one.
        SignedRequest signed = withAuthorization(request, read(name + ".authz"));
        assertDoesNotThrow(() -> verifier.verify(signed, verifier.parse(signed), SECRET, "service"));
    }

    static SignedRequest withAuthorization(SignedRequest request, String authorization) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, String> h : request.headers()) {
            if (!h.getKey().equalsIgnoreCase("Authorization")) {
                headers.add(h);
            }
        }
        headers.add(new AbstractMap.SimpleEntry<>("Authorization", authorization));
        return new SignedRequest(request.method(), request.path(), request.rawQuery(), headers, request.body());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void anotherSecretOrAChangedRequestIsSignatureDoesNotMatch(String name) throws IOException {
        SignedRequest request = withAuthorization(parseHttp(read(name + ".sreq")), read(name + ".authz"));
        SigV4Verifier verifier = new SigV4Verifier(SUITE_TIME);
        SigV4Authorization authorization = verifier.parse(request);
        byte[] wrong = SECRET.clone();
        wrong[0] ^= 1;
        assertEquals("SignatureDoesNotMatch", assertThrows(SigV4Exception.class,
                () -> verifier.verify(request, authorization, wrong, "service")).code());

        SignedRequest otherBody = new SignedRequest(request.method(), request.path(), request.rawQuery(),
                request.headers(), "Action=DeleteUser".getBytes(StandardCharsets.UTF_8));
        assertEquals("SignatureDoesNotMatch", assertThrows(SigV4Exception.class,
                () -> verifier.verify(otherBody, authorization, SECRET, "service")).code());

        SignedRequest otherMethod = new SignedRequest(request.method().equals("GET") ? "POST" : "GET",
                request.path(), request.rawQuery(), request.headers(), request.body());
        assertEquals("SignatureDoesNotMatch", assertThrows(SigV4Exception.class,
                () -> verifier.verify(otherMethod, authorization, SECRET, "service")).code());
    }

    /** A raw HTTP/1.1 request of the suite: request line, headers (continuation lines folded), body. */
    static SignedRequest parseHttp(String text) {
        int blank = text.indexOf("\n\n");
        String head = blank < 0 ? text : text.substring(0, blank);
        byte[] body = blank < 0 ? new byte[0] : text.substring(blank + 2).getBytes(StandardCharsets.UTF_8);
        String[] lines = head.split("\n");
        String requestLine = lines[0];
        String method = requestLine.substring(0, requestLine.indexOf(' '));
        String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(" HTTP/"));
        int q = target.indexOf('?');
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if ((line.startsWith(" ") || line.startsWith("\t")) && !headers.isEmpty()) {
                Map.Entry<String, String> last = headers.remove(headers.size() - 1);
                headers.add(new AbstractMap.SimpleEntry<>(last.getKey(), last.getValue() + "\n" + line));
                continue;
            }
            int colon = line.indexOf(':');
            headers.add(new AbstractMap.SimpleEntry<>(line.substring(0, colon), line.substring(colon + 1)));
        }
        return new SignedRequest(method, q < 0 ? target : target.substring(0, q), q < 0 ? "" : target.substring(q + 1),
                headers, body);
    }

    static String read(String resource) throws IOException {
        try (InputStream in = SigV4TestSuiteTest.class.getResourceAsStream("/aws-sigv4-testsuite/" + resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        }
    }
}

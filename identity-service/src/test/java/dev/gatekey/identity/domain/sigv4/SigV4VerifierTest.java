package dev.gatekey.identity.domain.sigv4;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The verifier's rules around the signature: both forms, the credential scope, the clock, and
 * AWS's error codes for requests that are unsigned or malformed.
 */
class SigV4VerifierTest {
    static final byte[] SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".getBytes(StandardCharsets.US_ASCII);
    static final Instant NOW = Instant.parse("2026-11-28T04:30:00Z");
    static final String BODY = "Action=ListUsers&Version=2010-05-08";

    /** Signs like the AWS CLI: host, content-type and x-amz-date, any region, service iam. */
    static SignedRequest signed(Instant at, String region, String service, byte[] secret, String token) {
        String amzDate = amz(at);
        List<Map.Entry<String, String>> headers = new java.util.ArrayList<>(List.of(
                header("Host", "127.0.0.1:8081"),
                header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                header("X-Amz-Date", amzDate)));
        String signedHeaders = "content-type;host;x-amz-date";
        if (token != null) {
            headers.add(header("X-Amz-Security-Token", token));
            signedHeaders += ";x-amz-security-token";
        }
        SignedRequest unsigned = new SignedRequest("POST", "/", "", headers, BODY.getBytes(StandardCharsets.UTF_8));
        String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
        String sts = SignatureV4.stringToSign(amzDate, scope,
                SignatureV4.canonicalRequest(unsigned, List.of(signedHeaders.split(";")), false));
        String signature = SignatureV4.signature(
                SignatureV4.signingKey(secret, amzDate.substring(0, 8), region, service), sts);
        headers.add(header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/" + scope + ", SignedHeaders="
                + signedHeaders + ", Signature=" + signature));
        return new SignedRequest("POST", "/", "", headers, unsigned.body());
    }

    static SignedRequest presigned(Instant at, long expires, String token) {
        String amzDate = amz(at);
        String scope = amzDate.substring(0, 8) + "/eu-west-1/sts/aws4_request";
        String query = "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=" + URLEncoder.encode("ASIAEXAMPLE/" + scope, StandardCharsets.UTF_8)
                + "&X-Amz-Date=" + amzDate + "&X-Amz-Expires=" + expires
                + (token == null ? "" : "&X-Amz-Security-Token=" + URLEncoder.encode(token, StandardCharsets.UTF_8))
                + "&X-Amz-SignedHeaders=host";
        List<Map.Entry<String, String>> headers = List.of(header("Host", "gatekey.example"));
        SignedRequest unsigned = new SignedRequest("GET", "/", query, headers, new byte[0]);
        String sts = SignatureV4.stringToSign(amzDate, scope,
                SignatureV4.canonicalRequest(unsigned, List.of("host"), true));
        String signature = SignatureV4.signature(
                SignatureV4.signingKey(SECRET, amzDate.substring(0, 8), "eu-west-1", "sts"), sts);
        return new SignedRequest("GET", "/", query + "&X-Amz-Signature=" + signature, headers, new byte[0]);
    }

    static Map.Entry<String, String> header(String name, String value) {
        return new AbstractMap.SimpleImmutableEntry<>(name, value);
    }

    static String amz(Instant at) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(at.atOffset(ZoneOffset.UTC));
    }

    static SigV4Verifier verifierAt(Instant now) {
        return new SigV4Verifier(Clock.fixed(now, ZoneOffset.UTC));
    }

    static String code(Runnable r) {
        return assertThrows(SigV4Exception.class, r::run).code();
    }

    @Test
    void anyRegionInTheScopeIsAccepted() {
        for (String region : List.of("us-east-1", "eu-central-1", "ap-southeast-2")) {
            SignedRequest request = signed(NOW, region, "iam", SECRET, null);
            SigV4Verifier verifier = verifierAt(NOW);
            SigV4Authorization a = verifier.parse(request);
            assertEquals(region, a.region());
            assertDoesNotThrow(() -> verifier.verify(request, a, SECRET, "iam"));
        }
    }

    @Test
    void theScopeMustNameTheServiceOfTheAction() {
        SignedRequest request = signed(NOW, "us-east-1", "sts", SECRET, null);
        SigV4Verifier verifier = verifierAt(NOW);
        SigV4Exception e = assertThrows(SigV4Exception.class,
                () -> verifier.verify(request, verifier.parse(request), SECRET, "iam"));
        assertEquals("SignatureDoesNotMatch", e.code());
        assertTrue(e.getMessage().contains("Credential should be scoped to correct service: 'iam'"));
    }

    @Test
    void fiveMinutesOfClockSkewEitherWayAreAccepted() {
        for (Duration skew : List.of(Duration.ofMinutes(-5), Duration.ofMinutes(5), Duration.ZERO)) {
            SignedRequest request = signed(NOW.plus(skew), "us-east-1", "iam", SECRET, null);
            SigV4Verifier verifier = verifierAt(NOW);
            assertDoesNotThrow(() -> verifier.verify(request, verifier.parse(request), SECRET, "iam"));
        }
    }

    @Test
    void beyondFiveMinutesTheSignatureHasExpiredAndBeyondFifteenTheRequest() {
        SigV4Verifier verifier = verifierAt(NOW);
        SignedRequest old = signed(NOW.minusSeconds(301), "us-east-1", "iam", SECRET, null);
        SigV4Exception expired = assertThrows(SigV4Exception.class,
                () -> verifier.verify(old, verifier.parse(old), SECRET, "iam"));
        assertEquals("SignatureDoesNotMatch", expired.code());
        assertTrue(expired.getMessage().startsWith("Signature expired: "), expired.getMessage());

        SignedRequest future = signed(NOW.plusSeconds(301), "us-east-1", "iam", SECRET, null);
        SigV4Exception notYet = assertThrows(SigV4Exception.class,
                () -> verifier.verify(future, verifier.parse(future), SECRET, "iam"));
        assertTrue(notYet.getMessage().startsWith("Signature not yet current: "), notYet.getMessage());

        SignedRequest ancient = signed(NOW.minus(Duration.ofMinutes(16)), "us-east-1", "iam", SECRET, null);
        assertEquals("RequestExpired", code(() -> verifier.verify(ancient, verifier.parse(ancient), SECRET, "iam")));
    }

    @Test
    void theSecurityTokenHeaderIsReadAndSigned() {
        SignedRequest request = signed(NOW, "us-east-1", "iam", SECRET, "session-token-value");
        SigV4Verifier verifier = verifierAt(NOW);
        SigV4Authorization a = verifier.parse(request);
        assertEquals(Optional.of("session-token-value"), a.securityToken());
        assertDoesNotThrow(() -> verifier.verify(request, a, SECRET, "iam"));

        // the token is part of the signature: another token does not verify
        List<Map.Entry<String, String>> headers = new java.util.ArrayList<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.add(h.getKey().equals("X-Amz-Security-Token") ? header(h.getKey(), "other") : h);
        }
        SignedRequest swapped = new SignedRequest("POST", "/", "", headers, request.body());
        assertEquals("SignatureDoesNotMatch",
                code(() -> verifier.verify(swapped, verifier.parse(swapped), SECRET, "iam")));
    }

    @Test
    void presignedQueryFormIsVerifiedUntilItExpires() {
        SignedRequest request = presigned(NOW, 900, "tok+en/=");
        SigV4Verifier fresh = verifierAt(NOW.plusSeconds(899));
        SigV4Authorization a = fresh.parse(request);
        assertTrue(a.presigned());
        assertEquals("ASIAEXAMPLE", a.accessKeyId());
        assertEquals(Optional.of("tok+en/="), a.securityToken());
        assertDoesNotThrow(() -> fresh.verify(request, a, SECRET, "sts"));

        SigV4Verifier late = verifierAt(NOW.plusSeconds(901));
        assertEquals("RequestExpired", code(() -> late.verify(request, late.parse(request), SECRET, "sts")));

        SignedRequest tampered = new SignedRequest("GET", "/", request.rawQuery().replace("GetCallerIdentity",
                "GetSessionToken"), request.headers(), new byte[0]);
        assertEquals("SignatureDoesNotMatch",
                code(() -> fresh.verify(tampered, fresh.parse(tampered), SECRET, "sts")));
    }

    @Test
    void anUnsignedRequestIsMissingAuthenticationToken() {
        SignedRequest request = new SignedRequest("POST", "/", "", List.of(header("Host", "h")),
                BODY.getBytes(StandardCharsets.UTF_8));
        assertEquals("MissingAuthenticationToken", code(() -> verifierAt(NOW).parse(request)));
    }

    @Test
    void malformedSignaturesAreIncompleteSignature() {
        for (String authorization : List.of(
                "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261128/us-east-1/iam/aws4_request, SignedHeaders=host",
                "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=" + "0".repeat(64),
                "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261128/iam/aws4_request, SignedHeaders=host, Signature="
                        + "0".repeat(64),
                "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261128/us-east-1/iam/aws4_request, SignedHeaders=host,"
                        + " Signature=xyz",
                "AWS AKIAEXAMPLE:c2lnbmF0dXJl")) {
            SignedRequest request = new SignedRequest("POST", "/", "",
                    List.of(header("Host", "h"), header("X-Amz-Date", amz(NOW)), header("Authorization", authorization)),
                    new byte[0]);
            assertEquals("IncompleteSignature", code(() -> verifierAt(NOW).parse(request)), authorization);
        }
        SignedRequest noDate = new SignedRequest("POST", "/", "", List.of(header("Host", "h"), header("Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20261128/us-east-1/iam/aws4_request, SignedHeaders=host,"
                        + " Signature=" + "0".repeat(64))), new byte[0]);
        assertEquals("IncompleteSignature", code(() -> verifierAt(NOW).parse(noDate)));
    }

    @Test
    void aScopeDateOtherThanTheRequestDateDoesNotMatch() {
        SignedRequest request = signed(NOW, "us-east-1", "iam", SECRET, null);
        SigV4Verifier verifier = verifierAt(NOW);
        SigV4Authorization a = verifier.parse(request);
        SigV4Authorization otherDay = new SigV4Authorization(a.accessKeyId(), "20261127", a.region(), a.service(),
                a.signedHeaders(), a.signature(), a.amzDate(), a.requestTime(), a.securityToken(), a.expiresSeconds());
        assertEquals("SignatureDoesNotMatch", code(() -> verifier.verify(request, otherDay, SECRET, "iam")));
    }
}

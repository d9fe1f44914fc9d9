package dev.gatekey.identity.domain.sigv4;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Verifies AWS Signature Version 4 in both forms, the {@code Authorization} header and the
 * presigned query ({@code X-Amz-Algorithm}, {@code X-Amz-Credential}, ...). Stateless: the
 * caller looks the secret up by {@link SigV4Authorization#accessKeyId()} between
 * {@link #parse} and {@link #verify}.
 *
 * <p>Time: a header-signed request must be within 5 minutes of the server's clock
 * ({@code SignatureDoesNotMatch} "Signature expired" / "not yet current", the wording the AWS
 * CLI recognizes to correct its clock skew); more than 15 minutes off is {@code RequestExpired}
 * (AWS General Reference, common errors). A presigned request is valid from its date (5
 * minutes of skew allowed) for {@code X-Amz-Expires} seconds (at most 7 days).
 */
public final class SigV4Verifier {
    static final Duration SKEW = Duration.ofMinutes(5);
    static final Duration EXPIRED = Duration.ofMinutes(15);
    static final long MAX_EXPIRES_SECONDS = 604_800;
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
    private static final Pattern SCOPE_DATE = Pattern.compile("\\d{8}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");
    private static final Pattern SIGNATURE = Pattern.compile("[0-9a-f]{64}");

    private final Clock clock;

    public SigV4Verifier(Clock clock) {
        this.clock = clock;
    }

    /**
     * The signature the request claims.
     *
     * @throws SigV4Exception {@code MissingAuthenticationToken} for an unsigned request,
     *         {@code IncompleteSignature} for a malformed one
     */
    public SigV4Authorization parse(SignedRequest request) {
        Optional<String> header = request.header("Authorization");
        Map<String, String> query = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : QueryParameters.parse(request.rawQuery())) {
            query.putIfAbsent(p.getKey(), p.getValue());
        }
        if (header.isPresent()) {
            return parseHeader(header.get().strip(), request);
        }
        if (query.containsKey("X-Amz-Algorithm") || query.containsKey("X-Amz-Credential")
                || query.containsKey("X-Amz-Signature")) {
            return parsePresigned(query, request);
        }
        throw SigV4Exception.missingAuthenticationToken();
    }

    /**
     * Checks the request's time, its scope against {@code expectedService}, and its signature
     * under {@code secretAccessKey} (compared in constant time).
     *
     * @throws SigV4Exception {@code SignatureDoesNotMatch} or {@code RequestExpired}
     */
    public void verify(SignedRequest request, SigV4Authorization authorization, byte[] secretAccessKey,
            String expectedService) {
        checkScope(authorization, expectedService);
        checkTime(authorization);
        String canonical = SignatureV4.canonicalRequest(request, authorization.signedHeaders(), authorization.presigned());
        String stringToSign = SignatureV4.stringToSign(authorization.amzDate(), authorization.credentialScope(), canonical);
        byte[] key = SignatureV4.signingKey(secretAccessKey, authorization.scopeDate(), authorization.region(),
                authorization.service());
        String expected;
        try {
            expected = SignatureV4.signature(key, stringToSign);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                authorization.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw SigV4Exception.signatureDoesNotMatch("The request signature we calculated does not match the"
                    + " signature you provided. Check your AWS Secret Access Key and signing method. Consult the"
                    + " service documentation for details.");
        }
    }

    private SigV4Authorization parseHeader(String header, SignedRequest request) {
        int space = header.indexOf(' ');
        String algorithm = space < 0 ? header : header.substring(0, space);
        if (!algorithm.equals(SignatureV4.ALGORITHM)) {
            throw SigV4Exception.incompleteSignature("Unsupported AWS 'algorithm': '" + algorithm
                    + "'. Only AWS4-HMAC-SHA256 is supported.");
        }
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : header.substring(space + 1).split(",")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            if (eq > 0) {
                parts.putIfAbsent(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
            }
        }
        StringBuilder missing = new StringBuilder();
        for (String required : List.of("Credential", "Signature", "SignedHeaders")) {
            if (!parts.containsKey(required)) {
                missing.append("Authorization header requires '").append(required).append("' parameter. ");
            }
        }
        Optional<String> amzDate = request.header("X-Amz-Date");
        Optional<String> date = request.header("Date");
        if (amzDate.isEmpty() && date.isEmpty()) {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }
        if (missing.length() > 0) {
            throw SigV4Exception.incompleteSignature(missing.append("Authorization=").append(SignatureV4.ALGORITHM)
                    .toString());
        }
        Instant time = amzDate.map(SigV4Verifier::parseAmzDate).orElseGet(() -> parseHttpDate(date.get()));
        String amz = amzDate.orElseGet(() -> AMZ_DATE.format(time.atOffset(ZoneOffset.UTC)));
        return authorization(parts.get("Credential"), parts.get("SignedHeaders"), parts.get("Signature"), amz, time,
                request.header("X-Amz-Security-Token"), Optional.empty());
    }

    private SigV4Authorization parsePresigned(Map<String, String> query, SignedRequest request) {
        StringBuilder missing = new StringBuilder();
        for (String required : List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature",
                "X-Amz-SignedHeaders", "X-Amz-Date", "X-Amz-Expires")) {
            if (!query.containsKey(required)) {
                missing.append("AWS query-string parameters must include '").append(required).append("'. ");
            }
        }
        if (missing.length() > 0) {
            throw SigV4Exception.incompleteSignature(missing.append("Re-examine the query-string parameters.")
                    .toString());
        }
        if (!query.get("X-Amz-Algorithm").equals(SignatureV4.ALGORITHM)) {
            throw SigV4Exception.incompleteSignature("Unsupported AWS 'algorithm': '" + query.get("X-Amz-Algorithm")
                    + "'. Only AWS4-HMAC-SHA256 is supported.");
        }
        long expires;
        try {
            expires = Long.parseLong(query.get("X-Amz-Expires"));
        } catch (NumberFormatException e) {
            expires = -1;
        }
        if (expires < 1 || expires > MAX_EXPIRES_SECONDS) {
            throw SigV4Exception.incompleteSignature("X-Amz-Expires must be a number of seconds from 1 to "
                    + MAX_EXPIRES_SECONDS + ".");
        }
        String amz = query.get("X-Amz-Date");
        Optional<String> token = Optional.ofNullable(query.get("X-Amz-Security-Token"))
                .or(() -> request.header("X-Amz-Security-Token"));
        return authorization(query.get("X-Amz-Credential"), query.get("X-Amz-SignedHeaders"),
                query.get("X-Amz-Signature"), amz, parseAmzDate(amz), token, Optional.of(expires));
    }

    private static SigV4Authorization authorization(String credential, String signedHeaders, String signature,
            String amzDate, Instant time, Optional<String> token, Optional<Long> expires) {
        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || scope[0].isEmpty()) {
            throw SigV4Exception.incompleteSignature("Credential must have exactly 5 slash-delimited elements,"
                    + " e.g. keyid/date/region/service/term, got '" + redactKeyId(credential) + "'");
        }
        if (!scope[4].equals(SignatureV4.TERMINATOR)) {
            throw SigV4Exception.signatureDoesNotMatch("Credential should be scoped with a valid terminator:"
                    + " 'aws4_request', not '" + scope[4] + "'.");
        }
        if (!SIGNATURE.matcher(signature).matches()) {
            throw SigV4Exception.incompleteSignature("Signature must be 64 lower-case hexadecimal characters.");
        }
        List<String> headers = List.of(signedHeaders.split(";"));
        for (String h : headers) {
            if (h.isEmpty() || !h.equals(h.toLowerCase(Locale.ROOT))) {
                throw SigV4Exception.incompleteSignature("SignedHeaders must be lower-case header names"
                        + " separated by ';'.");
            }
        }
        if (!headers.contains("host")) {
            throw SigV4Exception.signatureDoesNotMatch("'Host' or ':authority' must be a 'SignedHeader' in the"
                    + " AWS Authorization.");
        }
        return new SigV4Authorization(scope[0], scope[1], scope[2], scope[3], headers, signature, amzDate, time,
                token.filter(t -> !t.isEmpty()), expires);
    }

    private void checkScope(SigV4Authorization a, String expectedService) {
        if (!SCOPE_DATE.matcher(a.scopeDate()).matches() || !a.amzDate().startsWith(a.scopeDate())) {
            throw SigV4Exception.signatureDoesNotMatch("Date in Credential scope does not match YYYYMMDD from"
                    + " ISO-8601 version of date from HTTP: '" + a.scopeDate() + "' != '"
                    + a.amzDate().substring(0, Math.min(8, a.amzDate().length())) + "', from '" + a.amzDate() + "'.");
        }
        if (!REGION.matcher(a.region()).matches()) {
            throw SigV4Exception.signatureDoesNotMatch("Credential should be scoped to a valid region.");
        }
        if (!a.service().equals(expectedService)) {
            throw SigV4Exception.signatureDoesNotMatch("Credential should be scoped to correct service: '"
                    + expectedService + "'. ");
        }
    }

    private void checkTime(SigV4Authorization a) {
        Instant now = clock.instant();
        String nowText = AMZ_DATE.format(now.atOffset(ZoneOffset.UTC));
        if (a.presigned()) {
            if (a.requestTime().isAfter(now.plus(SKEW))) {
                throw notYetCurrent(a, now, nowText);
            }
            if (now.isAfter(a.requestTime().plusSeconds(a.expiresSeconds().orElseThrow()))) {
                throw SigV4Exception.requestExpired("Request has expired.");
            }
            return;
        }
        Duration skew = Duration.between(a.requestTime(), now);
        if (skew.abs().compareTo(EXPIRED) > 0) {
            throw SigV4Exception.requestExpired("Request has expired.");
        }
        if (skew.compareTo(SKEW) > 0) {
            throw SigV4Exception.signatureDoesNotMatch("Signature expired: " + a.amzDate() + " is now earlier than "
                    + AMZ_DATE.format(now.minus(SKEW).atOffset(ZoneOffset.UTC)) + " (" + nowText + " - 5 min.)");
        }
        if (skew.negated().compareTo(SKEW) > 0) {
            throw notYetCurrent(a, now, nowText);
        }
    }

    private static SigV4Exception notYetCurrent(SigV4Authorization a, Instant now, String nowText) {
        return SigV4Exception.signatureDoesNotMatch("Signature not yet current: " + a.amzDate()
                + " is still later than " + AMZ_DATE.format(now.plus(SKEW).atOffset(ZoneOffset.UTC)) + " ("
                + nowText + " + 5 min.)");
    }

    static Instant parseAmzDate(String value) {
        try {
            return LocalDateTime.parse(value, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw SigV4Exception.incompleteSignature("Date must be in ISO-8601 'basic format'. Got '" + value
                    + "'. See http://en.wikipedia.org/wiki/ISO_8601");
        }
    }

    private static Instant parseHttpDate(String value) {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw SigV4Exception.incompleteSignature("Date must be an RFC 1123 date or X-Amz-Date must be given.");
        }
    }

    private static String redactKeyId(String credential) {
        return credential.length() > 64 ? credential.substring(0, 64) + "..." : credential;
    }
}

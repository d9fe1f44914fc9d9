package dev.gatekey.identity.domain.sigv4;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a request claims about its signature, parsed from the {@code Authorization} header or
 * from the presigned query ({@code X-Amz-Credential}, ...) and not yet verified.
 *
 * @param accessKeyId   the access key id of the credential scope
 * @param scopeDate     the scope's date, {@code YYYYMMDD}
 * @param region        the scope's region (any region is accepted: the CLI signs IAM with its
 *                      configured region)
 * @param service       the scope's service ({@code iam}, {@code sts})
 * @param signedHeaders the lower-case header names, in the order given
 * @param signature     the hex signature to check
 * @param amzDate       the request date as sent ({@code YYYYMMDD'T'HHMMSS'Z'})
 * @param requestTime   {@code amzDate} as an instant
 * @param securityToken {@code X-Amz-Security-Token}, present for session credentials
 * @param expiresSeconds a presigned request's {@code X-Amz-Expires}; empty for the header form
 */
public record SigV4Authorization(String accessKeyId, String scopeDate, String region, String service,
        List<String> signedHeaders, String signature, String amzDate, Instant requestTime,
        Optional<String> securityToken, Optional<Long> expiresSeconds) {

    public boolean presigned() {
        return expiresSeconds.isPresent();
    }

    /** {@code <date>/<region>/<service>/aws4_request}. */
    public String credentialScope() {
        return scopeDate + "/" + region + "/" + service + "/" + SignatureV4.TERMINATOR;
    }

    @Override
    public String toString() {
        return "SigV4Authorization[accessKeyId=" + accessKeyId + ", scope=" + credentialScope() + "]";
    }
}

package dev.gatekey.mfa.domain;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The Key URI an authenticator app imports (Google Authenticator "Key Uri Format"):
 * {@code otpauth://totp/<deviceName>@<accountName>?secret=<BASE32>&issuer=<issuer>}. The label
 * is AWS's ({@code name@account}, no {@code issuer:} prefix); the issuer parameter is added so
 * apps show whose account it is. Default algorithm, digits and period are not spelled out.
 */
public final class OtpAuthUri {
    private OtpAuthUri() {
    }

    public static String totp(String deviceName, String accountName, String base32Secret, String issuer) {
        return "otpauth://totp/" + encode(deviceName) + "@" + encode(accountName)
                + "?secret=" + base32Secret + "&issuer=" + encode(issuer);
    }

    /** Percent-encoding as RFC 3986 wants it: URLEncoder's form encoding, but space as %20. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package dev.gatekey.mfa.domain;

import dev.gatekey.platform.error.GatekeyException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * AWS's {@code Marker}/{@code MaxItems} paging. A marker is opaque to callers: the base64url
 * of the key the next page starts after.
 */
public final class Paging {
    /** AWS: MaxItems defaults to 100. */
    public static final int DEFAULT_MAX_ITEMS = 100;
    public static final int MAX_MAX_ITEMS = 1000;

    private Paging() {
    }

    /** MaxItems: 0 (absent) means {@link #DEFAULT_MAX_ITEMS}, else 1–1000. */
    public static int maxItems(int requested) {
        if (requested == 0) {
            return DEFAULT_MAX_ITEMS;
        }
        if (requested < 1 || requested > MAX_MAX_ITEMS) {
            throw GatekeyException.invalidInput("1 validation error detected: Value '" + requested
                    + "' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to "
                    + MAX_MAX_ITEMS + " and greater than or equal to 1");
        }
        return requested;
    }

    public static String marker(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key a marker stands for; empty for the first page. */
    public static Optional<String> key(String marker) {
        if (marker == null || marker.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw GatekeyException.invalidInput("Invalid Marker.");
        }
    }

    /** A marker for a position in a short, stable list (a user's devices, a device's tags). */
    public static int offset(String marker) {
        Optional<String> key = key(marker);
        if (key.isEmpty()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(key.get());
            if (offset < 0) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (NumberFormatException e) {
            throw GatekeyException.invalidInput("Invalid Marker.");
        }
    }
}

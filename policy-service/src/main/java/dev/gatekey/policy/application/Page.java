package dev.gatekey.policy.application;

import dev.gatekey.platform.error.GatekeyException;
import java.util.List;

/**
 * One page of a list, AWS style: {@code MaxItems} (1–1000, 100 by default) and an opaque
 * {@code Marker} (here the offset of the next item, which the caller passes back unchanged).
 */
public record Page<T>(List<T> items, boolean truncated, String marker) {
    static final int DEFAULT_MAX_ITEMS = 100;
    static final int MAX_MAX_ITEMS = 1000;

    public static <T> Page<T> of(List<T> all, String marker, int maxItems) {
        int size = maxItems == 0 ? DEFAULT_MAX_ITEMS : maxItems;
        if (size < 1 || size > MAX_MAX_ITEMS) {
            throw GatekeyException.invalidInput("1 validation error detected: Value '" + maxItems
                    + "' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to "
                    + MAX_MAX_ITEMS + " and greater than or equal to 1");
        }
        int from = 0;
        if (marker != null && !marker.isEmpty()) {
            try {
                from = Integer.parseInt(marker);
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0 || from > all.size()) {
                throw GatekeyException.invalidInput("Invalid Marker.");
            }
        }
        int to = Math.min(all.size(), from + size);
        boolean truncated = to < all.size();
        return new Page<>(List.copyOf(all.subList(from, to)), truncated, truncated ? Integer.toString(to) : "");
    }
}

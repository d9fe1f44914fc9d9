package dev.gatekey.identity.query;

import dev.gatekey.platform.iam.IamNames;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * One page of a list action (AWS's {@code Marker} / {@code MaxItems} / {@code IsTruncated}):
 * the marker is opaque to callers and names the offset of the next item.
 */
public record Page<T>(List<T> items, boolean truncated, Optional<String> marker) {
    /** AWS's default and maximum MaxItems. */
    public static final int DEFAULT_MAX_ITEMS = 100;
    public static final int MAX_ITEMS = 1000;

    /** The page of {@code all} the request's {@code Marker} and {@code MaxItems} select. */
    public static <T> Page<T> of(List<T> all, QueryRequest request) {
        int maxItems = request.integer("MaxItems").map(Page::requireMaxItems).orElse(DEFAULT_MAX_ITEMS);
        int from = request.string("Marker").map(Page::offset).orElse(0);
        int to = Math.min(all.size(), from + maxItems);
        List<T> items = from >= all.size() ? List.of() : all.subList(from, to);
        boolean truncated = to < all.size();
        return new Page<>(items, truncated, truncated ? Optional.of(marker(to)) : Optional.empty());
    }

    /**
     * The request's MaxItems for a peer service that pages itself (and has its own markers):
     * 0, the peer's default, when absent; AWS's ValidationError when out of range.
     */
    public static int maxItems(QueryRequest request) {
        return request.integer("MaxItems").map(Page::requireMaxItems).orElse(0);
    }

    private static int requireMaxItems(int maxItems) {
        if (maxItems < 1 || maxItems > MAX_ITEMS) {
            throw IamNames.validationError("maxItems", Integer.toString(maxItems),
                    "Member must have value less than or equal to 1000 and greater than or equal to 1");
        }
        return maxItems;
    }

    static String marker(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("o:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    static int offset(String marker) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
            if (decoded.startsWith("o:")) {
                int offset = Integer.parseInt(decoded.substring(2));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw IamNames.validationError("marker", marker, "Member must be a marker returned by a previous call");
    }
}

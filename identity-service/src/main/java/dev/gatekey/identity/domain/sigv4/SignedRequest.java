package dev.gatekey.identity.domain.sigv4;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request as it arrived, before anything is trusted: the method, the path and query
 * exactly as sent (still percent-encoded), every header in arrival order (duplicates kept) and
 * the body bytes. Signature Version 4 signs these, so nothing may be decoded or re-ordered
 * before the signature is checked.
 *
 * @param path     the request path as sent, without the query
 * @param rawQuery the query string as sent, without {@code ?}; empty when there is none
 */
public record SignedRequest(String method, String path, String rawQuery, List<Map.Entry<String, String>> headers,
        byte[] body) {

    public SignedRequest {
        headers = Collections.unmodifiableList(new ArrayList<>(headers));
        rawQuery = rawQuery == null ? "" : rawQuery;
        body = body == null ? new byte[0] : body;
    }

    /** Every value of the header, ignoring the name's case, in arrival order. */
    public List<String> headerValues(String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                values.add(h.getValue());
            }
        }
        return values;
    }

    /** The first value of the header, ignoring the name's case. */
    public Optional<String> header(String name) {
        List<String> values = headerValues(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public String toString() {
        return "SignedRequest[" + method + " " + path + "]";
    }
}

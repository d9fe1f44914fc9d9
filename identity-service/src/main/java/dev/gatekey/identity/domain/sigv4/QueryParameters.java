package dev.gatekey.identity.domain.sigv4;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a query string or an {@code application/x-www-form-urlencoded} body into decoded
 * name/value pairs, in order, duplicates kept.
 */
public final class QueryParameters {
    private QueryParameters() {
    }

    /** Percent-escapes decoded as UTF-8; {@code +} is kept as it is (SigV4 signs the query so). */
    public static List<Map.Entry<String, String>> parse(String raw) {
        return parse(raw, false);
    }

    /** A form body: as {@link #parse(String)}, but {@code +} means a space (HTML forms). */
    public static List<Map.Entry<String, String>> parseForm(String raw) {
        return parse(raw, true);
    }

    private static List<Map.Entry<String, String>> parse(String raw, boolean plusIsSpace) {
        List<Map.Entry<String, String>> parameters = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            parameters.add(new AbstractMap.SimpleImmutableEntry<>(decode(name, plusIsSpace), decode(value, plusIsSpace)));
        }
        return parameters;
    }

    static String decode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
                out.write(Character.digit(bytes[i + 1], 16) * 16 + Character.digit(bytes[i + 2], 16));
                i += 2;
            } else if (b == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}

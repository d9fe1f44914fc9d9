package dev.gatekey.mfa.domain;

import dev.gatekey.platform.error.GatekeyException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** AWS IAM tag rules: at most 50, keys 1–128 and values 0–256 of letters, digits, spaces and {@code _.:/=+-@}, keys unique. */
public final class Tags {
    public static final int MAX_TAGS = 50;
    private static final Pattern KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final Pattern VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");

    private Tags() {
    }

    /** Checks the tags and returns them keyed in the given order. */
    public static Map<String, String> require(Iterable<Map.Entry<String, String>> tags) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, String> tag : tags) {
            if (!KEY.matcher(tag.getKey()).matches()) {
                throw GatekeyException.invalidInput("1 validation error detected: Value at 'tags.member.key' "
                        + "failed to satisfy constraint: Member must have length between 1 and 128 and match "
                        + "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
            }
            if (!VALUE.matcher(tag.getValue()).matches()) {
                throw GatekeyException.invalidInput("1 validation error detected: Value at 'tags.member.value' "
                        + "failed to satisfy constraint: Member must have length between 0 and 256 and match "
                        + "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
            }
            if (result.put(tag.getKey(), tag.getValue()) != null) {
                throw GatekeyException.invalidInput("Duplicate tag keys found. Please note that Tag keys are case sensitive.");
            }
            if (result.size() > MAX_TAGS) {
                throw GatekeyException.invalidInput("1 validation error detected: Value at 'tags' failed to satisfy "
                        + "constraint: Member must have length less than or equal to 50");
            }
        }
        return Collections.unmodifiableMap(result);
    }
}

package dev.gatekey.policy.domain;

/**
 * Matches ARNs the way IAM does: each of the first five colon-delimited components
 * (arn, partition, service, region, account) is matched separately, so wildcards never cross a
 * {@code :} there; the sixth component, the resource, is matched as a whole and may contain
 * colons. A pattern or value that is not a six-component ARN (for example {@code *}) is matched
 * as one string. Matching is case-sensitive.
 */
public final class ArnMatcher {
    private static final int COMPONENTS = 6;

    private ArnMatcher() {
    }

    public static boolean matches(Wildcard pattern, String arn) {
        if (pattern.matchesEverything()) {
            return true;
        }
        int[] p = componentBounds(pattern.text());
        int[] v = componentBounds(arn);
        if (p == null || v == null) {
            // An incomplete ARN pattern cannot match a full ARN: its wildcards would cross a ':'.
            if (p == null && v != null && pattern.text().indexOf(':') >= 0) {
                return false;
            }
            return pattern.matches(arn, false);
        }
        for (int c = 0; c < COMPONENTS; c++) {
            Wildcard part = pattern.slice(p[c * 2], p[c * 2 + 1]);
            if (!part.matches(arn.substring(v[c * 2], v[c * 2 + 1]), false)) {
                return false;
            }
        }
        return true;
    }

    /** Start/end offsets of the six components, or null when there are fewer than five colons. */
    private static int[] componentBounds(String s) {
        int[] bounds = new int[COMPONENTS * 2];
        int start = 0;
        for (int c = 0; c < COMPONENTS - 1; c++) {
            int colon = s.indexOf(':', start);
            if (colon < 0) {
                return null;
            }
            bounds[c * 2] = start;
            bounds[c * 2 + 1] = colon;
            start = colon + 1;
        }
        bounds[(COMPONENTS - 1) * 2] = start;
        bounds[(COMPONENTS - 1) * 2 + 1] = s.length();
        return bounds;
    }

    /** The account component of an ARN, or empty when {@code arn} is not an ARN. */
    public static String accountOf(String arn) {
        int[] b = componentBounds(arn);
        return b == null ? "" : arn.substring(b[8], b[9]);
    }
}

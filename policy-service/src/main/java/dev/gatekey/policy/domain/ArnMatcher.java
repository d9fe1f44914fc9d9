package dev.gatekey.policy.domain;

/**
 * Matches ARNs the way IAM does: each of the first five colon-delimited components
 * (arn, partition, service, region, account) is matched separately, so wildcards do not cross a
 * {@code :} there; the sixth component, the resource, is matched as a whole and may contain
 * colons. A pattern or value that is not a six-component ARN (for example {@code *}) is matched
 * as one string. Matching is case-sensitive.
 * <p>
 * In the Resource element one exception applies ("IAM JSON policy elements: Resource", Using
 * wildcards in resource ARNs): "If the * wildcard is the last character of a resource ARN
 * segment, it can expand to match beyond the colon boundaries." The Arn condition operators
 * check "each of the six colon-delimited components of the ARN separately".
 */
public final class ArnMatcher {
    private static final int COMPONENTS = 6;

    private ArnMatcher() {
    }

    /** The Arn condition operators: every component on its own. */
    public static boolean matches(Wildcard pattern, String arn) {
        return matches(pattern, arn, false);
    }

    /** The Resource element: a component ending in {@code *} may also take the next components. */
    public static boolean matchesResource(Wildcard pattern, String arn) {
        return matches(pattern, arn, true);
    }

    private static boolean matches(Wildcard pattern, String arn, boolean starCrossesColons) {
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
        // Only a value with a ':' in its resource component can be matched differently by an expanding '*'.
        if (!starCrossesColons || arn.indexOf(':', v[10]) < 0) {
            for (int c = 0; c < COMPONENTS; c++) {
                Wildcard part = pattern.slice(p[c * 2], p[c * 2 + 1]);
                if (!part.matches(arn.substring(v[c * 2], v[c * 2 + 1]), false)) {
                    return false;
                }
            }
            return true;
        }
        return expanding(pattern, p[10], arn);
    }

    /**
     * The Resource match of a value with colons in its resource component: a glob match of the
     * whole ARN in which the wildcards of the first five components do not match {@code :}, except
     * a {@code *} that ends its component. Dynamic programming over pattern × value, so the cost is
     * bounded by their lengths whatever the wildcards.
     *
     * @param resourceStart where the pattern's sixth component starts (its wildcards match anything)
     */
    private static boolean expanding(Wildcard pattern, int resourceStart, String arn) {
        String t = pattern.text();
        int m = t.length();
        boolean[] crosses = new boolean[m];
        for (int j = 0; j < m; j++) {
            crosses[j] = j >= resourceStart
                    || (pattern.isWildcard(j) && t.charAt(j) == '*' && j + 1 < m && t.charAt(j + 1) == ':'
                            && !pattern.isWildcard(j + 1));
        }
        // row[j]: the first j pattern characters match the value's first i characters.
        boolean[] row = new boolean[m + 1];
        row[0] = true;
        for (int j = 1; j <= m; j++) {
            row[j] = row[j - 1] && pattern.isWildcard(j - 1) && t.charAt(j - 1) == '*';
        }
        for (int i = 1; i <= arn.length(); i++) {
            char ch = arn.charAt(i - 1);
            boolean diagonal = row[0];
            row[0] = false;
            for (int j = 1; j <= m; j++) {
                boolean above = row[j];
                char pc = t.charAt(j - 1);
                boolean wild = pattern.isWildcard(j - 1);
                boolean allowed = ch != ':' || !wild || crosses[j - 1];
                boolean match;
                if (wild && pc == '*') {
                    match = row[j - 1] || (above && allowed);
                } else if (wild) {
                    match = diagonal && allowed;
                } else {
                    match = diagonal && pc == ch;
                }
                diagonal = above;
                row[j] = match;
            }
        }
        return row[m];
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

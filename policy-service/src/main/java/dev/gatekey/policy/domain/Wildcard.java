package dev.gatekey.policy.domain;

/**
 * A pattern in which {@code *} matches any sequence of characters and {@code ?} any single
 * character. Which characters are wildcards is recorded per position, so that a literal
 * {@code *} produced by a policy-variable escape ({@code ${*}}) or a variable's value does not
 * act as a wildcard.
 */
public final class Wildcard {
    private final String text;
    private final boolean[] wild;

    private Wildcard(String text, boolean[] wild) {
        this.text = text;
        this.wild = wild;
    }

    /** Every {@code *} and {@code ?} of {@code pattern} is a wildcard. */
    public static Wildcard of(String pattern) {
        boolean[] wild = new boolean[pattern.length()];
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            wild[i] = c == '*' || c == '?';
        }
        return new Wildcard(pattern, wild);
    }

    /** Whether the pattern is a lone {@code *} wildcard, which matches everything. */
    public boolean matchesEverything() {
        return text.length() == 1 && wild[0] && text.charAt(0) == '*';
    }

    /** Whether the character at {@code i} is a wildcard ({@code *} or {@code ?}), not literal text. */
    boolean isWildcard(int i) {
        return wild[i];
    }

    /** The pattern's characters with wildcards taken literally (for the equality operators). */
    public String text() {
        return text;
    }

    public boolean matches(String input, boolean ignoreCase) {
        return matches(0, text.length(), input, 0, input.length(), ignoreCase);
    }

    /** The sub-pattern {@code [from, to)}. */
    Wildcard slice(int from, int to) {
        boolean[] w = new boolean[to - from];
        System.arraycopy(wild, from, w, 0, to - from);
        return new Wildcard(text.substring(from, to), w);
    }

    /** Iterative glob match with single-star backtracking: O(n*m) worst case, no recursion. */
    private boolean matches(int pFrom, int pTo, String s, int sFrom, int sTo, boolean ignoreCase) {
        int p = pFrom;
        int i = sFrom;
        int starP = -1;
        int starI = -1;
        while (i < sTo) {
            if (p < pTo && wild[p] && text.charAt(p) == '*') {
                starP = p++;
                starI = i;
            } else if (p < pTo && ((wild[p] && text.charAt(p) == '?') || same(text.charAt(p), s.charAt(i), ignoreCase))) {
                p++;
                i++;
            } else if (starP >= 0) {
                p = starP + 1;
                i = ++starI;
            } else {
                return false;
            }
        }
        while (p < pTo && wild[p] && text.charAt(p) == '*') {
            p++;
        }
        return p == pTo;
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        if (a == b) {
            return true;
        }
        return ignoreCase && (Character.toLowerCase(a) == Character.toLowerCase(b)
                || Character.toUpperCase(a) == Character.toUpperCase(b));
    }

    /** Builds a pattern from literal text and wildcard characters. */
    static final class Builder {
        private final StringBuilder text = new StringBuilder();
        private boolean[] wild = new boolean[16];

        Builder wildcard(char c) {
            return append(c, true);
        }

        Builder literal(CharSequence s) {
            for (int i = 0; i < s.length(); i++) {
                append(s.charAt(i), false);
            }
            return this;
        }

        private Builder append(char c, boolean isWild) {
            if (text.length() == wild.length) {
                boolean[] bigger = new boolean[wild.length * 2];
                System.arraycopy(wild, 0, bigger, 0, wild.length);
                wild = bigger;
            }
            wild[text.length()] = isWild;
            text.append(c);
            return this;
        }

        Wildcard build() {
            boolean[] w = new boolean[text.length()];
            System.arraycopy(wild, 0, w, 0, text.length());
            return new Wildcard(text.toString(), w);
        }
    }
}

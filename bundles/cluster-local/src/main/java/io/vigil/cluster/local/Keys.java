package io.vigil.cluster.local;

/** The key syntax of {@link io.vigil.api.cluster.ClusterStore}, checked with messages that say what is wrong. */
final class Keys {

    static final int MAX_LENGTH = 1024;

    static final String SEGMENT_SYNTAX = "letters, digits, '_', '-' and '.' (but not '.' or '..')";

    static final String KEY_SYNTAX = "segments of " + SEGMENT_SYNTAX + " separated by '/', at most " + MAX_LENGTH
            + " characters, e.g. groups/web-rg";

    private Keys() {
    }

    /**
     * @param key a key
     * @return the key
     * @throws IllegalArgumentException if it is not valid, naming it and what is wrong
     */
    static String check(String key) {
        String problem = problem(key);
        if (problem != null) {
            throw new IllegalArgumentException("key " + quote(key) + " is not valid: " + problem + "; expected "
                    + KEY_SYNTAX);
        }
        return key;
    }

    /**
     * @param key a key
     * @return what is wrong with it, or null when it is valid
     */
    static String problem(String key) {
        if (key == null) {
            return "it is missing";
        }
        if (key.isEmpty()) {
            return "it is empty";
        }
        if (key.length() > MAX_LENGTH) {
            return "it is " + key.length() + " characters long";
        }
        String[] segments = key.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String problem = segmentProblem(segments[i]);
            if (problem != null) {
                return "segment " + (i + 1) + " " + problem;
            }
        }
        return null;
    }

    /**
     * @param segment one segment of a key (or a node name)
     * @return what is wrong with it, as a predicate ("is empty", "contains ' '"), or null when it is valid
     */
    static String segmentProblem(String segment) {
        if (segment.isEmpty()) {
            return "is empty";
        }
        if (segment.equals(".") || segment.equals("..")) {
            return "is '" + segment + "'";
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                    || c == '.')) {
                return "contains " + describe(c);
            }
        }
        return null;
    }

    /** Quotes a key for a message, shortened when it is very long. */
    static String quote(String key) {
        if (key == null) {
            return "(null)";
        }
        return "\"" + (key.length() > 80 ? key.substring(0, 77) + "..." : key) + "\"";
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("the character U+%04X", (int) c);
    }
}

package io.vigil.api.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The key syntax of {@link ClusterStore} (and of node names, which are one key segment), checked
 * with messages that say what is wrong. Every store applies these checks; callers may use them
 * to refuse bad input early.
 *
 * @since 1.1
 */
public final class StoreKeys {

    /** The longest key, in characters. */
    public static final int MAX_LENGTH = 1024;

    /** What a segment (or a node name) may hold, for messages. */
    public static final String SEGMENT_SYNTAX = "letters, digits, '_', '-' and '.' (but not '.' or '..')";

    /** What a key may hold, for messages. */
    public static final String KEY_SYNTAX = "segments of " + SEGMENT_SYNTAX + " separated by '/', at most " + MAX_LENGTH
            + " characters, e.g. groups/web-rg";

    private StoreKeys() {
    }

    /**
     * @param key a key
     * @return the key
     * @throws IllegalArgumentException if it is not valid, naming it and what is wrong
     */
    public static String check(String key) {
        String problem = problem(key);
        if (problem != null) {
            throw new IllegalArgumentException("key " + quote(key) + " is not valid: " + problem + "; expected "
                    + KEY_SYNTAX);
        }
        return key;
    }

    /**
     * Checks the operations of one commit: each present, with a valid key, no key twice.
     *
     * @param operations the operations
     * @throws IllegalArgumentException naming the first key that is not valid or appears twice
     * @throws NullPointerException if the list or an operation is null
     */
    public static void checkCommit(List<StoreOperation> operations) {
        Objects.requireNonNull(operations, "operations");
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < operations.size(); i++) {
            String key = check(Objects.requireNonNull(operations.get(i), "operation").key());
            Integer first = positions.putIfAbsent(key, i + 1);
            if (first != null) {
                throw new IllegalArgumentException("key " + key + " appears twice in one commit (operations " + first
                        + " and " + (i + 1) + "); expected each key at most once");
            }
        }
    }

    /**
     * @param key a key
     * @return what is wrong with it, or null when it is valid
     */
    public static String problem(String key) {
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
    public static String segmentProblem(String segment) {
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

    /**
     * @param key a key, possibly null
     * @return it quoted for a message, shortened when it is very long
     */
    public static String quote(String key) {
        if (key == null) {
            return "(null)";
        }
        return "\"" + (key.length() > 80 ? key.substring(0, 77) + "..." : key) + "\"";
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("the character U+%04X", (int) c);
    }
}

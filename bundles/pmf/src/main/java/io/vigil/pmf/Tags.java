package io.vigil.pmf;

import io.vigil.api.pmf.PmfException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Tag syntax, and the file names derived from tags. */
final class Tags {

    /** The longest tag. */
    static final int MAX_LENGTH = 255;

    /** What a tag may hold, for messages. */
    static final String SYNTAX = "1 to " + MAX_LENGTH + " letters, digits, '_', '-', '.' and ','";

    /** Tags longer than this are named by a hash in file names, which are limited to 255 bytes. */
    private static final int LONGEST_PLAIN_FILE_NAME = 200;

    private Tags() {
    }

    /**
     * @param tag a tag
     * @throws PmfException if it is not of the tag syntax (tags become file names)
     */
    static void check(String tag) throws PmfException {
        if (tag == null || tag.isEmpty()) {
            throw new PmfException("a tag is required; expected " + SYNTAX + ", e.g. web-rg,web,0.svc");
        }
        if (tag.length() > MAX_LENGTH) {
            throw new PmfException("tag " + quote(tag.substring(0, 40)) + "... is " + tag.length()
                    + " characters long; expected " + SYNTAX);
        }
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
                    || c == '-' || c == '.' || c == ',';
            if (!ok) {
                throw new PmfException("tag " + quote(tag) + " has " + describe(c) + " at position " + (i + 1)
                        + "; expected " + SYNTAX + ", e.g. web-rg,web,0.svc");
            }
        }
    }

    /**
     * @param tag a valid tag
     * @return the base of its file names: the tag itself, or {@code #} and a hash for a long one
     *     ({@code #} cannot occur in a tag, so the two never meet)
     */
    static String fileName(String tag) {
        return tag.length() <= LONGEST_PLAIN_FILE_NAME ? tag : hashed(tag, 40);
    }

    /**
     * @param tag a valid tag
     * @param hexDigits how many hex digits of its SHA-256 to keep
     * @return {@code #} and the digits
     */
    static String hashed(String tag, int hexDigits) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(tag.getBytes(StandardCharsets.UTF_8));
            return "#" + HexFormat.of().formatHex(digest).substring(0, hexDigits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    static String quote(String s) {
        return "'" + s + "'";
    }

    private static String describe(char c) {
        if (c < 0x20 || c == 0x7f) {
            return String.format("the control character U+%04X", (int) c);
        }
        return c == ' ' ? "a space" : "'" + c + "'";
    }
}

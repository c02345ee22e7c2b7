package io.vigil.pgpool.ipc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;

/**
 * The watchdog's {@code wd_authkey}: given in the configuration or read from a file that only its
 * owner may read. Its value is never logged nor shown; {@link #toString()} hides it.
 */
public final class AuthKey {

    private final String value;

    private AuthKey(String value) {
        this.value = value;
    }

    /**
     * @param inline the key from the configuration, empty for none
     * @param file a file holding the key (one line), empty for none
     * @return the key, or empty when neither is given
     * @throws IllegalArgumentException if both are given, or the file is group- or world-readable,
     *         or cannot be read, or is empty
     */
    public static Optional<AuthKey> load(String inline, String file) {
        boolean hasInline = inline != null && !inline.isEmpty();
        boolean hasFile = file != null && !file.isBlank();
        if (hasInline && hasFile) {
            throw new IllegalArgumentException("both an authentication key and a key file are configured; expected one");
        }
        if (hasInline) {
            return Optional.of(new AuthKey(inline));
        }
        if (!hasFile) {
            return Optional.empty();
        }
        Path p = Path.of(file);
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalArgumentException("authentication key file " + p + " is readable by group or others; "
                        + "expected owner-only permissions such as 0600");
            }
            String text = Files.readString(p, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new IllegalArgumentException("authentication key file " + p + " is empty; expected the key on one line");
            }
            return Optional.of(new AuthKey(text));
        } catch (IOException e) {
            throw new IllegalArgumentException("authentication key file " + p + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** @return the key, to put in {@code IPCAuthKey}; never to be logged */
    public String reveal() {
        return value;
    }

    /**
     * Compares in constant time (for the key's length).
     *
     * @param candidate a key as received
     * @return whether it equals this key byte for byte
     */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "AuthKey[hidden]";
    }
}

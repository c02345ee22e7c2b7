package io.vigil.events.dispatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Checks a handler or recovery program before it runs, as the RGM checks method programs: it
 * must be a regular file (after symbolic links), executable, neither group- nor world-writable,
 * and owned by root or the agent's user; the directories from it up to {@code /} must be owned by
 * root or the agent's user and not group- or world-writable unless sticky (like {@code /tmp}).
 */
public final class ProgramCheck {

    private static final int S_IWGRP = 0020;
    private static final int S_IWOTH = 0002;
    private static final int S_ISVTX = 01000;

    private ProgramCheck() {
    }

    /**
     * @param program the program
     * @param agentUid the agent's uid, accepted as owner besides root
     * @return why it must not run, or empty when it may
     */
    public static Optional<String> refusal(Path program, long agentUid) {
        try {
            Path real = program.toRealPath();
            if (!Files.isRegularFile(real)) {
                return Optional.of(program + " is not a regular file; expected an executable program");
            }
            int mode = mode(real);
            if (!Files.isExecutable(real)) {
                return Optional.of(program + " is not executable (mode " + octal(mode) + "); expected a program "
                        + "with execute permission");
            }
            if ((mode & (S_IWGRP | S_IWOTH)) != 0) {
                return Optional.of(program + " is " + ((mode & S_IWOTH) != 0 ? "world" : "group") + "-writable (mode "
                        + octal(mode) + "); expected a program writable only by its owner");
            }
            long uid = uid(real);
            if (uid != 0 && uid != agentUid) {
                return Optional.of(program + " is owned by uid " + uid + "; expected root or uid " + agentUid);
            }
            for (Path dir = real.getParent(); dir != null; dir = dir.getParent()) {
                int dirMode = mode(dir);
                long dirUid = uid(dir);
                if (dirUid != 0 && dirUid != agentUid) {
                    return Optional.of(program + " is in directory " + dir + " owned by uid " + dirUid
                            + "; expected directories owned by root or uid " + agentUid);
                }
                if ((dirMode & (S_IWGRP | S_IWOTH)) != 0 && (dirMode & S_ISVTX) == 0) {
                    return Optional.of(program + " is in directory " + dir + ", which others can write to (mode "
                            + octal(dirMode) + "); expected directories writable only by their owner");
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(program + " cannot be checked: " + e);
        }
    }

    /**
     * @return the effective uid of this JVM (the owner of {@code /proc/self})
     * @throws IllegalStateException when {@code /proc} cannot be read
     */
    public static long currentUid() {
        try {
            return uid(Path.of("/proc/self"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the agent's uid from /proc/self: " + e.getMessage(), e);
        }
    }

    private static int mode(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:mode")).intValue();
    }

    private static long uid(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:uid")).intValue() & 0xFFFF_FFFFL;
    }

    private static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }
}

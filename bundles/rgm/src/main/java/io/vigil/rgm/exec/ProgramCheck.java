package io.vigil.rgm.exec;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Checks a method program before it runs (ARCHITECTURE.md, "Engine rules").
 *
 * <p>The program must
 * <ol>
 *   <li>be named by an absolute path (relative method paths are resolved against
 *       {@code RT_basedir} by the caller);</li>
 *   <li>exist, following symbolic links;</li>
 *   <li>be a regular file once symbolic links are resolved: the checks below apply to the
 *       target, and the message names both the link and the target;</li>
 *   <li>be executable by the agent;</li>
 *   <li>be neither group- nor world-writable;</li>
 *   <li>be owned by root (uid 0) or by the agent's user.</li>
 * </ol>
 *
 * <p><b>Directories.</b> Sun Cluster checks only the program. Vigil is stricter and also checks
 * every directory the path goes through: the directories holding the program, the directories
 * holding each symbolic link on the way to it (the link's own directory and the directories its
 * target path passes through), and all their ancestors up to {@code /}. Each must be owned by root
 * or the agent's user and must not be group- or world-writable — unless it is sticky and owned by
 * root or the agent's user, like {@code /tmp}. The reason: whoever may write to a directory on the
 * path can rename the checked program away and put another in its place (or re-point a symbolic
 * link), which would make the checks on the file itself worthless; in a sticky directory only a
 * file's owner (or the directory's owner) may rename or remove it, so a program owned by root or
 * the agent stays put. A directory owned by another user is refused for the same reason: its owner
 * may replace anything in it.
 *
 * <p>Uses the {@code unix} file attribute view (Linux). A chain of more than 40 symbolic links is
 * refused, as the kernel would refuse it.
 */
public final class ProgramCheck {

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_ISUID = 04000;
    private static final int S_ISGID = 02000;
    private static final int S_ISVTX = 01000;
    private static final int MAX_LINKS = 40;

    private ProgramCheck() {
    }

    /**
     * Checks that a method program may run.
     *
     * @param program the program, an absolute path
     * @param agentUid the uid the agent runs as; besides root, the only owner accepted
     * @throws MethodRefusedException when a rule is broken; the message names the program and the
     *     rule
     */
    public static void check(Path program, long agentUid) throws MethodRefusedException {
        if (!program.isAbsolute()) {
            throw refuse(program, program + " is not an absolute path; expected the absolute path of a program");
        }
        Path real = resolve(program);
        String subject = real.equals(program) ? program.toString()
                : program + " (resolved to " + real + ")";

        int mode = (int) attribute(program, real, "unix:mode");
        int type = mode & S_IFMT;
        if (type != S_IFREG) {
            throw refuse(program, subject + " is " + describeType(type) + "; expected a regular file");
        }
        if (!Files.isExecutable(real)) {
            throw refuse(program, subject + " is not executable (mode " + modeString(mode)
                    + "); expected a program with execute permission");
        }
        String writable = writableBy(mode);
        if (writable != null) {
            throw refuse(program, subject + " is " + writable + " (mode " + modeString(mode)
                    + "); expected a program writable only by its owner");
        }
        long uid = attribute(program, real, "unix:uid");
        if (uid != 0 && uid != agentUid) {
            throw refuse(program, subject + " is owned by uid " + uid + "; expected a program owned by "
                    + allowedOwners(agentUid));
        }

        for (Path dir : directoriesOnTheWay(program, real)) {
            int dirMode = (int) attribute(program, dir, "unix:mode");
            long dirUid = attribute(program, dir, "unix:uid");
            boolean trustedOwner = dirUid == 0 || dirUid == agentUid;
            if (!trustedOwner) {
                throw refuse(program, subject + " is in directory " + dir + ", which is owned by uid " + dirUid
                        + "; expected directories owned by " + allowedOwners(agentUid));
            }
            String dirWritable = writableBy(dirMode);
            if (dirWritable != null && (dirMode & S_ISVTX) == 0) {
                throw refuse(program, subject + " is in directory " + dir + ", which is " + dirWritable
                        + " (mode " + modeString(dirMode) + ") and not sticky; expected directories that only "
                        + allowedOwners(agentUid) + " can write to, or sticky ones like /tmp");
            }
        }
    }

    /**
     * The effective uid of this JVM, read as the owner of {@code /proc/self}.
     *
     * @return the uid
     * @throws IllegalStateException when {@code /proc} cannot be read
     */
    public static long currentUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() & 0xFFFF_FFFFL;
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot read the agent's uid from /proc/self: " + e.getMessage(), e);
        }
    }

    private static Path resolve(Path program) throws MethodRefusedException {
        if (!Files.exists(program, LinkOption.NOFOLLOW_LINKS)) {
            throw refuse(program, program + " does not exist; expected an executable program");
        }
        try {
            return program.toRealPath();
        } catch (NoSuchFileException e) {
            String target;
            try {
                target = Files.isSymbolicLink(program) ? Files.readSymbolicLink(program).toString() : null;
            } catch (IOException ignored) {
                target = null;
            }
            throw refuse(program, program + (target == null ? " cannot be resolved, " + e.getFile()
                    + " does not exist" : " is a symbolic link to " + target + ", which does not exist")
                    + "; expected an executable program");
        } catch (IOException e) {
            throw refuse(program, program + " cannot be resolved (" + reason(e) + "); expected an executable program");
        }
    }

    /**
     * The real paths of every directory the kernel goes through to reach the program, and their
     * ancestors: for the program and each symbolic link on the way, each lexical ancestor of its
     * path, resolved. The program's own directories come first.
     */
    private static Set<Path> directoriesOnTheWay(Path program, Path real) throws MethodRefusedException {
        Set<Path> dirs = new LinkedHashSet<>();
        addWithAncestors(real.getParent(), dirs);
        Path cur = program;
        for (int hops = 0; ; hops++) {
            for (Path lexical = cur.getParent(); lexical != null; lexical = lexical.getParent()) {
                addWithAncestors(realPath(program, lexical), dirs);
            }
            if (!Files.isSymbolicLink(cur)) {
                break;
            }
            if (hops == MAX_LINKS) {
                throw refuse(program, program + " goes through more than " + MAX_LINKS
                        + " symbolic links; expected an executable program");
            }
            try {
                cur = realPath(program, cur.getParent()).resolve(Files.readSymbolicLink(cur));
            } catch (IOException e) {
                throw refuse(program, program + " cannot be resolved (" + reason(e) + ")");
            }
        }
        return dirs;
    }

    private static void addWithAncestors(Path dir, Set<Path> dirs) {
        for (Path d = dir; d != null; d = d.getParent()) {
            if (!dirs.add(d)) {
                return; // its ancestors are in already
            }
        }
    }

    private static Path realPath(Path program, Path p) throws MethodRefusedException {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw refuse(program, program + " cannot be checked: directory " + p + " cannot be resolved ("
                    + reason(e) + ")");
        }
    }

    /** Reads an unsigned 32-bit {@code unix} attribute ({@code mode}, {@code uid}). */
    private static long attribute(Path program, Path p, String attribute) throws MethodRefusedException {
        try {
            return ((Number) Files.getAttribute(p, attribute)).intValue() & 0xFFFF_FFFFL;
        } catch (IOException e) {
            throw refuse(program, program + " cannot be checked: cannot read " + p + " (" + reason(e) + ")");
        }
    }

    private static String writableBy(int mode) {
        boolean group = (mode & 020) != 0;
        boolean world = (mode & 002) != 0;
        if (group && world) {
            return "group- and world-writable";
        }
        if (group) {
            return "group-writable";
        }
        return world ? "world-writable" : null;
    }

    private static String allowedOwners(long agentUid) {
        return agentUid == 0 ? "root (uid 0)" : "root (uid 0) or the agent's user (uid " + agentUid + ")";
    }

    private static String describeType(int type) {
        switch (type) {
            case S_IFDIR: return "a directory";
            case S_IFIFO: return "a named pipe";
            case S_IFCHR: return "a character device";
            case S_IFBLK: return "a block device";
            case S_IFSOCK: return "a socket";
            default: return "not a regular file";
        }
    }

    /**
     * Formats permission bits as {@code ls} does, without the type letter: {@code rwxr-sr-t}.
     *
     * @param mode the {@code st_mode} value
     * @return nine characters
     */
    static String modeString(int mode) {
        char[] c = new char[9];
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            c[i] = (mode & (0400 >> i)) != 0 ? letters.charAt(i) : '-';
        }
        if ((mode & S_ISUID) != 0) {
            c[2] = c[2] == 'x' ? 's' : 'S';
        }
        if ((mode & S_ISGID) != 0) {
            c[5] = c[5] == 'x' ? 's' : 'S';
        }
        if ((mode & S_ISVTX) != 0) {
            c[8] = c[8] == 'x' ? 't' : 'T';
        }
        return new String(c);
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException) {
            String r = ((FileSystemException) e).getReason();
            if (r != null) {
                return r;
            }
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static MethodRefusedException refuse(Path program, String message) {
        return new MethodRefusedException(program, message);
    }
}

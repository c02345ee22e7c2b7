package io.vigil.types.xfnts;

import io.vigil.api.type.PropertyValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The properties of one SUNW.xfnts resource, read and checked: what Start runs under the PMF and
 * what the probe checks.
 *
 * @param configFile {@code <Confdir_list[0]>/fontserver.cfg}
 * @param port the port of {@code Port_list}'s single {@code port/tcp} entry
 * @param host {@code Probe_host}: where the probe connects
 * @param program {@code Xfs_program}
 * @param checkTemplate {@code Check_command} split into words, placeholders not yet replaced
 * @param childMonitorLevel {@code Child_mon_level}
 * @param retryCount {@code Retry_count}: also the PMF's restart budget
 * @param retryInterval {@code Retry_interval}: also the PMF's window
 */
record XfsSettings(Path configFile, int port, String host, Path program, List<String> checkTemplate,
        int childMonitorLevel, int retryCount, Duration retryInterval) {

    static final String CONFDIR_LIST = "Confdir_list";
    static final String PORT_LIST = "Port_list";
    static final String XFS_PROGRAM = "Xfs_program";
    static final String CHECK_COMMAND = "Check_command";
    static final String PROBE_HOST = "Probe_host";
    static final String CHILD_MON_LEVEL = "Child_mon_level";
    static final String RETRY_COUNT = "Retry_count";
    static final String RETRY_INTERVAL = "Retry_interval";

    /** The file xfs reads, inside the first configuration directory. */
    static final String CONFIG_FILE = "fontserver.cfg";
    /** The host probed when {@code Probe_host} is blank. */
    static final String DEFAULT_HOST = "127.0.0.1";

    XfsSettings {
        checkTemplate = List.copyOf(checkTemplate);
    }

    /**
     * Reads the properties, checking their form (not yet the files they name).
     *
     * @param p a resource's properties
     * @return the settings
     * @throws IllegalArgumentException naming every property that is wrong and what was expected
     */
    static XfsSettings read(PropertyValues p) {
        List<String> problems = new ArrayList<>();
        Path configFile = configFile(p, problems);
        int port = port(p, problems);
        Path program = absolute(XFS_PROGRAM, p.find(XFS_PROGRAM).orElse("").strip(), "e.g. /usr/bin/xfs", problems);
        List<String> check = checkTemplate(p, problems);
        int level = integer(p, CHILD_MON_LEVEL, -1, -1, problems);
        int retries = integer(p, RETRY_COUNT, 2, 0, problems);
        int interval = integer(p, RETRY_INTERVAL, 300, 1, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        String host = p.find(PROBE_HOST).map(String::strip).filter(h -> !h.isEmpty()).orElse(DEFAULT_HOST);
        return new XfsSettings(configFile, port, host, program, check, level, retries, Duration.ofSeconds(interval));
    }

    /**
     * Everything Validate checks: the properties' form, then the files they name.
     *
     * @param p a resource's (proposed) properties
     * @return what is wrong, each naming the property and what was expected; empty when all is well
     */
    static List<String> problems(PropertyValues p) {
        try {
            return read(p).fileProblems();
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
    }

    /**
     * Checks the files: the configuration file is readable, the programs are executable and
     * neither group- nor world-writable.
     *
     * @return what is wrong; empty when all is well
     */
    List<String> fileProblems() {
        List<String> problems = new ArrayList<>();
        if (!Files.isRegularFile(configFile)) {
            problems.add("the configuration file " + configFile + " (" + CONFIG_FILE + " in the first entry of "
                    + CONFDIR_LIST + ") does not exist or is not a file; expected xfs's configuration there");
        } else if (!Files.isReadable(configFile)) {
            problems.add("the configuration file " + configFile
                    + " is not readable; expected a file the agent can read");
        }
        program(XFS_PROGRAM, program, problems);
        program(CHECK_COMMAND, Path.of(checkTemplate.get(0)), problems);
        return problems;
    }

    /** @return the command Start runs under the PMF: {@code xfs -config <file> -port <port>} */
    List<String> xfsCommand() {
        return List.of(program.toString(), "-config", configFile.toString(), "-port", Integer.toString(port));
    }

    /** @return {@code Check_command} with {@code %host}, {@code %port} and {@code %%} replaced */
    List<String> checkCommand() {
        List<String> out = new ArrayList<>(checkTemplate.size());
        for (String word : checkTemplate) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < word.length(); i++) {
                char c = word.charAt(i);
                if (c != '%') {
                    sb.append(c);
                } else if (word.startsWith("%host", i)) {
                    sb.append(host);
                    i += 4;
                } else if (word.startsWith("%port", i)) {
                    sb.append(port);
                    i += 4;
                } else {
                    sb.append('%');
                    i++;
                }
            }
            out.add(sb.toString());
        }
        return List.copyOf(out);
    }

    private static Path configFile(PropertyValues p, List<String> problems) {
        List<String> dirs = p.has(CONFDIR_LIST) ? p.getStringArray(CONFDIR_LIST) : List.of();
        if (dirs.isEmpty() || dirs.get(0).isEmpty()) {
            problems.add(CONFDIR_LIST + " has no entry; expected the directory holding " + CONFIG_FILE
                    + ", e.g. -x " + CONFDIR_LIST + "=/global/xfs/conf");
            return null;
        }
        Path dir = absolute(CONFDIR_LIST, dirs.get(0), "the directory holding " + CONFIG_FILE, problems);
        return dir == null ? null : dir.resolve(CONFIG_FILE);
    }

    private static int port(PropertyValues p, List<String> problems) {
        List<String> entries = p.has(PORT_LIST) ? p.getStringArray(PORT_LIST) : List.of();
        String expected = "; expected one entry port/tcp with a port in 1..65535, e.g. 7100/tcp";
        if (entries.size() != 1) {
            problems.add(PORT_LIST + " = \"" + String.join(",", entries) + "\" has " + entries.size()
                    + " entries (xfs serves one port)" + expected);
            return -1;
        }
        String entry = entries.get(0);
        int slash = entry.indexOf('/');
        int port = -1;
        if (slash > 0 && entry.substring(slash + 1).strip().toLowerCase(Locale.ROOT).equals("tcp")) {
            try {
                port = Integer.parseInt(entry.substring(0, slash).strip());
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (port < 1 || port > 65535) {
            problems.add(PORT_LIST + " entry \"" + entry + "\" is not valid" + expected);
            return -1;
        }
        return port;
    }

    private static List<String> checkTemplate(PropertyValues p, List<String> problems) {
        String line = p.find(CHECK_COMMAND).orElse("").strip();
        if (line.isEmpty()) {
            problems.add(CHECK_COMMAND
                    + " is empty; expected a command line such as /usr/bin/xfsinfo -server %host:%port");
            return List.of();
        }
        List<String> words = List.of(line.split("[ \t]+"));
        for (String word : words) {
            for (int i = word.indexOf('%'); i >= 0; i = word.indexOf('%', i + 1)) {
                if (word.startsWith("%host", i) || word.startsWith("%port", i)) {
                    i += 4;
                } else if (word.startsWith("%%", i)) {
                    i++;
                } else {
                    problems.add(CHECK_COMMAND + " = \"" + line + "\" has an unknown placeholder at \""
                            + word.substring(i) + "\"; expected %host, %port or %% (a percent sign)");
                    return List.of();
                }
            }
        }
        String program = words.get(0);
        if (program.indexOf('%') >= 0) {
            problems.add(CHECK_COMMAND + " = \"" + line
                    + "\" has a placeholder in its program; expected an absolute path");
            return List.of();
        }
        return absolute(CHECK_COMMAND, program, "e.g. /usr/bin/xfsinfo", problems) == null ? List.of() : words;
    }

    private static Path absolute(String property, String value, String expected, List<String> problems) {
        try {
            Path path = Path.of(value);
            if (!value.isEmpty() && path.isAbsolute()) {
                return path.normalize();
            }
        } catch (InvalidPathException e) {
            // reported below, as any other unusable path
        }
        problems.add(property + " names \"" + value + "\", which is not an absolute path; expected " + expected);
        return null;
    }

    private static int integer(PropertyValues p, String name, int absent, int min, List<String> problems) {
        if (!p.has(name)) {
            return absent;
        }
        try {
            int v = p.getInt(name);
            if (v >= min) {
                return v;
            }
        } catch (IllegalArgumentException e) {
            // reported below with the expected range
        }
        problems.add(name + " = \"" + p.getString(name) + "\" is not valid; expected an integer of " + min
                + " or more");
        return absent;
    }

    private static void program(String property, Path program, List<String> problems) {
        if (!Files.isRegularFile(program)) {
            problems.add(property + " program " + program
                    + " does not exist or is not a file; expected an executable file");
            return;
        }
        if (!Files.isExecutable(program)) {
            problems.add(property + " program " + program + " is not executable; expected an executable file");
            return;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(program);
            if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                problems.add(property + " program " + program + " is writable by its group or by others ("
                        + PosixFilePermissions.toString(perms) + "); expected a program only its owner can change");
            }
        } catch (IOException e) {
            problems.add(property + " program " + program + ": its permissions cannot be read (" + e.getMessage()
                    + ")");
        }
    }
}

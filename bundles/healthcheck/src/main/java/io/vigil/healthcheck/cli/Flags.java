package io.vigil.healthcheck.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * GGHealthCheck's command-line flags, which override the file: {@code -s}, {@code -c},
 * {@code -h address}, {@code -hp port}, {@code -i sec}, {@code -r times}, {@code -l dir}; and
 * Vigil's {@code -f file} naming the ini file.
 *
 * @param settings the keys the flags set, canonical spelling
 * @param iniFile the ini file given with {@code -f}, if any
 * @param help whether help was asked for
 */
public record Flags(Map<String, String> settings, Optional<Path> iniFile, boolean help) {

    /** One line per flag, for errors and {@code --help}. */
    public static final String USAGE = "usage: gghealthcheck [-s | -c] [-h address] [-hp port] [-i sec] [-r times] [-l dir]"
            + " [-f GGHealthCheck.ini]\n"
            + "  -s            start as server (the responder)\n"
            + "  -c            start as client (checks a responder, prints each answer)\n"
            + "  -h address    server IP address (IPv4 or IPv6)\n"
            + "  -hp port      server listening port\n"
            + "  -i sec        client: seconds from one check to the next (interval)\n"
            + "  -r times      client: number of checks, -1 for ever (repeat)\n"
            + "  -l dir        folder of the daily log, an absolute path (logd)\n"
            + "  -f file       the ini file (default: ./GGHealthCheck.ini, else $VIGIL_HOME/etc/GGHealthCheck.ini)\n";

    private static final Map<String, String> WITH_VALUE = Map.of("-h", "host", "-hp", "port", "-i", "interval",
            "-r", "repeat", "-l", "logd");

    /**
     * @param args the arguments
     * @return the flags
     * @throws IllegalArgumentException naming the bad argument and what was expected
     */
    public static Flags parse(String... args) {
        Map<String, String> settings = new LinkedHashMap<>();
        Path ini = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-s", "-c" -> {
                    String mode = a.equals("-s") ? "S" : "C";
                    String before = settings.put("mode", mode);
                    if (before != null && !before.equals(mode)) {
                        throw new IllegalArgumentException("-s and -c exclude each other; expected one of them");
                    }
                }
                case "--help", "-help", "-?" -> help = true;
                default -> {
                    if (!WITH_VALUE.containsKey(a) && !a.equals("-f")) {
                        throw new IllegalArgumentException("unknown argument '" + a + "'; expected -s, -c, -h, -hp, -i, -r, -l or -f");
                    }
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value; expected " + a + " <"
                                + (a.equals("-f") ? "file" : WITH_VALUE.get(a)) + ">");
                    }
                    String value = args[++i];
                    if (a.equals("-f")) {
                        ini = Path.of(value);
                    } else {
                        settings.put(WITH_VALUE.get(a), value);
                    }
                }
            }
        }
        return new Flags(Map.copyOf(settings), Optional.ofNullable(ini), help);
    }
}
